package dev.drawbridge.proxy.propagation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Work that many requests may ask for but that needs to run only once for all of them: at most one run at a time, and
 * requests arriving while it runs fold into one more run after it (which sees everything they were about). So a burst
 * of a thousand changes to one table costs two reloads, not a thousand, and a change is never missed: a request is
 * always followed by a run that starts after it.
 */
final class CoalescedRun {
    private static final Logger LOG = LoggerFactory.getLogger(CoalescedRun.class);
    private static final int IDLE = 0;
    private static final int RUNNING = 1;
    private static final int RUNNING_AND_ASKED_AGAIN = 2;

    private final String name;
    private final Runnable work;
    private final Executor executor;
    private final AtomicInteger state = new AtomicInteger(IDLE);

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
            try {
                work.run();
            } catch (RuntimeException e) {
                // The reloads keep what they had and log; this is for anything else: the next request runs it again.
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
