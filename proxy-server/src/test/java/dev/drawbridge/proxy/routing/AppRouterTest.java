package dev.drawbridge.proxy.routing;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.edge.Recorder;
import dev.drawbridge.proxy.edge.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of {@link AppRouter} on a real Jetty server with a fixed route table: the routed app, the raw path
 * and its remainder go on the request; no app means a generated 404; dot segments a generated 400.
 */
class AppRouterTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final PublishedApp HR = app("hr", "intra.example.com", "/hr/");
    static final PublishedApp ROOT = app("root", "intra.example.com", "/");
    static TestServer server;
    static Recorder<Routed> next;

    static PublishedApp app(String id, String host, String path) {
        return new PublishedApp(id, id, URI.create("https://" + host + path), host, path, URI.create("http://intranet/" + id + "/"),
                "g", BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, T, T);
    }

    @BeforeAll
    static void start() throws Exception {
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(ROOT, HR)));
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
    @CsvSource({"/hr/a/b?x=1, hr, a/b", "/hr, hr, ''", "/hr/, hr, ''", "/hrx, root, hrx", "/, root, ''", "/a%20b/c, root, a%20b/c"})
    void theRoutedAppAndTheRawRemainderGoOnTheRequest(String target, String app, String remainder) throws Exception {
        assertThat(server.get("intra.example.com", target).body()).isEqualTo("next");
        assertThat(next.last().app().id()).isEqualTo(app);
        assertThat(next.last().remainder()).isEqualTo(remainder);
        assertThat(next.last().rawPath()).isEqualTo(target.replaceFirst("\\?.*", ""));
    }

    @Test
    void noAppIsA404() throws Exception {
        TestServer.Answer a = server.get("other.example.com", "/hr/");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.generated()).isTrue();
        assertThat(next.seen()).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"/a/../b, true", "/a/%2e%2e/b, true", "/a/%2E/b, true", "/a/%2e./b, true", "/.., true", "/a/., true",
            "/a/..%2fb, true", "/a/%2e%2e%5cb, true", "/a/..\\b, true", "/a%2F..%2Fb, true",
            "/a/..b, false", "/a/b.., false", "/a/.b/, false", "/a/b, false", "/, false", "'', false", "/a/%2e%2e%2e/b, false", "/a%2Fb, false"})
    void dotSegmentsAreFoundInEverySpelling(String path, boolean expected) {
        assertThat(AppRouter.hasDotSegments(path)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"/hr/..%2fsalaries", "/hr/%2e%2e%5csalaries", "/a%2F..%2Fhr"})
    void aPathWithDotSegmentsIsA400(String target) throws Exception {
        TestServer.Answer a = server.get("intra.example.com", target);
        assertThat(a.status()).isEqualTo(400);
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void theRemainderIsRelativeToTheExternalPrefix() {
        assertThat(HR.remainder("/hr/a%2Fb/")).contains("a%2Fb/");
        assertThat(HR.remainder("/hr")).contains("");
        assertThat(HR.remainder("/hrx")).isEqualTo(Optional.empty());
        assertThat(HR.remainder("/h")).isEqualTo(Optional.empty());
        assertThat(ROOT.remainder("/x/y")).contains("x/y");
        assertThat(ROOT.remainder("/")).contains("");
    }
}
