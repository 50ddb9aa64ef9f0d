package dev.drawbridge.model.tunnel;

import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * A process-wide bound on the growth of receive windows beyond {@link Multiplexer#INITIAL_WINDOW}, shared by every
 * tunnel of the process ({@link FlowControl#processBudget()}). Each tunnel's own budget bounds what one tunnel may park
 * (data received and not yet read); without a bound across tunnels, a server with 1,000 tunnels of 64 MiB each could be
 * made to park 64 GiB. A window grows only as far as both its tunnel's budget and this one allow, and gives its growth
 * back to both. So the process parks at most streams × 512 KiB + this limit of received, unread data.
 */
public final class WindowBudget {
    /**
     * The default limit: 256 MiB, or a twelfth of the heap when that is less. Counted are window bytes; the memory that
     * holds them can be more, by at most the cap on input buffers pinned by retained DATA slices (tunnel-transport's
     * {@code PinnedInput}: a slice pins its whole 96 KiB input buffer; docs/tunnel.md).
     */
    public static final long DEFAULT_LIMIT = Math.min(256L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 12);
    private static final WindowBudget PROCESS = new WindowBudget(DEFAULT_LIMIT);

    /** The whole budget this is a share of; null for a whole budget. */
    private final WindowBudget whole;
    private final LongSupplier limit;
    private final AtomicLong used = new AtomicLong();

    /** @param limit the most bytes all windows together may exceed their initial windows by (0: no window grows) */
    public WindowBudget(long limit) {
        if (limit < 0) {
            throw new IllegalArgumentException("a window budget must not be negative: " + limit);
        }
        this.whole = null;
        this.limit = () -> limit;
    }

    private WindowBudget(WindowBudget whole, LongSupplier limit) {
        this.whole = whole;
        this.limit = limit;
    }

    /**
     * A share of this budget whose own limit is {@code limit} (asked at each reservation, so it may change: e.g. the whole
     * limit divided by the connectors connected): its windows grow only as far as both the share and this budget allow.
     */
    public WindowBudget share(LongSupplier limit) {
        if (whole != null) {
            throw new IllegalStateException("a share of a share is not supported");
        }
        return new WindowBudget(this, Objects.requireNonNull(limit, "limit"));
    }

    /** The budget of this process's multiplexers when none is configured ({@link #DEFAULT_LIMIT}). */
    public static WindowBudget process() {
        return PROCESS;
    }

    /** Reserves up to {@code want} bytes; returns how many it got. */
    long reserve(long want) {
        long got = reserveOwn(want);
        if (whole != null && got > 0) {
            long fromWhole = whole.reserveOwn(got);
            used.addAndGet(fromWhole - got);
            got = fromWhole;
        }
        return got;
    }

    private long reserveOwn(long want) {
        long max = limit.getAsLong();
        while (true) {
            long u = used.get();
            long got = Math.min(want, max - u);
            if (got <= 0) {
                return 0;
            }
            if (used.compareAndSet(u, u + got)) {
                return got;
            }
        }
    }

    void release(long bytes) {
        if (bytes > 0) {
            used.addAndGet(-bytes);
            if (whole != null) {
                whole.used.addAndGet(-bytes);
            }
        }
    }

    /** Bytes reserved now, by all tunnels together (at most {@link #limit()}), or by a share's. */
    public long used() {
        return used.get();
    }

    /** The limit now (a share's may change). */
    public long limit() {
        return limit.getAsLong();
    }
}
