package dev.drawbridge.proxy.jobs;

import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.DatabaseRelay;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Background jobs on two nodes sharing one real PostgreSQL (DRAWBRIDGE_TEST_PG_URL; skipped without it): a job both nodes
 * schedule runs once per period between them, never on both at once; a holder that dies (stops renewing) lets the other
 * take over once its lease has run out, not before; a run longer than its lease is renewed and never overlaps another. On
 * H2 the single node runs every job once per period.
 */
class ClusterJobsTest {
    static final Duration TICK = Duration.ofMillis(20);
    final List<AutoCloseable> open = new ArrayList<>();
    @TempDir
    Path dir;

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static Database[] nodes;

    /** Two nodes' databases, for the whole class (each test its own job name): the second opens the first's migrated schema. */
    Database[] twoNodes() throws Exception {
        if (nodes == null) {
            Database a = PostgresTestDatabase.fresh();
            nodes = new Database[]{a, Database.postgres(System.getenv("DRAWBRIDGE_TEST_PG_URL"))};
        }
        return nodes;
    }

    @AfterAll
    static void closeNodes() throws Exception {
        if (nodes != null) {
            nodes[0].close();
            nodes[1].close();
        }
    }

    ClusterJobs node(Database db, String name) {
        ClusterJobs jobs = new ClusterJobs(new JobLeases(db, name), Executors.newSingleThreadScheduledExecutor(),
                Executors.newVirtualThreadPerTaskExecutor(), TICK);
        open.add(jobs);
        return jobs;
    }

    /** Records each run's start, its node, and whether two ever overlapped. */
    static final class Runs {
        final List<Long> starts = new CopyOnWriteArrayList<>();
        final List<String> nodes = new CopyOnWriteArrayList<>();
        final AtomicInteger concurrent = new AtomicInteger();
        final AtomicInteger maxConcurrent = new AtomicInteger();

        Runnable task(String node, Duration duration) {
            return () -> {
                int now = concurrent.incrementAndGet();
                maxConcurrent.accumulateAndGet(now, Math::max);
                starts.add(System.nanoTime());
                nodes.add(node);
                try {
                    if (!duration.isZero()) {
                        // The run's own work: a fixed time (the latch never counts down).
                        new CountDownLatch(1).await(duration.toMillis(), TimeUnit.MILLISECONDS);
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    concurrent.decrementAndGet();
                }
            };
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void twoNodesRunAJobOncePerPeriodBetweenThem() throws Exception {
        Database[] db = twoNodes();
        Runs runs = new Runs();
        Duration period = Duration.ofMillis(500);
        long t0 = System.nanoTime();
        node(db[0], "node-a").schedule(new ClusterJobs.Job("test.job", period, Duration.ofSeconds(2), runs.task("node-a", Duration.ofMillis(30))));
        node(db[1], "node-b").schedule(new ClusterJobs.Job("test.job", period, Duration.ofSeconds(2), runs.task("node-b", Duration.ofMillis(30))));
        await("five runs", Duration.ofSeconds(10), () -> runs.starts.size() >= 5);
        long elapsed = System.nanoTime() - t0;
        int n = runs.starts.size();
        assertThat(runs.maxConcurrent.get()).as("never on both nodes at once").isEqualTo(1);
        // Each node ticking alone would have run it every 500 ms: about twice as many runs as this.
        assertThat(n).as("runs in %d ms", elapsed / 1_000_000).isLessThanOrEqualTo((int) (elapsed / period.toNanos()) + 1);
        List<Long> starts = new ArrayList<>(runs.starts);
        for (int i = 1; i < starts.size(); i++) {
            // A run is due a period after the last one finished (30 ms later), on whichever node: 20 ms of slack for clocks.
            assertThat(starts.get(i) - starts.get(i - 1)).as("gap before run %d", i).isGreaterThanOrEqualTo(period.toNanos() - 20_000_000);
        }
        JobLeases.Lease lease = new JobLeases(db[0], "reader").find("test.job").orElseThrow();
        assertThat(lease.lastFinishedAt()).isPresent();
        assertThat(lease.lastHolder()).hasValueSatisfying(h -> assertThat(h).isIn("node-a", "node-b"));
    }

    @Test
    void aDeadHoldersJobIsTakenOverOnceItsLeaseRunsOutAndNotBefore() throws Exception {
        Database[] db = twoNodes();
        Duration lease = Duration.ofMillis(1500);
        // Node A took the lease and died: no renewal, no finish, its row as a crashed process leaves it.
        JobLeases dead = new JobLeases(db[0], "node-a");
        dead.register("test.job");
        assertThat(dead.tryAcquire("test.job", Duration.ofMillis(100), lease)).isTrue();
        long acquired = System.nanoTime();
        Runs runs = new Runs();
        node(db[1], "node-b").schedule(new ClusterJobs.Job("test.job", Duration.ofMillis(100), lease, runs.task("node-b", Duration.ZERO)));
        await("node B to take the job over", Duration.ofSeconds(10), () -> !runs.starts.isEmpty());
        long tookOver = runs.starts.getFirst() - acquired;
        assertThat(tookOver).as("took over after %d ms", tookOver / 1_000_000).isGreaterThanOrEqualTo(lease.toNanos() - 20_000_000)
                .isLessThan(lease.toNanos() + 1_000_000_000L);
        // The dead node can no longer renew or finish it: it is B's.
        assertThat(dead.renew("test.job", lease)).isFalse();
        assertThat(dead.finish("test.job")).isFalse();
    }

    @Test
    void aRunLongerThanItsLeaseIsRenewedAndNeverRunsTwiceAtOnce() throws Exception {
        Database[] db = twoNodes();
        Runs runs = new Runs();
        // 2 s: a renewal opens a connection, which takes up to several hundred ms on a loaded machine, and a run whose
        // renewals do not succeed within three quarters of its lease (counted from when they were sent) stops, rightly, before
        // another node may start it.
        Duration lease = Duration.ofMillis(2000);
        Duration period = Duration.ofMillis(50);
        // Each run lasts longer than its lease; both nodes look every 20 ms whether they may start it.
        node(db[0], "node-a").schedule(new ClusterJobs.Job("test.long", period, lease, runs.task("node-a", Duration.ofMillis(2500))));
        node(db[1], "node-b").schedule(new ClusterJobs.Job("test.long", period, lease, runs.task("node-b", Duration.ofMillis(2500))));
        await("three runs", Duration.ofSeconds(15), () -> runs.starts.size() >= 3);
        assertThat(runs.maxConcurrent.get()).as("never two runs at once").isEqualTo(1);
        List<Long> starts = new ArrayList<>(runs.starts);
        for (int i = 1; i < starts.size(); i++) {
            assertThat(starts.get(i) - starts.get(i - 1)).as("gap before run %d", i).isGreaterThanOrEqualTo(Duration.ofMillis(2500).toNanos());
        }
    }

    @Test
    void aRunThatCannotRenewStopsBeforeAnotherNodeStartsIt() throws Exception {
        Database[] db = twoNodes();
        Duration lease = Duration.ofMillis(600);
        AtomicInteger interrupted = new AtomicInteger();
        CountDownLatch started = new CountDownLatch(1);
        JobLeases a = new JobLeases(db[0], "node-a");
        ClusterJobs jobsA = node(db[0], "node-a");
        jobsA.schedule(new ClusterJobs.Job("test.stolen", Duration.ofMillis(50), lease, () -> {
            started.countDown();
            try {
                new CountDownLatch(1).await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                interrupted.incrementAndGet();
            }
        }));
        assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
        // An operator (or a bug) hands the lease to node B: A's next renewal finds it gone and stops its run.
        db[1].dsl().execute("UPDATE job_lease SET holder = 'node-b' WHERE name = 'test.stolen'");
        long stolen = System.nanoTime();
        await("node A to stop its run", Duration.ofSeconds(5), () -> interrupted.get() == 1);
        // Within a renewal interval (a quarter of the lease) and some slack; node A recorded no finished run.
        assertThat(System.nanoTime() - stolen).isLessThan(lease.toNanos());
        assertThat(a.find("test.stolen").orElseThrow().lastFinishedAt()).isEmpty();
    }

    @Test
    void aRunWhoseDatabaseStopsAnsweringStopsBeforeAnotherNodeStartsIt() throws Exception {
        // Before: node A renewed on its scheduler thread, which hung on the silent connection, so nothing stopped A's run
        // when its lease ran out, and node B ran the job at the same time.
        Database[] db = twoNodes();
        try (DatabaseRelay relay = new DatabaseRelay(5432)) {
            Database viaRelay = Database.postgres(relay.url(System.getenv("DRAWBRIDGE_TEST_PG_URL")));
            open.add(viaRelay);
            Duration lease = Duration.ofMillis(1500);
            Runs runs = new Runs();
            CountDownLatch started = new CountDownLatch(1);
            Runnable longRun = runs.task("node-a", Duration.ofSeconds(10));
            node(viaRelay, "node-a").schedule(new ClusterJobs.Job("test.partitioned", Duration.ofMillis(50), lease, () -> {
                started.countDown();
                longRun.run();
            }));
            assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
            // Node A's database connections go silent (a partition, a failover): no reset, no answer.
            relay.blackhole(true);
            long lost = System.nanoTime();
            node(db[1], "node-b").schedule(new ClusterJobs.Job("test.partitioned", Duration.ofMillis(50), lease,
                    runs.task("node-b", Duration.ZERO)));
            await("node B to take the job over", Duration.ofSeconds(10), () -> runs.nodes.contains("node-b"));
            assertThat(System.nanoTime() - lost).as("not before A's lease ran out").isGreaterThanOrEqualTo(lease.toNanos() / 2);
            assertThat(runs.maxConcurrent.get()).as("node A's run stopped before node B's started").isEqualTo(1);
        }
    }

    @Test
    void onASingleNodeEveryJobRunsOncePerPeriod() throws Exception {
        Database h2 = Database.h2(dir);
        open.add(h2);
        Runs runs = new Runs();
        node(h2, "only").schedule(new ClusterJobs.Job("test.h2", Duration.ofMillis(200), Duration.ofSeconds(1), runs.task("only", Duration.ZERO)));
        await("three runs", Duration.ofSeconds(10), () -> runs.starts.size() >= 3);
        assertThat(runs.nodes).containsOnly("only");
        assertThat(runs.maxConcurrent.get()).isEqualTo(1);
    }
}
