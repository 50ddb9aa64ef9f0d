package dev.drawbridge.proxy.policy;

import dev.drawbridge.proxy.apps.AppLimits;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.edge.Recorder;
import dev.drawbridge.proxy.edge.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of the server's global throttle on a real Jetty server behind real app routing: many apps, each far
 * below its own limit, together pass the global burst; the requests beyond it get a generated 429 with
 * {@code Retry-After}, never reach the next handler, and are reported with scope GLOBAL. An app's own limit (here
 * lower than the default) is honoured on the same server, reported with scope APP.
 */
class GlobalThrottleHandlerTest {
    static final int APPS = 30;
    static TestServer server;
    static Recorder<String> next;
    static final List<String> throttled = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        List<PublishedApp> apps = new ArrayList<>(IntStream.range(0, APPS).mapToObj(i -> ThrottleTest.app("app" + i, AppLimits.NONE)).toList());
        apps.add(ThrottleTest.app("tight", new AppLimits(1, 1, 0)));
        AppRouter routing = new AppRouter(() -> new RouteTable(apps));
        ThrottleHandler throttling = new ThrottleHandler(new Throttle(new ServerConfig.Throttling(1, 10, 1000, 1000)),
                (app, scope) -> throttled.add(app.id() + ":" + scope));
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
    void manyAppsTogetherPassTheGlobalLimitAndGet429WithScopeGlobal() throws Exception {
        // The tight app first: its second request is over its own burst of 1 (its first took a global token too).
        assertThat(server.get("tight.example.com", "/").status()).isEqualTo(200);
        TestServer.Answer own = server.get("tight.example.com", "/");
        assertThat(own.status()).isEqualTo(429);
        assertThat(throttled).containsExactly("tight:APP");
        List<TestServer.Answer> answers = new ArrayList<>();
        for (int i = 0; i < APPS; i++) {
            answers.add(server.get("app" + i + ".example.com", "/"));
        }
        List<TestServer.Answer> refused = answers.stream().filter(a -> a.status() == 429).toList();
        // 10 global tokens, one spent by the tight app, perhaps one or two refilled meanwhile: most of the 30 are refused.
        assertThat(refused.size()).isBetween(APPS - 11, APPS - 9 + 2);
        assertThat(refused).allSatisfy(a -> {
            assertThat(a.generated()).isTrue();
            assertThat(Long.parseLong(a.header("Retry-After").orElseThrow())).isBetween(1L, 2L);
        });
        assertThat(next.seen()).hasSize(1 + APPS - refused.size());
        assertThat(throttled.subList(1, throttled.size())).hasSize(refused.size()).allSatisfy(s -> assertThat(s).endsWith(":GLOBAL"));
    }
}
