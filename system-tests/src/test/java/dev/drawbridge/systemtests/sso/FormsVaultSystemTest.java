package dev.drawbridge.systemtests.sso;

import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.testsupport.sample.FormsLoginBackend;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password vaulting for login forms through the whole stack (client → proxy → tunnel → connector → a Jetty backend
 * with its own login form, session cookie and CSRF field), over real TLS: a user who opens a FORMS app is sent to My
 * Apps for the app's password once, and then lands on the page they asked for signed in to the backend as themselves
 * (the connector posted the form with the CSRF token, the browser got the backend's session cookie), without ever
 * seeing the backend's form; later requests carry the backend's session and post nothing; a stored password the
 * backend refuses sends the user to My Apps to update it, and is not posted again.
 */
class FormsVaultSystemTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static FormsLoginBackend backend;
    static DrawbridgeStack stack;
    static String app, appId, login;

    @BeforeAll
    static void start() throws Exception {
        backend = FormsLoginBackend.start().user("alice", "alice's backend pw").user("bob", "bob's backend pw")
                .user("carol", "carol's backend pw");
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        app = stack.externalUrl("forms");
        login = stack.externalUrl("login");
        AccessSettings open = new AccessSettings(false, true, true, false);
        appId = stack.adminApi().apps().create(new AppSpec("Forms", app, backend.url().toString(), null, null, null,
                PreAuthentication.DIRECTORY, open)).id();
        AppSso.set(stack, appId, SsoSettings.forms(FormsSso.detect("/login")));
        stack.createUser("alice@corp.example", "Alice", PASSWORD);
        stack.createUser("bob@corp.example", "Bob", PASSWORD);
        stack.createUser("carol@corp.example", "Carol", PASSWORD);
        stack.createUser("probe@corp.example", "Probe", PASSWORD);
        stack.startConnector(dir.resolve("connector"), 1);
        AppSso.await(stack, app + "public", "probe@corp.example", PASSWORD,
                probe -> String.valueOf(send(probe, app + "docs").getHeaders().get("Location")).startsWith(login + "passwords/"));
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable s = stack; AutoCloseable b = backend) {
            // closes both
        }
    }

    private static ContentResponse send(HttpClient client, String url) throws Exception {
        return client.newRequest(URI.create(url)).headers(h -> h.put("Accept", "text/html")).timeout(20, TimeUnit.SECONDS).send();
    }

    @Test
    void aUserStoresTheirPasswordOnceAndLandsSignedInToTheBackend() throws Exception {
        HttpClient alice = Https.client(stack.server().serverCaCertificate(), true);
        try {
            ContentResponse form = SignInForms.signIn(alice, app + "docs/page?x=1", login, "alice@corp.example", PASSWORD);
            assertThat(form.getRequest().getURI().toString()).startsWith(login + "passwords/" + appId + "?return=");
            int posts = backend.posts();

            ContentResponse page = SignInForms.storePassword(alice, form, "alice", "alice's backend pw");
            assertThat(page.getStatus()).as(page.getContentAsString()).isEqualTo(200);
            assertThat(page.getRequest().getURI().toString()).isEqualTo(app + "docs/page?x=1");
            assertThat(page.getContentAsString()).contains("Signed in as alice").contains("/docs/page")
                    .doesNotContain("alice's backend pw").doesNotContain("type=\"password\"");
            assertThat(backend.posts()).isEqualTo(posts + 1);
            // The form was posted as a browser would: its CSRF token and hidden fields, the user name and password.
            assertThat(backend.postedFields().getLast().split("&")).contains("csrf", "next", "user", "pass");
            // The backend's own session cookie reached the client, through the proxy.
            assertThat(alice.getHttpCookieStore().all()).anyMatch(c -> c.getName().equals(FormsLoginBackend.COOKIE));

            // Signed in to the backend: later pages post nothing.
            assertThat(SignInForms.open(alice, app + "other").getContentAsString()).contains("Signed in as alice");
            assertThat(backend.posts()).isEqualTo(posts + 1);
        } finally {
            alice.stop();
        }
    }

    @Test
    void aPasswordTheBackendRefusesSendsTheUserToMyAppsAndIsNotPostedAgain() throws Exception {
        HttpClient bob = Https.client(stack.server().serverCaCertificate(), true);
        try {
            ContentResponse form = SignInForms.signIn(bob, app + "report", login, "bob@corp.example", PASSWORD);
            int posts = backend.posts();
            ContentResponse refused = SignInForms.storePassword(bob, form, "bob", "a wrong password");
            // Back on My Apps' page, told why; the backend's form and the password never reached the client.
            assertThat(refused.getRequest().getURI().toString()).startsWith(login + "passwords/" + appId + "?return=")
                    .contains("reason=refused");
            assertThat(refused.getContentAsString()).doesNotContain("a wrong password").doesNotContain("name=\"pass\"");
            assertThat(backend.posts()).isEqualTo(posts + 1);

            ContentResponse again = send(bob, app + "report");
            assertThat(again.getStatus()).isEqualTo(303);
            assertThat(again.getHeaders().get("Location")).contains("/passwords/" + appId);
            assertThat(backend.posts()).isEqualTo(posts + 1);
            List<SignInLogEntry> log = stack.adminApi().logs().signIns(Paging.LARGEST,
                    new Logs.SignInFilter("bob@corp.example", null, SignInResult.FAILURE, SignInEvent.BACKEND_SSO, null, null)).items();
            assertThat(log).singleElement().satisfies(e -> assertThat(e.reason()).contains("refused").doesNotContain("a wrong password"));

            ContentResponse fixed = SignInForms.storePassword(bob, send(bob, again.getHeaders().get("Location")), "bob", "bob's backend pw");
            assertThat(fixed.getRequest().getURI().toString()).isEqualTo(app + "report");
            assertThat(fixed.getContentAsString()).contains("Signed in as bob");
        } finally {
            bob.stop();
        }
    }

    @Test
    void aLoginFormThatPostsElsewhereIsNeverSubmitted() throws Exception {
        HttpClient carol = Https.client(stack.server().serverCaCertificate(), true);
        try (FormsLoginBackend elsewhere = FormsLoginBackend.start()) {
            ContentResponse form = SignInForms.signIn(carol, app + "wiki", login, "carol@corp.example", PASSWORD);
            int posts = backend.posts();
            backend.formAction(elsewhere.url() + "/login");
            ContentResponse refused = SignInForms.storePassword(carol, form, "carol", "carol's backend pw");
            assertThat(refused.getStatus()).isGreaterThanOrEqualTo(500);
            assertThat(refused.getContentAsString()).doesNotContain("carol's backend pw").doesNotContain("name=\"pass\"");
            assertThat(elsewhere.posts()).isZero();
            assertThat(backend.posts()).isEqualTo(posts);
            List<SignInLogEntry> log = stack.adminApi().logs().signIns(Paging.LARGEST,
                    new Logs.SignInFilter("carol@corp.example", null, SignInResult.FAILURE, null, null, null)).items();
            assertThat(log).anySatisfy(e -> assertThat(e.reason()).contains("another address").doesNotContain("carol's backend pw"));
        } finally {
            backend.formAction("/login");
            carol.stop();
        }
    }
}
