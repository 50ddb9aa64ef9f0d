package dev.drawbridge.proxy.policy;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.apps.AppLimits;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link Throttle}: an app's own limit replaces the server's per-app default, its bucket is rebuilt when the limit
 * changes (in either direction), and the global bucket refuses once all apps together pass it, with scope GLOBAL.
 */
class ThrottleTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");

    static PublishedApp app(String id, AppLimits limits) {
        return new PublishedApp(id, id, URI.create("https://" + id + ".example.com/"), id + ".example.com", "/",
                URI.create("http://intranet/"), "g", BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH,
                AccessSettings.DEFAULTS, T, T, false, SsoSettings.NONE, false, limits);
    }

    /** How many of {@code n} requests in a row (well within a second) are let through. */
    static long admitted(Throttle t, PublishedApp app, int n) {
        return IntStream.range(0, n).filter(i -> t.check(app).isEmpty()).count();
    }

    @Test
    void anAppsOwnLimitReplacesTheServersDefault() {
        Throttle t = new Throttle(new ServerConfig.Throttling(1_000_000, 1_000_000, 1, 2));
        assertThat(admitted(t, app("default", AppLimits.NONE), 50)).isEqualTo(2);
        assertThat(admitted(t, app("own", new AppLimits(1, 10, 0)), 50)).isEqualTo(10);
        Optional<Throttle.Limited> refused = t.check(app("own", new AppLimits(1, 10, 0)));
        assertThat(refused).hasValueSatisfying(l -> assertThat(l.scope()).isEqualTo(Throttle.Scope.APP));
    }

    @Test
    void theBucketIsRebuiltWhenTheLimitChanges() {
        Throttle t = new Throttle(new ServerConfig.Throttling(1_000_000, 1_000_000, 1, 3));
        assertThat(admitted(t, app("hr", AppLimits.NONE), 10)).isEqualTo(3);
        // Raised: the new, larger bucket applies at once.
        assertThat(admitted(t, app("hr", new AppLimits(1, 7, 0)), 20)).isEqualTo(7);
        // Lowered: the new, smaller bucket applies at once.
        assertThat(admitted(t, app("hr", new AppLimits(1, 2, 0)), 20)).isEqualTo(2);
        // Unchanged: the same bucket, still empty.
        assertThat(admitted(t, app("hr", new AppLimits(1, 2, 0)), 20)).isZero();
        // Back to the default: built anew.
        assertThat(admitted(t, app("hr", AppLimits.NONE), 20)).isEqualTo(3);
    }

    @Test
    void manyAppsTogetherHitTheGlobalLimit() {
        Throttle t = new Throttle(new ServerConfig.Throttling(1, 5, 1000, 1000));
        long let = IntStream.range(0, 40).filter(i -> t.check(app("app" + i, new AppLimits(1000, 1000, 0))).isEmpty()).count();
        assertThat(let).isEqualTo(5);
        assertThat(t.check(app("fresh", AppLimits.NONE))).hasValueSatisfying(l -> {
            assertThat(l.scope()).isEqualTo(Throttle.Scope.GLOBAL);
            assertThat(l.retryAfter()).isPositive();
        });
    }
}
