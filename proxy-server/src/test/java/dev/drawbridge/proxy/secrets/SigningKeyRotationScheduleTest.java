package dev.drawbridge.proxy.secrets;

import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.jobs.ClusterJobs;
import dev.drawbridge.proxy.jobs.JobLeases;
import dev.drawbridge.proxy.keys.KeyGenerationFloor;
import dev.drawbridge.proxy.keys.KeyLifecycle;
import dev.drawbridge.proxy.keys.SigningKeySet;
import dev.drawbridge.proxy.keys.SigningKeys;
import dev.drawbridge.proxy.sso.IdentityTokens;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The automatic rotation ({@code --signing-key-rotation-period}) on two nodes sharing a real PostgreSQL
 * (DRAWBRIDGE_TEST_PG_URL) and one injected clock, each ticking the leased job many times a second: nothing rotates
 * before the period has passed since the newest key was made; once it has, the keys rotate exactly once across both
 * nodes (one generation up, however many checks follow), both nodes hold the new sets, and the next rotation waits a
 * whole period again.
 */
class SigningKeyRotationScheduleTest {
    private static final Duration PERIOD = Duration.ofDays(90);

    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final List<AutoCloseable> open = new ArrayList<>();
    private final AtomicInteger checks = new AtomicInteger();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
    }

    private SigningKeys node(Database db, ClusterKey key, String name) throws Exception {
        NodeSecrets secrets = SharedSecrets.load(db, key, dir.resolve(name), clock);
        SigningKeys keys = new SigningKeys(new SharedSigningKeys(db, key, clock), new SigningKeySet(secrets.keys().signingKeys(), clock),
                new SigningKeySet(secrets.keys().ssoSigningKeys(), clock), set -> { }, new SigningKeys.Settings(KeyLifecycle.ACTIVATION_DELAY,
                Duration.ofHours(8), IdentityTokens.LONGEST_ACCEPTED), new KeyGenerationFloor(dir.resolve(name)));
        ClusterJobs jobs = new ClusterJobs(new JobLeases(db, name), Executors.newSingleThreadScheduledExecutor(),
                Executors.newVirtualThreadPerTaskExecutor(), Duration.ofMillis(20));
        open.add(jobs);
        jobs.schedule(new ClusterJobs.Job(SigningKeys.ROTATION_JOB, Duration.ofMillis(20), Duration.ofSeconds(2), () -> {
            try {
                keys.rotateIfDue(PERIOD);
                checks.incrementAndGet();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }));
        return keys;
    }

    private void awaitChecks(int more) {
        int target = checks.get() + more;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (checks.get() < target) {
            assertThat(System.nanoTime()).as("the job keeps checking").isLessThan(deadline);
            Thread.onSpinWait();
        }
    }

    @Test
    void theKeysRotateOnceAcrossTheClusterWhenThePeriodHasPassed() throws Exception {
        Database db = PostgresTestDatabase.fresh();
        open.add(db);
        db.dsl().execute("DELETE FROM cluster_secret");
        Database db2 = Database.postgres(System.getenv("DRAWBRIDGE_TEST_PG_URL"));
        open.add(db2);
        ClusterKey key = ClusterKey.generate();
        SigningKeys a = node(db, key, "a");
        SigningKeys b = node(db2, key, "b");
        SharedSigningKeys store = new SharedSigningKeys(db, key, clock);

        // Just before the period: many checks, no rotation.
        clock.advance(PERIOD.minusSeconds(1));
        awaitChecks(20);
        assertThat(KeyLifecycle.generation(store.load().signing())).isZero();

        clock.advance(Duration.ofSeconds(1));
        awaitChecks(20);
        assertThat(KeyLifecycle.generation(store.load().signing())).as("once, not once per node or per check").isEqualTo(1);
        assertThat(KeyLifecycle.generation(store.load().sso())).isEqualTo(1);
        a.reload();
        b.reload();
        assertThat(List.of(a.view().generation(), b.view().generation())).containsOnly(1L);

        // The next one waits a whole period from the new key.
        clock.advance(PERIOD.minusSeconds(1));
        awaitChecks(20);
        assertThat(KeyLifecycle.generation(store.load().signing())).isEqualTo(1);
        clock.advance(Duration.ofSeconds(1));
        awaitChecks(20);
        assertThat(KeyLifecycle.generation(store.load().signing())).isEqualTo(2);
    }
}
