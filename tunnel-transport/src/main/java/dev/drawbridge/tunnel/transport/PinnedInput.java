package dev.drawbridge.tunnel.transport;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A cap on the input buffers that retained DATA slices keep from reuse. A slice handed to a stream instead of a copy
 * ({@link FrameConnection}) pins its link's whole input buffer (96 KiB) until the stream's reader is done with it, so
 * the memory that unread data takes can be up to three times the receive windows that count it. Here each such buffer
 * counts once, at its capacity, from the first slice kept of it until the last is released; a link whose next buffer
 * would take the total past the limit hands its DATA on as copies instead (exactly what the windows count). So the
 * memory behind data received and not yet read is at most the windows' bytes plus this limit, whatever the readers do.
 *
 * <p>Each side makes its own (the server {@code --tunnel-pinned-max}, default {@link #SERVER_DEFAULT}; the connector
 * the same option, default {@link #CONNECTOR_DEFAULT}): a server and a connector in one JVM never share one. A
 * {@link #share share} is a part of a cap with a limit of its own that may change (the server gives each connector a
 * fair share, so that one connector's unread streams cannot take every other connector's); its buffers count against
 * the share and the whole cap both.
 */
public final class PinnedInput {
    /** The connector's default limit: 64 MiB, or a thirty-second of the heap when that is less. */
    public static final long CONNECTOR_DEFAULT = Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 32);
    /**
     * The server's default limit: 0, it copies unless {@code --tunnel-pinned-max} is given. Its readers are public
     * clients, which may never read: with the server retaining under a cap of 4 MiB (heap/128 of its 512 MiB test JVM),
     * Http2DowngradeAttackTest's 64 unread streams held 14 to 48 MiB of heap in five runs, far more than the cap, and
     * 48 once (its bound); copying, 1 MiB (docs/tunnel.md). Until that is understood, retention on the server is opt-in.
     */
    public static final long SERVER_DEFAULT = 0;

    /** The whole cap this is a share of; null for a whole cap. */
    private final PinnedInput whole;
    private final LongSupplier limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit the most bytes of input buffers that retained slices may pin at once (0: DATA is always copied) */
    public PinnedInput(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a pinned-input limit must not be negative: " + limit);
        }
        this.whole = null;
        this.limit = () -> limit;
    }

    private PinnedInput(PinnedInput whole, LongSupplier limit) {
        this.whole = whole;
        this.limit = limit;
    }

    /**
     * A share of this cap whose own limit is {@code limit} (asked at each buffer, so it may change: e.g. the whole limit
     * divided by the connectors connected); a buffer pinned by it counts against this cap as well.
     */
    public PinnedInput share(LongSupplier limit) {
        if (whole != null) {
            throw new IllegalStateException("a share of a share is not supported");
        }
        return new PinnedInput(this, Objects.requireNonNull(limit, "limit"));
    }

    /**
     * A pin of {@code bytes} (one input buffer), held by its link while it decodes that buffer; null when the limit (a
     * share's or the whole cap's) would be passed (copy instead).
     */
    Pin tryPin(int bytes) {
        if (!reserve(bytes)) {
            return null;
        }
        if (whole != null && !whole.reserve(bytes)) {
            used.addAndGet(-bytes);
            return null;
        }
        return new Pin(bytes);
    }

    private boolean reserve(int bytes) {
        long max = limit.getAsLong();
        while (true) {
            long u = used.get();
            if (u + bytes > max) {
                return false;
            }
            if (used.compareAndSet(u, u + bytes)) {
                return true;
            }
        }
    }

    private void release(int bytes) {
        used.addAndGet(-bytes);
        if (whole != null) {
            whole.used.addAndGet(-bytes);
        }
    }

    /** Bytes pinned now (by this share, or by the whole cap with all its shares). */
    public long used() {
        return used.get();
    }

    /** The limit now. */
    public long limit() {
        return limit.getAsLong();
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
                release(bytes);
            } else if (left < 0) {
                throw new IllegalStateException("a pin dropped more often than held");
            }
        }
    }
}
