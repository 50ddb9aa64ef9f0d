package dev.drawbridge.systemtests.operations;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.operations.ManagementServer;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Both programs' metrics after real traffic through a whole stack (real TLS, a connector with two tunnels, the sample
 * app): scraped from their management listeners before and after, the deltas are exactly the traffic sent: requests
 * by app and status class on the server, the same streams by outcome on the server and the connector, requests to no
 * app, failed and successful sign-ins, throttled requests; the per-connector tunnel gauges show the two tunnels. And
 * none of it is on the public listener.
 */
@Timeout(180)
class MetricsSystemTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static Connector connector;
    static ManagementServer connectorManagement;
    static String sampleId, busyId, portal;
    static int serverPort;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        // Each app: a burst of 20, then 20 a second.
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server"))
                .withThrottling(new ServerConfig.Throttling(100_000, 200_000, 20, 20)));
        sampleId = stack.adminApi().apps().create(new AppSpec("Sample", stack.externalUrl("sample"), app.baseUri().toString(), null, null,
                null, PreAuthentication.PASSTHROUGH)).id();
        busyId = stack.adminApi().apps().create(new AppSpec("Busy", stack.externalUrl("busy"), app.baseUri().toString(), null, null,
                null, PreAuthentication.PASSTHROUGH)).id();
        portal = stack.externalUrl("portal");
        stack.adminApi().apps().create(new AppSpec("Portal", portal, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false)));
        stack.createUser("alice@corp.example", "Alice", PASSWORD);
        connector = stack.startConnector(dir.resolve("connector"), 2);
        connectorManagement = ManagementServer.start("127.0.0.1", 0, connector.metrics()::scrape, connector.health());
        serverPort = stack.server().managementPort().orElseThrow();
        Await.until("the sample app answers through the stack", Duration.ofSeconds(30), () -> status("sample", "echo/warm-up") == 200);
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable m = connectorManagement; AutoCloseable s = stack; AutoCloseable a = app) {
            // closes all three
        }
    }

    private static int status(String label, String path) {
        try {
            return stack.http().newRequest(URI.create(stack.externalUrl(label) + path)).timeout(20, TimeUnit.SECONDS).send().getStatus();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Waits until {@code now() - before} reaches {@code expected}, then checks it is exactly that. */
    private static void awaitDelta(String what, double before, double expected, DoubleSupplier now) throws InterruptedException {
        Await.until(what + " +" + expected, Duration.ofSeconds(20), () -> now.getAsDouble() - before >= expected);
        assertThat(now.getAsDouble() - before).as(what).isEqualTo(expected);
    }

    private static DoubleSupplier server(String name, String... labels) {
        return () -> scrape(serverPort).value(name, labels);
    }

    private static DoubleSupplier connectorSide(String name, String... labels) {
        return () -> scrape(connectorManagement.port()).value(name, labels);
    }

    private static Scrape scrape(int port) {
        try {
            return Scrape.of(port);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void requestsStreamsSignInsThrottlingAndTunnelsAreCountedExactly() throws Exception {
        Scrape server = Scrape.of(serverPort), conn = Scrape.of(connectorManagement.port());
        String requests = "drawbridge_requests_seconds_count", upstream = "drawbridge_upstream_seconds_count";
        String connectorUpstream = "drawbridge_connector_upstream_seconds_count";
        double ok = server.value(requests, "app", sampleId, "status", "2xx"), notFound = server.value(requests, "app", sampleId, "status", "4xx");
        double failed = server.value(requests, "app", sampleId, "status", "5xx"), unrouted = server.value(requests, "app", "unrouted", "status", "4xx");
        double up2 = server.value(upstream, "app", sampleId, "outcome", "2xx"), up5 = server.value(upstream, "app", sampleId, "outcome", "5xx");
        double c2 = conn.value(connectorUpstream, "app", sampleId, "outcome", "2xx"), c4 = conn.value(connectorUpstream, "app", sampleId, "outcome", "4xx");
        double signInFailures = server.value("drawbridge_sign_ins_total", "event", "sign_in", "result", "failure");
        double signIns = server.value("drawbridge_sign_ins_total", "event", "sign_in", "result", "success");
        double throttled = server.value("drawbridge_throttled_total", "app", busyId, "scope", "app");
        double toServer = conn.value("drawbridge_connector_tunnel_bytes_total", "direction", "to_server");

        for (int i = 0; i < 5; i++) {
            assertThat(status("sample", "echo/" + i)).isEqualTo(200);
        }
        assertThat(status("sample", "nope")).isEqualTo(404);
        assertThat(status("sample", "nope/either")).isEqualTo(404);
        assertThat(status("sample", "echo/x?status=503")).isEqualTo(503);
        assertThat(status("nosuchapp", "")).isEqualTo(404);
        HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
        try {
            String login = stack.externalUrl("login");
            SignInForms.signIn(browser, portal, login, "alice@corp.example", "not the password");
            ContentResponse right = SignInForms.signIn(browser, portal, login, "alice@corp.example", PASSWORD);
            assertThat(right.getStatus()).isEqualTo(200);
        } finally {
            browser.stop();
        }
        int refused = 0;
        for (int i = 0; i < 60; i++) {
            refused += status("busy", "echo/b") == 429 ? 1 : 0;
        }
        assertThat(refused).as("past a burst of 20 at 20 a second").isPositive();

        awaitDelta("sample 2xx", ok, 5, server(requests, "app", sampleId, "status", "2xx"));
        awaitDelta("sample 4xx", notFound, 2, server(requests, "app", sampleId, "status", "4xx"));
        awaitDelta("sample 5xx", failed, 1, server(requests, "app", sampleId, "status", "5xx"));
        awaitDelta("unrouted 4xx", unrouted, 1, server(requests, "app", "unrouted", "status", "4xx"));
        awaitDelta("streams 2xx", up2, 5, server(upstream, "app", sampleId, "outcome", "2xx"));
        awaitDelta("streams 5xx", up5, 1, server(upstream, "app", sampleId, "outcome", "5xx"));
        awaitDelta("connector streams 2xx", c2, 5, connectorSide(connectorUpstream, "app", sampleId, "outcome", "2xx"));
        awaitDelta("connector streams 4xx", c4, 2, connectorSide(connectorUpstream, "app", sampleId, "outcome", "4xx"));
        awaitDelta("failed sign-ins", signInFailures, 1, server("drawbridge_sign_ins_total", "event", "sign_in", "result", "failure"));
        awaitDelta("sign-ins", signIns, 1, server("drawbridge_sign_ins_total", "event", "sign_in", "result", "success"));
        awaitDelta("throttled", throttled, refused, server("drawbridge_throttled_total", "app", busyId, "scope", "app"));
        // A histogram's buckets agree with its count.
        Scrape after = Scrape.of(serverPort);
        assertThat(after.value("drawbridge_requests_seconds_bucket", "app", sampleId, "status", "2xx", "le", "+Inf"))
                .isEqualTo(after.value(requests, "app", sampleId, "status", "2xx"));

        // The connector's two tunnels, on the server and on the connector; nothing in flight any more.
        assertThat(after.samples()).hasEntrySatisfying(
                after.samples().keySet().stream().filter(k -> k.startsWith("drawbridge_tunnels{connector=\"" + connector.connectorId() + "\",group="))
                        .findFirst().orElseThrow(), v -> assertThat(v).isEqualTo(2.0));
        Await.until("no stream in flight", Duration.ofSeconds(20),
                () -> scrape(serverPort).value("drawbridge_tunnel_streams", "connector", connector.connectorId()) == 0
                        && scrape(connectorManagement.port()).value("drawbridge_connector_streams") == 0);
        Scrape connAfter = Scrape.of(connectorManagement.port());
        assertThat(connAfter.value("drawbridge_connector_tunnels", "state", "connected")).isEqualTo(2.0);
        assertThat(connAfter.value("drawbridge_connector_tunnels", "state", "disconnected")).isZero();
        assertThat(connAfter.value("drawbridge_connector_tunnel_bytes_total", "direction", "to_server")).isGreaterThan(toServer);
        assertThat(connAfter.value("drawbridge_connector_info", "connector", connector.connectorId(), "version", Connector.VERSION))
                .isEqualTo(1.0);
    }

    @Test
    void noneOfItIsOnThePublicListener() throws Exception {
        for (String label : new String[]{"admin", "login", "sample", "nosuchapp"}) {
            for (String path : new String[]{"metrics", "health/ready", "health/live"}) {
                ContentResponse r = stack.http().newRequest(URI.create(stack.externalUrl(label) + path)).timeout(20, TimeUnit.SECONDS).send();
                assertThat(r.getStatus()).as(label + "/" + path).isNotEqualTo(200);
                assertThat(r.getContentAsString()).as(label + "/" + path).doesNotContain("drawbridge_").doesNotContain("# TYPE")
                        .doesNotContain("\"checks\"");
            }
        }
        // The sample app's own 404: an app path is the app's, whatever it is called.
        assertThat(stack.http().newRequest(URI.create(stack.externalUrl("sample") + "metrics")).send().getContentAsString())
                .isEqualTo("not found in sample app\n");
    }
}
