package dev.drawbridge.model.tunnel;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The round-trip time of one tunnel, measured with PING/PONG: a ping carries the {@link System#nanoTime()} it was sent
 * at and every peer echoes the payload in its pong, so peers need nothing new. Only the pong of the latest ping this side
 * sent counts (a peer cannot forge a shorter time). Keeps the smallest sample, the tunnel's propagation delay, which
 * flow control sizes windows by (a smoothed time grows with the data queued ahead of the pong, and a window sized by it
 * would queue more: it feeds itself), and a smoothed one (RFC 6298's 1/8 gain) for diagnostics. Thread-safe.
 */
final class RttEstimator {
    /** No sample is older than this while data flows: {@link #wantsSample} asks for a fresh one. */
    static final long REFRESH_NANOS = TimeUnit.SECONDS.toNanos(1);
    /** Samples beyond this are dropped (a peer that sat on the pong, or a suspended process). */
    private static final long MAX_SAMPLE_NANOS = TimeUnit.SECONDS.toNanos(10);
    private static final long NONE = Long.MIN_VALUE;

    private final AtomicLong outstanding = new AtomicLong(NONE);
    private volatile long minNanos;
    private volatile long smoothedNanos;
    private volatile long lastSampleAt;
    private volatile long lastPingAt;
    private volatile boolean pinged;

    /** The payload for a ping sent now, remembered as the one whose pong counts. */
    long pingPayload(long now) {
        lastPingAt = now;
        pinged = true;
        outstanding.set(now);
        return now;
    }

    /** A pong arrived {@code now}; a sample if it answers the latest ping. */
    void onPong(long payload, long now) {
        if (payload == NONE || !outstanding.compareAndSet(payload, NONE)) {
            return;
        }
        long rtt = now - payload;
        if (rtt <= 0 || rtt > MAX_SAMPLE_NANOS) {
            return;
        }
        synchronized (this) {
            minNanos = minNanos == 0 ? rtt : Math.min(minNanos, rtt);
            smoothedNanos = smoothedNanos == 0 ? rtt : smoothedNanos + (rtt - smoothedNanos) / 8;
            lastSampleAt = now;
        }
    }

    /** The smallest round trip seen, in nanoseconds; 0 before the first sample (no evidence: windows do not grow). */
    long minNanos() {
        return minNanos;
    }

    long smoothedNanos() {
        return smoothedNanos;
    }

    /**
     * Whether a ping should go out now (no sample yet or a stale one, and no ping sent within the refresh time); true
     * for one caller only, whose ping must then carry {@link #pingPayload}.
     */
    synchronized boolean claimSample(long now) {
        boolean wanted = (minNanos == 0 || now - lastSampleAt > REFRESH_NANOS) && (!pinged || now - lastPingAt > REFRESH_NANOS);
        if (wanted) {
            lastPingAt = now;
            pinged = true;
        }
        return wanted;
    }
}
