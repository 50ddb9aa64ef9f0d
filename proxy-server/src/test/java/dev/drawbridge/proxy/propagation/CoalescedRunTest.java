package dev.drawbridge.proxy.propagation;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

/** One run at a time, the requests made during a run folded into one more, none lost; a failing run stops nothing. */
class CoalescedRunTest {
    private final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
    }

    @Test
    void aBurstDuringARunCostsOneMoreRunAndNoneIsLost() throws Exception {
        CountDownLatch firstStarted = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger concurrent = new AtomicInteger();
        AtomicInteger maxConcurrent = new AtomicInteger();
        CoalescedRun run = new CoalescedRun("test", () -> {
            maxConcurrent.accumulateAndGet(concurrent.incrementAndGet(), Math::max);
            if (runs.incrementAndGet() == 1) {
                firstStarted.countDown();
                try {
                    release.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            concurrent.decrementAndGet();
        }, executor);

        run.request();
        assertThat(firstStarted.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 0; i < 1000; i++) {
            run.request();
        }
        release.countDown();
        Awaits.until("the second run", Duration.ofSeconds(10), () -> runs.get() == 2 && concurrent.get() == 0);

        // Then idle: a later request is a run of its own.
        run.request();
        Awaits.until("a third run", Duration.ofSeconds(10), () -> runs.get() == 3 && concurrent.get() == 0);
        assertThat(runs.get()).as("1 + the burst folded into 1 + the later one").isEqualTo(3);
        assertThat(maxConcurrent.get()).as("runs at once").isEqualTo(1);
    }

    @Test
    void aFloodOfRequestsRunsAtABoundedRate() throws Exception {
        // Anyone who may connect to the database can NOTIFY the channel in a loop: each node must not reload back to back
        // for as long as they keep at it (each reload is queries, and the certificates' a decryption each).
        AtomicInteger runs = new AtomicInteger();
        AtomicLong lastStart = new AtomicLong();
        CoalescedRun run = new CoalescedRun("test", () -> {
            lastStart.set(System.nanoTime());
            runs.incrementAndGet();
        }, executor);
        long start = System.nanoTime();
        long flood = Duration.ofMillis(1050).toNanos();
        long lastRequest;
        do {
            lastRequest = System.nanoTime();
            run.request();
            Thread.onSpinWait();
        } while (lastRequest - start < flood);
        long elapsed = lastRequest - start;
        // At most one run per 100 ms, whatever the rate of requests (+2: the first, and one under way at the end).
        long bound = elapsed / Duration.ofMillis(100).toNanos() + 2;
        assertThat(runs.get()).as("runs during a flood of %d ms", elapsed / 1_000_000).isLessThanOrEqualTo((int) bound);
        // And the flood's last request still gets a run that starts after it (none is lost).
        long last = lastRequest;
        Awaits.until("a run after the flood's last request", Duration.ofSeconds(5), () -> lastStart.get() - last > 0);
    }

    @Test
    void aRunThatThrowsAnErrorLeavesItReadyForTheNextRequest() throws Exception {
        // Not a RuntimeException (a LinkageError, an OutOfMemoryError while reading a large table): the topic must not stay
        // "running" forever, leaving its notifications unheard on this node until it restarts.
        AtomicInteger runs = new AtomicInteger();
        CoalescedRun run = new CoalescedRun("test", () -> {
            if (runs.incrementAndGet() == 1) {
                throw new LinkageError("the test's error");
            }
        }, executor);

        run.request();
        Awaits.until("the failing run", Duration.ofSeconds(10), () -> runs.get() == 1);
        Awaits.until("the next one", Duration.ofSeconds(10), () -> {
            run.request();
            return runs.get() >= 2;
        });
    }

    @Test
    void aFailingRunLeavesItReadyForTheNextRequest() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CoalescedRun run = new CoalescedRun("test", () -> {
            runs.incrementAndGet();
            throw new IllegalStateException("database away");
        }, executor);

        run.request();
        Awaits.until("the failing run", Duration.ofSeconds(10), () -> runs.get() == 1);
        Awaits.until("the next one", Duration.ofSeconds(10), () -> {
            run.request();
            return runs.get() >= 2;
        });
    }

    @Test
    void aRequestAfterTheExecutorStoppedIsDroppedQuietly() {
        executor.shutdownNow();
        CoalescedRun run = new CoalescedRun("test", () -> { }, executor);
        // The node is stopping: no exception reaches the listener's thread, now or at the next request.
        assertThatCode(() -> {
            run.request();
            run.request();
        }).doesNotThrowAnyException();
    }
}
