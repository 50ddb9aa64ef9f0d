package dev.drawbridge.model.tunnel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz tests of the tunnel's decoders: what a hostile peer (a compromised connector, or a proxy impersonated to a
 * connector) controls byte for byte. In every build they replay the committed corpus
 * ({@code src/test/resources/.../FrameCodecFuzzTestInputs/<method>/}); with {@code JAZZER_FUZZ=1} Jazzer mutates it
 * (see docs/tunnel.md, "Fuzzing the decoders"). Each input must either decode or be refused with {@link MalformedFrameException} (no other
 * exception), whatever decodes must re-encode to the same frame, and decoding may allocate only in proportion to the
 * input: a length field claiming more than the frame holds is refused before anything is allocated for it.
 */
class FrameCodecFuzzTest {
    /** Generous: headers cost objects per few input bytes; a trusted length field would cost up to gigabytes. */
    private static final long ALLOCATION_PER_INPUT_BYTE = 64;
    private static final long ALLOCATION_BASE = 64 * 1024;

    private static final ThreadMXBean THREADS =
            (ThreadMXBean) ManagementFactory.getThreadMXBean();

    /** Any bytes as one received WebSocket message. */
    @FuzzTest(maxDuration = "3m")
    void decodeAnyFrame(byte[] input) {
        decodeAndCheck(input);
    }

    /** Bytes after an OPEN header: drives the request-head decoding (strings, timeout, flags, headers). */
    @FuzzTest(maxDuration = "3m")
    void decodeRequestHead(byte[] payload) {
        Frame f = decodeAndCheck(withHeader((byte) 1, payload));
        if (f instanceof Frame.Open o) {
            assertThat(o.head().method()).isNotEmpty();
            assertThat(o.head().headers()).hasSizeLessThanOrEqualTo(1000);
            assertThat(o.head().timeout().isNegative()).isFalse();
        }
    }

    /** Bytes after a HEAD or WHOLE header (first input byte chooses): drives the response-head decoding. */
    @FuzzTest(maxDuration = "3m")
    void decodeResponseHead(byte[] input) {
        if (input.length == 0) {
            return;
        }
        byte type = (input[0] & 1) == 0 ? (byte) 2 : (byte) 10;
        byte[] payload = Arrays.copyOfRange(input, 1, input.length);
        Frame f = decodeAndCheck(withHeader(type, payload));
        ResponseHead head = switch (f) {
            case Frame.Head h -> h.head();
            case Frame.Whole w -> w.head();
            case null, default -> null;
        };
        if (head != null) {
            assertThat(head.status()).isBetween(100, 999);
            assertThat(head.headers()).hasSizeLessThanOrEqualTo(1000);
        }
    }

    private static Frame decode(byte[] input) {
        try {
            return FrameCodec.decode(ByteBuffer.wrap(input));
        } catch (MalformedFrameException refused) {
            return null;
        }
    }

    private static byte[] withHeader(byte type, byte[] payload) {
        return ByteBuffer.allocate(5 + payload.length).put(type).putInt(1).put(payload).array();
    }

    /** Decodes, checking the allocation bound and the round trip; returns the frame or null if refused. */
    static Frame decodeAndCheck(byte[] input) {
        Frame frame = decode(input);
        // Measured on a second decode of the same input: the first may load (and have the fuzzer instrument) classes.
        long before = THREADS.getCurrentThreadAllocatedBytes();
        decode(input);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
        assertThat(allocated).as("bytes allocated decoding %d input bytes", input.length)
                .isLessThanOrEqualTo(ALLOCATION_BASE + ALLOCATION_PER_INPUT_BYTE * input.length);
        if (frame != null) {
            ByteBuffer encoded = FrameCodec.encode(frame);
            Frame again;
            try {
                again = FrameCodec.decode(encoded.duplicate());
            } catch (MalformedFrameException e) {
                throw new AssertionError("a decoded frame re-encodes to bytes that do not decode: " + frame, e);
            }
            assertThat(FrameCodec.encode(again)).as("re-encoding is stable").isEqualTo(encoded);
        }
        return frame;
    }
}
