package dev.drawbridge.systemtests.cluster;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.operations.HealthReport;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.ClusterKeys;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Proxy-server nodes sharing one PostgreSQL database (DRAWBRIDGE_TEST_PG_URL), each with its own data directory and the
 * same keys ({@link ClusterKeys}), and one connector registered through node A: it keeps tunnels to every live node
 * (docs/scale-out.md), follows a node that joins and one that leaves (draining its requests first), dials the URL a node
 * advertises, and a hostile node table does not make it dial elsewhere.
 */
class TunnelsToEveryNodeTest {
    /** A node beats every 2 s, tunnels hear of a change within 1 s: room for a loaded 2-core machine. */
    private static final Duration WITHIN_SECONDS = Duration.ofSeconds(15);
    private static final int TUNNELS = 2;

    @TempDir
    Path dir;
    private String pgUrl;
    private SampleApp app;
    private final List<DrawbridgeStack> nodes = new ArrayList<>();
    private DrawbridgeStack nodeA;
    private Connector connector;

    @BeforeEach
    void start() throws Exception {
        pgUrl = System.getenv("DRAWBRIDGE_TEST_PG_URL");
        assumeThat(pgUrl).as("DRAWBRIDGE_TEST_PG_URL (set by ./test.sh when PostgreSQL can be started)").isNotBlank();
        try (Connection c = DriverManager.getConnection(pgUrl); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        app = SampleApp.start("127.0.0.1", 0);
        nodeA = node("a", UnaryOperator.identity());
    }

    @AfterEach
    void stop() throws Exception {
        if (connector != null) {
            connector.close();
        }
        for (DrawbridgeStack n : nodes.reversed()) {
            try {
                n.close();
            } catch (Exception ignored) {
                // stopped by the test
            }
        }
        if (app != null) {
            app.close();
        }
    }

    /** A node on the shared database; every node after the first gets node A's keys. */
    private DrawbridgeStack node(String name, UnaryOperator<ServerConfig> configure) throws Exception {
        Path data = dir.resolve("node-" + name);
        DrawbridgeStack.Options o = DrawbridgeStack.Options.forTests(data);
        if (nodeA != null) {
            ClusterKeys.share(nodeA.dataDir(), data);
            o = o.withKnownAdminToken(nodeA.adminToken());
        }
        DrawbridgeStack n = DrawbridgeStack.start(o, c -> configure.apply(c.withDatabaseUrl(pgUrl)));
        nodes.add(n);
        return n;
    }

    private static String tunnelUrl(DrawbridgeStack n) {
        return "wss://admin.localhost:" + n.server().tunnelPort() + "/connector/v1/tunnel";
    }

    private int tunnelsOn(DrawbridgeStack n) {
        return n.server().registry().tunnelCount(connector.connectorId());
    }

    /** The app through {@code n}'s public port (0 when it cannot be reached). */
    private static int status(DrawbridgeStack n, String path) {
        try {
            ContentResponse r = n.http().newRequest("https://hr.localhost:" + n.server().publicPort() + path).timeout(20, TimeUnit.SECONDS)
                    .send();
            return r.getStatus();
        } catch (Exception e) {
            return 0;
        }
    }

    private long connectFailures() {
        return (long) connector.metrics().registry().get("drawbridge.connector.connect.failures").counter().count();
    }

    @Test
    void theConnectorKeepsTunnelsToEveryNodeFollowsAJoinAndDropsANodeThatStops() throws Exception {
        DrawbridgeStack nodeB = node("b", UnaryOperator.identity());
        connector = nodeA.startConnector(dir.resolve("connector"), TUNNELS);
        nodeA.publish("hr", "hr", app.baseUri());

        Await.until("tunnels to node B too", WITHIN_SECONDS, () -> tunnelsOn(nodeB) == TUNNELS);
        assertThat(tunnelsOn(nodeA)).isEqualTo(TUNNELS);
        assertThat(connector.connectedByNode()).containsOnlyKeys(URI.create(tunnelUrl(nodeA)), URI.create(tunnelUrl(nodeB)));
        assertThat(connector.health().ready().status()).isEqualTo(HealthReport.Status.UP);
        assertThat(status(nodeA, "/echo/ping")).as("through node A").isEqualTo(200);
        Await.until("the app through node B (its routes reload every 5 s)", WITHIN_SECONDS, () -> status(nodeB, "/echo/ping") == 200);

        DrawbridgeStack nodeC = node("c", UnaryOperator.identity());
        Await.until("tunnels to node C, which joined", WITHIN_SECONDS, () -> tunnelsOn(nodeC) == TUNNELS);
        Await.until("the app through node C", WITHIN_SECONDS, () -> status(nodeC, "/echo/ping") == 200);

        // Node B stops (drains): the connector drops it at once (a request in flight on a stopping node:
        // aNodeThatStopsFinishesTheRequestInFlightOnIt).
        String gone = tunnelUrl(nodeB);
        long failuresBefore = connectFailures();
        nodeB.close();
        assertThat(connector.connectedByNode()).as("node B left").doesNotContainKey(URI.create(gone));
        // The others stop listing node B at their next beat; meanwhile the connector never dialled it again.
        Await.until("node A's list without node B", WITHIN_SECONDS, () -> !nodeA.server().nodes().live().tunnelUrls().contains(gone)
                && !nodeC.server().nodes().live().tunnelUrls().contains(gone));
        assertThat(connectFailures()).as("no redial of the node that left").isEqualTo(failuresBefore);
        assertThat(connector.connectedByNode()).containsOnlyKeys(URI.create(tunnelUrl(nodeA)), URI.create(tunnelUrl(nodeC)));
        assertThat(status(nodeA, "/echo/ping")).isEqualTo(200);
        assertThat(status(nodeC, "/echo/ping")).isEqualTo(200);
    }

    @Test
    void aNodeThatStopsFinishesTheRequestInFlightOnIt() throws Exception {
        DrawbridgeStack nodeB = node("b", UnaryOperator.identity());
        connector = nodeA.startConnector(dir.resolve("connector"), TUNNELS);
        nodeA.publish("hr", "hr", app.baseUri());
        Await.until("tunnels to node B", WITHIN_SECONDS, () -> tunnelsOn(nodeB) == TUNNELS);
        Await.until("the app through node B", WITHIN_SECONDS, () -> status(nodeB, "/echo/ping") == 200);

        // Longer than Jetty's shutdown idle timeout (1 s), well within the stop timeout (10 s).
        String slowUrl = "https://hr.localhost:" + nodeB.server().publicPort() + "/slow?ms=3000";
        CompletableFuture<ContentResponse> slow = CompletableFuture.supplyAsync(() -> {
            try {
                // Node A's client (the same CA): node B's own stops with it.
                return nodeA.http().newRequest(slowUrl).timeout(20, TimeUnit.SECONDS).send();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, Thread::startVirtualThread);
        Await.until("the slow request in the app", WITHIN_SECONDS, () -> app.slowRequestsInFlight() > 0);
        long failuresBefore = connectFailures();
        nodeB.close();

        ContentResponse r = slow.get(20, TimeUnit.SECONDS);
        assertThat(r.getStatus()).as("the request in flight on the stopping node").isEqualTo(200);
        assertThat(r.getContentAsString()).contains("slow done");
        assertThat(connectFailures()).as("the node's closing its tunnels is no connect failure").isEqualTo(failuresBefore);
        assertThat(status(nodeA, "/echo/ping")).isEqualTo(200);
    }

    @Test
    void theConnectorDialsTheUrlANodeAdvertises() throws Exception {
        try (TcpRelay relay = new TcpRelay()) {
            String advertised = "wss://relay.localhost:" + relay.port();
            DrawbridgeStack nodeB = node("b", c -> c.withCluster(new ServerConfig.Cluster(Optional.empty(),
                    Optional.of(URI.create(advertised)))));
            relay.target(nodeB.server().tunnelPort());
            assertThat(nodeB.server().nodes().tunnelUrl()).isEqualTo(advertised + "/connector/v1/tunnel");

            connector = nodeA.startConnector(dir.resolve("connector"), TUNNELS);
            Await.until("tunnels to node B through its relay", WITHIN_SECONDS, () -> tunnelsOn(nodeB) == TUNNELS);
            assertThat(relay.accepted()).as("connections through the relay").isGreaterThanOrEqualTo(TUNNELS);
            assertThat(connector.connectedByNode()).containsOnlyKeys(URI.create(tunnelUrl(nodeA)),
                    URI.create(advertised + "/connector/v1/tunnel"));
        }
    }

    @Test
    void aHostileNodeTableDoesNotMakeTheConnectorDialElsewhere() throws Exception {
        DrawbridgeStack nodeB = node("b", UnaryOperator.identity());
        connector = nodeA.startConnector(dir.resolve("connector"), TUNNELS);
        Await.until("tunnels to node B", WITHIN_SECONDS, () -> tunnelsOn(nodeB) == TUNNELS);
        nodeA.publish("hr", "hr", app.baseUri());

        try (TcpRelay forbidden = new TcpRelay(); TcpRelay underDomain = new TcpRelay();
             Connection c = DriverManager.getConnection(pgUrl);
             PreparedStatement insert = c.prepareStatement("INSERT INTO cluster_node (id, name, tunnel_url, started_at, heartbeat_at) "
                     + "SELECT 'hostile-' || i, 'hostile', CASE i % 6 "
                     + " WHEN 0 THEN 'wss://127.0.0.1:' || ? || '/connector/v1/tunnel'"
                     + " WHEN 1 THEN 'ws://n' || i || '.localhost:' || ? || '/connector/v1/tunnel'"
                     + " WHEN 2 THEN 'wss://intranet.corp.example:' || ? || '/connector/v1/tunnel'"
                     + " WHEN 3 THEN 'wss://n' || i || '.localhost:' || ? || '/elsewhere'"
                     + " WHEN 4 THEN 'wss://a.b.localhost:' || ? || '/connector/v1/tunnel'"
                     + " ELSE 'wss://n' || i || '.localhost:' || ? || '/connector/v1/tunnel' END,"
                     + " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP FROM generate_series(1, 10000) AS i")) {
            for (int p = 1; p <= 5; p++) {
                insert.setString(p, Integer.toString(forbidden.port()));
            }
            insert.setString(6, Integer.toString(underDomain.port()));
            assertThat(insert.executeUpdate()).isEqualTo(10_000);

            // The valid-looking rows (under the domain) fill the list up to its bound; nothing else is ever dialled.
            Await.until("the connector to hear of the listed rows", WITHIN_SECONDS, () -> connector.connectedByNode().size() > 2);
            Await.until("dials to the listed rows (refused: no server CA certificate there)", WITHIN_SECONDS,
                    () -> underDomain.accepted() > 0);
            assertThat(connector.connectedByNode().size()).isLessThanOrEqualTo(32);
            assertThat(connector.connectedByNode()).containsKeys(URI.create(tunnelUrl(nodeA)), URI.create(tunnelUrl(nodeB)));
            assertThat(connector.connectedByNode().keySet()).allSatisfy(u -> {
                assertThat(u.getScheme()).isEqualTo("wss");
                assertThat(u.getHost()).matches("[a-z0-9-]+\\.localhost");
                assertThat(u.getPath()).isEqualTo("/connector/v1/tunnel");
            });
            assertThat(forbidden.accepted()).as("dials to an IP address, another domain, ws:// or another path").isZero();
            assertThat(tunnelsOn(nodeA)).isEqualTo(TUNNELS);
            assertThat(tunnelsOn(nodeB)).isEqualTo(TUNNELS);
            assertThat(status(nodeA, "/echo/ping")).isEqualTo(200);
        }
    }
}
