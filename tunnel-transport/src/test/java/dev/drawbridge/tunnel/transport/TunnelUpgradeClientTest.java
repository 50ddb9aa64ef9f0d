package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The connector's dial: refusals carry the status and headers; WebSocket keeps working on the same client. */
class TunnelUpgradeClientTest {
    @ParameterizedTest
    @ValueSource(ints = {400, 401, 403, 404, 500})
    void aRefusalSurfacesWithItsStatusAndHeaders(int status) throws Exception {
        try (TunnelFixture f = new TunnelFixture()) {
            f.behaviour = (request, response, callback) -> {
                response.getHeaders().put("X-Drawbridge-Tunnel-Features", "trailers1");
                Response.writeError(request, response, callback, status, "refused");
                return true;
            };
            RecordingReceiver client = new RecordingReceiver();
            ExecutionException failed = catchThrowableOfType(ExecutionException.class,
                    () -> TunnelUpgradeClient.dial(f.client, f.uri(), HttpFields.EMPTY, client, Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS));
            assertThat(failed.getCause()).isInstanceOfSatisfying(TunnelUpgradeRefusedException.class, refused -> {
                assertThat(refused.status()).isEqualTo(status);
                assertThat(refused.headers().get("X-Drawbridge-Tunnel-Features")).isEqualTo("trailers1");
            });
            assertThat(client.opened).hasValue(0);
            assertThat(client.closed).isEmpty();
        }
    }

    /** A server answering 101 to another protocol (say it upgraded to WebSocket) is a refusal, never a link. */
    @Test
    void a101ToAnotherProtocolIsRefused() throws Exception {
        try (TunnelFixture f = new TunnelFixture()) {
            f.behaviour = (request, response, callback) -> {
                response.setStatus(101);
                response.getHeaders().put("Upgrade", "websocket").put("Connection", "Upgrade");
                response.write(true, null, callback);
                return true;
            };
            RecordingReceiver client = new RecordingReceiver();
            ExecutionException failed = catchThrowableOfType(ExecutionException.class,
                    () -> TunnelUpgradeClient.dial(f.client, f.uri(), HttpFields.EMPTY, client, Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS));
            assertThat(failed.getCause()).isInstanceOfSatisfying(TunnelUpgradeRefusedException.class, r -> assertThat(r.status()).isEqualTo(101));
            assertThat(client.opened).hasValue(0);
        }
    }

    @Test
    void theDialSendsTheCallersHeadersAndWebSocketStillWorksOnTheSameClient() throws Exception {
        try (TunnelFixture f = new TunnelFixture(server -> WebSocketUpgradeHandler.from(server, container ->
                container.addMapping("/ws", (rq, rs, cb) -> new Echo())))) {
            HttpFields headers = HttpFields.build().add("X-Drawbridge-Connector-Version", "1.2.3");
            RecordingReceiver client = new RecordingReceiver();
            DialedLink dialed = TunnelUpgradeClient.dial(f.client, f.uri(), headers, client, Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS);
            RecordingReceiver server = f.awaitServerLink();
            assertThat(f.requestsSeen.getLast().getHeaders().get("X-Drawbridge-Connector-Version")).isEqualTo("1.2.3");
            dialed.link().write(FrameCodec.encode(new Frame.Ping(3)), () -> { }, t -> { });
            RecordingReceiver.await(() -> server.frames.size() == 1, "the frame");

            WebSocketClient webSockets = new WebSocketClient(f.client);
            webSockets.start();
            try {
                Capture capture = new Capture();
                CompletableFuture<String> echoed = capture.text;
                Session session = webSockets.connect(capture, URI.create("wss://localhost:" + f.connector.getLocalPort() + "/ws")).get(20, TimeUnit.SECONDS);
                session.sendText("hello", Callback.NOOP);
                assertThat(echoed.get(20, TimeUnit.SECONDS)).isEqualTo("hello");
                session.close();
            } finally {
                webSockets.stop();
            }
        }
    }

    /**
     * The replaced "upgrade" handler must not weaken WebSocket on the same client: a 101 without the right
     * {@code Sec-WebSocket-Accept}, or one that names this tunnel protocol, still fails a WebSocket connect; and a
     * WebSocket-shaped 101 never becomes a tunnel link.
     */
    @ParameterizedTest
    @ValueSource(strings = {"none", "wrong", "tunnel"})
    void aWebSocketConnectStillChecksItsAnswerOnAClientWithTheHandlerInstalled(String answer) throws Exception {
        try (TunnelFixture f = new TunnelFixture()) {
            TunnelUpgradeClient.install(f.client);
            f.behaviour = (request, response, callback) -> {
                response.setStatus(101);
                response.getHeaders().put("Connection", "Upgrade")
                        .put("Upgrade", "tunnel".equals(answer) ? FrameConnection.PROTOCOL : "websocket");
                if ("wrong".equals(answer)) {
                    response.getHeaders().put("Sec-WebSocket-Accept", "s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
                }
                response.write(true, null, callback);
                return true;
            };
            WebSocketClient webSockets = new WebSocketClient(f.client);
            webSockets.start();
            try {
                CompletableFuture<Session> connect = webSockets.connect(new Capture(),
                        URI.create("wss://localhost:" + f.connector.getLocalPort() + "/ws"));
                assertThat(catchThrowableOfType(ExecutionException.class, () -> connect.get(20, TimeUnit.SECONDS))).isNotNull();
                assertThat(f.serverReceivers).as("no tunnel link on the server").isEmpty();
            } finally {
                webSockets.stop();
            }
        }
    }

    /** Keeps the first text message. */
    public static final class Capture implements Session.Listener.AutoDemanding {
        final CompletableFuture<String> text = new CompletableFuture<>();

        @Override
        public void onWebSocketText(String message) {
            text.complete(message);
        }
    }

    /** Echoes text messages. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            this.session = s;
        }

        @Override
        public void onWebSocketText(String message) {
            session.sendText(message, Callback.NOOP);
        }
    }
}
