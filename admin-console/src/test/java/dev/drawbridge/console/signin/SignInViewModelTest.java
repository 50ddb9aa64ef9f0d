package dev.drawbridge.console.signin;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.console.config.TrustedCas;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AdminTokenResponse;
import dev.drawbridge.model.api.MeView;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

class SignInViewModelTest {
    final X509Certificate ca = CertificateAuthority.create("Test CA", Duration.ofDays(1), Clock.systemUTC()).certificate();
    final SyncTasks tasks = new SyncTasks();
    final FakeAdminApi api = new FakeAdminApi();
    final AtomicInteger prompts = new AtomicInteger();

    SignInViewModel vm(Path dir, boolean accept) {
        return new SignInViewModel(tasks, new TrustedCas(dir), (host, root, leaf) -> {
            prompts.incrementAndGet();
            return accept;
        }, (server, trust, token) -> api, server -> List.of(ca));
    }

    /** The sign-in form is not red before the admin typed; a tried sign-in says under each field what is missing. */
    @Test
    void anEmptyFormShowsNoErrorUntilASignInIsTried(@TempDir Path dir) {
        SignInViewModel vm = vm(dir, true);
        for (String f : List.of(SignInViewModel.SERVER, SignInViewModel.USERNAME, SignInViewModel.PASSWORD, SignInViewModel.TOKEN)) {
            assertThat(vm.errors().error(f).get()).as(f).isEmpty();
        }
        assertThat(vm.canSignInProperty().get()).isTrue();
        AtomicReference<Session> session = new AtomicReference<>();
        vm.signIn(session::set);
        assertThat(prompts.get()).isZero();
        assertThat(api.calls()).isEmpty();
        assertThat(vm.errors().error(SignInViewModel.SERVER).get()).startsWith("Enter the admin URL");
        assertThat(vm.errors().error(SignInViewModel.USERNAME).get()).startsWith("Enter your user name");
        assertThat(vm.errors().error(SignInViewModel.PASSWORD).get()).isEqualTo("Enter your password.");
        assertThat(vm.errors().error(SignInViewModel.TOKEN).get()).isEmpty();
        vm.serverProperty().set("http://admin.example.test");
        assertThat(vm.errors().error(SignInViewModel.SERVER).get()).startsWith("The admin URL starts with https://");
        vm.useTokenProperty().set(true);
        assertThat(vm.errors().error(SignInViewModel.USERNAME).get()).isEmpty();
        assertThat(vm.errors().error(SignInViewModel.TOKEN).get()).startsWith("Paste the admin token");
    }

    @Test
    void asksForTheMfaCodeWhenTheServerWantsOneThenSignsIn(@TempDir Path dir) {
        SignInViewModel vm = vm(dir, true);
        vm.serverProperty().set("admin.example.test:8443");
        vm.usernameProperty().set("ann@corp.example");
        vm.passwordProperty().set("secret");
        api.fail("signIn", 401, "https://drawbridge.dev/problems/mfa-required", "enter your code");
        AtomicReference<Session> session = new AtomicReference<>();
        vm.signIn(session::set);
        assertThat(session.get()).isNull();
        assertThat(vm.mfaRequiredProperty().get()).isTrue();
        assertThat(vm.errorProperty().get()).contains("authenticator");
        assertThat(prompts.get()).isEqualTo(1);

        FakeAdminApi ok = new FakeAdminApi();
        SignInViewModel again = new SignInViewModel(tasks, new TrustedCas(dir), (h, r, l) -> {
            prompts.incrementAndGet();
            return true;
        }, (server, trust, token) -> ok, server -> List.of(ca));
        ok.token = new AdminTokenResponse("tok", "Bearer", 900, Instant.now().plusSeconds(900), "ann@corp.example",
                List.of(AdminRole.HELPDESK_ADMINISTRATOR));
        ok.me = new MeView("ann@corp.example", "Ann", List.of(AdminRole.HELPDESK_ADMINISTRATOR),
                AdminRole.HELPDESK_ADMINISTRATOR.permissions());
        again.serverProperty().set("https://admin.example.test:8443");
        again.usernameProperty().set("ann@corp.example");
        again.passwordProperty().set("secret");
        again.mfaCodeProperty().set("123456");
        again.signIn(session::set);
        assertThat(session.get()).isNotNull();
        assertThat(session.get().subject()).isEqualTo("Ann (ann@corp.example)");
        assertThat(session.get().server()).isEqualTo(URI.create("https://admin.example.test:8443"));
        assertThat(ok.body("signIn")).isEqualTo(new AdminTokenRequest("ann@corp.example", "secret", "123456"));
        assertThat(ok.calls()).containsExactly("signIn", "me");
        assertThat(session.get().permissions().has(AdminRole.Permission.APPS_WRITE)).isFalse();
        // The CA was remembered on first use: no second prompt.
        assertThat(prompts.get()).isEqualTo(1);
        assertThat(again.passwordProperty().get()).isEmpty();
    }

    @Test
    void refusingTheCaDoesNotSignIn(@TempDir Path dir) {
        SignInViewModel vm = vm(dir, false);
        vm.serverProperty().set("https://admin.example.test");
        vm.useTokenProperty().set(true);
        vm.tokenProperty().set("dbadm_x");
        AtomicReference<Session> session = new AtomicReference<>();
        vm.signIn(session::set);
        assertThat(session.get()).isNull();
        assertThat(vm.errorProperty().get()).contains("not trusted");
        assertThat(api.calls()).isEmpty();
        assertThat(new TrustedCas(dir).all()).isEmpty();
    }

    @Test
    void anAdminTokenOnAServerWithoutMeIsAGlobalAdministrator(@TempDir Path dir) {
        SignInViewModel vm = vm(dir, true);
        vm.serverProperty().set("https://admin.example.test");
        vm.useTokenProperty().set(true);
        vm.tokenProperty().set("dbadm_x");
        AtomicReference<Session> session = new AtomicReference<>();
        vm.signIn(session::set);
        assertThat(session.get().roles()).containsExactly(AdminRole.GLOBAL_ADMINISTRATOR);
        assertThat(session.get().permissions().granted()).containsAll(Set.of(AdminRole.Permission.values()));
        // The token is checked with a call it may make before the console opens.
        assertThat(api.calls()).containsExactly("me", "connectorGroups.list");
    }

    /** A server whose token endpoint answers 404 has no sign-in by user name: the admin is told to use a token. */
    @Test
    void aServerWithoutSignInByUserNameSaysToUseAnAdminToken(@TempDir Path dir) {
        SignInViewModel vm = vm(dir, true);
        vm.serverProperty().set("https://admin.example.test");
        vm.usernameProperty().set("ann@corp.example");
        vm.passwordProperty().set("secret");
        AtomicReference<Session> session = new AtomicReference<>();
        vm.signIn(session::set);
        assertThat(session.get()).isNull();
        assertThat(vm.errorProperty().get()).isEqualTo("This server does not offer sign-in with a user name yet: use an admin token.");
        assertThat(vm.busyProperty().get()).isFalse();
    }

    @Test
    void wrongCredentialsAndAnAccountWithoutAdminRoleAreSaidInWords(@TempDir Path dir) {
        SignInViewModel vm = vm(dir, true);
        vm.serverProperty().set("https://admin.example.test");
        vm.usernameProperty().set("ann@corp.example");
        vm.passwordProperty().set("wrong");
        api.fail("signIn", 401, "https://drawbridge.dev/problems/unauthorized", "bad credentials");
        vm.signIn(s -> { });
        assertThat(vm.errorProperty().get()).isEqualTo("Wrong user name or password.");
        assertThat(vm.mfaRequiredProperty().get()).isFalse();
        api.fail("signIn", 403, "https://drawbridge.dev/problems/forbidden", "no admin role");
        vm.signIn(s -> { });
        assertThat(vm.errorProperty().get()).isEqualTo("This account has no administrator role on this server.");
    }
}
