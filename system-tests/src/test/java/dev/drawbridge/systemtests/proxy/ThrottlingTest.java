package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Per-app and global throttling: beyond the limit, 429 with Retry-After; other apps keep their own budget. */
class ThrottlingTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server"))
                .withThrottling(new ServerConfig.Throttling(1000, 1000, 2, 5)));
        stack.publish("Busy", "busy", app.baseUri());
        stack.publish("Quiet", "quiet", app.baseUri());
        stack.startConnector(dir.resolve("c"), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    private static ContentResponse get(String label) throws Exception {
        return stack.http().newRequest(URI.create(stack.externalUrl(label) + "echo/t")).timeout(20, TimeUnit.SECONDS).send();
    }

    @Test
    void overTheAppLimitRequestsGet429WithRetryAfter() throws Exception {
        int ok = 0, throttled = 0;
        ContentResponse refused = null;
        for (int i = 0; i < 15; i++) {
            ContentResponse r = get("busy");
            if (r.getStatus() == 200) {
                ok++;
            } else {
                assertThat(r.getStatus()).isEqualTo(429);
                throttled++;
                refused = r;
            }
        }
        // Burst of 5 plus what refilled at 2/s while the loop ran.
        assertThat(ok).isBetween(5, 10);
        assertThat(throttled).isPositive();
        assertThat(refused.getHeaders().get("X-Drawbridge-Generated")).isEqualTo("true");
        assertThat(Long.parseLong(refused.getHeaders().get("Retry-After"))).isBetween(1L, 2L);
        // Another app has its own budget.
        assertThat(get("quiet").getStatus()).isEqualTo(200);
        // After waiting as told, the busy app answers again.
        Await.until("the busy app's bucket to refill", Duration.ofSeconds(5), () -> {
            try {
                return get("busy").getStatus() == 200;
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }
}
