package dev.drawbridge.systemtests.cluster;

import dev.drawbridge.systemtests.cluster.Load.Result;
import dev.drawbridge.testsupport.time.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Issue 14's cluster as real processes (docs/scale-out.md): three {@code drawbridge-server} processes on one PostgreSQL
 * database (DRAWBRIDGE_TEST_PG_URL) sharing a cluster key, behind haproxy in TCP mode health-checking each node's
 * {@code /health/ready}; two connector processes, registered once through the balancer, each in its own group with its
 * own app, keeping tunnels to every node. A node killed (SIGKILL) under load loses only the requests in flight on it and
 * never answers a short 200; the rest lands on the survivors, and the connectors' tunnels come back when it does. A
 * rolling restart (SIGTERM: each node drains) under load fails nothing. Changes made through node A's admin API hold on
 * node B within a second; a node joining with only the database URL and the key serves apps and other nodes' sessions.
 * One cluster for the class ({@link Cluster}); each test leaves every node running.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterProcessesTest {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterProcessesTest.class);
    private static final int LOAD_THREADS = 8;
    private static final String PASSWORD = "correct horse battery staple";

    private static Cluster cluster;

    @BeforeAll
    static void start() throws Exception {
        cluster = Cluster.start();
    }

    @AfterAll
    static void stop() throws Exception {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Every node of the pool running, ready, in the balancer's pool and with every connector's tunnels. */
    @BeforeEach
    void everyNodeServes() throws Exception {
        for (NodeProcess n : cluster.pool()) {
            if (!n.alive()) {
                cluster.restart(n);
            }
        }
        cluster.awaitTunnelsEverywhere(Duration.ofSeconds(60));
        Await.until("every node up in the balancer", Duration.ofSeconds(10), () -> cluster.pool().stream()
                .allMatch(n -> cluster.balancer().servers().getOrDefault(n.name, new Balancer.Server("none", 0, 0, 0)).up()));
    }

    @Test
    @Order(1)
    void anyRequestThroughTheBalancerReachesBothAppsOnEveryNode() throws Exception {
        // Each node directly: both apps, each through its own connector's tunnels to that node.
        for (NodeProcess n : cluster.pool()) {
            for (String app : Cluster.APPS) {
                assertThat(cluster.get(n, app, "/ping")).as(app + " through " + n).isEqualTo("200 " + app + " /ping");
            }
        }
        // Through the balancer, on new connections (round robin): every node gets some, every answer is right.
        Map<String, Balancer.Server> before = cluster.balancer().servers();
        for (int i = 0; i < 12; i++) {
            String app = Cluster.APPS.get(i % 2);
            assertThat(cluster.getThroughBalancer(app, "/ping", true)).as(app + " through the balancer").isEqualTo("200 " + app + " /ping");
        }
        Map<String, Balancer.Server> after = cluster.balancer().servers();
        for (NodeProcess n : cluster.pool()) {
            assertThat(after.get(n.name).sessions()).as("connections the balancer gave " + n).isGreaterThan(before.get(n.name).sessions());
        }
    }

    @Test
    @Order(2)
    void aNodeKilledUnderLoadLosesOnlyItsRequestsInFlightAndItsTunnelsComeBack() throws Exception {
        NodeProcess victim = cluster.pool().get(1);
        Load load = new Load(cluster.balancerClient(), cluster.appUrls(), LOAD_THREADS).start();
        Await.until("load on every node", Duration.ofSeconds(20), () -> load.count(r -> r.status() == 200) > 40);
        Await.until("long streams in flight", Duration.ofSeconds(10), () -> load.started() > load.count(r -> true) + 2);
        long killed = System.nanoTime();
        victim.kill();
        // SIGKILL is not instant: until the process is gone (its memory unmapped, its sockets closed) the kernel still accepts
        // connections on its listening socket, which then reset. In flight on the node = under way between SIGKILL and its end.
        long dead = System.nanoTime();
        Await.until("the balancer to mark " + victim + " down", Duration.ofSeconds(10),
                () -> !cluster.balancer().servers().get(victim.name).up());
        long markedDown = System.nanoTime() - dead;
        // Load on the survivors for a while.
        int sentBefore = load.started();
        Await.until("load after the kill", Duration.ofSeconds(30), () -> load.started() > sentBefore + 60);
        List<Result> all = load.stop();

        List<Result> failed = all.stream().filter(Result::failed).toList();
        List<Result> inFlight = all.stream().filter(r -> r.overlaps(killed, dead)).toList();
        List<Result> after = all.stream().filter(r -> r.start() > dead + Balancer.DETECTION.toNanos()).toList();
        long lastFailure = failed.stream().mapToLong(Result::end).max().orElse(dead) - dead;
        LOG.info("SIGKILL under load: {} requests ({}), {} in flight when the node was gone ({} ms after SIGKILL), {} failed: {}; "
                        + "marked down {} ms after; last failure {} ms after; {} sent from {} ms after, all fine: {}", all.size(), Load.summary(all),
                inFlight.size(), ms(dead - killed), failed.size(), failed, ms(markedDown), ms(lastFailure), after.size(),
                Balancer.DETECTION.toMillis(), after.stream().allMatch(r -> r.status() == 200 && r.bodyOk()));

        assertThat(all).as("never a 200 with a short or wrong body").noneMatch(Result::badOk);
        assertThat(all).as("no answer but 200 (failures are resets)").allMatch(r -> r.failed() || r.status() == 200);
        assertThat(failed).as("failed requests: only those in flight while the node died").allMatch(r -> r.overlaps(killed, dead));
        assertThat(failed.size()).as("failed requests, at most those in flight at the kill").isLessThanOrEqualTo(inFlight.size());
        assertThat(after).as("requests sent after the health check's detection time").isNotEmpty()
                .allMatch(r -> r.status() == 200 && r.bodyOk());
        assertThat(markedDown).as("the balancer's detection").isLessThan(Duration.ofSeconds(3).toNanos());

        // The node returns on its data directory with the same key: the connectors dial it again, and it serves.
        long restarting = System.nanoTime();
        cluster.restart(victim);
        long ready = System.nanoTime();
        cluster.awaitTunnels(victim, Duration.ofSeconds(60));
        LOG.info("{} restarted: ready after {} ms, both connectors' tunnels back {} ms later", victim, ms(ready - restarting),
                ms(System.nanoTime() - ready));
        for (String app : Cluster.APPS) {
            assertThat(cluster.get(victim, app, "/ping")).isEqualTo("200 " + app + " /ping");
        }
        Await.until("the balancer to send to " + victim + " again", Duration.ofSeconds(10),
                () -> cluster.balancer().servers().get(victim.name).up());
        long given = cluster.balancer().servers().get(victim.name).sessions();
        int[] sent = {0};
        Await.until("connections through the balancer to the returned node", Duration.ofSeconds(15), () -> {
            assertThat(cluster.getThroughBalancer(Cluster.APPS.get(sent[0]++ % 2), "/ping", true)).startsWith("200 ");
            return cluster.balancer().servers().get(victim.name).sessions() > given;
        });
    }

    @Test
    @Order(3)
    void aRollingRestartUnderLoadFailsNoRequest() throws Exception {
        Load load = new Load(cluster.balancerClient(), cluster.appUrls(), LOAD_THREADS).start();
        Await.until("load", Duration.ofSeconds(20), () -> load.count(r -> r.status() == 200) > 20);
        long began = System.nanoTime();
        StringBuilder timings = new StringBuilder();
        Map<String, long[]> stopping = new LinkedHashMap<>();
        Map<String, long[]> joining = new LinkedHashMap<>();
        for (NodeProcess n : cluster.pool()) {
            long t0 = System.nanoTime();
            int exit = n.terminate(Duration.ofSeconds(30));
            long drained = System.nanoTime();
            stopping.put(n.name, new long[]{t0, drained});
            cluster.restart(n);
            long ready = System.nanoTime();
            cluster.awaitTunnels(n, Duration.ofSeconds(60));
            joining.put(n.name, new long[]{ready, System.nanoTime()});
            Await.until("the balancer to send to " + n + " again", Duration.ofSeconds(10), () -> cluster.balancer().servers().get(n.name).up());
            timings.append(String.format(" %s: drained and exited (%d) in %d ms, ready %d ms later, tunnels back %d ms later;", n.name, exit,
                    ms(drained - t0), ms(ready - drained), ms(System.nanoTime() - ready)));
        }
        int sentBefore = load.started();
        Await.until("load after the restarts", Duration.ofSeconds(30), () -> load.started() > sentBefore + 30);
        List<Result> all = load.stop();
        List<Result> failed = all.stream().filter(r -> r.failed() || r.status() != 200).toList();
        List<Result> inStops = failed.stream().filter(r -> stopping.values().stream().anyMatch(w -> r.overlaps(w[0], w[1]))).toList();
        // A node joining is ready only once the connectors online in the cluster have dialled it (TunnelWarmUp): before, it
        // answered 502 to what the balancer sent it until their tunnels arrived (1-12 requests per rolling restart).
        List<Result> whileJoining = failed.stream().filter(r -> !inStops.contains(r)
                && joining.values().stream().anyMatch(w -> r.overlaps(w[0], w[1]))).toList();
        LOG.info("rolling restart of {} nodes under load in {} ms:{} {} requests ({}); {} not answered 200: {} while a node was stopping: {};"
                        + " {} while a node was joining: {}", cluster.pool().size(),
                ms(System.nanoTime() - began), timings, all.size(), Load.summary(all), failed.size(), inStops.size(),
                inStops.stream().map(r -> r + " " + during(r, stopping)).toList(), whileJoining.size(), whileJoining);

        assertThat(all).as("never a 200 with a short or wrong body").noneMatch(Result::badOk);
        assertThat(inStops).as("requests in flight on (or sent to) a stopping node: resets or 503").allMatch(r -> r.failed() || r.status() == 503);
        // Any other request not answered 200 is a failure of the rolling restart.
        assertThat(failed.stream().filter(r -> !inStops.contains(r)).toList())
                .as("requests not answered 200 while no node was stopping (a joining node included)").isEmpty();
        assertThat(all.size() - failed.size()).as("requests answered 200").isGreaterThan(all.size() * 9 / 10);
    }

    /** Which node's stop {@code r} was under way in, and when it started relative to the SIGTERM. */
    private static String during(Result r, Map<String, long[]> stopping) {
        return stopping.entrySet().stream().filter(e -> r.overlaps(e.getValue()[0], e.getValue()[1]))
                .map(e -> "(sent " + ms(r.start() - e.getValue()[0]) + " ms after node " + e.getKey() + "'s SIGTERM, which took "
                        + ms(e.getValue()[1] - e.getValue()[0]) + " ms)").findFirst().orElse("(no node stopping)");
    }

    @Test
    @Order(4)
    void changesMadeThroughNodeAHoldOnNodeBWithinASecond() throws Exception {
        NodeProcess a = cluster.pool().get(0);
        NodeProcess b = cluster.pool().get(1);
        // A session revoked: the user signed in on node B.
        Cluster.Browser ann = cluster.signedInOn(b, "ann", PASSWORD);
        cluster.api(a, "POST", "users/" + ann.userId() + "/revoke-sessions", null);
        long revoked = measure("a session revoked through node A, refused on node B", () -> ann.status(b) == 302);
        // A user disabled.
        Cluster.Browser bob = cluster.signedInOn(b, "bob", PASSWORD);
        cluster.api(a, "POST", "users/" + bob.userId() + "/disable", null);
        long disabled = measure("a user disabled through node A, refused on node B", () -> bob.status(b) == 302);
        // An app changed: its backend path.
        String id = cluster.appId(a, "two");
        cluster.api(a, "PUT", "apps/" + id, cluster.appSpec("two", "v2/"));
        long changed;
        try {
            changed = measure("an app changed through node A, routed anew on node B", () -> cluster.get(b, "two", "/ping").equals("200 two /v2/ping"));
        } finally {
            cluster.api(a, "PUT", "apps/" + id, cluster.appSpec("two", ""));
        }
        // A connector revoked: a third one, in its own group, with a tunnel to node B.
        String spare = cluster.startSpareConnector();
        Await.until("the spare connector's tunnel on node B", Duration.ofSeconds(60), () -> b.tunnels(spare) > 0);
        cluster.api(a, "POST", "connectors/" + spare + "/revoke", null);
        long cut = measure("a connector revoked through node A, its tunnels on node B cut", () -> b.tunnels(spare) == 0);
        LOG.info("through node A, on node B (processes): session revoked {} ms, user disabled {} ms, app changed {} ms, connector's tunnels cut {} ms",
                revoked, disabled, changed, cut);
    }

    @Test
    @Order(5)
    void aNewNodeJoinsWithTheDatabaseUrlAndTheClusterKeyOnly() throws Exception {
        NodeProcess a = cluster.pool().get(0);
        Cluster.Browser cy = cluster.signedInOn(a, "cy", PASSWORD);
        NodeProcess d = cluster.spareNode();
        long t0 = System.nanoTime();
        cluster.restart(d);
        long ready = System.nanoTime();
        assertThat(d.dataDir.resolve("secrets/cluster-joined")).as("it loaded the cluster's secrets").exists();
        cluster.awaitTunnels(d, Duration.ofSeconds(60));
        LOG.info("a new node with an empty data directory: ready after {} ms, the connectors' tunnels {} ms later", ms(ready - t0),
                ms(System.nanoTime() - ready));
        for (String app : Cluster.APPS) {
            assertThat(cluster.get(d, app, "/ping")).as(app + " through the new node").isEqualTo("200 " + app + " /ping");
        }
        assertThat(cy.status(d)).as("a session signed by node A, on the new node").isEqualTo(200);
        assertThat(cy.status(a)).isEqualTo(200);
        d.terminate(Duration.ofSeconds(30));
    }

    /** Awaits {@code effect} for at most a second; returns how long it took (ms). */
    private static long measure(String what, BooleanSupplier effect) throws InterruptedException {
        long t0 = System.nanoTime();
        Await.until(what, Duration.ofSeconds(1), effect);
        return ms(System.nanoTime() - t0);
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }
}
