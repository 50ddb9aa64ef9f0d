package dev.drawbridge.model.tunnel;

import java.lang.ref.Cleaner;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The receiving half of one stream's flow control: what the peer may send, and how much credit to grant back as the
 * reader consumes. Guarded by the stream's lock.
 *
 * <p>Credit is cumulative: the peer may send {@link #granted()} bytes in all (the initial window plus every WINDOW
 * increment), so granting more than was consumed widens the window and granting less narrows it, with no new frame and
 * nothing asked of the sender. Every quarter window consumed, the window is judged (as HTTP/2 and QUIC stacks auto-tune):
 * <ul>
 *   <li>the reader is slow (more than half the window waits unread): halve it, down to the initial window;</li>
 *   <li>the quarter went by in under half the tunnel's round trip, so the stream moves more than window / (2 RTT): the
 *   window, not the reader, limits it: double it, up to {@link FlowControl#maxWindow()} and as far as the tunnel's
 *   budget allows;</li>
 *   <li>the stream moves less than window / (8 RTT): it needs far less, halve it.</li>
 * </ul>
 * So a stream's window settles between two and eight times its bandwidth-delay product. Without a round-trip sample no
 * window grows. The growth goes back to the tunnel's budget when the data was all read or the stream failed
 * ({@link #release()}): not merely when the stream ended both ways, since what waits unread still takes memory. A
 * stream its owner dropped unread gives it back when collected.
 */
final class ReceiveWindow {
    /** Gives the growth of windows dropped unread back to their tunnels; a daemon thread for the whole process. */
    private static final Cleaner DROPPED = Cleaner.create();

    /** This window's growth reserved from the tunnel's budget; must not refer to the window (it is the clean-up). */
    private record Growth(Multiplexer mux, AtomicLong bytes) implements Runnable {
        @Override
        public void run() {
            mux.releaseGrowth(bytes.getAndSet(0));
        }
    }

    private final Multiplexer mux;
    private final FlowControl config;
    /** Created when the window first grows (most never do), with its clean-up. */
    private Growth growth;
    private Cleaner.Cleanable cleanable;
    private int window = Multiplexer.INITIAL_WINDOW;
    private long granted = Multiplexer.INITIAL_WINDOW;
    private long received;
    private long consumed;
    private long consumedAtUpdate;
    private long updateNanos;
    private boolean released;

    ReceiveWindow(Multiplexer mux, FlowControl config) {
        this.mux = mux;
        this.config = config;
    }

    /** Whether {@code n} more bytes stay within the credit granted (false: the peer overran its window). */
    boolean accepts(int n) {
        return received + n <= granted;
    }

    void onReceived(int n) {
        if (received == 0) {
            updateNanos = System.nanoTime();
        }
        received += n;
    }

    /**
     * The reader consumed {@code n} bytes; returns the credit to grant the peer now (0: none). Judges the window once a
     * quarter of it was consumed since the last judgement.
     */
    int onConsumed(int n) {
        consumed += n;
        long since = consumed - consumedAtUpdate;
        if (since < window / 4) {
            return 0;
        }
        long now = System.nanoTime();
        if (config.autoTunes() && !released) {
            resize(since, now - updateNanos);
        }
        consumedAtUpdate = consumed;
        updateNanos = now;
        long grant = consumed + window - granted;
        if (grant > 0) {
            granted += grant;
        }
        settle();
        return grant > 0 ? (int) grant : 0;
    }

    /** Keeps reserved what the credit still outstanding may bring: releases only the growth beyond it. */
    private void settle() {
        if (growth == null || released) {
            return;
        }
        long needed = Math.max(0, Math.max(window, granted - consumed) - Multiplexer.INITIAL_WINDOW);
        long excess = growth.bytes().get() - needed;
        if (excess > 0) {
            growth.bytes().addAndGet(-excess);
            mux.releaseGrowth(excess);
        }
    }

    private void resize(long since, long elapsedNanos) {
        long unread = received - consumed;
        double bdp = (double) since * mux.rttNanos() / Math.max(1L, elapsedNanos);
        if (unread > window / 2 || bdp * 8 < window) {
            shrink();
        } else if (bdp * 2 > window && window < config.maxWindow()) {
            int more = (int) mux.reserveGrowth(Math.min(window, config.maxWindow() - window));
            if (more > 0) {
                if (growth == null) {
                    growth = new Growth(mux, new AtomicLong());
                    cleanable = DROPPED.register(this, growth);
                }
                growth.bytes().addAndGet(more);
                window += more;
                mux.noteWindow(window);
            }
        }
    }

    private void shrink() {
        if (growth == null) {
            return;
        }
        window = Math.max(Multiplexer.INITIAL_WINDOW, window / 2);
    }

    /** Gives the growth back to the tunnel's budget; the window grows no more. Idempotent. */
    void release() {
        if (!released) {
            released = true;
            if (cleanable != null) {
                cleanable.clean();
            }
            window = Multiplexer.INITIAL_WINDOW;
        }
    }

    /** The window the reader is granting now: the most it lets wait unread. */
    int window() {
        return window;
    }

    /** The bytes the peer may send in all: the initial window plus every increment granted. */
    long granted() {
        return granted;
    }
}
