package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.edge.Recorder;
import dev.drawbridge.proxy.edge.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of {@link AppRouter} on a real Jetty server (the public listener's URI compliance) with a fixed
 * route table: the routed app, both readings of the path and the raw remainder go on the request; no app means a
 * generated 404; every spelling of a path under "/hr/" either is refused with 400 (by Jetty or by routing) or reaches
 * the next handler for the app that owns it; plain paths route as before; a path through one app into another app's
 * internal path on the same backend is a generated 400 that does not name the other app.
 */
class AppRouterTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final PublishedApp ROOT = app("root", "intra.example.com", "/", false);
    static final PublishedApp HR = app("hr", "intra.example.com", "/hr/", false);
    static final PublishedApp CI_ROOT = app("ci-root", "iis.example.com", "/", false);
    static final PublishedApp CI_HR = app("ci-hr", "iis.example.com", "/hr/", true);
    /** Two apps on one backend, the second's internal path inside the first's. */
    static final PublishedApp OUTER = app("outer", "portal.example.com", "/", URI.create("http://x.corp/"));
    static final PublishedApp INNER = app("payroll-secrets", "payroll.example.com", "/", URI.create("http://X.corp:80/payroll/"));
    static TestServer server;
    static Recorder<Routed> next;

    static PublishedApp app(String id, String host, String path, boolean caseInsensitive) {
        return new PublishedApp(id, id, URI.create("https://" + host + path), host, path, URI.create("http://intranet/" + id + "/"),
                "g", BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS, T, T, caseInsensitive);
    }

    static PublishedApp app(String id, String host, String path, URI internal) {
        return new PublishedApp(id, id, URI.create("https://" + host + path), host, path, internal, "g", BackendTimeout.DEFAULT, true,
                PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS, T, T, false);
    }

    @BeforeAll
    static void start() throws Exception {
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(ROOT, HR, CI_ROOT, CI_HR, OUTER, INNER)));
        next = new Recorder<>("next", Routed.ATTRIBUTE::get);
        routing.setHandler(next);
        server = TestServer.start(routing);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @BeforeEach
    void clear() {
        next.clear();
    }

    @ParameterizedTest(name = "{0} -> {1} [{2}]")
    @CsvSource({"/hr/a/b?x=1, hr, a/b", "/hr, hr, ''", "/hr/, hr, ''", "/hrx, root, hrx", "/, root, ''", "/a%20b/c, root, a%20b/c",
            "/hr/a%2Fb;c, hr, a%2Fb;c"})
    void theRoutedAppAndTheRawRemainderGoOnTheRequest(String target, String app, String remainder) throws Exception {
        assertThat(server.get("intra.example.com", target).body()).isEqualTo("next");
        assertThat(next.last().app().id()).isEqualTo(app);
        assertThat(next.last().remainder()).isEqualTo(remainder);
        assertThat(next.last().path().raw()).isEqualTo(target.replaceFirst("\\?.*", ""));
    }

    @Test
    void aCaseInsensitiveAppTakesItsPathInAnyCase() throws Exception {
        assertThat(server.get("iis.example.com", "/HR/Salaries").body()).isEqualTo("next");
        assertThat(next.last().app()).isEqualTo(CI_HR);
        assertThat(next.last().remainder()).isEqualTo("Salaries");
    }

    @Test
    void noAppIsA404() throws Exception {
        TestServer.Answer a = server.get("other.example.com", "/hr/");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.generated()).isTrue();
        assertThat(next.seen()).isEmpty();
    }

    static Stream<Arguments> spellings() {
        return Stream.of("intra.example.com", "iis.example.com").flatMap(h -> PathSpellings.of("hr").stream()
                .filter(s -> !s.contains("ｈ")).map(s -> Arguments.of(h, s)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("spellings")
    void everySpellingIsRefusedOrReachesTheAppThatOwnsIt(String host, String target) throws Exception {
        TestServer.Answer a = server.get(host, target);
        if (a.status() != 200) {
            assertThat(a.status()).as(target).isIn(400, 404);
            assertThat(next.seen()).isEmpty();
            return;
        }
        Routed routed = next.last();
        for (String read : PathSpellings.readings(target)) {
            boolean hrOwns = PathSpellings.under(read, "/hr/");
            assertThat(routed.app().externalPath()).as("%s read as %s", target, read).isEqualTo(hrOwns ? "/hr/" : "/");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/hr/..%2fsalaries", "/hr/%2e%2e%5csalaries", "/a%2F..%2Fhr", "/hr/%252e%252e/x", "/hr/...", "/%68r/x", "/HR/x",
            "/hr%2E/x"})
    void refusalsAreGenerated400Pages(String target) throws Exception {
        TestServer.Answer a = server.get("intra.example.com", target);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.generated()).isTrue();
        assertThat(a.body()).contains("Bad request path");
        assertThat(next.seen()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/payroll/x", "/payroll", "/%70ayroll/x", "/PAYROLL;x/x", "/payroll%2Fx", "/payroll%3F"})
    void aPathOfAnotherAppsInternalUrlIsAGenerated400ThatDoesNotNameIt(String target) throws Exception {
        TestServer.Answer a = server.get("portal.example.com", target);
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.generated()).isTrue();
        assertThat(a.body()).contains("Bad request path").contains("published as another app")
                .doesNotContainIgnoringCase("payroll-secrets").doesNotContainIgnoringCase("x.corp").doesNotContain("payroll.example.com");
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void theOuterAppsOtherPathsAndTheInnerAppsOwnStillRoute() throws Exception {
        assertThat(server.get("portal.example.com", "/payrollx/y").body()).isEqualTo("next");
        assertThat(next.last().app()).isEqualTo(OUTER);
        assertThat(server.get("payroll.example.com", "/x").body()).isEqualTo("next");
        assertThat(next.last().app()).isEqualTo(INNER);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"CONNECT intra.example.com:443 HTTP/1.1", "OPTIONS * HTTP/1.1", "GET hr/x HTTP/1.1"})
    void aRequestWithoutAnOriginFormPathReachesNoApp(String requestLine) throws Exception {
        // Only the status line is read: after CONNECT, Jetty may keep the connection open.
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write((requestLine + "\r\nHost: intra.example.com\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            String status = new BufferedReader(new InputStreamReader(s.getInputStream(),
                    StandardCharsets.US_ASCII)).readLine();
            assertThat(status).matches("HTTP/1\\.1 4\\d\\d .*");
        }
        assertThat(next.seen()).isEmpty();
    }

    /** HTTP/1.0 may come without Host: Jetty then names the server by its own address, which is nobody's business outside. */
    @Test
    void aRequestWithoutHostReachesNoAppAndLearnsNothingOfTheServersAddress() throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write("GET /hr/x HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 404").contains("X-Drawbridge-Generated: true").doesNotContain("127.0.0.1");
        }
        assertThat(next.seen()).isEmpty();
        assertThat(TestServer.send(server.port(), "GET /hr/x HTTP/1.0", "intra.example.com").body()).isEqualTo("next");
        assertThat(next.last().app()).isEqualTo(HR);
    }

    @Test
    void theRemainderIsRelativeToTheExternalPrefix() {
        assertThat(HR.remainder("/hr/a%2Fb/")).contains("a%2Fb/");
        assertThat(HR.remainder("/hr")).contains("");
        assertThat(HR.remainder("/HR/x")).isEqualTo(Optional.empty());
        assertThat(CI_HR.remainder("/HR/x")).contains("x");
        assertThat(CI_HR.remainder("/Hr")).contains("");
        assertThat(HR.remainder("/hrx")).isEqualTo(Optional.empty());
        assertThat(HR.remainder("/h")).isEqualTo(Optional.empty());
        assertThat(ROOT.remainder("/x/y")).contains("x/y");
        assertThat(ROOT.remainder("/")).contains("");
    }
}
