package dev.drawbridge.proxy.policy;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.edge.Recorder;
import dev.drawbridge.proxy.edge.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of {@link ThrottleHandler} on a real Jetty server behind real app routing: past an app's burst,
 * requests get a generated 429 with {@code Retry-After} and never reach the next handler; another app's bucket is
 * its own.
 */
class ThrottleHandlerTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static TestServer server;
    static Recorder<String> next;

    static PublishedApp app(String id) {
        return new PublishedApp(id, id, URI.create("https://" + id + ".example.com/"), id + ".example.com", "/",
                URI.create("http://intranet/"), "g", BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, T, T);
    }

    @BeforeAll
    static void start() throws Exception {
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(app("busy"), app("quiet"))));
        ThrottleHandler throttling = new ThrottleHandler(new Throttle(new ServerConfig.Throttling(1000, 1000, 1, 2)));
        next = Recorder.named("next");
        routing.setHandler(throttling);
        throttling.setHandler(next);
        server = TestServer.start(routing);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void pastTheBurstRequestsGet429AndNeverReachTheApp() throws Exception {
        List<TestServer.Answer> answers = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            answers.add(server.get("busy.example.com", "/"));
        }
        assertThat(answers.subList(0, 2)).allSatisfy(a -> assertThat(a.status()).isEqualTo(200));
        List<TestServer.Answer> refused = answers.stream().filter(a -> a.status() == 429).toList();
        assertThat(refused).isNotEmpty().allSatisfy(a -> {
            assertThat(a.generated()).isTrue();
            assertThat(Long.parseLong(a.header("Retry-After").orElseThrow())).isBetween(1L, 2L);
            assertThat(a.body()).contains("busy");
        });
        assertThat(next.seen()).hasSize(10 - refused.size());
        assertThat(server.get("quiet.example.com", "/").status()).isEqualTo(200);
    }
}
