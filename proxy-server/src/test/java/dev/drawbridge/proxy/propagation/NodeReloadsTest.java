package dev.drawbridge.proxy.propagation;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The topic-to-reload map as it runs: each topic's reloads in their order (the live sessions' recheck after the snapshot
 * it reads), nothing else; the periodic fallback at its periods; and a reload never running twice at once, whoever
 * asks (a periodic run and a notified one).
 */
class NodeReloadsTest {
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();
    private final List<String> ran = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() {
        runs.shutdownNow();
    }

    private Runnable logs(String name) {
        return () -> ran.add(name);
    }

    private NodeReloads.Targets targets(Runnable routes) {
        return new NodeReloads.Targets(routes, logs("pathRules"), logs("policies"), logs("maintenances"), logs("connectors"),
                logs("groupConfigs"), logs("liveSessions"), logs("certificates"), logs("signingKeys"));
    }

    @Test
    void eachTopicRunsItsReloadsInOrderAndNothingElse() throws Exception {
        NodeReloads reloads = new NodeReloads(targets(logs("routes")), runs);
        record Case(Topic topic, List<String> expected) {
        }
        for (Case c : List.of(new Case(Topic.APPS, List.of("routes", "liveSessions")),
                new Case(Topic.PATH_RULES, List.of("pathRules", "liveSessions")),
                new Case(Topic.POLICIES, List.of("policies", "liveSessions")), new Case(Topic.DIRECTORY, List.of("liveSessions")),
                new Case(Topic.CONNECTORS, List.of("connectors")), new Case(Topic.MAINTENANCE, List.of("maintenances")),
                new Case(Topic.GROUP_CONFIGS, List.of("groupConfigs")), new Case(Topic.CERTIFICATES, List.of("certificates")),
                new Case(Topic.SECRETS, List.of("signingKeys")))) {
            ran.clear();
            reloads.changed(List.of(c.topic()));
            Awaits.until(c.topic() + "'s reloads", Duration.ofSeconds(5), () -> ran.size() == c.expected().size());
            assertThat(ran).as(c.topic().name()).containsExactlyElementsOf(c.expected());
        }
    }

    @Test
    void theFallbackRunsEachReloadAtItsPeriod() {
        Duration live = Duration.ofSeconds(7);
        assertThat(NodeReloads.fallbackPeriod(NodeReloads.Reload.ROUTES, live)).contains(Duration.ofSeconds(5));
        assertThat(NodeReloads.fallbackPeriod(NodeReloads.Reload.CONNECTORS, live)).contains(Duration.ofSeconds(5));
        assertThat(NodeReloads.fallbackPeriod(NodeReloads.Reload.LIVE_SESSIONS, live)).contains(live);
        assertThat(NodeReloads.fallbackPeriod(NodeReloads.Reload.CERTIFICATES, live)).contains(Duration.ofSeconds(30));
        assertThat(NodeReloads.fallbackPeriod(NodeReloads.Reload.SIGNING_KEYS, live)).as("within a rotation's activation delay")
                .contains(Duration.ofSeconds(5));
        assertThat(NodeReloads.fallbackPeriod(NodeReloads.Reload.GROUP_CONFIGS, live)).as("the connectors' recheck sends them").isEmpty();
        // Every topic is covered by some fallback: nothing depends on notifications alone.
        for (Topic t : Topic.values()) {
            assertThat(NodeReloads.reloadsOf(t)).as(t.name()).allMatch(r -> NodeReloads.fallbackPeriod(r, live).isPresent()
                    || r == NodeReloads.Reload.GROUP_CONFIGS && NodeReloads.fallbackPeriod(NodeReloads.Reload.CONNECTORS, live).isPresent());
        }
    }

    @Test
    void aReloadThatThrowsAnErrorKeepsItsPeriodicRuns() throws Exception {
        // A periodic task that throws is never run again: an Error (a LinkageError, an OutOfMemoryError while reading a
        // large table) must not end a node's fallback for good, silently.
        AtomicInteger live = new AtomicInteger();
        NodeReloads reloads = new NodeReloads(new NodeReloads.Targets(logs("routes"), logs("pathRules"), logs("policies"),
                logs("maintenances"), logs("connectors"), logs("groupConfigs"), () -> {
            if (live.incrementAndGet() == 1) {
                throw new LinkageError("the test's error");
            }
        }, logs("certificates"), logs("signingKeys")), runs);
        ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
        try {
            reloads.scheduleFallback(scheduler, Duration.ofMillis(20));
            Awaits.until("the live sessions' periodic recheck after the error", Duration.ofSeconds(5), () -> live.get() >= 3);
        } finally {
            scheduler.shutdownNow();
        }
    }

    @Test
    void aPeriodicRunAndANotifiedOneNeverOverlap() throws Exception {
        CountDownLatch periodicStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inside = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        NodeReloads reloads = new NodeReloads(targets(() -> {
            most.accumulateAndGet(inside.incrementAndGet(), Math::max);
            if (done.get() == 0) {
                periodicStarted.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            inside.decrementAndGet();
            done.incrementAndGet();
        }), runs);
        // A periodic routes reload, slow (it read the database before the change below).
        Thread periodic = Thread.ofPlatform().start(() -> reloads.run(NodeReloads.Reload.ROUTES));
        assertThat(periodicStarted.await(10, TimeUnit.SECONDS)).isTrue();

        reloads.changed(List.of(Topic.APPS));
        Awaits.until("the notified routes reload to queue behind it", Duration.ofSeconds(5), () -> reloads.waiting(NodeReloads.Reload.ROUTES));
        assertThat(done.get()).isZero();
        release.countDown();
        Awaits.until("both routes reloads, the notified one last", Duration.ofSeconds(10), () -> done.get() == 2);
        periodic.join(5000);
        assertThat(most.get()).as("routes reloads at once").isEqualTo(1);
        Awaits.until("the live sessions after the notified routes", Duration.ofSeconds(5), () -> ran.contains("liveSessions"));
    }
}
