package dev.drawbridge.connector.update;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.tunnel.TransportChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector of this version in front of a server that only knows the WebSocket tunnel (the fake tunnel port, which
 * answers any other upgrade with 404, as a server older than drawbridge-tunnel/2 does): it asks for drawbridge-tunnel/2,
 * is refused, dials WebSocket at once and keeps to it for that tunnel URL.
 */
@Timeout(60)
class OlderServerFallbackTest {
    @TempDir
    Path state;

    @Test
    void anOlderServerIsDialledWithWebSocketAfterRefusingTheNewerTransport() throws Exception {
        try (FakeTunnelPort port = new FakeTunnelPort()) {
            port.writeIdentity(state, false);
            Connector.Options options = new Connector.Options(state, 2, Optional.empty(), Duration.ofSeconds(10), Optional.empty(),
                    TransportChoice.Mode.AUTO);
            try (Connector connector = Connector.start(options)) {
                connector.awaitConnected(Duration.ofSeconds(20));
                assertThat(connector.connectedTunnels()).isEqualTo(2);
                assertThat(port.otherTunnelUpgrades).isNotEmpty().allMatch("drawbridge-tunnel/2"::equals);
                // The port counts a WebSocket once its side opened, which may come just after the connector's.
                Eventually.until("both WebSockets open on the port", Duration.ofSeconds(10), () -> port.tunnelsOpened.get() >= 2);
                assertThat(connector.transports().firstFor(connector.tunnelUrl()).protocol()).isEqualTo("websocket");
            }
        }
    }
}
