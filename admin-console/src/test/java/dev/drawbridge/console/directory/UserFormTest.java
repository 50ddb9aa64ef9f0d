package dev.drawbridge.console.directory;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.model.api.validation.Names;
import dev.drawbridge.model.api.validation.Passwords;
import dev.drawbridge.model.api.validation.Upns;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The New user and New group dialogs' forms, and what the directory screen does with them. */
class UserFormTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final DirectoryViewModel vm = new DirectoryViewModel(api.session(),
            tasks, tasks, 2);
    final AtomicInteger closed = new AtomicInteger();

    /** The console refuses exactly what the server refuses: both run the shared rules of {@code model.api.validation}. */
    @Test
    void theFormsVerdictsAreTheSharedRulesVerdicts() {
        for (String upn : List.of("jane@corp.example", " jane@corp.example ", "jane", "jane@", "@corp.example", "ja ne@corp.example",
                "a@b@c", "x".repeat(200) + "@corp.example", "x".repeat(201) + "@corp.example", "jane@" + "d".repeat(201))) {
            boolean consoleRefuses = UserForm.check(upn, "Jane", upn, "").containsKey(UserForm.UPN);
            assertThat(consoleRefuses).as(upn).isEqualTo(!Upns.valid(upn.strip()));
            assertThat(UserForm.check("jane@corp.example", "Jane", upn, "").containsKey(UserForm.EMAIL)).as("e-mail " + upn)
                    .isEqualTo(!Upns.valid(upn.strip()));
        }
        for (int length : new int[]{1, Passwords.MIN_LENGTH - 1, Passwords.MIN_LENGTH, 64}) {
            String password = "p".repeat(length);
            assertThat(UserForm.check("jane@corp.example", "Jane", "", password).containsKey(UserForm.PASSWORD)).as("length " + length)
                    .isEqualTo(Passwords.problem("password", password).isPresent());
        }
        assertThat(UserForm.check("jane@corp.example", "n".repeat(Names.MAX), "", "")).doesNotContainKey(UserForm.DISPLAY_NAME);
        assertThat(UserForm.check("jane@corp.example", "n".repeat(Names.MAX + 1), "", "")).containsKey(UserForm.DISPLAY_NAME);
    }

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
        api.fail("users.create", 409, "about:blank", "a user with this UPN exists",
                new Problem.FieldError("upn", "jane.doe@corp.example is taken"));
        vm.createUser(f, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(f.busyProperty().get()).isFalse();
        assertThat(f.errors().error(UserForm.UPN).get()).isEqualTo("jane.doe@corp.example is taken");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not create jane.doe@corp.example"));

        f.upnProperty().set("jane.doe2@corp.example");
        assertThat(f.errors().error(UserForm.UPN).get()).isEmpty();
        api.recover("users.create");
        vm.createUser(f, closed::incrementAndGet);
        assertThat(closed.get()).isEqualTo(1);
        UserSpec sent = (UserSpec) api.body("users.create");
        assertThat(sent.upn()).isEqualTo("jane.doe2@corp.example");
        assertThat(api.users.values()).extracting(UserView::upn).containsExactly("jane.doe2@corp.example");
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
        api.fail("groups.create", 400, "about:blank", "invalid", new Problem.FieldError("membershipRule", "expected a value after eq"));
        vm.createGroup(f, closed::incrementAndGet);
        assertThat(closed.get()).isZero();
        assertThat(f.errors().error(GroupForm.RULE).get()).isEqualTo("expected a value after eq");
        assertThat(api.body("groups.create")).isEqualTo(new GroupBody("Finance", null, "department eq"));
    }
}
