package dev.drawbridge.systemtests.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.operations.ManagementServer;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector's readiness follows its tunnels to a real server: ready while connected; with the server stopped, 503
 * (and still live: restarting the connector would not bring the server back), its failed dials counted; with the
 * server back on the same ports, 200 again once a tunnel reconnected, the reconnect counted. The server's own
 * readiness is 200 on its management listener while it runs.
 */
@Timeout(180)
class HealthSystemTest {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static Connector connector;
    static ManagementServer management;

    @BeforeAll
    static void start() throws Exception {
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        connector = stack.startConnector(dir.resolve("connector"), 2);
        management = ManagementServer.start("127.0.0.1", 0, connector.metrics()::scrape, connector.health());
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable m = management; AutoCloseable s = stack) {
            // closes both
        }
    }

    private static HttpResponse<String> get(int port, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(10)).build(),
                    HttpResponse.BodyHandlers.ofString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return new ObjectMapper().readTree(r.body());
    }

    @Test
    void theConnectorIsReadyOnlyWhileATunnelIsConnected() throws Exception {
        int port = management.port();
        HttpResponse<String> ready = get(port, "/health/ready");
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).path("checks").get(0).path("detail").asText()).isEqualTo("2 of 2 tunnels connected to the server");
        assertThat(get(stack.server().managementPort().orElseThrow(), "/health/ready").statusCode()).isEqualTo(200);
        double reconnects = Scrape.of(port).value("drawbridge_connector_reconnects_total");
        double failures = Scrape.of(port).value("drawbridge_connector_connect_failures_total");

        stack.stopServer();
        Await.until("the connector reports not ready", Duration.ofSeconds(30), () -> get(port, "/health/ready").statusCode() == 503);
        HttpResponse<String> down = get(port, "/health/ready");
        assertThat(json(down).path("status").asText()).isEqualTo("DOWN");
        assertThat(json(down).path("checks").get(0).path("detail").asText()).isEqualTo("0 of 2 tunnels connected to the server");
        assertThat(get(port, "/health/live").statusCode()).as("a server that is down is no reason to restart the connector").isEqualTo(200);
        Await.until("a failed dial is counted", Duration.ofSeconds(30),
                () -> scrape(port).value("drawbridge_connector_connect_failures_total") > failures);
        assertThat(scrape(port).value("drawbridge_connector_tunnels", "state", "disconnected")).isEqualTo(2.0);

        stack.startServerAgain();
        Await.until("the connector reports ready again", Duration.ofSeconds(90), () -> get(port, "/health/ready").statusCode() == 200);
        assertThat(scrape(port).value("drawbridge_connector_reconnects_total")).isGreaterThan(reconnects);
        assertThat(get(stack.server().managementPort().orElseThrow(), "/health/ready").statusCode()).isEqualTo(200);
    }

    private static Scrape scrape(int port) {
        try {
            return Scrape.of(port);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
