package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The length-prefixed framing of drawbridge-tunnel/2: any split of the input decodes to the same frames; bad lengths refused. */
class LengthPrefixedFramesTest {
    private static final List<Frame> FRAMES = List.of(
            new Frame.Open(1, new RequestHead("app", "GET", "http://intranet/x", List.of(new HeaderField("Host", "intranet")),
                    Duration.ofSeconds(5), false, true)),
            new Frame.Data(1, new byte[]{1, 2, 3}),
            new Frame.End(1),
            new Frame.Window(1, 131_072),
            new Frame.Ping(42),
            new Frame.Pong(42),
            new Frame.Whole(3, new ResponseHead(200, List.of()), "hello".getBytes()),
            new Frame.Reset(5, ResetCode.REFUSED_STREAM, "draining"),
            new Frame.GoAway("bye"));

    @Test
    void everySplitPointYieldsTheSameFrames() throws Exception {
        byte[] wire = wire(FRAMES);
        assertThat(decodeInChunks(wire, wire.length)).containsExactlyElementsOf(encodings(FRAMES));
        for (int split = 1; split < wire.length; split++) {
            LengthPrefixedFrames decoder = new LengthPrefixedFrames();
            List<byte[]> got = new ArrayList<>();
            decoder.feed(ByteBuffer.wrap(wire, 0, split), f -> got.add(bytesOf(f)));
            decoder.feed(ByteBuffer.wrap(wire, split, wire.length - split), f -> got.add(bytesOf(f)));
            assertThat(got).as("split at %d", split).containsExactlyElementsOf(encodings(FRAMES));
            assertThat(decoder.hasPartialFrame()).isFalse();
        }
    }

    @Test
    void oneByteAtATimeAndManyFramesInOneBuffer() throws Exception {
        List<Frame> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(new Frame.Data(2 * i + 1, new byte[i % 50 + 1]));
        }
        byte[] wire = wire(many);
        assertThat(decodeInChunks(wire, 1)).containsExactlyElementsOf(encodings(many));
        assertThat(decodeInChunks(wire, 7)).containsExactlyElementsOf(encodings(many));
        assertThat(decodeInChunks(wire, wire.length)).containsExactlyElementsOf(encodings(many));
    }

    @Test
    void anIncompleteFrameThatFitsIsLeftInTheCallersBufferAndDeliveredAsAViewOnceComplete() throws Exception {
        byte[] wire = wire(List.of(new Frame.End(1), new Frame.Data(3, new byte[100]), new Frame.Data(5, new byte[300])));
        LengthPrefixedFrames decoder = new LengthPrefixedFrames();
        List<byte[]> got = new ArrayList<>();
        List<Boolean> views = new ArrayList<>();
        LengthPrefixedFrames.Sink sink = f -> {
            got.add(bytesOf(f));
            views.add(decoder.deliveringView());
        };
        // The END and half the first DATA: the END is delivered, the DATA's bytes stay in the buffer (position at its prefix).
        ByteBuffer in = ByteBuffer.wrap(wire, 0, 9 + 60);
        decoder.feed(in, sink, 200);
        assertThat(got).hasSize(1);
        assertThat(in.remaining()).isEqualTo(60);
        assertThat(decoder.hasPartialFrame()).isFalse();
        // The caller appends the rest: the first DATA comes whole as a view; the second (309 bytes > 200) is reassembled.
        in = ByteBuffer.wrap(wire, 9, wire.length - 9 - 10);
        decoder.feed(in, sink, 200);
        assertThat(in.hasRemaining()).isFalse();
        decoder.feed(ByteBuffer.wrap(wire, wire.length - 10, 10), sink, 200);
        assertThat(got).containsExactlyElementsOf(encodings(List.of(new Frame.End(1), new Frame.Data(3, new byte[100]),
                new Frame.Data(5, new byte[300]))));
        assertThat(views).containsExactly(true, true, false);
        // A bad length is refused even while deciding whether to keep the frame.
        assertThatThrownBy(() -> new LengthPrefixedFrames().feed(ByteBuffer.wrap(new byte[]{0, 0, 0, 1, 4}), sink, 200))
                .isInstanceOf(MalformedFrameException.class);
    }

    @Test
    void aWholeFrameIsAViewOfTheInputAndASplitOneACopy() throws Exception {
        byte[] wire = wire(List.of(new Frame.End(1), new Frame.End(3)));
        List<Boolean> sameArray = new ArrayList<>();
        LengthPrefixedFrames decoder = new LengthPrefixedFrames();
        decoder.feed(ByteBuffer.wrap(wire, 0, 15), f -> sameArray.add(f.array() == wire));
        decoder.feed(ByteBuffer.wrap(wire, 15, wire.length - 15), f -> sameArray.add(f.array() == wire));
        assertThat(sameArray).containsExactly(true, false);
    }

    @Test
    void aFrameOfTheLargestSizeDecodesSplitOrWhole() throws Exception {
        byte[] payload = new byte[FrameCodec.MAX_FRAME_SIZE - 5];
        payload[payload.length - 1] = 9;
        ByteBuffer out = ByteBuffer.allocate(LengthPrefixedFrames.encodedDataSize(payload.length));
        LengthPrefixedFrames.putData(out, 7, payload, 0, payload.length);
        byte[] wire = out.array();
        for (int chunk : new int[]{wire.length, 16_384, 1_000_003 % wire.length}) {
            List<byte[]> got = decodeInChunks(wire, chunk);
            assertThat(got).hasSize(1);
            assertThat(((Frame.Data) FrameCodec.decode(ByteBuffer.wrap(got.getFirst()))).bytes()).isEqualTo(payload);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 1, 4, FrameCodec.MAX_FRAME_SIZE + 1, 1L << 31, 0xFFFF_FFFFL})
    void aLengthOutsideTheBoundsIsRefusedAndPoisonsTheDecoder(long length) throws Exception {
        LengthPrefixedFrames decoder = new LengthPrefixedFrames();
        List<ByteBuffer> got = new ArrayList<>();
        byte[] prefix = ByteBuffer.allocate(4).putInt((int) length).array();
        // Split inside the prefix too: the check happens on the fourth byte whatever the split.
        decoder.feed(ByteBuffer.wrap(prefix, 0, 2), got::add);
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(prefix, 2, 2), got::add))
                .isInstanceOf(MalformedFrameException.class).hasMessageContaining(Long.toString(length));
        byte[] good = wire(List.of(new Frame.End(1)));
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(good), got::add)).isInstanceOf(MalformedFrameException.class);
        assertThat(got).isEmpty();
    }

    @Test
    void theBoundsThemselvesAreAccepted() throws Exception {
        assertThat(decodeRaw(LengthPrefixedFrames.MIN_FRAME)).isEqualTo(LengthPrefixedFrames.MIN_FRAME);
        assertThat(decodeRaw(FrameCodec.MAX_FRAME_SIZE)).isEqualTo(FrameCodec.MAX_FRAME_SIZE);
    }

    @Test
    void aSinkRefusingAFramePoisonsTheDecoder() throws Exception {
        LengthPrefixedFrames decoder = new LengthPrefixedFrames();
        byte[] wire = wire(List.of(new Frame.End(1), new Frame.End(3)));
        List<ByteBuffer> seen = new ArrayList<>();
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(wire), f -> {
            seen.add(f);
            throw new MalformedFrameException("no");
        })).isInstanceOf(MalformedFrameException.class);
        assertThat(seen).hasSize(1);
        assertThatThrownBy(() -> decoder.feed(ByteBuffer.wrap(wire), seen::add)).isInstanceOf(MalformedFrameException.class);
        assertThat(seen).hasSize(1);
    }

    @Test
    void putDataWritesWhatEncodeDataEncodes() {
        byte[] b = {9, 8, 7, 6, 5};
        ByteBuffer direct = ByteBuffer.allocate(LengthPrefixedFrames.encodedDataSize(3));
        LengthPrefixedFrames.putData(direct, 11, b, 1, 3);
        ByteBuffer viaCodec = ByteBuffer.allocate(LengthPrefixedFrames.encodedSize(FrameCodec.encodeData(11, b, 1, 3)));
        LengthPrefixedFrames.putFrame(viaCodec, FrameCodec.encodeData(11, b, 1, 3));
        assertThat(direct.array()).isEqualTo(viaCodec.array());
        assertThat(direct.hasRemaining()).isFalse();
    }

    @Test
    void putFrameRefusesFramesOutsideTheBounds() {
        assertThatThrownBy(() -> LengthPrefixedFrames.putFrame(ByteBuffer.allocate(16), ByteBuffer.allocate(4)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> LengthPrefixedFrames.putFrame(ByteBuffer.allocate(16), ByteBuffer.allocate(FrameCodec.MAX_FRAME_SIZE + 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyWindowPingAndPongMayOvertakeData() {
        for (Frame f : FRAMES) {
            LengthPrefixedFrames.Kind expected = switch (f) {
                case Frame.Window w -> LengthPrefixedFrames.Kind.WINDOW;
                case Frame.Ping p -> LengthPrefixedFrames.Kind.PING;
                case Frame.Pong p -> LengthPrefixedFrames.Kind.PONG;
                default -> LengthPrefixedFrames.Kind.ORDERED;
            };
            assertThat(LengthPrefixedFrames.kindOf(FrameCodec.encode(f))).as(f.toString()).isEqualTo(expected);
        }
        assertThat(LengthPrefixedFrames.kindOf(FrameCodec.encode(new Frame.Trailers(1, List.of())))).isEqualTo(LengthPrefixedFrames.Kind.ORDERED);
        assertThat(LengthPrefixedFrames.kindOf(ByteBuffer.allocate(0))).isEqualTo(LengthPrefixedFrames.Kind.ORDERED);
    }

    private static int decodeRaw(int length) throws MalformedFrameException {
        ByteBuffer in = ByteBuffer.allocate(4 + length).putInt(length).put((byte) 4);
        in.clear();
        List<Integer> sizes = new ArrayList<>();
        new LengthPrefixedFrames().feed(in, f -> sizes.add(f.remaining()));
        return sizes.getFirst();
    }

    static byte[] wire(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame f : frames) {
            ByteBuffer enc = FrameCodec.encode(f);
            ByteBuffer b = ByteBuffer.allocate(LengthPrefixedFrames.encodedSize(enc));
            LengthPrefixedFrames.putFrame(b, enc);
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }

    /** The frames' bytes, each checked to decode. */
    static List<byte[]> decodeInChunks(byte[] wire, int chunk) throws MalformedFrameException {
        LengthPrefixedFrames decoder = new LengthPrefixedFrames();
        List<byte[]> got = new ArrayList<>();
        for (int at = 0; at < wire.length; at += chunk) {
            decoder.feed(ByteBuffer.wrap(wire, at, Math.min(chunk, wire.length - at)), f -> got.add(bytesOf(f)));
        }
        return got;
    }

    static byte[] bytesOf(ByteBuffer frame) throws MalformedFrameException {
        FrameCodec.decode(frame.duplicate());
        byte[] b = new byte[frame.remaining()];
        frame.get(b);
        return b;
    }

    static List<byte[]> encodings(List<Frame> frames) {
        List<byte[]> out = new ArrayList<>();
        for (Frame f : frames) {
            ByteBuffer enc = FrameCodec.encode(f);
            byte[] b = new byte[enc.remaining()];
            enc.get(b);
            out.add(b);
        }
        return out;
    }
}
