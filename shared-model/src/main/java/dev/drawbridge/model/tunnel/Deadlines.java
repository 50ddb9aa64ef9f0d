package dev.drawbridge.model.tunnel;

import java.util.Iterator;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * Coarse deadlines for the per-request head timeouts, checked by one sweeper thread every {@link #TICK_MILLIS} ms.
 * Registering is a queue append: unlike a scheduled task per request (a timer queue insert and cancel, each of which
 * may wake the timer thread), it never wakes another thread, which matters most at low load, where every wake-up is a
 * context switch. Deadlines fire up to one tick late; head timeouts are seconds long.
 */
public final class Deadlines {
    /** How often the sweeper looks: the most a deadline fires late. */
    public static final long TICK_MILLIS = 50;

    private record Entry(BooleanSupplier done, long deadlineNanos, Runnable onExpiry) {
    }

    private static final ConcurrentLinkedQueue<Entry> ENTRIES = new ConcurrentLinkedQueue<>();

    static {
        Thread.ofPlatform().daemon().name("drawbridge-deadlines").start(Deadlines::sweep);
    }

    private Deadlines() {
    }

    /**
     * Runs {@code onExpiry} (on the sweeper thread: it must not block) once {@code timeoutMillis} have passed, unless
     * {@code done} answers true by then; the entry is dropped at the first sweep that finds it done.
     */
    public static void add(long timeoutMillis, BooleanSupplier done, Runnable onExpiry) {
        ENTRIES.add(new Entry(done, System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis), onExpiry));
    }

    private static void sweep() {
        while (true) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(TICK_MILLIS));
            long now = System.nanoTime();
            for (Iterator<Entry> it = ENTRIES.iterator(); it.hasNext(); ) {
                Entry e = it.next();
                try {
                    if (e.done().getAsBoolean()) {
                        it.remove();
                    } else if (now - e.deadlineNanos() >= 0) {
                        it.remove();
                        e.onExpiry().run();
                    }
                } catch (RuntimeException ex) {
                    it.remove(); // a broken entry must not stop the sweeper
                }
            }
        }
    }
}
