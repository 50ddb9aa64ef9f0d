package dev.drawbridge.systemtests.connector;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.tunnel.TransportChoice;
import dev.drawbridge.proxy.tunnel.TunnelConnection;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The stack starts its connectors with the transport choice it is given (by default the system property
 * {@code drawbridge.tunnel.transport}, else auto), so the transport-touching system tests can run under each; forced to
 * WebSocket, every tunnel the server holds says so.
 */
class TunnelTransportChoiceTest {
    @TempDir
    Path dir;

    @Test
    void theStacksConnectorsDialWithTheTransportChoiceTheStackWasGiven() throws Exception {
        try (DrawbridgeStack stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server"))
                .withConnectorTransport(TransportChoice.Mode.WEBSOCKET))) {
            assertThat(stack.options().connectorTransport()).isEqualTo(TransportChoice.Mode.WEBSOCKET);
            Connector c = stack.startConnector(dir.resolve("forced"), 2);
            assertThat(c.transports().mode()).isEqualTo(TransportChoice.Mode.WEBSOCKET);
            assertThat(stack.server().registry().tunnels()).hasSize(2).extracting(TunnelConnection::protocol).containsOnly("websocket");
        }
        assertThat(DrawbridgeStack.Options.forTests(dir).connectorTransport()).as("the default")
                .isEqualTo(TransportChoice.Mode.fromSystemProperty());
        try (DrawbridgeStack stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server2"))
                .withConnectorTransport(TransportChoice.Mode.AUTO))) {
            Connector c = stack.startConnector(dir.resolve("auto"), 1);
            assertThat(c.transports().mode()).isEqualTo(TransportChoice.Mode.AUTO);
            assertThat(stack.server().registry().tunnels()).hasSize(1);
        }
    }
}
