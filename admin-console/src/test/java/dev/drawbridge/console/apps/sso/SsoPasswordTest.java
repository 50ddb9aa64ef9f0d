package dev.drawbridge.console.apps.sso;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.BasicSso.Credentials;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password vaulting in the single sign-on section against the console's fake admin API: HTTP Basic and login forms
 * loaded, edited and saved (only the chosen method's settings sent), every login-form rule of {@code SsoRules} on its
 * field once edited and all on a tried save that sends nothing, the server's errors on their fields; the app's write-only
 * shared user name and password set (the password gone from the form once sent, whatever the answer), checked as typed,
 * refused by the server, removed, and never carried to another app.
 */
class SsoPasswordTest extends SsoFixture {
    final SsoPassword password = sso.password();
    final SsoSharedCredential shared = password.shared();

    @Test
    void basicSettingsAreLoadedEditedAndSaved() {
        api.sso.put("hr", SsoSettings.basic(BasicSso.SHARED));
        select(app("hr"));
        assertThat(sso.methodProperty().get()).isEqualTo(SsoMethod.BASIC);
        assertThat(password.credentialsProperty().get()).isEqualTo(Credentials.SHARED);
        assertThat(sso.settings()).isEqualTo(api.sso.get("hr"));
        assertThat(sso.errorProperty().get()).isEmpty();

        password.credentialsProperty().set(Credentials.USER);
        sso.save();
        assertThat(api.body("apps.setSso hr")).isEqualTo(SsoSettings.basic(BasicSso.USER));
        assertThat(api.sso.get("hr").basic()).isEqualTo(BasicSso.USER);
        assertThat(tasks.notices).contains("info: Single sign-on saved: HR: Stored passwords (HTTP Basic)");
    }

    @Test
    void formsSettingsAreLoadedEditedAndSavedWithOnlyTheirMethodsSettings() {
        api.sso.put("hr", SsoSettings.forms(new FormsSso("/login", "user", null, Credentials.SHARED)));
        select(app("hr"));
        assertThat(sso.methodProperty().get()).isEqualTo(SsoMethod.FORMS);
        assertThat(password.loginPathProperty().get()).isEqualTo("/login");
        assertThat(password.usernameFieldProperty().get()).isEqualTo("user");
        assertThat(password.passwordFieldProperty().get()).isEmpty();
        assertThat(password.credentialsProperty().get()).isEqualTo(Credentials.SHARED);
        assertThat(sso.settings()).isEqualTo(api.sso.get("hr"));

        password.loginPathProperty().set(" /sign-in ");
        password.usernameFieldProperty().set("");
        password.passwordFieldProperty().set(" pass ");
        // A header typed meanwhile does not go along.
        sso.methodProperty().set(SsoMethod.HEADERS);
        sso.headers().rows().getFirst().nameProperty().set("X-Remote-User");
        sso.methodProperty().set(SsoMethod.FORMS);
        sso.save();
        SsoSettings sent = SsoSettings.forms(new FormsSso("/sign-in", null, "pass", Credentials.SHARED));
        assertThat(api.body("apps.setSso hr")).isEqualTo(sent);
        assertThat(api.sso.get("hr")).isEqualTo(sent);
        assertThat(password.loginPathProperty().get()).isEqualTo("/sign-in");
    }

    @Test
    void choosingFormsGreetsWithoutRedAndATriedSaveShowsTheLoginPathsErrorAndSendsNothing() {
        select(app("hr"));
        sso.methodProperty().set(SsoMethod.FORMS);
        assertThat(error(SsoPassword.LOGIN_PATH)).isEmpty();
        assertThat(sso.validProperty().get()).isFalse();
        sso.save();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSso"));
        assertThat(error(SsoPassword.LOGIN_PATH)).startsWith("loginPath is the login form's path on the backend");
        assertThat(sso.errorProperty().get()).isEmpty();
    }

    /** Every login path the rules refuse shows its error as typed; a tried save sends nothing. */
    @ParameterizedTest
    @ValueSource(strings = {"login", "//evil.example/login", "/login?next=/", "/login#top", "/a/../login", "/a/./login", "/a/..",
            "/log in", "/lo\tgin", "http://evil.example/login", "/%zz"})
    void aRefusedLoginPathShowsItsErrorOnceTyped(String path) {
        select(app("hr"));
        sso.methodProperty().set(SsoMethod.FORMS);
        password.loginPathProperty().set(path);
        assertThat(error(SsoPassword.LOGIN_PATH)).startsWith("loginPath is the login form's path on the backend");
        sso.save();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSso"));
    }

    @Test
    void theFormsFieldNamesAreCheckedAsTyped() {
        select(app("hr"));
        sso.methodProperty().set(SsoMethod.FORMS);
        password.loginPathProperty().set("/login");
        assertThat(sso.validProperty().get()).isTrue();
        password.usernameFieldProperty().set("login");
        password.passwordFieldProperty().set("login");
        assertThat(error(SsoPassword.PASSWORD_FIELD)).isEqualTo("the password field cannot have the user-name field's name");
        // The clash shows on the password field even when the user-name field changes last.
        password.passwordFieldProperty().set("pw");
        password.usernameFieldProperty().set("pw");
        assertThat(error(SsoPassword.PASSWORD_FIELD)).contains("cannot have the user-name field's name");
        password.usernameFieldProperty().set("user\u0007");
        assertThat(error(SsoPassword.USERNAME_FIELD)).startsWith("a form field's name is 1 to 100 characters");
        password.usernameFieldProperty().set("x".repeat(101));
        assertThat(error(SsoPassword.USERNAME_FIELD)).startsWith("a form field's name is 1 to 100 characters");
        password.usernameFieldProperty().set("user");
        assertThat(error(SsoPassword.USERNAME_FIELD)).isEmpty();
        assertThat(error(SsoPassword.PASSWORD_FIELD)).isEmpty();
        assertThat(sso.validProperty().get()).isTrue();
    }

    @Test
    void theServersErrorsLandOnTheFormsFieldsUntilTheyChange() {
        select(app("hr"));
        sso.methodProperty().set(SsoMethod.FORMS);
        password.loginPathProperty().set("/login");
        api.fail("apps.setSso", 400, "about:blank", "invalid", new Problem.FieldError(SsoPassword.LOGIN_PATH, "the server refuses /login"));
        sso.save();
        assertThat(error(SsoPassword.LOGIN_PATH)).isEqualTo("the server refuses /login");
        assertThat(sso.errorProperty().get()).isEmpty();
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not save the single sign-on of HR"));
        password.loginPathProperty().set("/signin");
        assertThat(error(SsoPassword.LOGIN_PATH)).isEmpty();
    }

    @Test
    void theSharedCredentialIsSentOnceAndNeverKept() {
        select(app("hr"));
        sso.methodProperty().set(SsoMethod.BASIC);
        password.credentialsProperty().set(Credentials.SHARED);
        shared.usernameProperty().set(" svc-hr ");
        shared.passwordProperty().set("p@ss:word with spaces ");
        shared.set();
        assertThat(api.sharedCredentials.get("hr")).isEqualTo(new SharedCredential("svc-hr", "p@ss:word with spaces "));
        // Gone from the form, and said without the password.
        assertThat(shared.passwordProperty().get()).isEmpty();
        assertThat(shared.usernameProperty().get()).isEmpty();
        assertThat(shared.errors().error(SsoSharedCredential.PASSWORD).get()).isEmpty();
        assertThat(shared.statusProperty().get()).startsWith("Set: every user signs in to the app as svc-hr.");
        assertThat(String.join("\n", tasks.notices) + shared.statusProperty().get()).doesNotContain("p@ss");
        // Set apart from the settings: nothing else was sent.
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSso"));
    }

    @Test
    void theSharedCredentialIsCheckedAsTypedAndATriedSetSendsNothing() {
        select(app("hr"));
        shared.set();
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSharedCredential"));
        assertThat(shared.errors().error(SsoSharedCredential.USERNAME).get()).startsWith("the user name is 1 to 256 characters");
        assertThat(shared.errors().error(SsoSharedCredential.PASSWORD).get()).startsWith("the password is 1 to 1024 characters");
        for (String refused : List.of("svc:hr", "svc\u0000hr", "x".repeat(257))) {
            shared.usernameProperty().set(refused);
            assertThat(shared.errors().error(SsoSharedCredential.USERNAME).get()).as(refused).contains("without ':'");
        }
        shared.usernameProperty().set("svc-hr");
        for (String refused : List.of("line\nbreak", "del\u007f", "\u2028", "\ud800", "x".repeat(1025))) {
            shared.passwordProperty().set(refused);
            // The message never repeats the password.
            assertThat(shared.errors().error(SsoSharedCredential.PASSWORD).get()).as("refused password")
                    .isEqualTo("the password is 1 to 1024 characters, without control characters");
            shared.set();
        }
        assertThat(api.calls()).noneMatch(c -> c.startsWith("apps.setSharedCredential"));
    }

    @Test
    void aRefusedSharedCredentialLandsOnItsFieldsAndThePasswordIsNotKept() {
        select(app("hr"));
        api.fail("apps.setSharedCredential", 400, "about:blank", "invalid",
                new Problem.FieldError(SsoSharedCredential.USERNAME, "the server refuses this user name"));
        shared.usernameProperty().set("svc-hr");
        shared.passwordProperty().set("secret");
        shared.set();
        assertThat(shared.passwordProperty().get()).isEmpty();
        assertThat(shared.usernameProperty().get()).isEqualTo("svc-hr");
        assertThat(shared.errors().error(SsoSharedCredential.USERNAME).get()).isEqualTo("the server refuses this user name");
        assertThat(tasks.notices).anyMatch(n -> n.startsWith("error: Could not set the shared user name and password of HR"));
        assertThat(api.sharedCredentials).isEmpty();
    }

    @Test
    void theSharedCredentialIsRemovedAndAMissingOneIsSaidSo() {
        api.sharedCredentials.put("hr", new SharedCredential("svc-hr", "secret"));
        select(app("hr"));
        shared.remove();
        assertThat(api.sharedCredentials).isEmpty();
        assertThat(shared.statusProperty().get()).startsWith("Removed");
        shared.remove();
        assertThat(shared.statusProperty().get()).isEqualTo("The app has no shared user name and password: nothing to remove.");
        assertThat(tasks.notices).noneMatch(n -> n.startsWith("error:"));
    }

    @Test
    void anotherAppStartsWithAnEmptySharedCredentialForm() {
        api.sso.put("hr", SsoSettings.basic(BasicSso.SHARED));
        api.sharedCredentials.put("hr", new SharedCredential("svc-hr", "secret"));
        select(app("hr"));
        // Write-only: nothing of what is stored is shown.
        assertThat(shared.usernameProperty().get()).isEmpty();
        assertThat(shared.passwordProperty().get()).isEmpty();
        shared.usernameProperty().set("svc-hr");
        shared.passwordProperty().set("typed but not sent");
        select(app("wiki"));
        assertThat(shared.usernameProperty().get()).isEmpty();
        assertThat(shared.passwordProperty().get()).isEmpty();
        assertThat(shared.statusProperty().get()).isEmpty();
    }
}
