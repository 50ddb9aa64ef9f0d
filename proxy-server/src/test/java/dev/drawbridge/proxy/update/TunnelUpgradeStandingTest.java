package dev.drawbridge.proxy.update;

import dev.drawbridge.proxy.tunnel.TunnelHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code drawbridge-tunnel/2} upgrade is granted only after every check {@link TunnelHandler} makes for the WebSocket
 * upgrade: a client certificate, the exact path as sent, a registered connector, not revoked, not expired by the server's
 * clock. Each refusal is the WebSocket path's (401, 404 or Jetty's 400, 403), never a 101.
 */
class TunnelUpgradeStandingTest {
    @TempDir
    Path dir;

    @Test
    void onlyARegisteredUnrevokedUnexpiredConnectorAtTheExactPathIsUpgraded() throws Exception {
        try (UpdateServer s = new UpdateServer(dir.resolve("server"))) {
            UpdateServer.Identity c = s.register("Upgrades", "host-u", "1.0.0");
            assertThat(upgrade(s, c, TunnelHandler.PATH)).as("registered, at the exact path").isEqualTo(101);
            assertThat(upgrade(s, null, TunnelHandler.PATH)).as("no client certificate: TLS (0) or the handler (401) refuses")
                    .isIn(0, 401);

            List<String> upgraded = new ArrayList<>();
            for (String spelling : UpdateEndpointsTest.spellings(TunnelHandler.PATH)) {
                int status = upgrade(s, c, spelling);
                if (status != 404 && status != 400) {
                    upgraded.add(spelling + " -> " + status);
                }
            }
            assertThat(upgraded).as("other spellings of the tunnel path not refused").isEmpty();

            Instant now = s.clock.instant();
            s.clock.set(c.cert().getNotAfter().toInstant().plusSeconds(1));
            assertThat(upgrade(s, c, TunnelHandler.PATH)).as("expired by the server's clock").isEqualTo(403);
            s.clock.set(now);
            assertThat(upgrade(s, c, TunnelHandler.PATH)).as("valid again").isEqualTo(101);

            assertThat(s.json(s.bootstrap, "POST", "connectors/" + c.id() + "/revoke", null).status()).isBetween(200, 204);
            assertThat(upgrade(s, c, TunnelHandler.PATH)).as("revoked").isEqualTo(403);
        }
    }

    /**
     * Sends the {@code drawbridge-tunnel/2} upgrade on the tunnel port with {@code who}'s certificate; the answer's status,
     * or 0 when the TLS handshake refused the connection.
     */
    private static int upgrade(UpdateServer s, UpdateServer.Identity who, String target) throws Exception {
        SSLContext ctx = who == null ? Wire.context(s.server.serverCaCertificate(), null, null)
                : Wire.context(s.server.serverCaCertificate(), who.key(), who.cert());
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", s.server.tunnelPort())) {
            socket.setSoTimeout(20_000);
            try {
                socket.startHandshake();
                socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + UpdateServer.ADMIN_HOST
                        + "\r\nConnection: Upgrade\r\nUpgrade: drawbridge-tunnel/2\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                return Integer.parseInt(statusLine(socket.getInputStream()).split(" ")[1]);
            } catch (SSLException | SocketException refused) {
                // TLS 1.3: the server's refusal of a missing certificate comes after the client's handshake ended, with
                // the first read or, when the server already closed, as a broken pipe on the first write.
                return 0;
            }
        }
    }

    private static String statusLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        while (!line.toString().endsWith("\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in the status line: " + line);
            }
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
