package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import static dev.drawbridge.model.tunnel.MuxPair.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves that {@link WebSocketMessages} carries whole text and binary messages (empty, small, and larger than
 * one DATA frame and than the flow-control window) through a tunnel stream intact and in order, and refuses
 * messages larger than the reader's limit.
 */
@Timeout(60)
class WebSocketMessagesTest {
    private final MuxPair pair = new MuxPair();
    private Thread writer;

    @AfterEach
    void tearDown() {
        pair.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    /** Writes the messages on the proxy side in the {@link #writer} thread, then ends the stream. */
    private TunnelStream sendAll(List<WebSocketMessages.Message> messages) throws Exception {
        TunnelStream client = pair.proxy.open(head("ws"));
        writer = Thread.ofPlatform().name("ws-writer").start(() -> {
            try {
                for (WebSocketMessages.Message m : messages) {
                    WebSocketMessages.write(client, m.binary(), m.payload());
                }
                client.endOutput();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return pair.accept();
    }

    private static List<WebSocketMessages.Message> textAndBinary(int... sizes) {
        List<WebSocketMessages.Message> out = new ArrayList<>();
        int seed = 0;
        for (int size : sizes) {
            out.add(new WebSocketMessages.Message(false, random(size, seed++)));
            out.add(new WebSocketMessages.Message(true, random(size, seed++)));
        }
        return out;
    }

    private static void assertReceivedInOrder(TunnelStream upstream, List<WebSocketMessages.Message> sent) throws IOException {
        for (int i = 0; i < sent.size(); i++) {
            WebSocketMessages.Message expected = sent.get(i);
            Optional<WebSocketMessages.Message> got = WebSocketMessages.read(upstream, 4 * Multiplexer.INITIAL_WINDOW);
            String what = "message #" + i + " (" + (expected.binary() ? "binary" : "text") + ", " + expected.payload().length + " bytes)";
            assertThat(got).as(what).isPresent();
            assertThat(got.get().binary()).as(what + " kind").isEqualTo(expected.binary());
            assertThat(got.get().payload().length).as(what + " length").isEqualTo(expected.payload().length);
            assertThat(Arrays.equals(got.get().payload(), expected.payload())).as(what + " content").isTrue();
        }
        assertThat(WebSocketMessages.read(upstream, 1024)).as("end of stream").isEmpty();
    }

    @Test
    void emptySmallAndLargeMessagesRoundTripInOrder() throws Exception {
        List<WebSocketMessages.Message> sent = textAndBinary(0, 10, 200 * 1024, 10, 0);
        assertReceivedInOrder(sendAll(sent), sent);
    }

    @Test
    void messagesAroundTheFragmentSizeRoundTrip() throws Exception {
        List<WebSocketMessages.Message> sent = textAndBinary(FrameCodec.MAX_DATA_PAYLOAD - 2,
                FrameCodec.MAX_DATA_PAYLOAD - 1, FrameCodec.MAX_DATA_PAYLOAD);
        assertReceivedInOrder(sendAll(sent), sent);
    }

    @Test
    void messageLargerThanTheFlowControlWindowRoundTrips() throws Exception {
        List<WebSocketMessages.Message> sent = List.of(new WebSocketMessages.Message(true, random(3 * Multiplexer.INITIAL_WINDOW + 17, 5)));
        assertReceivedInOrder(sendAll(sent), sent);
    }

    /**
     * A small message leaves the send window misaligned with the 64 KiB fragments; the next large message must
     * still arrive whole when the reader lets the window fill up before reading.
     */
    @Test
    void largeMessageAfterASmallOneSurvivesAFullWindow() throws Exception {
        List<WebSocketMessages.Message> sent = List.of(new WebSocketMessages.Message(false, random(10, 1)),
                new WebSocketMessages.Message(true, random(Multiplexer.INITIAL_WINDOW + 100_000, 2)));
        TunnelStream upstream = sendAll(sent);
        MuxPair.await("the writer blocks on a window too small for another fragment",
                () -> upstream.bufferedInbound() > Multiplexer.INITIAL_WINDOW - FrameCodec.MAX_DATA_PAYLOAD
                        && writer.getState() == Thread.State.WAITING);
        assertReceivedInOrder(upstream, sent);
    }

    @Test
    void multiFragmentMessageOverTheLimitFails() throws Exception {
        int limit = 100 * 1024;
        TunnelStream upstream = sendAll(List.of(new WebSocketMessages.Message(true, random(200 * 1024, 7))));
        assertThatThrownBy(() -> WebSocketMessages.read(upstream, limit)).isInstanceOf(IOException.class)
                .hasMessageContaining(String.valueOf(limit));
    }

    @Test
    void singleFragmentMessageOverTheLimitFails() throws Exception {
        TunnelStream upstream = sendAll(List.of(new WebSocketMessages.Message(false, random(1000, 8))));
        assertThatThrownBy(() -> WebSocketMessages.read(upstream, 100)).isInstanceOf(IOException.class);
    }

    @Test
    void messageExactlyAtTheLimitIsAccepted() throws Exception {
        byte[] payload = random(2 * FrameCodec.MAX_DATA_PAYLOAD, 9);
        TunnelStream upstream = sendAll(List.of(new WebSocketMessages.Message(true, payload)));
        assertThat(Arrays.equals(WebSocketMessages.read(upstream, payload.length).orElseThrow().payload(), payload)).isTrue();
    }

    @Test
    void emptyFragmentIsRefused() throws Exception {
        TunnelStream client = pair.proxy.open(head("ws"));
        TunnelStream upstream = pair.accept();
        pair.proxyWire.send(new Frame.Data(client.id(), new byte[0]));
        assertThatThrownBy(() -> WebSocketMessages.read(upstream, 1024)).isInstanceOf(IOException.class);
        assertThat(upstream.bufferedInbound()).isZero();
    }
}
