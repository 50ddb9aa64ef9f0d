package dev.drawbridge.model.tunnel;

import com.sun.management.ThreadMXBean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

/**
 * Proves that {@link FrameCodec} round-trips every frame type exactly (headers in order, duplicates and
 * unicode kept, empty and maximal payloads) and that any malformed input is reported as a
 * {@link MalformedFrameException} and never as another exception.
 */
class FrameCodecTest {

    private static Frame roundTrip(Frame f) throws MalformedFrameException {
        return FrameCodec.decode(FrameCodec.encode(f));
    }

    @Test
    void openRoundTripKeepsHeadersInOrderWithDuplicatesAndUnicode() throws Exception {
        List<HeaderField> headers = List.of(new HeaderField("Accept", "text/html"),
                new HeaderField("X-Name", "Grüße, 世界 🚀"), new HeaderField("Cookie", "a=1"),
                new HeaderField("Cookie", "b=2"), new HeaderField("X-Empty", ""));
        RequestHead head = new RequestHead("app-ü", "PATCH", "http://intranet:8080/a%2Fb/ä?q=%20x", headers,
                Duration.ofMillis(85_123), true);
        Frame decoded = roundTrip(new Frame.Open(7, head));
        assertThat(decoded).isEqualTo(new Frame.Open(7, head));
        assertThat(((Frame.Open) decoded).head().headers()).containsExactlyElementsOf(headers);

        RequestHead plain = new RequestHead("a", "GET", "/", List.of(), Duration.ZERO, false);
        assertThat(roundTrip(new Frame.Open(Integer.MAX_VALUE, plain))).isEqualTo(new Frame.Open(Integer.MAX_VALUE, plain));
    }

    @ParameterizedTest(name = "websocket={0} body={1}")
    @CsvSource({"false,false", "true,false", "false,true", "true,true"})
    void openFlagsRoundTrip(boolean websocket, boolean body) throws Exception {
        RequestHead head = new RequestHead("a", "POST", "http://h/", List.of(), Duration.ofSeconds(3), websocket, body);
        Frame.Open decoded = (Frame.Open) roundTrip(new Frame.Open(1, head));
        assertThat(decoded.head().websocket()).isEqualTo(websocket);
        assertThat(decoded.head().body()).isEqualTo(body);
        assertThat(decoded.head()).isEqualTo(head);
    }

    @Test
    void headRoundTrip() throws Exception {
        ResponseHead head = new ResponseHead(302, List.of(new HeaderField("Location", "/x"),
                new HeaderField("Set-Cookie", "a=1"), new HeaderField("Set-Cookie", "b=ß")));
        assertThat(roundTrip(new Frame.Head(3, head))).isEqualTo(new Frame.Head(3, head));
        ResponseHead empty = new ResponseHead(999, List.of());
        assertThat(roundTrip(new Frame.Head(5, empty))).isEqualTo(new Frame.Head(5, empty));
    }

    @ParameterizedTest
    @ValueSource(ints = {0, 1, 10, FrameCodec.MAX_DATA_PAYLOAD})
    void dataRoundTrip(int size) throws Exception {
        byte[] bytes = new byte[size];
        new Random(size).nextBytes(bytes);
        Frame.Data d = (Frame.Data) roundTrip(new Frame.Data(9, bytes.clone()));
        assertThat(d.streamId()).isEqualTo(9);
        assertThat(d.bytes()).isEqualTo(bytes);
    }

    @Test
    void endWindowPingPongGoAwayRoundTrip() throws Exception {
        assertThat(roundTrip(new Frame.End(11))).isEqualTo(new Frame.End(11));
        assertThat(roundTrip(new Frame.Window(11, 1))).isEqualTo(new Frame.Window(11, 1));
        assertThat(roundTrip(new Frame.Window(13, Integer.MAX_VALUE))).isEqualTo(new Frame.Window(13, Integer.MAX_VALUE));
        assertThat(roundTrip(new Frame.Ping(Long.MIN_VALUE))).isEqualTo(new Frame.Ping(Long.MIN_VALUE));
        assertThat(roundTrip(new Frame.Pong(-42L))).isEqualTo(new Frame.Pong(-42L));
        assertThat(roundTrip(new Frame.GoAway("draining — ünïcode"))).isEqualTo(new Frame.GoAway("draining — ünïcode"));
        assertThat(roundTrip(new Frame.GoAway(""))).isEqualTo(new Frame.GoAway(""));
    }

    @ParameterizedTest
    @EnumSource(ResetCode.class)
    void resetRoundTripForEachCode(ResetCode code) throws Exception {
        Frame.Reset r = new Frame.Reset(15, code, "because " + code.name() + " ✓");
        assertThat(roundTrip(r)).isEqualTo(r);
    }

    // ---- malformed input ----

    private static void assertMalformed(byte[] bytes) {
        assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(bytes))).isInstanceOf(MalformedFrameException.class);
    }

    private static byte[] bytesOf(Frame f) {
        ByteBuffer b = FrameCodec.encode(f);
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void everyTruncationOfEveryFrameTypeIsMalformed() {
        List<Frame> frames = List.of(
                new Frame.Open(1, new RequestHead("app", "GET", "http://h/", List.of(new HeaderField("A", "b")), Duration.ofSeconds(1), false)),
                new Frame.Head(1, new ResponseHead(200, List.of(new HeaderField("A", "b")))),
                new Frame.End(1), new Frame.Reset(1, ResetCode.CANCEL, "m"), new Frame.Window(1, 5),
                new Frame.Ping(1), new Frame.Pong(2), new Frame.GoAway("bye"));
        for (Frame f : frames) {
            byte[] full = bytesOf(f);
            for (int len = 0; len < full.length; len++) {
                byte[] cut = Arrays.copyOf(full, len);
                assertThatThrownBy(() -> FrameCodec.decode(ByteBuffer.wrap(cut)))
                        .as("%s truncated to %d bytes", f.getClass().getSimpleName(), len)
                        .isInstanceOf(MalformedFrameException.class);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(bytes = {0, 10, 127, -1})
    void unknownTypeIsMalformed(byte type) {
        assertMalformed(ByteBuffer.allocate(13).put(type).putInt(1).putLong(0).array());
    }

    @Test
    void stringLengthBeyondBufferIsMalformed() {
        assertMalformed(ByteBuffer.allocate(9 + 3).put((byte) 9).putInt(0).putInt(4).put("abc".getBytes(StandardCharsets.UTF_8)).array());
        assertMalformed(ByteBuffer.allocate(9).put((byte) 9).putInt(0).putInt(Integer.MAX_VALUE).array());
        assertMalformed(ByteBuffer.allocate(9).put((byte) 9).putInt(0).putInt(-1).array());
        // RESET: code, then a message length that lies
        assertMalformed(ByteBuffer.allocate(12).put((byte) 5).putInt(1).put((byte) 1).putInt(100).put((byte) 'x').put((byte) 'y').array());
    }

    @Test
    void lengthFieldsClaimingMoreThanTheFrameAreRefusedBeforeAllocating() {
        var threads = (ThreadMXBean) ManagementFactory.getThreadMXBean();
        byte[][] liars = {
                // OPEN whose appId claims 2 GiB; HEAD claiming 1000 headers, the first named by 2 GiB; RESET with a 2 GiB message
                ByteBuffer.allocate(10).put((byte) 1).putInt(1).putInt(Integer.MAX_VALUE).put((byte) 'a').array(),
                ByteBuffer.allocate(13).put((byte) 2).putInt(1).putShort((short) 200).putShort((short) 1000).putInt(Integer.MAX_VALUE).array(),
                ByteBuffer.allocate(10).put((byte) 5).putInt(1).put((byte) 1).putInt(Integer.MAX_VALUE).array()};
        for (byte[] liar : liars) {
            assertMalformed(liar); // loads the classes of the refusal path
            long before = threads.getCurrentThreadAllocatedBytes();
            assertMalformed(liar);
            assertThat(threads.getCurrentThreadAllocatedBytes() - before).as("bytes allocated refusing a lying length").isLessThan(64 * 1024);
        }
    }

    @Test
    void trailingBytesAreMalformed() {
        for (Frame f : List.of(new Frame.End(1), new Frame.Window(1, 1), new Frame.Ping(3), new Frame.GoAway("x"),
                new Frame.Reset(1, ResetCode.CANCEL, ""), new Frame.Head(1, new ResponseHead(204, List.of())))) {
            byte[] full = bytesOf(f);
            byte[] longer = Arrays.copyOf(full, full.length + 1);
            assertMalformed(longer);
        }
    }

    @Test
    void oversizedFrameIsMalformedButMaximalFrameIsNot() throws Exception {
        ByteBuffer max = ByteBuffer.allocate(FrameCodec.MAX_FRAME_SIZE).put((byte) 3).putInt(1);
        max.position(0);
        assertThat(FrameCodec.decode(max)).isInstanceOf(Frame.Data.class);
        byte[] over = new byte[FrameCodec.MAX_FRAME_SIZE + 1];
        over[0] = 3;
        over[4] = 1;
        assertMalformed(over);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -1, Integer.MIN_VALUE})
    void nonPositiveWindowIncrementIsMalformed(int increment) {
        assertMalformed(ByteBuffer.allocate(9).put((byte) 6).putInt(1).putInt(increment).array());
    }

    @Test
    void streamFramesOnStreamZeroOrNegativeAreMalformed() {
        assertMalformed(ByteBuffer.allocate(5).put((byte) 4).putInt(0).array());
        assertMalformed(ByteBuffer.allocate(6).put((byte) 3).putInt(-5).put((byte) 1).array());
    }

    @Test
    void tooManyHeadersIsMalformed() {
        ByteBuffer b = ByteBuffer.allocate(1 + 4 + 2 + 2 + 1001 * 10).put((byte) 2).putInt(1).putShort((short) 200)
                .putShort((short) 1001);
        for (int i = 0; i < 1001; i++) {
            b.putInt(1).put((byte) 'a').putInt(1).put((byte) 'b');
        }
        assertMalformed(Arrays.copyOf(b.array(), b.position()));
        // the encoder refuses to produce such a frame in the first place
        List<HeaderField> many = new ArrayList<>();
        for (int i = 0; i < 1001; i++) {
            many.add(new HeaderField("h" + i, "v"));
        }
        assertThatThrownBy(() -> FrameCodec.encode(new Frame.Head(1, new ResponseHead(200, many))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void invalidFieldValuesAreMalformed() {
        // HEAD with status 0 (out of range)
        assertMalformed(ByteBuffer.allocate(9).put((byte) 2).putInt(1).putShort((short) 0).putShort((short) 0).array());
        // HEAD with an empty header name
        assertMalformed(ByteBuffer.allocate(19).put((byte) 2).putInt(1).putShort((short) 200).putShort((short) 1)
                .putInt(0).putInt(1).put((byte) 'v').array());
        // OPEN with an empty method
        assertMalformed(ByteBuffer.allocate(27).put((byte) 1).putInt(1).putInt(1).put((byte) 'a').putInt(0)
                .putInt(1).put((byte) '/').putInt(1000).put((byte) 0).putShort((short) 0).array());
    }

    @Test
    void randomBytesOnlyEverThrowMalformedFrameException() {
        long seed = System.nanoTime();
        Random random = new Random(seed);
        for (int i = 0; i < 2000; i++) {
            byte[] bytes = new byte[random.nextInt(64)];
            random.nextBytes(bytes);
            if (bytes.length > 0 && random.nextBoolean()) {
                bytes[0] = (byte) (1 + random.nextInt(9)); // a valid type, to get past the first check
            }
            try {
                FrameCodec.decode(ByteBuffer.wrap(bytes));
            } catch (MalformedFrameException expected) {
                // fine
            } catch (Throwable t) {
                fail("seed " + seed + ", iteration " + i + ": decode threw " + t + " for "
                        + HexFormat.of().formatHex(bytes), t);
            }
        }
    }
}
