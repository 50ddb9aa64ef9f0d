package dev.drawbridge.systemtests.connector;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.MaintenanceBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.tunnel.TunnelConnection;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two proxy-server nodes on one database, as a cluster runs: node A and node B share their data directory (the same
 * keys, as every node of a cluster must, and one H2 database, which H2 shares between the connection pools of one
 * JVM). The connector's tunnels go to node B only; the admin acts through node A, or straight in the database, and
 * node B must follow within a heartbeat: a revoked connector's tunnels are cut, a moved one serves its new group only.
 */
class MultiNodeConnectorTest {
    /** The test heartbeat (2 s) plus room for a loaded machine; the re-check itself runs on every heartbeat. */
    private static final Duration WITHIN_A_HEARTBEAT = Duration.ofSeconds(6);

    @TempDir
    Path dir;
    private SampleApp app;
    private DrawbridgeStack nodeA;
    private DrawbridgeStack nodeB;
    private Connector connector;

    @BeforeEach
    void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        nodeA = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("cluster")));
        nodeB = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("cluster")).withKnownAdminToken(nodeA.adminToken()));
        // Registered through node B, so its tunnels dial node B's tunnel port.
        connector = nodeB.startConnector(dir.resolve("connector"), 2);
        assertThat(nodeB.server().registry().tunnelCount(connector.connectorId())).isEqualTo(2);
        assertThat(nodeA.server().registry().tunnelCount(connector.connectorId())).isZero();
    }

    @AfterEach
    void stop() throws Exception {
        // Node B first: closing a node shuts the shared H2 database down.
        nodeB.close();
        nodeA.close();
        app.close();
    }

    /** Publishes through node B (whose routes reload at once) an app served by {@code group}; returns its URL on node B. */
    private String publish(String name, String group) throws Exception {
        nodeB.adminApi().apps().create(new AppSpec(name, nodeB.externalUrl(name), app.baseUri().toString(), group,
                null, null, PreAuthentication.PASSTHROUGH));
        return nodeB.externalUrl(name);
    }

    private int status(String url) throws Exception {
        ContentResponse r = nodeB.http().newRequest(url + "echo/ping").timeout(30, TimeUnit.SECONDS).send();
        return r.getStatus();
    }

    private int statusOrZero(String url) {
        try {
            return status(url);
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void revokingThroughNodeACutsTheTunnelsOnNodeB() throws Exception {
        String url = publish("hr", null);
        assertThat(status(url)).isEqualTo(200);

        assertThat(nodeA.adminApi().connectors().revoke(connector.connectorId()).status()).isEqualTo(ConnectorStatus.REVOKED);

        Await.until("node B to cut the revoked connector's tunnels", WITHIN_A_HEARTBEAT,
                () -> nodeB.server().registry().tunnelCount(connector.connectorId()) == 0);
        assertThat(status(url)).as("the app through node B once its only connector is revoked").isEqualTo(502);
        // Reconnecting is refused for good, on node B too.
        assertThat(connector.permanentFailure().get(20, TimeUnit.SECONDS)).contains("register again");
    }

    @Test
    void movingThroughNodeAReGroupsTheTunnelsOnNodeB() throws Exception {
        String branch = nodeA.adminApi().connectorGroups().create(NameBody.named("Branch")).id();
        String oldGroupApp = publish("intranet", null);
        String newGroupApp = publish("branch", "Branch");
        assertThat(status(oldGroupApp)).isEqualTo(200);
        assertThat(status(newGroupApp)).isEqualTo(502);

        assertThat(nodeA.adminApi().connectors().move(connector.connectorId(), new NameBody(null, "Branch", null)).groupId())
                .isEqualTo(branch);

        Await.until("node B to move the connector's tunnels to its new group", WITHIN_A_HEARTBEAT,
                () -> nodeB.server().registry().tunnels().stream().filter(t -> t.connectorId().equals(connector.connectorId()))
                        .map(TunnelConnection::groupId).allMatch(branch::equals));
        assertThat(status(newGroupApp)).as("an app of the new group, through node B").isEqualTo(200);
        assertThat(status(oldGroupApp)).as("an app of the old group, through node B").isEqualTo(502);
    }

    @Test
    void maintenanceModeSetThroughNodeAHoldsOnNodeB() throws Exception {
        String url = publish("payroll", null);
        assertThat(status(url)).isEqualTo(200);

        nodeA.adminApi().connectorGroups().startMaintenance("Default", new MaintenanceBody("Back at 10:00"));
        Await.until("node B to answer the maintenance page", WITHIN_A_HEARTBEAT, () -> statusOrZero(url) == 503);
        assertThat(nodeB.server().registry().tunnelCount(connector.connectorId())).as("tunnels stay up").isEqualTo(2);

        nodeA.adminApi().connectorGroups().endMaintenance("Default");
        Await.until("node B to serve the app again", WITHIN_A_HEARTBEAT, () -> statusOrZero(url) == 200);
    }

    @Test
    void aRevocationWrittenStraightToTheDatabaseIsHonoured() throws Exception {
        String url = publish("wiki", null);
        assertThat(status(url)).isEqualTo(200);

        // What a node of another version, or an operator with SQL, would do: no admin API, no in-memory state.
        String jdbc = "jdbc:h2:file:" + dir.resolve("cluster").resolve("db").resolve("drawbridge").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
        try (Connection c = DriverManager.getConnection(jdbc, "drawbridge", "");
             PreparedStatement revoke = c.prepareStatement("UPDATE connector SET revoked_at = CURRENT_TIMESTAMP WHERE id = ?")) {
            revoke.setString(1, connector.connectorId());
            assertThat(revoke.executeUpdate()).isEqualTo(1);
        }

        Await.until("node B to cut the tunnels of a connector revoked in the database", WITHIN_A_HEARTBEAT,
                () -> nodeB.server().registry().tunnelCount(connector.connectorId()) == 0);
        assertThat(status(url)).isEqualTo(502);
    }
}
