package dev.drawbridge.model.tunnel;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz test of the receiving path as the transports run it: the input is a sequence of WebSocket messages (each a u16
 * length and that many bytes), decoded with {@link FrameCodec} and handed to a {@link Multiplexer} until one does not
 * decode (where the transport closes the tunnel). Both ends are exercised: a connector side that accepts streams, and
 * a proxy side with streams of its own open (ids 1, 3, 5), as a hostile peer would find them. Receiving must never
 * throw, and no stream may hold more than its flow-control window, whatever the peer sends.
 */
class MultiplexerFuzzTest {
    @FuzzTest(maxDuration = "3m")
    void receiveAnyFrames(byte[] input) throws IOException {
        List<TunnelStream> accepted = new ArrayList<>();
        ConcurrentLinkedQueue<Frame> sent = new ConcurrentLinkedQueue<>();
        // Sends and background work run inline: the fuzz input alone decides what happens, in one thread.
        Multiplexer connector = new Multiplexer(sent::add, accepted::add, Runnable::run);
        Multiplexer proxy = new Multiplexer(sent::add, null, Runnable::run);
        List<TunnelStream> opened = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            opened.add(proxy.open(MuxPair.head("app" + i)));
        }
        ByteBuffer in = ByteBuffer.wrap(input);
        while (in.remaining() >= 2) {
            int length = Math.min(in.getShort() & 0xFFFF, in.remaining());
            ByteBuffer message = in.slice(in.position(), length);
            in.position(in.position() + length);
            Frame frame;
            try {
                frame = FrameCodec.decode(message);
            } catch (MalformedFrameException e) {
                break;
            }
            connector.receive(frame);
            proxy.receive(frame);
        }
        for (TunnelStream s : accepted) {
            assertThat(s.bufferedInbound()).isLessThanOrEqualTo(Multiplexer.INITIAL_WINDOW);
        }
        for (TunnelStream s : opened) {
            assertThat(s.bufferedInbound()).isLessThanOrEqualTo(Multiplexer.INITIAL_WINDOW);
        }
        connector.close("fuzz input done");
        proxy.close("fuzz input done");
        assertThat(connector.activeStreams()).isZero();
        assertThat(proxy.activeStreams()).isZero();
    }
}
