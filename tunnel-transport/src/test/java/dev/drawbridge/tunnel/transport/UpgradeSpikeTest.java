package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ConnectHandler;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The three points the design left unverified (docs/design/tunnel-transport.md §6), answered against Jetty itself: the
 * upgrade with a custom token through an HTTP CONNECT proxy, the upgrade request's timeout ending at the 101, and the
 * server's HTTP/1.1 connection passing an {@code Upgrade} it has no connection factory for to the handler.
 */
class UpgradeSpikeTest {
    @Test
    void theUpgradeGoesThroughAnHttpConnectProxy() throws Exception {
        List<String> connects = new CopyOnWriteArrayList<>();
        Server proxy = new Server();
        ServerConnector proxyConnector = new ServerConnector(proxy);
        proxyConnector.setHost("127.0.0.1");
        proxy.addConnector(proxyConnector);
        proxy.setHandler(new ConnectHandler() {
            @Override
            protected void handleConnect(Request request, Response response, Callback callback, String serverAddress) {
                connects.add(serverAddress);
                super.handleConnect(request, response, callback, serverAddress);
            }
        });
        proxy.start();
        try (TunnelFixture f = new TunnelFixture()) {
            f.client.getProxyConfiguration().addProxy(new HttpProxy("127.0.0.1", proxyConnector.getLocalPort()));
            RecordingReceiver client = new RecordingReceiver();
            DialedLink dialed = TunnelUpgradeClient.dial(f.client, f.uri(), HttpFields.EMPTY, client, Duration.ofSeconds(30))
                    .get(20, TimeUnit.SECONDS);
            RecordingReceiver server = f.awaitServerLink();
            server.answerPings = true;
            dialed.link().write(FrameCodec.encode(new Frame.Ping(7)), () -> { }, t -> { });
            RecordingReceiver.await(() -> client.count(Frame.Pong.class) == 1, "the PONG back through the proxy");
            assertThat(connects).containsExactly("localhost:" + f.connector.getLocalPort());
            assertThat(dialed.responseHeaders().get("X-Drawbridge-Tunnel-Features")).isEqualTo("trailers1");
            dialed.link().close(TunnelLink.CloseReason.NORMAL, "done");
        } finally {
            proxy.stop();
        }
    }

    /** The dial's request timeout (here 1 s) would cut the link if it outlived the 101: the link keeps working past it. */
    @Test
    void theRequestTimeoutEndsAtThe101() throws Exception {
        try (TunnelFixture f = new TunnelFixture()) {
            RecordingReceiver client = new RecordingReceiver();
            Duration timeout = Duration.ofSeconds(1);
            DialedLink dialed = TunnelUpgradeClient.dial(f.client, f.uri(), HttpFields.EMPTY, client, timeout).get(20, TimeUnit.SECONDS);
            RecordingReceiver server = f.awaitServerLink();
            server.answerPings = true;
            long until = System.nanoTime() + timeout.multipliedBy(3).toNanos();
            int pings = 0;
            // Busy the whole time (so the idle timeout, also 1 s, never fires), for three times the request timeout.
            while (System.nanoTime() < until) {
                dialed.link().write(FrameCodec.encode(new Frame.Ping(pings)), () -> { }, t -> { });
                int expected = ++pings;
                RecordingReceiver.await(() -> client.count(Frame.Pong.class) == expected, "PONG " + expected);
            }
            assertThat(client.closed).isEmpty();
            assertThat(dialed.link().isOpen()).isTrue();
            assertThat(server.closed).isEmpty();
        }
    }

    @Test
    void anUpgradeTheServerHasNoFactoryForReachesTheHandler() throws Exception {
        try (TunnelFixture f = new TunnelFixture()) {
            f.behaviour = (request, response, callback) -> {
                if (request.getHeaders().contains(HttpHeader.UPGRADE)) {
                    response.getHeaders().put("X-Seen-Upgrade", request.getHeaders().get(HttpHeader.UPGRADE));
                    Response.writeError(request, response, callback, 400, "WebSocket upgrade required");
                    return true;
                }
                return false;
            };
            try (SSLSocket s = f.rawSocket()) {
                TunnelFixture.writeAll(s.getOutputStream(), TunnelFixture.upgradeRequest());
                String head = TunnelFixture.readHead(s.getInputStream());
                assertThat(head).startsWith("HTTP/1.1 400").containsIgnoringCase("X-Seen-Upgrade: drawbridge-tunnel/2");
            }
            assertThat(f.requestsSeen).hasSize(1);
        }
    }
}
