package dev.drawbridge.proxy.propagation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work that many requests may ask for but that needs to run only once for all of them: at most one run at a time, and
 * requests arriving while it runs fold into one more run after it (which sees everything they were about). So a burst
 * of a thousand changes to one table costs two reloads, not a thousand, and a change is never missed: a request is
 * always followed by a run that starts after it. Runs start at least {@link #MIN_GAP} apart: anyone who may connect to
 * the database can {@code NOTIFY} the channel in a loop, and without the gap each node would reload back to back for as
 * long as they keep at it; with it, a flood costs each topic at most a few runs a second.
 */
final class CoalescedRun {
    /** The least time between the starts of two runs; a change waits this long at most beyond its run's own time. */
    static final Duration MIN_GAP = Duration.ofMillis(200);
    private static final Logger LOG = LoggerFactory.getLogger(CoalescedRun.class);
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUNNING_AND_ASKED_AGAIN = 2;

    private final String name;
    private final Runnable work;
    private final Executor executor;
    private final AtomicInteger state = new AtomicInteger(IDLE);
    /** When the last run started ({@link System#nanoTime}); written by the one draining thread at a time. */
    private volatile long lastStart = System.nanoTime() - MIN_GAP.toNanos();

    CoalescedRun(String name, Runnable work, Executor executor) {
        this.name = name;
        this.work = work;
        this.executor = executor;
    }

    /** Runs the work soon: now if idle, else once more after the current run. Never blocks. */
    void request() {
        while (true) {
            int s = state.get();
            if (s == RUNNING_AND_ASKED_AGAIN
                    || s == RUNNING && state.compareAndSet(RUNNING, RUNNING_AND_ASKED_AGAIN)) {
                return;
            }
            if (s == IDLE && state.compareAndSet(IDLE, RUNNING)) {
                try {
                    executor.execute(this::drain);
                } catch (RejectedExecutionException stopping) {
                    state.set(IDLE);
                }
                return;
            }
        }
    }

    private void drain() {
        while (true) {
            long wait = lastStart + MIN_GAP.toNanos() - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(Duration.ofNanos(wait));
                } catch (InterruptedException stopping) {
                    // The node is stopping (its executor shut down): nothing more to run.
                    state.set(IDLE);
                    Thread.currentThread().interrupt();
                    return;
                }
            }
            // Requests made while waiting came before this run: it covers them, no run more for them.
            state.set(RUNNING);
            lastStart = System.nanoTime();
            try {
                work.run();
            } catch (RuntimeException | Error e) {
                // The reloads keep what they had and log; this is for anything else, an Error too (else the topic would
                // stay "running" and its notifications unheard on this node until it restarts): the next request runs it.
                LOG.warn("reloading {} failed: {}", name, e.toString());
            }
            if (state.compareAndSet(RUNNING, IDLE)) {
                return;
            }
            // Asked again while it ran: once more, for all those requests.
            state.set(RUNNING);
        }
    }
}
