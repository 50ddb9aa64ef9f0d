package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.tunnel.transport.FrameConnection;
import dev.drawbridge.tunnel.transport.PinnedInput;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An outbound HTTP proxy (or whatever answers as one) that refuses the CONNECT itself never reaches the server, so its
 * status says nothing about the server nor about this connector: with the real dialers behind the connector's choice,
 * a proxy's 400, 403, 404 or 500 to CONNECT neither downgrades the tunnel URL to WebSocket for the process's life nor
 * counts as the server refusing this connector for good (401/403 of the server stop the connector). The server's own
 * answers come inside the pinned mutual TLS, out of the proxy's reach.
 */
class HostileProxyTransportTest {
    private static final URI URL = URI.create("wss://server.example:8444/connector/v1/tunnel");
    private static final TunnelLink.Receiver RECEIVER = new TunnelLink.Receiver() {
        @Override
        public void opened(TunnelLink link) {
        }

        @Override
        public void frame(ByteBuffer frame) {
        }

        @Override
        public void closed(String reason) {
        }
    };
    private ServerSocket proxy;
    private HttpClient http;
    private WebSocketClient ws;

    @AfterEach
    void stop() throws Exception {
        if (ws != null) {
            ws.stop();
        }
        if (http != null) {
            http.stop();
        }
        if (proxy != null) {
            proxy.close();
        }
    }

    /** A proxy answering every CONNECT with {@code status}; counts the CONNECTs. */
    private AtomicInteger proxyAnswering(int status) throws IOException {
        proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        AtomicInteger connects = new AtomicInteger();
        Thread.ofVirtual().start(() -> {
            while (!proxy.isClosed()) {
                try (Socket s = proxy.accept()) {
                    InputStream in = s.getInputStream();
                    StringBuilder head = new StringBuilder();
                    while (!head.toString().endsWith("\r\n\r\n")) {
                        int b = in.read();
                        if (b < 0) {
                            break;
                        }
                        head.append((char) b);
                    }
                    if (head.toString().startsWith("CONNECT ")) {
                        connects.incrementAndGet();
                    }
                    s.getOutputStream().write(("HTTP/1.1 " + status + " Proxy Says So\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.US_ASCII));
                    s.getOutputStream().flush();
                } catch (IOException e) {
                    return;
                }
            }
        });
        return connects;
    }

    private TransportChoice choice() throws Exception {
        ClientConnector connector = new ClientConnector();
        connector.setSslContextFactory(new SslContextFactory.Client(true));
        http = new HttpClient(new HttpClientTransportOverHTTP(connector));
        http.getProxyConfiguration().addProxy(new HttpProxy("127.0.0.1", proxy.getLocalPort()));
        http.start();
        ws = new WebSocketClient(http);
        ws.start();
        FrameLinkDialer frames = new FrameLinkDialer(http, Duration.ofSeconds(10), new PinnedInput(PinnedInput.CONNECTOR_DEFAULT));
        return new TransportChoice(TransportChoice.Mode.AUTO, Optional.of(frames), new WebSocketDialer(ws));
    }

    @ParameterizedTest
    @ValueSource(ints = {400, 403, 404, 407, 500, 502})
    void aProxyRefusingConnectNeitherDowngradesNorStopsTheConnector(int status) throws Exception {
        AtomicInteger connects = proxyAnswering(status);
        TransportChoice choice = choice();
        assertThatThrownBy(() -> choice.dial(URL, HttpFields.EMPTY, RECEIVER).get(20, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .satisfies(e -> assertThat(TunnelClient.isPermanent(e.getCause())).as("refused for good").isFalse());
        assertThat(connects.get()).isPositive();
        assertThat(choice.firstFor(URL).protocol()).as("the next dial's transport").isEqualTo(FrameConnection.PROTOCOL);
    }
}
