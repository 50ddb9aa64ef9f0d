package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import static dev.drawbridge.model.tunnel.MuxPair.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Multiplexer.Lifecycle#streamClosed}: told once per stream on each side, when it is done, with what happened to
 * it (the head's status and when it came, the reset, the bytes), whether it ended, was reset by either side, or died
 * with the connection. What the metrics and access logs of both programs are built on.
 */
@Timeout(30)
class StreamClosedTest {
    private final Queue<TunnelStream> proxyClosed = new ConcurrentLinkedQueue<>();
    private final Queue<TunnelStream> connectorClosed = new ConcurrentLinkedQueue<>();
    private final MuxPair pair = new MuxPair(Multiplexer.LAST_STREAM_ID, observer(proxyClosed), observer(connectorClosed));

    private static Multiplexer.Lifecycle observer(Queue<TunnelStream> closed) {
        return new Multiplexer.Lifecycle() {
            @Override
            public void streamClosed(TunnelStream stream) {
                closed.add(stream);
            }
        };
    }

    @AfterEach
    void tearDown() {
        pair.close();
    }

    private static RequestHead bodyless() {
        return new RequestHead("app-1", "GET", "http://intranet/", List.of(), Duration.ofSeconds(5), false, false);
    }

    @Test
    void aWholeAnswerClosesBothSidesOnceWithItsStatusAndBytes() throws Exception {
        TunnelStream proxy = pair.proxy.open(bodyless());
        proxy.endOutputWithoutFrame();
        TunnelStream connector = pair.accept();
        assertThat(connector.headStatus()).isEmpty();
        assertThat(connector.nanosToHead()).isEmpty();
        connector.sendWhole(new ResponseHead(204, List.of()), new byte[0]);
        proxy.awaitHead(Duration.ofSeconds(5));

        await("both sides closed the stream", () -> proxyClosed.size() == 1 && connectorClosed.size() == 1);
        assertThat(connectorClosed.peek()).isSameAs(connector);
        assertThat(proxyClosed.peek()).isSameAs(proxy);
        for (TunnelStream s : List.of(proxy, connector)) {
            assertThat(s.headStatus()).hasValue(204);
            assertThat(s.nanosToHead()).isPresent();
            assertThat(s.nanosToHead().getAsLong()).isNotNegative().isLessThanOrEqualTo(s.nanosSinceOpen());
            assertThat(s.resetCode()).isEmpty();
        }
    }

    @Test
    void aStreamedAnswerCountsBodyBytesOnBothSides() throws Exception {
        TunnelStream proxy = pair.proxy.open(bodyless());
        proxy.endOutputWithoutFrame();
        TunnelStream connector = pair.accept();
        connector.sendHead(new ResponseHead(200, List.of()));
        byte[] body = "hello, tunnel".getBytes(StandardCharsets.UTF_8);
        connector.write(body, 0, body.length);
        connector.endOutput();
        assertThat(proxy.awaitHead(Duration.ofSeconds(5)).status()).isEqualTo(200);
        assertThat(proxy.read()).isEqualTo(body);
        assertThat(proxy.read()).isNull();

        await("both sides closed the stream", () -> proxyClosed.size() == 1 && connectorClosed.size() == 1);
        assertThat(connector.bytesSent()).isEqualTo(body.length);
        assertThat(proxy.bytesReceived()).isEqualTo(body.length);
        assertThat(proxy.headStatus()).hasValue(200);
    }

    @Test
    void aResetBeforeTheHeadReportsItsCodeOnBothSidesAndNoStatus() throws Exception {
        TunnelStream proxy = pair.proxy.open(bodyless());
        proxy.endOutputWithoutFrame();
        TunnelStream connector = pair.accept();
        connector.reset(ResetCode.UPSTREAM_UNREACHABLE, "connection refused");

        await("both sides closed the stream", () -> proxyClosed.size() == 1 && connectorClosed.size() == 1);
        for (TunnelStream s : List.of(proxy, connector)) {
            assertThat(s.resetCode()).hasValue(ResetCode.UPSTREAM_UNREACHABLE);
            assertThat(s.headStatus()).isEmpty();
        }
    }

    @Test
    void streamsLeftOpenAreClosedWithTheConnectionOnce() throws Exception {
        TunnelStream proxy = pair.proxy.open(MuxPair.head("a"));
        pair.accept();
        pair.proxy.close("tunnel lost");
        pair.proxy.close("again");

        await("the proxy side closed the stream", () -> proxyClosed.size() == 1);
        assertThat(proxy.resetCode()).hasValue(ResetCode.TUNNEL_CLOSED);
        assertThat(proxyClosed).containsExactly(proxy);
    }

    @Test
    void anObserverThatThrowsDoesNotBreakTheTunnel() throws Exception {
        try (MuxPair failing = new MuxPair(Multiplexer.LAST_STREAM_ID, new Multiplexer.Lifecycle() {
            @Override
            public void streamClosed(TunnelStream stream) {
                throw new IllegalStateException("observer bug");
            }
        }, Multiplexer.Lifecycle.NONE)) {
            for (int i = 0; i < 2; i++) {
                TunnelStream proxy = failing.proxy.open(bodyless());
                proxy.endOutputWithoutFrame();
                failing.accept().sendWhole(new ResponseHead(200, List.of()), new byte[]{1});
                assertThat(proxy.awaitHead(Duration.ofSeconds(5)).status()).isEqualTo(200);
            }
            assertThat(failing.proxy.isOpen()).isTrue();
        }
    }
}
