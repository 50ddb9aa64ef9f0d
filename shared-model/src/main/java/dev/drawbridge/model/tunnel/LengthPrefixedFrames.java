package dev.drawbridge.model.tunnel;

import java.nio.ByteBuffer;

/**
 * The framing of {@code drawbridge-tunnel/2} (docs/design/tunnel-transport.md): each frame is a {@code u32} length
 * (big-endian) followed by exactly one frame as {@link FrameCodec} encodes it. An instance is the incremental decoder of
 * one direction of one connection: {@link #feed} takes whatever bytes arrived, split anywhere, and hands every complete
 * frame to a {@link Sink}. The static {@code put*} methods are the encoder, writing straight into a caller's buffer.
 *
 * <p>A length outside {@value #MIN_FRAME}..{@link FrameCodec#MAX_FRAME_SIZE} is a {@link MalformedFrameException}
 * before anything is allocated for it; after one, the decoder refuses everything (the connection is closing). A frame
 * whole in the input is delivered as a view of the input, a split one is copied into a reassembly buffer of at most
 * {@link FrameCodec#MAX_FRAME_SIZE} bytes (allocated once, on the first split frame, the size of that frame or more).
 * Not thread-safe: one reader per direction.
 */
public final class LengthPrefixedFrames {
    /** Bytes of the length prefix. */
    public static final int PREFIX = 4;
    /** The shortest frame: a type byte and a stream id (END). */
    public static final int MIN_FRAME = 5;

    /** Receives each complete frame (without its prefix); the buffer is valid only during the call. */
    @FunctionalInterface
    public interface Sink {
        void frame(ByteBuffer frame) throws MalformedFrameException;
    }

    /** How a transport may queue a frame: in order with everything else, or ahead of DATA. */
    public enum Kind {
        /** OPEN, HEAD, DATA, END, RESET, WHOLE, GOAWAY, CONFIG, TRAILERS, unknown types: in order. */
        ORDERED,
        /** Credit: may overtake DATA (it refers to data already received); never dropped. */
        WINDOW,
        /** A round-trip probe: may overtake DATA; may be dropped when too many are queued. */
        PING,
        /** A probe's answer: may overtake DATA; may be dropped when too many are queued. */
        PONG
    }

    private final byte[] prefix = new byte[PREFIX];
    private int prefixHave;
    /** The length of the frame being read, or -1 while reading a prefix. */
    private int frameLength = -1;
    private ByteBuffer reassembly;
    private String failed;
    /** Whether the frame being delivered is a view of the input (not of the reassembly buffer). */
    private boolean deliveringView;

    /**
     * Decodes what {@code in} holds (position to limit), consuming all of it, and calls {@code sink} for every frame
     * completed. A {@link MalformedFrameException} from the sink propagates, and poisons the decoder like a bad length.
     */
    public void feed(ByteBuffer in, Sink sink) throws MalformedFrameException {
        feed(in, sink, 0);
    }

    /**
     * As {@link #feed(ByteBuffer, Sink)}, except that a frame which starts in {@code in} (between frames, its prefix
     * included) and is not complete there is left in it, {@code in}'s position at its prefix, when its prefix and frame
     * take at most {@code keepUpTo} bytes: the caller keeps those bytes, appends what arrives next, and feeds them again,
     * so that every such frame is delivered as a view of the caller's buffer (which it may then retain), never copied.
     * Longer frames are reassembled as by {@code feed}. With {@code keepUpTo} 0, the same as {@code feed}.
     */
    public void feed(ByteBuffer in, Sink sink, int keepUpTo) throws MalformedFrameException {
        if (failed != null) {
            throw new MalformedFrameException(failed);
        }
        try {
            while (in.hasRemaining()) {
                if (keepUpTo > 0 && frameLength < 0 && prefixHave == 0) {
                    int remaining = in.remaining();
                    if (remaining < PREFIX) {
                        if (PREFIX <= keepUpTo) {
                            return;
                        }
                    } else {
                        int length = checkedLength(in.getInt(in.position()));
                        if (PREFIX + length > remaining && PREFIX + length <= keepUpTo) {
                            return;
                        }
                    }
                }
                if (frameLength < 0) {
                    if (prefixHave == 0 && in.remaining() >= PREFIX) {
                        frameLength = checkedLength(in.getInt());
                    } else {
                        prefix[prefixHave++] = in.get();
                        if (prefixHave < PREFIX) {
                            continue;
                        }
                        prefixHave = 0;
                        frameLength = checkedLength(ByteBuffer.wrap(prefix).getInt());
                    }
                }
                if (reassemblyEmpty() && in.remaining() >= frameLength) {
                    // Whole in the input: a view, no copy.
                    int end = in.position() + frameLength;
                    ByteBuffer view = in.slice(in.position(), frameLength);
                    in.position(end);
                    frameLength = -1;
                    deliveringView = true;
                    try {
                        sink.frame(view);
                    } finally {
                        deliveringView = false;
                    }
                    continue;
                }
                ByteBuffer r = reassembly(frameLength);
                int n = Math.min(frameLength - r.position(), in.remaining());
                r.put(r.position(), in, in.position(), n);
                r.position(r.position() + n);
                in.position(in.position() + n);
                if (r.position() == frameLength) {
                    r.flip();
                    frameLength = -1;
                    try {
                        sink.frame(r);
                    } finally {
                        r.clear();
                    }
                }
            }
        } catch (MalformedFrameException e) {
            failed = e.getMessage();
            throw e;
        }
    }

    /**
     * Whether the frame the sink is being given is a view of the input buffer fed (so the caller may keep that buffer from
     * reuse and the view with it), not the decoder's reassembly buffer, which the next frame overwrites.
     */
    public boolean deliveringView() {
        return deliveringView;
    }

    /** Whether a frame was started but not completed (bytes of a prefix or a frame wait for more). */
    public boolean hasPartialFrame() {
        return prefixHave > 0 || frameLength >= 0;
    }

    private boolean reassemblyEmpty() {
        return reassembly == null || reassembly.position() == 0;
    }

    private ByteBuffer reassembly(int length) {
        if (reassembly == null || reassembly.capacity() < length) {
            // Grows at most to MAX_FRAME_SIZE (the length was checked); a frame is reassembled only when split.
            ByteBuffer bigger = ByteBuffer.allocate(Math.min(FrameCodec.MAX_FRAME_SIZE, Math.max(length, 16 * 1024)));
            if (reassembly != null) {
                reassembly.flip();
                bigger.put(reassembly);
            }
            reassembly = bigger;
        }
        return reassembly;
    }

    private static int checkedLength(int length) throws MalformedFrameException {
        if (length < MIN_FRAME || length > FrameCodec.MAX_FRAME_SIZE) {
            throw new MalformedFrameException("frame length " + Integer.toUnsignedString(length) + " outside "
                    + MIN_FRAME + ".." + FrameCodec.MAX_FRAME_SIZE);
        }
        return length;
    }

    /** The bytes {@link #putFrame} writes for {@code frame} (its remaining bytes plus the prefix). */
    public static int encodedSize(ByteBuffer frame) {
        return PREFIX + frame.remaining();
    }

    /** The bytes {@link #putData} writes for a payload of {@code len} bytes. */
    public static int encodedDataSize(int len) {
        return PREFIX + 5 + len;
    }

    /**
     * Writes the length prefix and {@code frame} (one frame as {@link FrameCodec#encode} makes it, position to limit,
     * not consumed) into {@code out}.
     *
     * @throws IllegalArgumentException if the frame's length is outside the protocol's bounds
     */
    public static void putFrame(ByteBuffer out, ByteBuffer frame) {
        int len = frame.remaining();
        if (len < MIN_FRAME || len > FrameCodec.MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("frame of " + len + " bytes outside " + MIN_FRAME + ".." + FrameCodec.MAX_FRAME_SIZE);
        }
        out.putInt(len).put(frame.duplicate());
    }

    /**
     * Writes the length prefix and the DATA frame of {@code len} bytes of {@code b} from {@code off} into {@code out},
     * with no intermediate buffer: the same bytes as {@code putFrame(out, FrameCodec.encodeData(streamId, b, off, len))}.
     */
    public static void putData(ByteBuffer out, int streamId, byte[] b, int off, int len) {
        if (5 + len > FrameCodec.MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("DATA payload of " + len + " bytes exceeds a frame");
        }
        out.putInt(5 + len);
        FrameCodec.putData(out, streamId, b, off, len);
    }

    /** How a transport may queue {@code frame} (an encoded frame, its type byte at its position). */
    public static Kind kindOf(ByteBuffer frame) {
        if (!frame.hasRemaining()) {
            return Kind.ORDERED;
        }
        return switch (frame.get(frame.position())) {
            case FrameCodec.WINDOW -> Kind.WINDOW;
            case FrameCodec.PING -> Kind.PING;
            case FrameCodec.PONG -> Kind.PONG;
            default -> Kind.ORDERED;
        };
    }
}
