package dev.drawbridge.proxy.signin;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.vault.Vault;
import dev.drawbridge.proxy.vault.VaultFixture;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * My Apps' password pages on a real Jetty server with the real vault: only a signed-in user, only for apps that take
 * their own password (BASIC for users' own, pre-authenticated, assigned to them); every form needs the CSRF token of
 * its cookie (missing, absent from the form, different, another's: 403 and nothing changes); the stored password is
 * never put into a page and what was typed never back into the form; the way back is the app's own origin and path
 * whatever was asked ({@link PasswordPagesReturnTest} has every spelling); a user deletes only their own.
 */
class PasswordPagesTest {
    static final String CSRF = "c".repeat(32);
    @TempDir
    static Path dir;
    static VaultFixture f;
    static Server server;
    static HttpClient http;
    static String base;
    static PublishedApp hr;
    static PublishedApp wiki;
    static PublishedApp locked;
    static DirectoryUser alice;
    static DirectoryUser bob;

    @BeforeAll
    static void start() throws Exception {
        f = new VaultFixture(dir);
        alice = f.user("alice@corp.example");
        bob = f.user("bob@corp.example");
        hr = f.app("hr", "http://hr.corp:8080/", VaultFixture.users());
        wiki = f.app("wiki", "http://wiki.corp/", VaultFixture.shared());
        PublishedApp l = VaultFixture.basicApp("locked", "http://locked.corp/", VaultFixture.users(), hr.connectorGroupId());
        locked = new PublishedApp(l.id(), l.name(), l.externalUrl(), l.externalHost(), l.externalPath(), l.internalUrl(), l.connectorGroupId(),
                l.backendTimeout(), false, l.preAuthentication(), new AccessSettings(true, true, true, false), l.createdAt(), l.updatedAt(),
                false, l.sso());
        f.apps.insert(locked);
        f.directory.assign("locked", DirectoryStore.PrincipalType.USER, alice.id(), VaultFixture.NOW);
        PasswordPages pages = new PasswordPages(PasswordPagesTest::session, () -> new RouteTable(List.of(hr, wiki, locked)), f.directory,
                f.vault);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                pages.handle(request, response, callback, Request.getPathInContext(request));
                return true;
            }
        });
        server.start();
        base = "http://127.0.0.1:" + connector.getLocalPort();
        http = new HttpClient();
        http.setFollowRedirects(false);
        http.start();
    }

    /** The signed-in user: X-Test-User names them (the real handler reads the sign-in cookie). */
    private static Optional<SignInService.Valid> session(Request request) {
        String who = request.getHeaders().get("X-Test-User");
        DirectoryUser u = "alice".equals(who) ? alice : "bob".equals(who) ? bob : null;
        return Optional.ofNullable(u).map(user -> new SignInService.Valid(new SessionTokens.Session(user.id(), "s", List.of("pwd"),
                VaultFixture.NOW, VaultFixture.NOW, VaultFixture.NOW, VaultFixture.NOW.plusSeconds(3600)), user));
    }

    @AfterAll
    static void stop() throws Exception {
        http.stop();
        server.stop();
        f.close();
    }

    @BeforeEach
    void clear() {
        for (DirectoryUser u : List.of(alice, bob)) {
            for (String app : List.of("hr", "wiki", "locked")) {
                f.vault.delete(app, u.id());
            }
        }
    }

    private static ContentResponse get(String user, String target) throws Exception {
        var r = http.newRequest(URI.create(base + target)).timeout(10, TimeUnit.SECONDS);
        if (user != null) {
            r.headers(h -> h.put("X-Test-User", user));
        }
        return r.send();
    }

    /** A form post with {@code cookie} as the CSRF cookie (null: none) and the given fields. */
    private static ContentResponse post(String user, String target, String cookie, String... fields) throws Exception {
        Fields form = new Fields();
        for (int i = 0; i < fields.length; i += 2) {
            form.put(fields[i], fields[i + 1]);
        }
        var r = http.newRequest(URI.create(base + target)).method("POST").body(new FormRequestContent(form)).timeout(10, TimeUnit.SECONDS)
                .headers(h -> h.put("X-Test-User", user));
        if (cookie != null) {
            r.headers(h -> h.put("Cookie", Cookies.CSRF + "=" + cookie));
        }
        return r.send();
    }

    private static Optional<Credential> stored(DirectoryUser u, PublishedApp app) {
        return f.vault.forUser(app, u.id()) instanceof Vault.Lookup.Found found ? Optional.of(found.credential()) : Optional.empty();
    }

    @Test
    void onlyASignedInUserReachesThePagesAndComesBackAfterSigningIn() throws Exception {
        ContentResponse r = get(null, "/passwords/hr?return=https%3A%2F%2Fhr.example.com%2Fx");
        assertThat(r.getStatus()).isEqualTo(302);
        String p = URLEncoder.encode("/passwords/hr?return=https%3A%2F%2Fhr.example.com%2Fx", StandardCharsets.UTF_8);
        assertThat(r.getHeaders().get("Location")).endsWith("/signin?p=" + p);
        assertThat(SignInHandler.loginPath("/passwords/hr?return=https%3A%2F%2Fhr.example.com%2Fx"))
                .isEqualTo("/passwords/hr?return=https%3A%2F%2Fhr.example.com%2Fx");
        for (String elsewhere : List.of("//evil.example/passwords", "/passwordsX", "/passwords/../admin", "/passwords/hr/../../admin",
                "/passwords/hr/delete", "https://evil.example/passwords/hr", "/passwords/hr?x=\r\nSet-Cookie: a=1")) {
            assertThat(SignInHandler.loginPath(elsewhere)).as(elsewhere).isEqualTo("/");
        }
        assertThat(post(null, "/passwords/hr", CSRF, "csrf", CSRF, "username", "a", "password", "b").getStatus()).isEqualTo(303);
        assertThat(stored(alice, hr)).isEmpty();
    }

    @Test
    void aUserStoresTheirPasswordOnceAndGoesBackToTheApp() throws Exception {
        ContentResponse form = get("alice", "/passwords/hr?return=https%3A%2F%2Fhr.example.com%2Freports%3Fy%3D1");
        assertThat(form.getStatus()).isEqualTo(200);
        assertThat(form.getContentAsString()).contains("App hr").contains("name=\"password\"")
                .contains("value=\"https://hr.example.com/reports?y=1\"");
        assertThat(form.getHeaders().get("Cache-Control")).isEqualTo("no-store");
        assertThat(form.getHeaders().get("Content-Security-Policy")).contains("frame-ancestors 'none'");

        ContentResponse stored = post("alice", "/passwords/hr", CSRF, "csrf", CSRF, "return", "https://hr.example.com/reports?y=1",
                "username", "alice.hr", "password", "s3cret \u00e9\u00e9");
        assertThat(stored.getStatus()).isEqualTo(303);
        assertThat(stored.getHeaders().get("Location")).isEqualTo("https://hr.example.com/reports?y=1");
        assertThat(stored(alice, hr)).contains(new Credential("alice.hr", "s3cret \u00e9\u00e9"));
        assertThat(stored(bob, hr)).isEmpty();
        // From the list (no way back given): back to the list.
        ContentResponse again = post("alice", "/passwords/hr", CSRF, "csrf", CSRF, "username", "alice.hr", "password", "other");
        assertThat(again.getHeaders().get("Location")).isEqualTo("/passwords");
    }

    @Test
    void theStoredPasswordIsNeverShownAndWhatWasTypedNeverPutBack() throws Exception {
        f.vault.store(hr, alice.id(), new Credential("alice.hr", "the-stored-secret"));
        for (String page : List.of("/passwords", "/passwords/hr", "/passwords/hr?reason=refused")) {
            ContentResponse r = get("alice", page);
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getContentAsString()).as(page).contains("alice.hr").doesNotContain("the-stored-secret");
        }
        assertThat(get("alice", "/passwords/hr?reason=refused").getContentAsString()).contains("refused the user name and password");
        ContentResponse bad = post("alice", "/passwords/hr", CSRF, "csrf", CSRF, "username", "al:ice \"><script>x</script>",
                "password", "typed-secret-\r\n");
        assertThat(bad.getStatus()).isEqualTo(400);
        assertThat(bad.getContentAsString()).doesNotContain("typed-secret").doesNotContain("<script>x")
                .contains("value=\"al:ice &quot;&gt;&lt;script&gt;x&lt;/script&gt;\"").contains("without &#39;:&#39;");
        assertThat(stored(alice, hr)).contains(new Credential("alice.hr", "the-stored-secret"));
    }

    @Test
    void everyFormNeedsTheCsrfTokenOfItsCookie() throws Exception {
        String other = "d".repeat(32);
        List<String[]> forged = List.of(new String[]{null, CSRF}, new String[]{CSRF, null}, new String[]{CSRF, other},
                new String[]{other, CSRF}, new String[]{CSRF, ""}, new String[]{CSRF, CSRF.substring(1)});
        for (String[] c : forged) {
            List<String> fields = new java.util.ArrayList<>(List.of("username", "mallory", "password", "planted"));
            if (c[1] != null) {
                fields.addAll(List.of("csrf", c[1]));
            }
            ContentResponse r = post("alice", "/passwords/hr", c[0], fields.toArray(String[]::new));
            assertThat(r.getStatus()).as("cookie %s, field %s", c[0], c[1]).isEqualTo(403);
        }
        assertThat(stored(alice, hr)).isEmpty();
        f.vault.store(hr, alice.id(), new Credential("alice", "keep me"));
        for (String[] c : forged) {
            ContentResponse r = post("alice", "/passwords/hr/delete", c[0], c[1] == null ? new String[0] : new String[]{"csrf", c[1]});
            assertThat(r.getStatus()).isEqualTo(403);
        }
        assertThat(stored(alice, hr)).contains(new Credential("alice", "keep me"));
    }

    @Test
    void aUserDeletesOnlyTheirOwn() throws Exception {
        f.vault.store(hr, alice.id(), new Credential("alice", "a"));
        f.vault.store(hr, bob.id(), new Credential("bob", "b"));
        ContentResponse r = post("bob", "/passwords/hr/delete", CSRF, "csrf", CSRF, "user", alice.id());
        assertThat(r.getStatus()).isEqualTo(303);
        assertThat(stored(bob, hr)).isEmpty();
        assertThat(stored(alice, hr)).contains(new Credential("alice", "a"));
        assertThat(get("bob", "/passwords").getContentAsString()).contains("nothing stored").doesNotContain("<code>alice</code>");
    }

    @Test
    void onlyAppsThatTakeTheUsersOwnPasswordHaveAPage() throws Exception {
        // Shared credentials, an app not assigned to the user, an unknown app, paths that are not a page.
        for (String[] c : List.of(new String[]{"alice", "wiki"}, new String[]{"bob", "locked"}, new String[]{"alice", "nope"},
                new String[]{"alice", "hr/extra"}, new String[]{"alice", "hr/delete/x"})) {
            assertThat(get(c[0], "/passwords/" + c[1]).getStatus()).as(String.join(" ", c)).isEqualTo(404);
            assertThat(post(c[0], "/passwords/" + c[1], CSRF, "csrf", CSRF, "username", "u", "password", "p").getStatus())
                    .as(String.join(" ", c)).isEqualTo(404);
        }
        assertThat(stored(alice, wiki)).isEmpty();
        assertThat(stored(bob, locked)).isEmpty();
        assertThat(get("alice", "/passwords/locked").getStatus()).isEqualTo(200);
        assertThat(get("alice", "/passwords").getContentAsString()).contains("App hr").contains("App locked").doesNotContain("App wiki");
        assertThat(get("bob", "/passwords").getContentAsString()).contains("App hr").doesNotContain("App locked");
    }
}
