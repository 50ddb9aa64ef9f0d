package dev.drawbridge.console.directory;

import dev.drawbridge.console.FakeApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The New user and New group dialogs' forms, and what the directory screen does with them. */
class UserFormTest {
    final FakeApi api = new FakeApi();
    final SyncTasks tasks = new SyncTasks();
    final DirectoryViewModel vm = new DirectoryViewModel(new Session(api, "admin", List.of(), Permissions.ALL, Optional.empty()),
            tasks, tasks, 2);
    final AtomicInteger closed = new AtomicInteger();

    @Test
    void aNewUserFormShowsNoErrorUntilTouchedAndOffersAStrongPassword() {
        UserForm f = vm.newUserForm();
        assertThat(f.passwordProperty().get()).hasSize(16);
        for (String field : List.of(UserForm.UPN, UserForm.DISPLAY_NAME, UserForm.EMAIL, UserForm.PASSWORD)) {
            assertThat(f.errors().error(field).get()).as(field).isEmpty();
        }
        assertThat(f.errors().valid().get()).isFalse();
        f.upnProperty().set("jane");
        assertThat(f.errors().error(UserForm.UPN).get()).startsWith("User principal name looks like name@domain");
        assertThat(f.errors().error(UserForm.DISPLAY_NAME).get()).isEmpty();
        assertThat(f.errors().attempt()).isFalse();
        assertThat(f.errors().error(UserForm.DISPLAY_NAME).get()).startsWith("Display name is required");
        f.passwordProperty().set("short");
        assertThat(f.errors().error(UserForm.PASSWORD).get()).contains("at least 12 characters");
        f.passwordProperty().set("");
        f.upnProperty().set(" jane.doe@corp.example ");
        f.displayNameProperty().set("Jane Doe");
        f.emailProperty().set("   ");
        assertThat(f.errors().valid().get()).isTrue();
        assertThat(f.spec()).isEqualTo(new UserSpec("jane.doe@corp.example", "Jane Doe", null, null, null));
    }

    @Test
    void theDialogStaysOpenWithTheServersFieldErrorsThenClosesWhenTheUserIsCreated() {
        UserForm f = vm.newUserForm();
        f.upnProperty().set("jane.doe@corp.example");
        f.displayNameProperty().set("Jane Doe");
        api.fail("POST users", 409, "about:blank", "a user with this UPN exists",
                new Problem.FieldError("upn", "jane.doe@corp.example is taken"));
        vm.createUser(f, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(f.busyProperty().get()).isFalse();
        assertThat(f.errors().error(UserForm.UPN).get()).isEqualTo("jane.doe@corp.example is taken");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not create jane.doe@corp.example"));

        f.upnProperty().set("jane.doe2@corp.example");
        assertThat(f.errors().error(UserForm.UPN).get()).isEmpty();
        api.answer("POST users", new UserView("u9", "jane.doe2@corp.example", "Jane Doe", null, null, true, true, false, null, List.of(),
                Instant.EPOCH));
        vm.createUser(f, closed::incrementAndGet);
        assertThat(closed.get()).isEqualTo(1);
        assertThat(vm.users().selected().upn()).isEqualTo("jane.doe2@corp.example");
    }

    @Test
    void aGroupNeedsANameAndTheServerJudgesItsRule() {
        GroupForm f = new GroupForm();
        assertThat(f.errors().error(GroupForm.NAME).get()).isEmpty();
        assertThat(f.errors().attempt()).isFalse();
        assertThat(f.errors().error(GroupForm.NAME).get()).startsWith("Name is required");
        f.nameProperty().set("Finance");
        f.ruleProperty().set("department eq");
        api.fail("POST groups", 400, "about:blank", "invalid", new Problem.FieldError("membershipRule", "expected a value after eq"));
        vm.createGroup(f, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(f.errors().error(GroupForm.RULE).get()).isEqualTo("expected a value after eq");
        assertThat(api.bodies.getLast()).isEqualTo(java.util.Map.of("name", "Finance", "membershipRule", "department eq"));
    }
}
