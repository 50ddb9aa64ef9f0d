package dev.drawbridge.proxy.operations;

import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.edge.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The management listener of a real server (loopback) against every spelling of where a request is addressed that a DNS
 * rebinding page or a confused intermediary could use: a DNS name with a trailing dot, in upper case, with a port, with
 * user info; two {@code Host} headers in either order; an absolute-form request target naming another host than the
 * {@code Host} header; {@code X-Forwarded-Host} and {@code Forwarded} (never believed on this listener); a missing
 * {@code Host}. None of them reaches the metrics or health of the server; whatever else Jetty answers (400, 403) does not
 * matter as long as it is not the answer.
 */
@Timeout(60)
class ManagementHostSpellingsTest {
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

    /** One raw request (the head as given, CRLF-joined) on a new connection. */
    static TestServer.Answer raw(String... head) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write((String.join("\r\n", head) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            byte[] answer = s.getInputStream().readAllBytes();
            return answer.length == 0 ? new TestServer.Answer(0, Map.of(), "") : parse(answer);
        }
    }

    private static TestServer.Answer parse(byte[] answer) throws IOException {
        String all = new String(answer, StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(all.substring(9, 12));
        int end = all.indexOf("\r\n\r\n");
        return new TestServer.Answer(status, Map.of(), end < 0 ? "" : all.substring(end + 4));
    }

    static void assertNotServed(String why, TestServer.Answer a) {
        assertThat(a.status()).as(why).isNotEqualTo(200).isNotEqualTo(503);
        assertThat(a.body()).as(why).doesNotContain("drawbridge_").doesNotContain("\"checks\"");
    }

    @Test
    void aDnsNameIsRefusedInEverySpelling() throws Exception {
        for (String host : List.of("evil.example.", "EVIL.EXAMPLE", "evil.example:" + port, "evil.example.:" + port, "Evil.Example.:80",
                "localhost.evil.example.", "127.0.0.1.nip.io:" + port, "localhost@evil.example", "evil.example@localhost",
                "0x7f.0.0.1", "localhost%00.evil.example", "[::1].evil.example")) {
            for (String path : List.of("/metrics", "/health/ready", "/health/live")) {
                assertNotServed(host + path, raw("GET " + path + " HTTP/1.1", "Host: " + host));
            }
        }
    }

    @Test
    void twoHostHeadersAreNeverAnsweredWhicheverComesFirst() throws Exception {
        assertNotServed("localhost first", raw("GET /metrics HTTP/1.1", "Host: localhost", "Host: evil.example"));
        assertNotServed("evil first", raw("GET /metrics HTTP/1.1", "Host: evil.example", "Host: localhost"));
        assertNotServed("folded", raw("GET /metrics HTTP/1.1", "Host: evil.example", " localhost"));
    }

    @Test
    void anAbsoluteFormTargetNamingAnotherHostIsNotAnswered() throws Exception {
        assertNotServed("absolute evil, Host localhost", raw("GET http://evil.example/metrics HTTP/1.1", "Host: localhost"));
        assertNotServed("absolute evil:port, Host localhost", raw("GET http://evil.example:" + port + "/metrics HTTP/1.1",
                "Host: localhost:" + port));
    }

    @Test
    void forwardingHeadersAreNotBelievedOnThisListener() throws Exception {
        assertNotServed("X-Forwarded-Host", raw("GET /metrics HTTP/1.1", "Host: evil.example", "X-Forwarded-Host: localhost"));
        assertNotServed("Forwarded", raw("GET /metrics HTTP/1.1", "Host: evil.example", "Forwarded: host=localhost"));
        assertNotServed("X-Forwarded-Server", raw("GET /metrics HTTP/1.1", "Host: evil.example", "X-Forwarded-Server: localhost"));
        assertThat(raw("GET /metrics HTTP/1.1", "Host: localhost", "X-Forwarded-Host: evil.example").status())
                .as("a loopback Host with a forwarding header is still this machine's").isEqualTo(200);
    }

    @Test
    void aMissingHostIsRefusedOnHttp11() throws Exception {
        assertNotServed("no Host", raw("GET /metrics HTTP/1.1"));
        assertNotServed("empty Host", raw("GET /metrics HTTP/1.1", "Host: "));
    }
}
