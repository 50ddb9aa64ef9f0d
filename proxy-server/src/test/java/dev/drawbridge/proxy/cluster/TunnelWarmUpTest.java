package dev.drawbridge.proxy.cluster;

import dev.drawbridge.model.operations.HealthReport;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The readiness of a node joining a cluster: not ready while a connector online in the cluster has no tunnel to it, ready
 * once all have one or the cap passed, and ready for good after that; not ready while it still reads who is online.
 */
class TunnelWarmUpTest {
    final AtomicLong now = new AtomicLong(1_000_000_000L);
    final Map<String, Integer> tunnels = new ConcurrentHashMap<>();

    int here(String id) {
        return tunnels.getOrDefault(id, 0);
    }

    static HealthReport.Check awaitRead(TunnelWarmUp w) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        HealthReport.Check c = w.check();
        while (c.detail().startsWith("reading") && System.nanoTime() < deadline) {
            Thread.sleep(5);
            c = w.check();
        }
        return c;
    }

    @Test
    void notReadyUntilEveryConnectorOnlineInTheClusterHasATunnelHereThenReadyForGood() throws Exception {
        TunnelWarmUp w = new TunnelWarmUp(() -> Set.of("c1", "c2"), this::here, Duration.ofSeconds(20), now::get);
        HealthReport.Check c = awaitRead(w);
        assertThat(c.status() == HealthReport.Status.UP).isFalse();
        assertThat(c.detail()).contains("2 of 2 connector(s)");
        tunnels.put("c1", 2);
        assertThat(w.check().status() == HealthReport.Status.UP).isFalse();
        assertThat(w.check().detail()).contains("1 of 2");
        tunnels.put("c2", 1);
        assertThat(w.check().status() == HealthReport.Status.UP).isTrue();
        tunnels.clear();
        assertThat(w.check().status() == HealthReport.Status.UP).as("once ready, a connector leaving does not take the node out of the pool").isTrue();
    }

    @Test
    void aConnectorThatNeverDialsKeepsTheNodeOutOnlyUntilTheCap() throws Exception {
        TunnelWarmUp w = new TunnelWarmUp(() -> Set.of("unreachable"), this::here, Duration.ofSeconds(20), now::get);
        assertThat(awaitRead(w).status() == HealthReport.Status.UP).isFalse();
        now.addAndGet(Duration.ofSeconds(19).toNanos());
        assertThat(w.check().status() == HealthReport.Status.UP).isFalse();
        now.addAndGet(Duration.ofSeconds(1).toNanos());
        assertThat(w.check().status() == HealthReport.Status.UP).isTrue();
    }

    @Test
    void noConnectorOnlineIsReadyAtOnceAndAnUnreadableDatabaseWaitsForTheCap() throws Exception {
        assertThat(awaitRead(new TunnelWarmUp(Set::of, this::here, Duration.ofSeconds(20), now::get)).status() == HealthReport.Status.UP).isTrue();

        TunnelWarmUp failing = new TunnelWarmUp(() -> {
            throw new IllegalStateException("database away");
        }, this::here, Duration.ofSeconds(20), now::get);
        HealthReport.Check c = awaitRead(failing);
        assertThat(c.status() == HealthReport.Status.UP).as("nothing known: an empty expectation, so ready (the database check decides then)").isTrue();
    }

    @Test
    void notReadyWhileTheListIsStillBeingRead() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        TunnelWarmUp w = new TunnelWarmUp(() -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Set.of();
        }, this::here, Duration.ofSeconds(20), now::get);
        assertThat(w.check().status() == HealthReport.Status.UP).isFalse();
        assertThat(w.check().detail()).startsWith("reading");
        release.countDown();
        assertThat(awaitRead(w).status() == HealthReport.Status.UP).isTrue();
    }
}
