package dev.drawbridge.proxy.translation;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The memory the brotli bodies being decoded at once may hold. A brotli stream's first bits choose its window (RFC 7932
 * §9.1: 64 KiB to 16 MiB), and the decoder keeps a buffer that large for the whole body (unless its first meta-block is
 * also its last). The app, not Drawbridge, chooses it: without a bound, slow bodies with the largest window, asked for by
 * many clients at once, would fill the heap of the server every app goes through. Each body takes its window from a
 * fixed budget for as long as it is decoded; one that finds no room within a short wait is refused.
 */
final class BrotliWindows {
    private static final int KIB = 1024;

    private final int totalKib;
    private final Semaphore kib;
    private final Duration wait;

    BrotliWindows(long budgetBytes, Duration wait) {
        this.totalKib = Math.toIntExact(budgetBytes / KIB);
        this.kib = new Semaphore(totalKib, true);
        this.wait = wait;
    }

    /** Room taken for one body, given back by {@link #close}. */
    interface Lease extends AutoCloseable {
        @Override
        void close();
    }

    /**
     * The window a brotli stream whose first byte is {@code first} declares, in bytes (a power of two; its sliding window
     * is 16 bytes less). A large-window stream (a non-standard extension) counts as more than any budget.
     */
    static long window(int first) {
        int wbits;
        if ((first & 1) == 0) {
            wbits = 16;
        } else if ((first >> 1 & 7) != 0) {
            wbits = 17 + (first >> 1 & 7);
        } else {
            int m = first >> 4 & 7;
            wbits = m == 1 ? 62 : m == 0 ? 17 : 8 + m;
        }
        return 1L << wbits;
    }

    /** Takes {@code window} bytes of the budget, waiting a little for a body to end; fails when there is no room. */
    Lease take(long window) throws IOException {
        long wanted = (window + KIB - 1) / KIB;
        if (wanted > totalKib) {
            throw new IOException("its brotli window (" + window + " bytes) is larger than the server lets brotli bodies hold");
        }
        int permits = (int) wanted;
        try {
            if (!kib.tryAcquire(permits, wait.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IOException("too many brotli bodies are being decoded at once (their windows would exceed the server's budget)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while waiting to decode a brotli body", e);
        }
        return () -> kib.release(permits);
    }
}
