package dev.drawbridge.proxy.operations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management listener of a real server (loopback, ephemeral port): {@code /metrics} in Prometheus' text format,
 * {@code /health/live} and {@code /health/ready} as JSON reports; only GET and HEAD; only requests addressed to a
 * loopback name or address (a DNS name rebound to 127.0.0.1 by a web page is refused); nothing else of the server on it.
 */
@Timeout(60)
class ManagementListenerTest {
    @TempDir
    static Path dir;
    static ProxyServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0)
                .withManagement(ServerConfig.Management.on("127.0.0.1", 0)));
        port = server.managementPort().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static TestServer.Answer get(String path, String host) throws Exception {
        return TestServer.send(port, "GET " + path + " HTTP/1.1", host);
    }

    @Test
    void metricsAreInPrometheusTextFormat() throws Exception {
        TestServer.Answer a = get("/metrics", "127.0.0.1:" + port);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("text/plain").contains("version=0.0.4"));
        assertThat(a.header("Cache-Control")).hasValue("no-store");
        assertThat(a.header("X-Content-Type-Options")).hasValue("nosniff");
        assertThat(a.body()).contains("# TYPE drawbridge_sign_ins_total counter")
                .contains("drawbridge_sign_ins_total{event=\"sign_in\",result=\"failure\"} 0")
                .contains("# TYPE jvm_memory_used_bytes gauge");
    }

    @Test
    void liveAndReadyAreJsonReportsOfTheirChecks() throws Exception {
        TestServer.Answer live = get("/health/live", "localhost:" + port);
        assertThat(live.status()).isEqualTo(200);
        JsonNode body = Json.MAPPER.readTree(live.body());
        assertThat(body.path("status").asText()).isEqualTo("UP");
        assertThat(body.path("checks").get(0).path("name").asText()).isEqualTo("executor");

        TestServer.Answer ready = get("/health/ready", "localhost");
        assertThat(ready.status()).isEqualTo(200);
        JsonNode checks = Json.MAPPER.readTree(ready.body()).path("checks");
        assertThat(checks.findValuesAsText("name")).containsExactly("database", "listeners", "lifecycle");
        assertThat(checks.findValuesAsText("status")).containsOnly("UP");
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "LOCALHOST", "metrics.localhost", "127.0.0.1", "127.1.2.3", "[::1]"})
    void loopbackHostsAreAnswered(String host) throws Exception {
        assertThat(get("/health/live", host + ":" + port).status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "10.0.0.1", "admin.localhost.example"})
    void otherHostsAreRefusedSoARebindingPageCannotReadIt(String host) throws Exception {
        for (String path : new String[]{"/metrics", "/health/ready"}) {
            TestServer.Answer a = get(path, host + ":" + port);
            assertThat(a.status()).as(host + path).isEqualTo(403);
            assertThat(a.header("X-Content-Type-Options")).as(host + path).hasValue("nosniff");
            assertThat(a.body()).doesNotContain("drawbridge_").doesNotContain("database");
        }
    }

    @Test
    void onlyGetAndHeadAreAnswered() throws Exception {
        for (String method : new String[]{"POST", "PUT", "DELETE", "OPTIONS", "TRACE"}) {
            TestServer.Answer a = TestServer.send(port, method + " /metrics HTTP/1.1", "localhost", "Content-Length: 0");
            assertThat(a.status()).as(method).isEqualTo(405);
            assertThat(a.header("Allow")).hasValue("GET, HEAD");
        }
        TestServer.Answer head = TestServer.send(port, "HEAD /health/live HTTP/1.1", "localhost");
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.body()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"/", "/api/v1/apps", "/healthz", "/metrics/", "/health", "/health/other", "/connector/v1/endpoints",
            "/METRICS"})
    void nothingElseOfTheServerIsOnIt(String path) throws Exception {
        TestServer.Answer a = get(path, "localhost");
        assertThat(a.status()).as(path).isEqualTo(404);
        assertThat(a.body()).contains("the management listener serves /metrics, /health/live and /health/ready");
    }

    @Test
    void aServerWithoutOneHasNone() throws Exception {
        assertThat(ServerConfig.defaults(dir).management().enabled()).isFalse();
        try (ProxyServer plain = ProxyServer.start(ServerConfig.defaults(dir.resolve("plain")).withPorts("127.0.0.1", 0, 0))) {
            assertThat(plain.managementPort()).isEmpty();
        }
    }
}
