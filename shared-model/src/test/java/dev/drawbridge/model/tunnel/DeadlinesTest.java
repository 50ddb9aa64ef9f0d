package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.Test;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** The sweeper fires a deadline once, about on time, and never one whose work finished first. */
class DeadlinesTest {
    @Test
    void aDeadlineFiresOnceAfterItsTimeout() throws Exception {
        CountDownLatch fired = new CountDownLatch(1);
        AtomicInteger runs = new AtomicInteger();
        long t0 = System.nanoTime();
        Deadlines.add(200, () -> false, () -> {
            runs.incrementAndGet();
            fired.countDown();
        });
        assertThat(fired.await(5, TimeUnit.SECONDS)).isTrue();
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(elapsedMs).isGreaterThanOrEqualTo(200);
        Thread.sleep(4 * Deadlines.TICK_MILLIS);
        assertThat(runs).hasValue(1);
    }

    @Test
    void workDoneInTimeIsNeverExpired() throws Exception {
        AtomicBoolean done = new AtomicBoolean();
        AtomicBoolean expired = new AtomicBoolean();
        Deadlines.add(150, done::get, () -> expired.set(true));
        done.set(true);
        // A later deadline on the same sweeper proves sweeps have passed the first one's time.
        CountDownLatch later = new CountDownLatch(1);
        Deadlines.add(300, () -> false, later::countDown);
        assertThat(later.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(expired).isFalse();
    }

    @Test
    void aFailingEntryDoesNotStopTheSweeper() throws Exception {
        Deadlines.add(50, () -> {
            throw new IllegalStateException("broken");
        }, () -> {
        });
        CountDownLatch after = new CountDownLatch(1);
        Deadlines.add(150, () -> false, after::countDown);
        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
    }
}
