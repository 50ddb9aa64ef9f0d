package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A whole small response in one frame arrives as head, body and end; it round-trips through the codec. */
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
            assertThat(pair.sentByConnector).hasSize(1);
            assertThatThrownBy(() -> connectorSide.sendWhole(new ResponseHead(200, List.of()), new byte[0]))
                    .isInstanceOf(IllegalStateException.class);
        }
    }
}
