package dev.drawbridge.console.policies;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.Problem;
import org.junit.jupiter.api.Test;

import java.time.DayOfWeek;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The policy and named location dialogs' forms, the policy table's words, and what the screen does with the forms. */
class PolicyFormTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final PoliciesViewModel vm = new PoliciesViewModel(api.session(), tasks, tasks);
    final AtomicInteger closed = new AtomicInteger();

    static AccessPolicy policy() {
        return new AccessPolicy("p1", "Office hours only", AccessPolicy.State.ON, List.of("a1"), List.of("ALL"), List.of("Contractors"),
                List.of("UNTRUSTED"), List.of("l1"), List.of(AccessPolicy.ClientType.NATIVE),
                new AccessPolicy.TimeWindow(List.of("MONDAY", "FRIDAY"), "18:00", "08:00", "Europe/Zurich"), AccessPolicy.Control.BLOCK);
    }

    @Test
    void aNewPolicyIsReportOnlyForAllUsersAndShowsNoErrorUntilTouched() {
        PolicyForm f = new PolicyForm(null);
        assertThat(f.usersProperty().get()).isEqualTo("All users");
        assertThat(f.errors().error(PolicyForm.NAME).get()).isEmpty();
        assertThat(f.errors().attempt()).isFalse();
        assertThat(f.errors().error(PolicyForm.NAME).get()).startsWith("Name is required");
        f.nameProperty().set("Require MFA");
        assertThat(f.errors().valid().get()).isTrue();
        AccessPolicy p = f.policy();
        assertThat(p.state()).isEqualTo(AccessPolicy.State.REPORT_ONLY);
        assertThat(p.users()).containsExactly("ALL");
        assertThat(p.time()).isNull();
        assertThat(p.apps()).isEmpty();
    }

    @Test
    void anExistingPolicyRoundTripsThroughTheForm() {
        PolicyForm f = new PolicyForm(policy());
        assertThat(f.usersProperty().get()).isEqualTo("All users");
        assertThat(f.days()).containsExactly(DayOfWeek.MONDAY, DayOfWeek.FRIDAY);
        assertThat(f.errors().valid().get()).isTrue();
        assertThat(f.policy()).isEqualTo(policy());
    }

    @Test
    void hoursDaysAndZoneAreChecked() {
        PolicyForm f = new PolicyForm(null);
        f.nameProperty().set("Nights");
        f.days().add(DayOfWeek.SUNDAY);
        assertThat(f.errors().error(PolicyForm.DAYS).get()).startsWith("Days apply with hours");
        f.startProperty().set("8:00");
        assertThat(f.errors().error(PolicyForm.TIME).get()).startsWith("Hours look like 08:00");
        f.startProperty().set("22:00");
        f.endProperty().set("22:00");
        assertThat(f.errors().error(PolicyForm.TIME).get()).contains("never apply");
        f.endProperty().set("06:00");
        f.zoneProperty().set("Mars/Olympus");
        assertThat(f.errors().error(PolicyForm.TIME).get()).contains("not a time zone");
        f.zoneProperty().set("Europe/Zurich");
        assertThat(f.errors().valid().get()).isTrue();
        assertThat(f.policy().time()).isEqualTo(new AccessPolicy.TimeWindow(List.of("SUNDAY"), "22:00", "06:00", "Europe/Zurich"));
        f.usersProperty().set(" , ");
        assertThat(f.errors().error(PolicyForm.USERS).get()).startsWith("Say who it applies to");
    }

    @Test
    void theServersFieldErrorsKeepTheDialogOpenAndASavedPolicyClosesIt() {
        PolicyForm f = new PolicyForm(null);
        f.nameProperty().set("Block outside");
        f.locations().add("gone");
        api.fail("policies.create", 400, "about:blank", "invalid",
                new Problem.FieldError("locations", "'gone' is neither a named location id nor TRUSTED / UNTRUSTED"));
        vm.save(f, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(f.errors().error(PolicyForm.LOCATIONS).get()).startsWith("'gone' is neither");
        f.locations().setAll("UNTRUSTED");
        assertThat(f.errors().error(PolicyForm.LOCATIONS).get()).isEmpty();
        api.recover("policies.create");
        vm.save(f, closed::incrementAndGet);
        assertThat(closed.get()).isEqualTo(1);
        assertThat(api.body("policies.create")).isEqualTo(f.policy());
        // The list reloads with the saved policy.
        assertThat(vm.policies().items()).containsExactly(f.policy());
        assertThat(tasks.notices).contains("info: Policy saved: Block outside (Report-only)");
    }

    @Test
    void theTableSaysWhoWhereAndWhichClientsInWords() {
        api.policies.put("p1", policy());
        api.locations.put("l1", new NamedLocation("l1", "Head office", true, List.of("203.0.113.0/24")));
        vm.refresh();
        assertThat(PoliciesViewModel.who(policy())).isEqualTo("All users except Contractors");
        assertThat(vm.where(policy())).isEqualTo("Untrusted locations except Head office");
        assertThat(vm.where(new AccessPolicy(null, "x", AccessPolicy.State.OFF, List.of(), List.of("ALL"), List.of(), List.of(),
                List.of("TRUSTED"), List.of(), null, AccessPolicy.Control.BLOCK))).isEqualTo("Anywhere except trusted locations");
        assertThat(PoliciesViewModel.clients(policy())).isEqualTo("Native app");
        assertThat(vm.locationChoices()).containsExactly("TRUSTED", "UNTRUSTED", "l1");
        assertThat(vm.locationChoices().stream().map(vm::locationLabel)).containsExactly("Trusted locations", "Untrusted locations",
                "Head office");
    }

    @Test
    void aNamedLocationNeedsANameAndARange() {
        LocationForm f = new LocationForm(null);
        assertThat(f.errors().error(LocationForm.CIDRS).get()).isEmpty();
        assertThat(f.errors().attempt()).isFalse();
        assertThat(f.errors().error(LocationForm.NAME).get()).startsWith("Name is required");
        assertThat(f.errors().error(LocationForm.CIDRS).get()).startsWith("Give at least one IP range");
        f.nameProperty().set("Head office");
        f.cidrsProperty().set("203.0.113.0/33\n2001:db8::/32");
        api.fail("namedLocations.create", 400, "about:blank", "invalid", new Problem.FieldError("cidrs", "203.0.113.0/33: prefix above 32"));
        vm.save(f, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(f.errors().error(LocationForm.CIDRS).get()).isEqualTo("203.0.113.0/33: prefix above 32");
        assertThat(((NamedLocation) api.body("namedLocations.create")).cidrs()).containsExactly("203.0.113.0/33", "2001:db8::/32");
    }
}
