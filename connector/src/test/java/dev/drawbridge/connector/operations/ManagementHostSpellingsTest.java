package dev.drawbridge.connector.operations;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector's management listener (loopback) against every spelling of where a request is addressed that a DNS
 * rebinding page or a confused intermediary could use: a DNS name with a trailing dot, in upper case, with a port, with
 * user info; two {@code Host} headers in either order; an absolute-form target naming another host than {@code Host};
 * {@code X-Forwarded-Host} and {@code Forwarded}; a missing or empty {@code Host}. None of them reaches the metrics or
 * the health reports (as the server's listener, ManagementHostSpellingsTest in proxy-server).
 */
@Timeout(60)
class ManagementHostSpellingsTest {
    static ManagementServer server;

    @BeforeAll
    static void start() throws Exception {
        server = ManagementServer.start("127.0.0.1", 0, () -> "drawbridge_connector_streams 0.0\n",
                new ConnectorHealth(() -> 1, () -> 1, () -> false));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    /** The status and body of one raw request (the head as given, CRLF-joined); status 0 if the connection closed silently. */
    static String[] raw(String... head) throws IOException {
        try (Socket s = new Socket("127.0.0.1", server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((String.join("\r\n", head) + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String all = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (all.length() < 12) {
                return new String[]{"0", ""};
            }
            int end = all.indexOf("\r\n\r\n");
            return new String[]{all.substring(9, 12), end < 0 ? "" : all.substring(end + 4)};
        }
    }

    static void assertNotServed(String why, String[] answer) {
        assertThat(answer[0]).as(why).isNotIn("200", "503");
        assertThat(answer[1]).as(why).doesNotContain("drawbridge_").doesNotContain("\"checks\"");
    }

    @Test
    void aDnsNameIsRefusedInEverySpelling() throws Exception {
        int port = server.port();
        for (String host : List.of("evil.example.", "EVIL.EXAMPLE", "evil.example:" + port, "Evil.Example.:80", "localhost.evil.example.",
                "127.0.0.1.nip.io:" + port, "localhost@evil.example", "evil.example@localhost", "0x7f.0.0.1", "[::1].evil.example")) {
            for (String path : List.of("/metrics", "/health/ready", "/health/live")) {
                assertNotServed(host + path, raw("GET " + path + " HTTP/1.1", "Host: " + host));
            }
        }
    }

    @Test
    void twoHostsAnAbsoluteTargetForwardingHeadersOrNoHostAreNotAnswered() throws Exception {
        assertNotServed("localhost first", raw("GET /metrics HTTP/1.1", "Host: localhost", "Host: evil.example"));
        assertNotServed("evil first", raw("GET /metrics HTTP/1.1", "Host: evil.example", "Host: localhost"));
        assertNotServed("absolute evil", raw("GET http://evil.example/metrics HTTP/1.1", "Host: localhost"));
        assertNotServed("X-Forwarded-Host", raw("GET /metrics HTTP/1.1", "Host: evil.example", "X-Forwarded-Host: localhost"));
        assertNotServed("Forwarded", raw("GET /metrics HTTP/1.1", "Host: evil.example", "Forwarded: host=localhost"));
        assertNotServed("no Host", raw("GET /metrics HTTP/1.1"));
        assertNotServed("empty Host", raw("GET /metrics HTTP/1.1", "Host: "));
        assertThat(raw("GET /metrics HTTP/1.1", "Host: localhost", "X-Forwarded-Host: evil.example")[0]).isEqualTo("200");
    }
}
