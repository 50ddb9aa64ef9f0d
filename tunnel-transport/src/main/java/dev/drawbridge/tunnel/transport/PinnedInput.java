package dev.drawbridge.tunnel.transport;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A process-wide cap on the input buffers that retained DATA slices keep from reuse. A slice handed to a stream instead
 * of a copy ({@link FrameConnection}) pins its link's whole input buffer (96 KiB) until the stream's reader is done with
 * it, so the memory that unread data takes can be up to three times the receive windows that count it. Here each such
 * buffer counts once, at its capacity, from the first slice kept of it until the last is released; a link whose next
 * buffer would take the total past the limit hands its DATA on as copies instead (exactly what the windows count). So
 * the memory behind data received and not yet read is at most the windows' bytes plus this limit, whatever the readers do.
 */
public final class PinnedInput {
    /** The default limit: 64 MiB, or a thirty-second of the heap when that is less. */
    public static final long DEFAULT_LIMIT = Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 32);
    private static final PinnedInput PROCESS = new PinnedInput(DEFAULT_LIMIT);

    private final long limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit the most bytes of input buffers that retained slices may pin at once (0: DATA is always copied) */
    public PinnedInput(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a pinned-input limit must not be negative: " + limit);
        }
        this.limit = limit;
    }

    /** The cap of this process's links ({@link #DEFAULT_LIMIT}). */
    public static PinnedInput process() {
        return PROCESS;
    }

    /**
     * A pin of {@code bytes} (one input buffer), held by its link while it decodes that buffer; null when the limit would
     * be passed (copy instead).
     */
    Pin tryPin(int bytes) {
        while (true) {
            long u = used.get();
            if (u + bytes > limit) {
                return null;
            }
            if (used.compareAndSet(u, u + bytes)) {
                return new Pin(bytes);
            }
        }
    }

    /** Bytes pinned now. */
    public long used() {
        return used.get();
    }

    public long limit() {
        return limit;
    }

    /**
     * One buffer's count: the link's own hold while it decodes the buffer, plus one per slice kept; the bytes go back when
     * the count reaches zero. A slice is only ever kept while the link holds the pin, so the count never rises from zero.
     */
    final class Pin {
        private final int bytes;
        private final AtomicInteger holds = new AtomicInteger(1);

        private Pin(int bytes) {
            this.bytes = bytes;
        }

        /** One more slice of the buffer kept (called by the link while it holds the pin). */
        void add() {
            holds.incrementAndGet();
        }

        /** A slice released, or the link's own hold dropped. */
        void drop() {
            int left = holds.decrementAndGet();
            if (left == 0) {
                used.addAndGet(-bytes);
            } else if (left < 0) {
                throw new IllegalStateException("a pin dropped more often than held");
            }
        }
    }
}
