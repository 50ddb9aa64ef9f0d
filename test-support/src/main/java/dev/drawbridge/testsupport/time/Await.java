package dev.drawbridge.testsupport.time;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * Waits for a condition with a deadline, so that tests never sleep a guessed time: polls every 20 ms and fails
 * with an {@link AssertionError} naming what it waited for once the timeout has passed.
 */
public final class Await {
    private Await() {
    }

    /**
     * Returns as soon as {@code condition} holds.
     *
     * @param what what is awaited, for the failure message ("the connector to reconnect")
     * @throws AssertionError when the condition still does not hold after {@code timeout}
     */
    public static void until(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what);
            }
            Thread.sleep(20);
        }
    }
}
