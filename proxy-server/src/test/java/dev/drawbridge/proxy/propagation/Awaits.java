package dev.drawbridge.proxy.propagation;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits for a condition with a deadline (test-support's {@code Await}, which this module cannot depend on): polls every 10 ms. */
final class Awaits {
    private Awaits() {
    }

    static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(10);
        }
    }
}
