package dev.drawbridge.proxy.identity;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The bound on concurrent Argon2id hashes: never more at once than permits, and overload is refused, not queued forever. */
class PasswordHasherTest {
    @Test
    void neverMoreHashesAtOnceThanPermitsAndOverloadIsRefused() throws Exception {
        // 8 MiB per hash: slow enough that 24 simultaneous callers pile up on 2 permits.
        PasswordHasher hasher = new PasswordHasher(8 * 1024, 2, 1, 2, Duration.ZERO);
        String stored = hasher.hash("pw");
        CyclicBarrier start = new CyclicBarrier(24);
        List<Future<Boolean>> results = new ArrayList<>();
        // Platform threads: CPU-bound virtual threads would wait for a carrier rather than for the permit.
        try (ExecutorService pool = Executors.newFixedThreadPool(24)) {
            for (int i = 0; i < 24; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    try {
                        return hasher.verify("pw", stored);
                    } catch (PasswordHasher.Busy busy) {
                        return null;
                    }
                }));
            }
        }
        long busy = 0;
        for (Future<Boolean> f : results) {
            Boolean r = f.get();
            if (r == null) {
                busy++;
            } else {
                assertThat(r).isTrue();
            }
        }
        assertThat(hasher.peakConcurrency()).isBetween(1, 2);
        assertThat(busy).isPositive();
        // Permits come back: the next caller is served.
        assertThat(hasher.verify("pw", stored)).isTrue();
    }

    @Test
    void aHeldPermitIsReleasedOnceAndWaitersTimeOut() {
        PasswordHasher hasher = new PasswordHasher(1024, 1, 1, 1, Duration.ofMillis(50));
        PasswordHasher.Permit held = hasher.acquire();
        assertThatThrownBy(() -> hasher.hash("x")).isInstanceOf(PasswordHasher.Busy.class);
        held.close();
        held.close();
        try (PasswordHasher.Permit again = hasher.acquire()) {
            assertThat(again.verify("x", again.hash("x"))).isTrue();
            // Closing twice released one permit only: a second is not available.
            assertThatThrownBy(hasher::acquire).isInstanceOf(PasswordHasher.Busy.class);
        }
    }

    @Test
    void defaultPermitsFollowCoresAndMemory() {
        int permits = PasswordHasher.defaultPermits(19 * 1024);
        assertThat(permits).isBetween(1, Runtime.getRuntime().availableProcessors());
        assertThat((long) permits * 19 * 1024 * 1024).isLessThanOrEqualTo(Math.max(19L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 4));
        assertThat(PasswordHasher.defaultPermits(Integer.MAX_VALUE)).isEqualTo(1);
    }
}
