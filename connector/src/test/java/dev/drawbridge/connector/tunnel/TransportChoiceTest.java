package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.websocket.api.exceptions.UpgradeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The connector's choice of transport, with fake dialers: in mode auto the first transport is tried; a refusal other than
 * 401/403 (an older server's 400, anything in between's 404 or 502) redials at once with WebSocket, with the same headers
 * and receiver, and WebSocket is remembered for that tunnel URL until the URL changes; 401 and 403 are permanent and never
 * fall back; a failure that is not an answer (connection refused) does not fall back nor remember; mode websocket never
 * tries the first transport; the mode is parsed from the option's and the system property's spellings.
 */
class TransportChoiceTest {
    private static final URI A = URI.create("wss://server.example:8444/connector/v1/tunnel");
    private static final URI B = URI.create("wss://server.example:9444/connector/v1/tunnel");
    private static final HttpFields HEADERS = HttpFields.build().put("X-Drawbridge-Connector-Version", "t").asImmutable();
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

    /** A dialer that answers as told and records what it was asked. */
    static final class FakeDialer implements LinkDialer {
        final String protocol;
        final Function<URI, CompletableFuture<Dialed>> answer;
        final List<URI> dialled = new ArrayList<>();
        final List<HttpFields> headers = new ArrayList<>();
        final List<TunnelLink.Receiver> receivers = new ArrayList<>();

        FakeDialer(String protocol, Function<URI, CompletableFuture<Dialed>> answer) {
            this.protocol = protocol;
            this.answer = answer;
        }

        @Override
        public String protocol() {
            return protocol;
        }

        @Override
        public CompletableFuture<Dialed> dial(URI url, HttpFields h, TunnelLink.Receiver receiver) {
            dialled.add(url);
            headers.add(h);
            receivers.add(receiver);
            return answer.apply(url);
        }
    }

    static TunnelLink link(String protocol) {
        return new TunnelLink() {
            @Override
            public String protocol() {
                return protocol;
            }

            @Override
            public boolean isOpen() {
                return true;
            }

            @Override
            public void close(CloseReason reason, String text) {
            }

            @Override
            public void write(ByteBuffer frame, Runnable written, Consumer<Throwable> failed) {
                written.run();
            }
        };
    }

    private static CompletableFuture<LinkDialer.Dialed> opens(String protocol) {
        return CompletableFuture.completedFuture(new LinkDialer.Dialed(link(protocol), HttpFields.EMPTY));
    }

    private static CompletableFuture<LinkDialer.Dialed> refused(int status) {
        return CompletableFuture.failedFuture(new DialRefusedException(status, "answered " + status));
    }

    private final FakeDialer webSocket = new FakeDialer("websocket", url -> opens("websocket"));

    @AfterEach
    void clearProperty() {
        System.clearProperty(TransportChoice.PROPERTY);
    }

    private static String protocolOf(CompletableFuture<LinkDialer.Dialed> f) throws Exception {
        return f.get(5, TimeUnit.SECONDS).link().protocol();
    }

    @Test
    void aRefusalOtherThan401Or403RedialsAtOnceWithWebSocketAndRemembersItForThatUrl() throws Exception {
        for (int status : new int[]{400, 404, 426, 500, 502}) {
            FakeDialer first = new FakeDialer("drawbridge-tunnel/2", url -> refused(status));
            FakeDialer ws = new FakeDialer("websocket", url -> opens("websocket"));
            TransportChoice choice = new TransportChoice(TransportChoice.Mode.AUTO, Optional.of(first), ws);
            assertThat(protocolOf(choice.dial(A, HEADERS, RECEIVER))).as("status %d", status).isEqualTo("websocket");
            assertThat(ws.headers).as("the same upgrade headers").containsExactly(HEADERS);
            assertThat(ws.receivers).as("the receiver, never opened by the refused dial").containsExactly(RECEIVER);
            assertThat(protocolOf(choice.dial(A, HEADERS, RECEIVER))).isEqualTo("websocket");
            assertThat(protocolOf(choice.dial(A, HEADERS, RECEIVER))).isEqualTo("websocket");
            assertThat(first.dialled).as("status %d: remembered for %s", status, A).containsExactly(A);
            assertThat(ws.dialled).containsExactly(A, A, A);
        }
    }

    @Test
    void aChangedTunnelUrlTriesTheFirstTransportAgain() throws Exception {
        List<URI> refusing = new ArrayList<>(List.of(A));
        FakeDialer first = new FakeDialer("drawbridge-tunnel/2", url -> refusing.contains(url) ? refused(400) : opens("drawbridge-tunnel/2"));
        TransportChoice choice = new TransportChoice(TransportChoice.Mode.AUTO, Optional.of(first), webSocket);
        assertThat(protocolOf(choice.dial(A, HEADERS, RECEIVER))).isEqualTo("websocket");
        assertThat(protocolOf(choice.dial(B, HEADERS, RECEIVER))).as("the server moved: it may be a newer one").isEqualTo("drawbridge-tunnel/2");
        assertThat(protocolOf(choice.dial(A, HEADERS, RECEIVER))).as("back at A: the URL changed again, so A is tried again")
                .isEqualTo("websocket");
        assertThat(first.dialled).containsExactly(A, B, A);
        assertThat(webSocket.dialled).containsExactly(A, A);
    }

    @Test
    void a401Or403IsPermanentAndNeverFallsBack() {
        for (int status : new int[]{401, 403}) {
            FakeDialer first = new FakeDialer("drawbridge-tunnel/2", url -> refused(status));
            FakeDialer ws = new FakeDialer("websocket", url -> opens("websocket"));
            TransportChoice choice = new TransportChoice(TransportChoice.Mode.AUTO, Optional.of(first), ws);
            assertThatThrownBy(() -> choice.dial(A, HEADERS, RECEIVER).get(5, TimeUnit.SECONDS))
                    .isInstanceOf(ExecutionException.class)
                    .satisfies(e -> {
                        assertThat(e.getCause()).isInstanceOf(DialRefusedException.class);
                        assertThat(((DialRefusedException) e.getCause()).status()).isEqualTo(status);
                        assertThat(TunnelClient.isPermanent(e.getCause())).as("the connector stops: register again").isTrue();
                    });
            assertThat(ws.dialled).as("status %d", status).isEmpty();
            assertThat(choice.firstFor(A)).as("nothing remembered").isSameAs(first);
        }
    }

    @Test
    void aFailureThatIsNoAnswerNeitherFallsBackNorIsRemembered() {
        FakeDialer first = new FakeDialer("drawbridge-tunnel/2", url -> CompletableFuture.failedFuture(new ConnectException("Connection refused")));
        TransportChoice choice = new TransportChoice(TransportChoice.Mode.AUTO, Optional.of(first), webSocket);
        assertThatThrownBy(() -> choice.dial(A, HEADERS, RECEIVER).get(5, TimeUnit.SECONDS))
                .hasCauseInstanceOf(ConnectException.class)
                .satisfies(e -> assertThat(TunnelClient.isPermanent(e.getCause())).isFalse());
        assertThat(webSocket.dialled).isEmpty();
        assertThat(choice.firstFor(A)).isSameAs(first);
    }

    @Test
    void aServerThatAcceptsTheFirstTransportGetsItEveryTime() throws Exception {
        FakeDialer first = new FakeDialer("drawbridge-tunnel/2", url -> opens("drawbridge-tunnel/2"));
        TransportChoice choice = new TransportChoice(TransportChoice.Mode.AUTO, Optional.of(first), webSocket);
        assertThat(protocolOf(choice.dial(A, HEADERS, RECEIVER))).isEqualTo("drawbridge-tunnel/2");
        assertThat(protocolOf(choice.dial(A, HEADERS, RECEIVER))).isEqualTo("drawbridge-tunnel/2");
        assertThat(first.dialled).containsExactly(A, A);
        assertThat(first.receivers).containsExactly(RECEIVER, RECEIVER);
        assertThat(webSocket.dialled).isEmpty();
    }

    @Test
    void modeWebSocketNeverTriesTheFirstTransport() throws Exception {
        FakeDialer first = new FakeDialer("drawbridge-tunnel/2", url -> opens("drawbridge-tunnel/2"));
        TransportChoice choice = new TransportChoice(TransportChoice.Mode.WEBSOCKET, Optional.of(first), webSocket);
        assertThat(protocolOf(choice.dial(A, HEADERS, RECEIVER))).isEqualTo("websocket");
        assertThat(protocolOf(choice.dial(B, HEADERS, RECEIVER))).isEqualTo("websocket");
        assertThat(first.dialled).isEmpty();
        assertThat(webSocket.dialled).containsExactly(A, B);
    }

    @Test
    void autoWithoutASecondTransportDialsWebSocket() throws Exception {
        TransportChoice choice = new TransportChoice(TransportChoice.Mode.AUTO, Optional.empty(), webSocket);
        assertThat(protocolOf(choice.dial(A, HEADERS, RECEIVER))).isEqualTo("websocket");
        assertThat(webSocket.dialled).containsExactly(A);
    }

    @Test
    void theModeIsAutoOrWebSocketInAnyCaseAndTheSystemPropertySetsItWhenGiven() {
        assertThat(TransportChoice.Mode.parse("auto")).isEqualTo(TransportChoice.Mode.AUTO);
        assertThat(TransportChoice.Mode.parse(" WebSocket ")).isEqualTo(TransportChoice.Mode.WEBSOCKET);
        for (String bad : new String[]{"", "ws", "h2", "drawbridge-tunnel/2", "websockets"}) {
            assertThatThrownBy(() -> TransportChoice.Mode.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("must be auto or websocket, not '" + bad + "'");
        }
        System.clearProperty(TransportChoice.PROPERTY);
        assertThat(TransportChoice.Mode.fromSystemProperty()).isEqualTo(TransportChoice.Mode.AUTO);
        System.setProperty(TransportChoice.PROPERTY, "websocket");
        assertThat(TransportChoice.Mode.fromSystemProperty()).isEqualTo(TransportChoice.Mode.WEBSOCKET);
        System.setProperty(TransportChoice.PROPERTY, "tcp");
        assertThatThrownBy(TransportChoice.Mode::fromSystemProperty).hasMessage(
                "the system property drawbridge.tunnel.transport must be auto or websocket, not 'tcp'");
    }

    @Test
    void theWebSocketDialerReportsARefusedUpgradeWithItsStatusAndPassesOtherFailuresOn() {
        IOException io = new IOException("Connection reset");
        assertThat(WebSocketDialer.refusal(io)).isSameAs(io);
        Throwable refused = WebSocketDialer.refusal(new UpgradeException(A, 400, "Bad Request"));
        assertThat(refused).isInstanceOf(DialRefusedException.class);
        assertThat(((DialRefusedException) refused).status()).isEqualTo(400);
        assertThat(((DialRefusedException) refused).isPermanent()).isFalse();
        Throwable forbidden = WebSocketDialer.refusal(new CompletionException(
                new UpgradeException(A, 403, "Forbidden")));
        assertThat(TunnelClient.isPermanent(forbidden)).isTrue();
    }
}
