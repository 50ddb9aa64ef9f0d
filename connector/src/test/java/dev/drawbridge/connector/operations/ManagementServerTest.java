package dev.drawbridge.connector.operations;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connector's management listener on a real port: metrics, liveness and readiness following the connector's
 * tunnels (ready while one is connected, not while none is or while it stops), GET and HEAD only, loopback {@code Host}s
 * only, nothing else.
 */
@Timeout(30)
class ManagementServerTest {
    private final AtomicInteger connected = new AtomicInteger(2);
    private final AtomicBoolean loopDied = new AtomicBoolean();
    private final ConnectorHealth health = new ConnectorHealth(connected::get, () -> 2, loopDied::get);
    private ManagementServer server;

    @BeforeEach
    void start() throws Exception {
        server = ManagementServer.start("127.0.0.1", 0, () -> "drawbridge_connector_streams 0.0\n", health);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    /** Status line code and body of a raw HTTP/1.1 request. */
    private record Answer(int status, String head, String body) {
        JsonNode json() throws IOException {
            return new ObjectMapper().readTree(body);
        }
    }

    private Answer send(String method, String path, String host) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int end = all.indexOf("\r\n\r\n");
            return new Answer(Integer.parseInt(all.split(" ")[1]), all.substring(0, end), all.substring(end + 4));
        }
    }

    @Test
    void metricsAndHealthAreServed() throws Exception {
        Answer metrics = send("GET", "/metrics", "localhost");
        assertThat(metrics.status()).isEqualTo(200);
        assertThat(metrics.head()).containsIgnoringCase("Content-Type: text/plain; version=0.0.4")
                .containsIgnoringCase("X-Content-Type-Options: nosniff").containsIgnoringCase("Cache-Control: no-store");
        assertThat(metrics.body()).isEqualTo("drawbridge_connector_streams 0.0\n");
        assertThat(send("GET", "/health/live", "127.0.0.1").status()).isEqualTo(200);
        Answer ready = send("GET", "/health/ready", "[::1]");
        assertThat(ready.status()).isEqualTo(200);
        assertThat(ready.json().path("checks").get(0).path("detail").asText()).isEqualTo("2 of 2 tunnels connected to the server");
    }

    @Test
    void readinessFollowsTheTunnelsAndTheLifecycle() throws Exception {
        connected.set(0);
        Answer down = send("GET", "/health/ready", "localhost");
        assertThat(down.status()).isEqualTo(503);
        assertThat(down.json().path("status").asText()).isEqualTo("DOWN");
        assertThat(down.json().path("checks").get(0).path("detail").asText()).isEqualTo("0 of 2 tunnels connected to the server");
        assertThat(send("GET", "/health/live", "localhost").status()).as("a server that is down is no reason to restart").isEqualTo(200);
        connected.set(1);
        assertThat(send("GET", "/health/ready", "localhost").status()).isEqualTo(200);
        health.stopping();
        assertThat(send("GET", "/health/ready", "localhost").status()).isEqualTo(503);
    }

    @Test
    void livenessFailsWhenATunnelLoopDied() throws Exception {
        loopDied.set(true);
        Answer a = send("GET", "/health/live", "localhost");
        assertThat(a.status()).isEqualTo(503);
        assertThat(a.json().path("checks").get(0).path("name").asText()).isEqualTo("tunnel-loops");
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "192.0.2.1"})
    void nonLoopbackHostsAreRefused(String host) throws Exception {
        Answer a = send("GET", "/metrics", host);
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.head()).containsIgnoringCase("X-Content-Type-Options: nosniff");
        assertThat(a.body()).doesNotContain("drawbridge_");
        assertThat(server.loopbackOnly()).isTrue();
    }

    /**
     * Bound to the wildcard (every address of the machine, loopback included), it answers IP literals and loopback names,
     * never a DNS name: a page in a local browser that rebinds its name to 127.0.0.1 reaches it too. The rule for every
     * kind of bound address is ManagementHostsTest's.
     */
    @Test
    void boundToTheWildcardItAnswersIpAddressesAndLocalhostButNoDnsName() throws Exception {
        server.close();
        server = ManagementServer.start("0.0.0.0", 0, () -> "drawbridge_connector_streams 0.0\n", health);
        assertThat(server.loopbackOnly()).isFalse();
        assertThat(server.boundAddress().isAnyLocalAddress()).isTrue();
        for (String host : new String[]{"127.0.0.1", "192.0.2.7", "[2001:db8::1]", "localhost"}) {
            assertThat(send("GET", "/metrics", host).status()).as(host).isEqualTo(200);
        }
        for (String host : new String[]{"rebound.attacker.example", "localhost.evil.example", "127.0.0.1.nip.io", "metrics.corp.example"}) {
            Answer a = send("GET", "/metrics", host);
            assertThat(a.status()).as(host).isEqualTo(403);
            assertThat(a.body()).contains("not to a DNS name").doesNotContain("drawbridge_");
        }
    }

    @Test
    void onlyGetAndHeadAndOnlyItsPaths() throws Exception {
        assertThat(send("POST", "/metrics", "localhost").status()).isEqualTo(405);
        assertThat(send("DELETE", "/health/ready", "localhost").status()).isEqualTo(405);
        assertThat(send("HEAD", "/metrics", "localhost").body()).isEmpty();
        for (String path : new String[]{"/", "/metrics/", "/health", "/connector/v1/tunnel", "/METRICS"}) {
            assertThat(send("GET", path, "localhost").status()).as(path).isEqualTo(404);
        }
    }

    @Test
    void aPortInUseFailsToStart() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertThatThrownBy(() -> ManagementServer.start("127.0.0.1", taken.getLocalPort(), () -> "", health))
                    .isInstanceOf(IOException.class);
        }
    }
}
