package dev.drawbridge.connector.operations;

import dev.drawbridge.model.http.LocalhostNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Review (issue 11): as the server's, the connector's management listener keys its DNS-rebinding defence on the spelling
 * of {@code --management-bind}: bound by a name that resolves to loopback (this machine's host name on Debian), it
 * listens on loopback yet answers any {@code Host}, so a page in a local browser reads it through a rebound name.
 */
@Timeout(30)
class ManagementHostReviewTest {
    @Test
    void aBindNameThatResolvesToLoopbackStillRefusesARebindingPage() throws Exception {
        String name = InetAddress.getLocalHost().getHostName();
        assumeTrue(InetAddress.getByName(name).isLoopbackAddress() && !LocalhostNames.isLoopback(name),
                "this machine's host name does not resolve to a loopback address");
        ConnectorHealth health = new ConnectorHealth(() -> 1, () -> 1, () -> false);
        try (ManagementServer server = ManagementServer.start(name, 0, () -> "drawbridge_connector_streams 0.0\n", health);
             Socket s = new Socket(InetAddress.getByName(name), server.port())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: rebound.attacker.example:" + server.port()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.ISO_8859_1));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 403").doesNotContain("drawbridge_connector_streams");
        }
    }
}
