package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.connector.identity.EndpointLookup;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.cli.ServerCli;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Two proxy-server nodes with their own data directories on one PostgreSQL database and one cluster key: a user signed in
 * through node A, and a connector registered at node A, are served by node B once A is gone. B answers with certificates of
 * the CA the connector pinned at A (it looks B's tunnel URL up over TLS checked against that pin), accepts the connector's
 * client certificate issued by A's connector CA, and accepts the app session cookie A signed.
 */
class ClusterSecretsSystemTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    Path dir;

    @Test
    void aSessionAndAConnectorOfNodeAAreServedByNodeB() throws Exception {
        String url = System.getenv("DRAWBRIDGE_TEST_PG_URL");
        assumeThat(url).as("DRAWBRIDGE_TEST_PG_URL (set by ./test.sh when PostgreSQL can be started)").isNotBlank();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        Path key = dir.resolve("cluster.key");
        // What an operator does: drawbridge-server cluster-key new --out FILE, then the same file on every node.
        assertThat(ServerCli.commandLine().execute("cluster-key", "new", "--out", key.toString())).isZero();
        UnaryOperator<ServerConfig> node = c -> new ServerConfig(c.dataDir(), c.domain(), c.bindHost(), c.publicPort(), c.tunnelPort(),
                Optional.of(url), c.heartbeat(), c.timeouts(), c.identity(), c.throttling(), c.proxies(), c.management(), c.updateLease(),
                c.liveRecheck(), new ServerConfig.Cluster(Optional.of(key), Optional.empty()));

        try (SampleApp app = SampleApp.start("127.0.0.1", 0);
             DrawbridgeStack a = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("a")), node)) {
            String hr = a.externalUrl("hr"), login = a.externalUrl("login");
            a.adminApi().apps().create(new AppSpec("HR", hr, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                    new AccessSettings(false, true, true, false)));
            a.createUser("alice@corp.example", "Alice", PASSWORD);
            Connector registeredAtA = a.startConnector(dir.resolve("connector"), 1);
            HttpClient browser = Https.client(a.server().serverCaCertificate(), true);
            assertThat(SignInForms.signIn(browser, hr + "echo/in", login, "alice@corp.example", PASSWORD).getStatus()).isEqualTo(200);

            int port = a.server().publicPort();
            registeredAtA.close();
            a.stopServer();
            // Node B: its own, empty data directory; the same public port (the address users reach, behind a balancer).
            DrawbridgeStack.Options optionsB = new DrawbridgeStack.Options(dir.resolve("b"), "127.0.0.1", port, 0, Duration.ofSeconds(2),
                    Optional.of(a.adminToken()), Clock.systemUTC(), ServerConfig.BackendTimeouts.STANDARD, ServerConfig.Throttling.DEFAULTS,
                    ServerConfig.Proxies.NONE);
            try (DrawbridgeStack b = DrawbridgeStack.start(optionsB, node)) {
                assertThat(b.server().newAdminToken()).as("only the node that made the cluster's secrets shows a credential").isEmpty();
                assertThat(b.server().serverCaCertificate()).isEqualTo(a.server().serverCaCertificate());

                // The connector asks B for its tunnel URL (over TLS checked against the CA it pinned at A), as set-server does.
                Path state = dir.resolve("connector");
                ConnectorIdentity id = ConnectorIdentity.load(state);
                String tunnelOfB = EndpointLookup.tunnelUrl(b.adminUrl(), id.serverCa(), Duration.ofSeconds(20));
                assertThat(tunnelOfB).endsWith(":" + b.server().tunnelPort() + "/connector/v1/tunnel");
                id.withEndpoints(id.serverUrl(), tunnelOfB).save(state);
                Connector atB = b.startConnector(state, 1);
                assertThat(atB.connectorId()).isEqualTo(registeredAtA.connectorId());
                assertThat(b.server().registry().tunnelCount(atB.connectorId())).isEqualTo(1);

                ContentResponse again = browser.newRequest(URI.create(hr + "echo/again")).headers(h -> h.put("Accept", "text/html"))
                        .timeout(30, TimeUnit.SECONDS).send();
                assertThat(again.getStatus()).as("A's session cookie through B and the connector: %s", again.getContentAsString())
                        .isEqualTo(200);
                assertThat(again.getContentAsString()).contains("/echo/again");
                browser.stop();
            }
        } finally {
            // Tests after this one use the same database as one node without a key: a cluster's secrets would stop them.
            try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
                s.execute("DELETE FROM cluster_secret");
            }
        }
    }
}
