package dev.drawbridge.connector.update;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Awaits a condition with a deadline (polling every 50 ms), failing with what it waited for. */
final class Eventually {
    private Eventually() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(50);
        }
    }
}
