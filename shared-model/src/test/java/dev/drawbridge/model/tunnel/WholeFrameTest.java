package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A whole small response in one frame arrives as head, body and end; it round-trips through the codec; a head callback
 * finds it complete.
 */
class WholeFrameTest {
    @Test
    void codecRoundTrip() throws Exception {
        Frame.Whole w = new Frame.Whole(7, new ResponseHead(201, List.of(new HeaderField("Content-Type", "text/plain"),
                new HeaderField("Set-Cookie", "a=1"), new HeaderField("Set-Cookie", "b=2"))), "héllo".getBytes(StandardCharsets.UTF_8));
        Frame.Whole back = (Frame.Whole) FrameCodec.decode(FrameCodec.encode(w));
        assertThat(back.streamId()).isEqualTo(7);
        assertThat(back.head()).isEqualTo(w.head());
        assertThat(back.body()).isEqualTo(w.body());
        Frame.Whole empty = (Frame.Whole) FrameCodec.decode(FrameCodec.encode(new Frame.Whole(9, new ResponseHead(204, List.of()), new byte[0])));
        assertThat(empty.body()).isEmpty();
    }

    @Test
    void theProxyReadsHeadBodyAndEndAndTheStreamIsReleased() throws Exception {
        try (MuxPair pair = new MuxPair()) {
            TunnelStream proxySide = pair.proxy.open(new RequestHead("app", "GET", "http://in/x", List.of(), Duration.ofSeconds(5), false, false));
            proxySide.endOutputWithoutFrame();
            TunnelStream connectorSide = pair.accepted.poll(5, TimeUnit.SECONDS);
            connectorSide.sendWhole(new ResponseHead(200, List.of(new HeaderField("X", "y"))), "body".getBytes(StandardCharsets.UTF_8));
            assertThat(proxySide.awaitHead(Duration.ofSeconds(5)).status()).isEqualTo(200);
            assertThat(new String(proxySide.read(), StandardCharsets.UTF_8)).isEqualTo("body");
            assertThat(proxySide.read()).isNull();
            assertThat(pair.proxy.activeStreams()).isZero();
            assertThat(pair.connector.activeStreams()).isZero();
            // One frame for the stream (a PING or PONG measuring the round trip for the windows may come any time).
            assertThat(pair.sentByConnector).filteredOn(f -> !(f instanceof Frame.Ping || f instanceof Frame.Pong)).hasSize(1);
            assertThatThrownBy(() -> connectorSide.sendWhole(new ResponseHead(200, List.of()), new byte[0]))
                    .isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void aHeadCallbackOnTheReaderFindsTheWholeBodyAlreadyThere() throws Exception {
        try (MuxPair pair = new MuxPair()) {
            TunnelStream proxySide = pair.proxy.open(new RequestHead("app", "GET", "http://in/x", List.of(), Duration.ofSeconds(5), false, false));
            proxySide.endOutputWithoutFrame();
            CompletableFuture<String> seen = new CompletableFuture<>();
            proxySide.whenHead(Duration.ofSeconds(5), (head, failure) -> {
                byte[] body = proxySide.takeWholeBody();
                seen.complete(failure + " " + head.status() + " " + (body == null ? null : new String(body, StandardCharsets.UTF_8))
                        + " on " + Thread.currentThread().getName().startsWith("pool"));
            });
            pair.accept().sendWhole(new ResponseHead(200, List.of()), "body".getBytes(StandardCharsets.UTF_8));
            // MuxPair's transport threads are "pool-N-thread-M": the callback ran where the frame was received.
            assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo("null 200 body on true");
            assertThat(proxySide.read()).as("the body was taken").isNull();
        }
    }

    @Test
    void aStreamedBodyIsNotWholeAtTheHead() throws Exception {
        try (MuxPair pair = new MuxPair()) {
            TunnelStream proxySide = pair.proxy.open(new RequestHead("app", "GET", "http://in/x", List.of(), Duration.ofSeconds(5), false, false));
            proxySide.endOutputWithoutFrame();
            CompletableFuture<byte[]> atHead = new CompletableFuture<>();
            proxySide.whenHead(Duration.ofSeconds(5), (head, failure) -> atHead.complete(proxySide.takeWholeBody()));
            TunnelStream connectorSide = pair.accept();
            connectorSide.sendHead(new ResponseHead(200, List.of()));
            assertThat(atHead.get(5, TimeUnit.SECONDS)).isNull();
            connectorSide.write("streamed".getBytes(StandardCharsets.UTF_8), 0, 8);
            connectorSide.endOutput();
            assertThat(new String(proxySide.read(), StandardCharsets.UTF_8)).isEqualTo("streamed");
            assertThat(proxySide.read()).isNull();
        }
    }

    @Test
    void theHeadCallbackReportsATimeoutAndAReset() throws Exception {
        try (MuxPair pair = new MuxPair()) {
            TunnelStream slow = pair.proxy.open(new RequestHead("app", "GET", "http://in/x", List.of(), Duration.ofSeconds(5), false, false));
            CompletableFuture<Throwable> timedOut = new CompletableFuture<>();
            slow.whenHead(Duration.ofMillis(50), (head, failure) -> timedOut.complete(failure));
            assertThat(timedOut.get(5, TimeUnit.SECONDS)).isInstanceOf(TimeoutException.class);
            pair.accept();

            TunnelStream refused = pair.proxy.open(new RequestHead("app", "GET", "http://in/y", List.of(), Duration.ofSeconds(5), false, false));
            CompletableFuture<Throwable> reset = new CompletableFuture<>();
            refused.whenHead(Duration.ofSeconds(5), (head, failure) -> reset.complete(failure));
            pair.accept().reset(ResetCode.UPSTREAM_UNREACHABLE, "connection refused");
            assertThat(reset.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(StreamResetException.class,
                    e -> assertThat(e.code()).isEqualTo(ResetCode.UPSTREAM_UNREACHABLE));
            assertThat(refused.takeWholeBody()).isNull();
        }
    }

    @Test
    void dataEncodedFromASliceEqualsTheDataFrame() throws Exception {
        byte[] big = "..payload..".getBytes(StandardCharsets.UTF_8);
        assertThat(FrameCodec.encodeData(3, big, 2, 7)).isEqualTo(FrameCodec.encode(new Frame.Data(3, "payload".getBytes(StandardCharsets.UTF_8))));
        assertThat(((Frame.Data) FrameCodec.decode(FrameCodec.encodeData(3, big, 2, 7))).bytes()).asString(StandardCharsets.UTF_8).isEqualTo("payload");
        assertThatThrownBy(() -> FrameCodec.encodeData(3, big, 8, 7)).isInstanceOf(IndexOutOfBoundsException.class);
        assertThatThrownBy(() -> FrameCodec.encodeData(0, big, 0, 1)).isInstanceOf(IllegalArgumentException.class);
    }
}
