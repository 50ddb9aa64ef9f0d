package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppThrottle;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.signin.Cookies;
import dev.drawbridge.testsupport.sample.SampleApp;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * System test of per-path and per-app policy: client → proxy server (TLS) → tunnel → connector → sample app.
 * <ul>
 *   <li>On a pre-authenticated app every signed-in user may use, a rule makes {@code /admin} the group Admins' and another
 *       opens {@code /public} to anyone: a user outside Admins is refused on every spelling of {@code /admin} (sent byte for
 *       byte over TLS: percent-encoded letters and slashes, double encoding, {@code ;} parameters, backslashes, trailing
 *       dots, letter case, full-width letters, encoded '?'), while {@code /} stays open to them; a member of Admins gets
 *       {@code /admin}; {@code /public} answers without sign-in.</li>
 *   <li>An app's own backend timeout of 2 s (the server's DEFAULT staying 85 s): a backend that answers after 6 s gets the
 *       504 page after about 2 s.</li>
 *   <li>An app's own throttle (1 a second, bursts of 2): the third request at once gets 429 with {@code Retry-After}.</li>
 * </ul>
 */
class PerAppPolicySystemTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String intra, intraId;
    static RawTls raw;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        intra = stack.externalUrl("intra");
        intraId = stack.adminApi().apps().create(new AppSpec("Intranet", intra, app.baseUri() + "echo/", null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false))).id();
        stack.createUser("alice@corp.example", "Alice", PASSWORD);
        stack.createUser("bob@corp.example", "Bob", PASSWORD);
        String admins = stack.adminApi().groups().create(new GroupBody("Admins", null, null)).id();
        stack.adminApi().groups().addMember(admins, new MemberBody("alice@corp.example"));
        PathPolicies stored = stack.adminApi().apps().setPaths(intraId, new PathPolicies(List.of(
                new PathPolicy("/admin", null, List.of("Admins"), List.of()),
                new PathPolicy("/public/", PreAuthentication.PASSTHROUGH, List.of(), List.of()))));
        assertThat(stored.paths()).containsExactly(new PathPolicy("/admin", null, List.of(admins), List.of()),
                new PathPolicy("/public", PreAuthentication.PASSTHROUGH, List.of(), List.of()));
        stack.startConnector(dir.resolve("c"), 1);
        raw = new RawTls(stack.server().serverCaCertificate(), stack.server().publicPort());
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    /** A browser signed in to the intranet as {@code upn}, and its session cookie. */
    record Browser(HttpClient http, String cookie) {
        static Browser of(String upn) throws Exception {
            HttpClient http = Https.client(stack.server().serverCaCertificate(), true);
            ContentResponse home = SignInForms.signIn(http, intra, stack.externalUrl("login"), upn, PASSWORD);
            assertThat(home.getStatus()).as(upn + " signs in").isEqualTo(200);
            var c = http.getHttpCookieStore().all().stream().filter(x -> x.getName().equals(Cookies.appCookie(intraId))).findFirst()
                    .orElseThrow();
            return new Browser(http, c.getName() + "=" + c.getValue());
        }

        /** The status of a GET of {@code path}, sent exactly as written. */
        int status(String path) throws Exception {
            String r = raw.get("127.0.0.1", new byte[0], host(), path, "Cookie: " + cookie, "Accept: text/html");
            assertThat(r).as(path).isNotNull();
            return RawTls.status(r);
        }
    }

    static String host() {
        return URI.create(intra).getHost();
    }

    /** Spellings of /admin/users, by class. */
    static Set<String> spellingsOfAdmin() {
        Set<String> s = new LinkedHashSet<>(List.of("/admin", "/admin/", "/admin/users", "/admin//users", "/admin/./users"));
        String seg = "admin";
        for (int i = 0; i < seg.length(); i++) {
            String c = String.format("%%%02X", (int) seg.charAt(i));
            s.add("/" + seg.substring(0, i) + c + seg.substring(i + 1) + "/users");
            s.add("/" + seg.substring(0, i) + c.toLowerCase(Locale.ROOT) + seg.substring(i + 1) + "/users");
            s.add("/" + seg.substring(0, i) + "%25" + c.substring(1) + seg.substring(i + 1) + "/users");
        }
        s.add("/%61%64%6D%69%6E/users");
        for (int mask = 1; mask < 32; mask++) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < 5; i++) {
                b.append((mask & (1 << i)) != 0 ? Character.toUpperCase(seg.charAt(i)) : seg.charAt(i));
            }
            s.add("/" + b + "/users");
        }
        for (String trailing : List.of(";", ";x", ";jsessionid=1", ".", "..", "%2e", "%20", ".%20", "%3F", "%23", "%253F", "%EF%BC%9Bx",
                "%EF%BC%8E")) {
            s.add("/admin" + trailing + "/users");
        }
        for (String separator : List.of("%2F", "%2f", "%5C", "%5c", "\\", "%252F", "%255C", "%EF%BC%8F", "%EF%BC%BC", "%3F", "%23")) {
            s.add("/admin" + separator + "users");
        }
        s.add("/%EF%BD%81%EF%BD%84%EF%BD%8D%EF%BD%89%EF%BD%8E/users");
        s.add("/x/../admin/users");
        s.add("/x/%2e%2e/admin/users");
        s.add("//admin/users");
        return s;
    }

    @Test
    void adminIsRefusedToANonMemberOnEverySpellingWhileTheRestStaysOpen() throws Exception {
        Browser bob = Browser.of("bob@corp.example");
        assertThat(bob.status("/")).isEqualTo(200);
        assertThat(bob.status("/reports/admin")).isEqualTo(200);
        assertThat(bob.status("/administrator")).isEqualTo(200);
        List<String> wrong = new ArrayList<>();
        for (String s : spellingsOfAdmin()) {
            int status = bob.status(s);
            if (status != 403 && status != 400) {
                wrong.add(s + " -> " + status);
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(bob.status("/admin/users")).isEqualTo(403);
    }

    @Test
    void aMemberOfTheGroupGetsAdmin() throws Exception {
        Browser alice = Browser.of("alice@corp.example");
        assertThat(alice.status("/admin/users")).isEqualTo(200);
        assertThat(alice.status("/%61dmin/users")).as("a stricter rule applies to every spelling").isEqualTo(200);
        assertThat(alice.status("/")).isEqualTo(200);
    }

    @Test
    void aPassthroughPathAnswersWithoutSignIn() throws Exception {
        ContentResponse open = stack.http().newRequest(URI.create(intra + "public/page")).timeout(20, TimeUnit.SECONDS).send();
        assertThat(open.getStatus()).isEqualTo(200);
        assertThat(open.getContentAsString()).contains("/echo/public/page");
        ContentResponse closed = stack.http().newRequest(URI.create(intra + "private")).headers(h -> h.put("Accept", "text/html"))
                .timeout(20, TimeUnit.SECONDS).send();
        assertThat(closed.getStatus()).as("the rest of the app still signs users in").isEqualTo(302);
        ContentResponse encoded = stack.http().newRequest(URI.create(intra + "%70ublic/page")).headers(h -> h.put("Accept", "text/html"))
                .timeout(20, TimeUnit.SECONDS).send();
        assertThat(encoded.getStatus()).as("a looser rule opens only to its plain spelling").isIn(302, 400);
    }

    @Test
    void anAppsOwnTimeoutCutsASlowBackendWithThe504Page() throws Exception {
        stack.adminApi().apps().create(new AppSpec("Slow", stack.externalUrl("slow"), app.baseUri().toString(), null, null, null,
                PreAuthentication.PASSTHROUGH, null, null, null, null, 2));
        long t0 = System.nanoTime();
        ContentResponse slow = stack.http().newRequest(URI.create(stack.externalUrl("slow") + "slow?ms=6000")).timeout(30, TimeUnit.SECONDS)
                .send();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(slow.getStatus()).isEqualTo(504);
        assertThat(slow.getHeaders().get("X-Drawbridge-Generated")).isNotNull();
        assertThat(slow.getContentAsString()).contains("did not answer within 2 seconds");
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofMillis(5500));
        assertThat(stack.http().newRequest(URI.create(stack.externalUrl("slow") + "slow?ms=100")).timeout(30, TimeUnit.SECONDS).send()
                .getStatus()).isEqualTo(200);
    }

    @Test
    void anAppsOwnThrottleRefusesPastItsBurst() throws Exception {
        stack.adminApi().apps().create(new AppSpec("Tight", stack.externalUrl("tight"), app.baseUri().toString(), null, null, null,
                PreAuthentication.PASSTHROUGH, null, null, null, new AppThrottle(1, 2), null));
        List<Integer> statuses = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ContentResponse r = stack.http().newRequest(URI.create(stack.externalUrl("tight") + "headers")).timeout(20, TimeUnit.SECONDS).send();
            statuses.add(r.getStatus());
            if (r.getStatus() == 429) {
                assertThat(r.getHeaders().get("Retry-After")).isNotNull();
            }
            assertThat(r.getStatus()).as(r.getContentAsString()).isIn(200, 429);
        }
        assertThat(statuses.subList(0, 2)).containsOnly(200);
        assertThat(statuses).contains(429);
    }
}
