package dev.drawbridge.model.tunnel;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.sun.management.ThreadMXBean;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz test of the drawbridge-tunnel/2 framing ({@link LengthPrefixedFrames}): what a hostile peer sends after the 101,
 * split by the network wherever it likes. The input is a split plan then the bytes: its first byte's low nibble is a
 * count {@code n}, the next {@code n} bytes are chunk sizes (each byte + 1, used in turn, cycling), the rest is what the
 * peer sent. Fed in those chunks, the decoder (with each frame decoded by {@link FrameCodec}, as the receiver does) must
 * deliver exactly the frames a single whole-buffer feed delivers, and fail with {@link MalformedFrameException} exactly
 * when that one does, and nothing else; allocation stays within one largest frame plus a constant per input byte.
 * Replays its corpus in every build (see docs/tunnel.md, "Fuzzing the decoders").
 */
class LengthPrefixedFramesFuzzTest {
    private static final ThreadMXBean THREADS = (ThreadMXBean) ManagementFactory.getThreadMXBean();

    @FuzzTest(maxDuration = "3m")
    void splitAnywhere(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int n = Math.min(input[0] & 0x0F, input.length - 1);
        int[] chunks = new int[Math.max(1, n)];
        chunks[0] = Integer.MAX_VALUE;
        for (int i = 0; i < n; i++) {
            chunks[i] = (input[1 + i] & 0xFF) + 1;
        }
        byte[] wire = Arrays.copyOfRange(input, 1 + n, input.length);

        Outcome whole = feed(wire, new int[]{Integer.MAX_VALUE});
        long before = THREADS.getCurrentThreadAllocatedBytes();
        Outcome split = feed(wire, chunks);
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

        assertThat(split.malformed()).as("refused split iff refused whole").isEqualTo(whole.malformed());
        assertThat(split.frames()).as("the same frames").containsExactlyElementsOf(whole.frames());
        assertThat(allocated).as("bytes allocated for %d input bytes", wire.length)
                .isLessThanOrEqualTo(FrameCodec.MAX_FRAME_SIZE + 64L * 1024 + 64L * wire.length);
    }

    /**
     * The way {@code FrameConnection} feeds it: the bytes appended to a buffer of a capacity the input's first two bytes
     * choose (16..4111), an incomplete frame that fits it kept there ({@code feed(in, sink, capacity)}) and compacted
     * before more is appended. Same frames as a whole-buffer feed, refused iff that one is, and every frame that fits the
     * buffer delivered as a view of it (so a receiver may retain it instead of copying).
     */
    @FuzzTest(maxDuration = "2m")
    void keptInTheCallersBuffer(byte[] input) {
        if (input.length < 3) {
            return;
        }
        int capacity = 16 + (((input[0] & 0xFF) << 4) | (input[1] & 0x0F));
        int step = (input[2] & 0xFF) + 1;
        byte[] wire = Arrays.copyOfRange(input, 3, input.length);
        Outcome whole = feed(wire, new int[]{Integer.MAX_VALUE});

        LengthPrefixedFrames decoder = new LengthPrefixedFrames();
        List<byte[]> frames = new ArrayList<>();
        List<Boolean> views = new ArrayList<>();
        ByteBuffer buf = ByteBuffer.allocate(capacity).flip();
        boolean malformed = false;
        int at = 0;
        try {
            while (at < wire.length) {
                buf.compact();
                int len = Math.min(Math.min(step, buf.remaining()), wire.length - at);
                assertThat(len).as("room to append").isPositive();
                buf.put(wire, at, len).flip();
                at += len;
                decoder.feed(buf, f -> {
                    byte[] b = new byte[f.remaining()];
                    f.duplicate().get(b);
                    FrameCodec.decode(f);
                    frames.add(b);
                    views.add(decoder.deliveringView());
                }, capacity);
            }
        } catch (MalformedFrameException e) {
            malformed = true;
        }
        assertThat(malformed).as("refused iff refused whole").isEqualTo(whole.malformed());
        assertThat(frames).as("the same frames").containsExactlyElementsOf(whole.frames());
        for (int i = 0; i < frames.size(); i++) {
            if (LengthPrefixedFrames.PREFIX + frames.get(i).length <= capacity) {
                assertThat(views.get(i)).as("frame %d of %d bytes is a view of the buffer", i, frames.get(i).length).isTrue();
            }
        }
    }

    private record Outcome(List<byte[]> frames, boolean malformed) {
    }

    private static Outcome feed(byte[] wire, int[] chunks) {
        LengthPrefixedFrames decoder = new LengthPrefixedFrames();
        List<byte[]> frames = new ArrayList<>();
        int at = 0;
        int i = 0;
        try {
            while (at < wire.length) {
                int len = (int) Math.min(chunks[i++ % chunks.length], (long) wire.length - at);
                decoder.feed(ByteBuffer.wrap(wire, at, len), f -> {
                    byte[] b = new byte[f.remaining()];
                    f.duplicate().get(b);
                    FrameCodec.decode(f);
                    frames.add(b);
                });
                at += len;
            }
            return new Outcome(frames, false);
        } catch (MalformedFrameException e) {
            return new Outcome(frames, true);
        }
    }
}
