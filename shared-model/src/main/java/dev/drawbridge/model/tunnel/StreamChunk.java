package dev.drawbridge.model.tunnel;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One chunk of a stream's inbound data as {@link TunnelStream#readChunk()} hands it over: either bytes of its own, or a
 * slice of the transport's input buffer that the transport keeps from reuse until {@link #release()} (the retained
 * DATA slices of docs/design/tunnel-transport.md §3: a large DATA payload reaches the consumer without a copy).
 *
 * <p>Whoever holds a chunk releases it exactly once, when done with its bytes (a write of them completed or failed);
 * {@link #release()} is idempotent, so a failure path may release again. The bytes must not be touched after.
 */
public final class StreamChunk {
    private final byte[] array;
    private final ByteBuffer slice;
    private final Runnable release;
    private final AtomicBoolean released;

    private StreamChunk(byte[] array, ByteBuffer slice, Runnable release) {
        this.array = array;
        this.slice = slice;
        this.release = release;
        this.released = release == null ? null : new AtomicBoolean();
    }

    /** A chunk of bytes of its own (nothing to release). */
    static StreamChunk of(byte[] bytes) {
        return new StreamChunk(bytes, null, null);
    }

    /**
     * A retained slice: {@code bytes} (position to limit) stay valid until {@code release} runs, which this chunk runs
     * once, on its first {@link #release()}.
     */
    static StreamChunk retained(ByteBuffer bytes, Runnable release) {
        return new StreamChunk(null, bytes, release);
    }

    /** The bytes, as a buffer of their own (position to limit); valid until {@link #release()}. */
    public ByteBuffer buffer() {
        return array != null ? ByteBuffer.wrap(array) : slice.duplicate();
    }

    public int length() {
        return array != null ? array.length : slice.remaining();
    }

    /** Whether this chunk is a slice of the transport's buffer (released by {@link #release()}), not bytes of its own. */
    public boolean isRetained() {
        return release != null;
    }

    /** The bytes as an array: this chunk's own array, or a copy of the slice, which is then released. */
    byte[] toArrayAndRelease() {
        if (array != null) {
            return array;
        }
        byte[] copy = new byte[slice.remaining()];
        slice.duplicate().get(copy);
        release();
        return copy;
    }

    /** Gives the slice back to the transport; nothing for bytes of its own. Idempotent. */
    public void release() {
        if (release != null && released.compareAndSet(false, true)) {
            release.run();
        }
    }

    /** Whether {@link #release()} ran (always false for bytes of its own): for tests. */
    boolean isReleased() {
        return released != null && released.get();
    }
}
