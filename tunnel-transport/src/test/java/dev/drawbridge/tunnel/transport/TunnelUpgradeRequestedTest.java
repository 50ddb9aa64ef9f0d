package dev.drawbridge.tunnel.transport;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which requests the server upgrades ({@link TunnelUpgrade#requested}), by every spelling of the request line and the two
 * headers: tokens and header names in any case and in lists, but exactly one protocol, ours, on an HTTP/1.1 GET without
 * a body. Anything else goes on to the next handler (here a 400, as an older server's WebSocket-only endpoint answers).
 */
class TunnelUpgradeRequestedTest {
    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
        "GET / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade: drawbridge-tunnel/2                    | 101",
        "GET / HTTP/1.1\\r\\nconnection: upgrade\\r\\nupgrade: drawbridge-tunnel/2                    | 101",
        "GET / HTTP/1.1\\r\\nCONNECTION: UPGRADE\\r\\nUPGRADE: DRAWBRIDGE-TUNNEL/2                    | 101",
        "GET / HTTP/1.1\\r\\nConnection: keep-alive, Upgrade\\r\\nUpgrade: drawbridge-tunnel/2       | 101",
        "GET / HTTP/1.1\\r\\nConnection: keep-alive\\r\\nConnection: upgrade\\r\\nUpgrade: drawbridge-tunnel/2 | 101",
        "GET / HTTP/1.1\\r\\nUpgrade: drawbridge-tunnel/2                                           | 400",
        "GET / HTTP/1.1\\r\\nConnection: upgraded\\r\\nUpgrade: drawbridge-tunnel/2                   | 400",
        "GET / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade: drawbridge-tunnel/2, websocket         | 400",
        "GET / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade: websocket, drawbridge-tunnel/2         | 400",
        "GET / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade: drawbridge-tunnel/2\\r\\nUpgrade: h2c   | 400",
        "GET / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade: drawbridge-tunnel/3                    | 400",
        "GET / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade: drawbridge-tunnel                      | 400",
        "GET / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade: drawbridge-tunnel/2x                   | 400",
        "GET / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade: drawbridge_tunnel/2                    | 400",
        "GET / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade:                                        | 400",
        "GET / HTTP/1.0\\r\\nConnection: Upgrade\\r\\nUpgrade: drawbridge-tunnel/2                    | 400",
        "POST / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade: drawbridge-tunnel/2\\r\\nContent-Length: 0 | 400",
        "GET / HTTP/1.1\\r\\nConnection: Upgrade\\r\\nUpgrade: drawbridge-tunnel/2\\r\\nContent-Length: 5\\r\\n\\r\\nhello | 400",
    })
    void upgradesExactlyOurProtocol(String head, int status) throws Exception {
        String request = head.strip().replace("\\r\\n", "\r\n").replaceFirst("\r\n", "\r\nHost: localhost\r\n");
        if (!request.contains("\r\n\r\n")) {
            request += "\r\n\r\n";
        }
        try (TunnelFixture f = new TunnelFixture(); SSLSocket s = f.rawSocket()) {
            TunnelFixture.writeAll(s.getOutputStream(), request.getBytes(StandardCharsets.US_ASCII));
            assertThat(TunnelFixture.readHead(s.getInputStream())).matches("(?s)HTTP/1\\.[01] " + status + " .*");
            assertThat(f.serverReceivers).hasSize(status == 101 ? 1 : 0);
        }
    }
}
