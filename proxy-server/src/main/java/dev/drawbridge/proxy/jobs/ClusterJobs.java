package dev.drawbridge.proxy.jobs;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * Background jobs that run once across the cluster, not once per node: every node ticks every job, and a tick runs the job
 * only when it takes the job's lease ({@link JobLeases}), which it gets when the job is due (its period has passed since it
 * last finished, on any node) and nobody holds it. While the job runs, its node renews the lease every quarter of it, so a
 * job that runs longer than its lease still runs on one node at a time; a node that dies stops renewing, and another
 * takes the job over once the lease has run out. A node that finds it lost the lease (or could not renew it before it ran
 * out) interrupts its run. On a single node (H2) the node always gets the lease: every job runs there, as before.
 */
public final class ClusterJobs implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterJobs.class);
    /** How often a node looks whether a job is due (at most; sooner for jobs of a shorter period). */
    public static final Duration DEFAULT_TICK = Duration.ofSeconds(30);

    private final JobLeases leases;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService runner;
    private final Duration maxTick;
    private final Set<String> running = ConcurrentHashMap.newKeySet();
    private final Set<String> unreachable = ConcurrentHashMap.newKeySet();
    private final Set<String> registered = ConcurrentHashMap.newKeySet();

    /**
     * A job: its name (its row), how long after it finished it is due again, how long a lease lasts without renewal (how long
     * a dead node's job waits before another node takes it), and what it does. It should stop when its thread is interrupted,
     * and be safe to run again after a run that stopped half-way.
     */
    public record Job(String name, Duration period, Duration lease, Runnable task) {
        public Job {
            if (name == null || name.isBlank() || name.length() > 64) {
                throw new IllegalArgumentException("a job's name must have 1 to 64 characters");
            }
            if (period == null || !period.isPositive() || lease == null || lease.compareTo(Duration.ofMillis(30)) < 0 || task == null) {
                throw new IllegalArgumentException("job " + name + ": the period must be positive, the lease at least 30 ms, the task given");
            }
        }
    }

    /**
     * Jobs ticked by {@code scheduler} (which also renews leases) and run on {@code runner}; each job is looked at every
     * {@code maxTick}, or every period when that is shorter. Closing shuts both executors down.
     */
    public ClusterJobs(JobLeases leases, ScheduledExecutorService scheduler, ExecutorService runner, Duration maxTick) {
        this.leases = leases;
        this.scheduler = scheduler;
        this.runner = runner;
        this.maxTick = maxTick;
    }

    /** Ticks {@code job} from now on; the first tick comes after one tick interval. */
    public void schedule(Job job) {
        long tick = Math.max(1, Math.min(maxTick.toMillis(), job.period().toMillis()));
        scheduler.scheduleWithFixedDelay(() -> tick(job), tick, tick, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code job} here if it is due and this node gets its lease; never throws (a periodic task that throws stops). The
     * database is called on the runner, never on the scheduler: the scheduler must stay free to stop a run whose lease is
     * running out while the database does not answer (a partition, a failover leave connections silent, not reset).
     */
    void tick(Job job) {
        if (!running.add(job.name())) {
            return;
        }
        try {
            runner.execute(() -> attempt(job));
        } catch (RejectedExecutionException stopping) {
            running.remove(job.name());
        }
    }

    private void attempt(Job job) {
        // The lease runs out a lease after the database ran the update, which is after this: counting from here is safe.
        long sent = System.nanoTime();
        boolean acquired = false;
        try {
            acquired = bounded(job.lease(), () -> {
                if (!registered.contains(job.name())) {
                    leases.register(job.name());
                    registered.add(job.name());
                }
                return leases.tryAcquire(job.name(), job.period(), job.lease());
            });
            reachable(job);
        } catch (RuntimeException e) {
            if (unreachable.add(job.name())) {
                LOG.warn("background job {}: cannot reach its lease in the database ({}); it runs on no node meanwhile", job.name(), e.toString());
            }
        }
        if (!acquired) {
            running.remove(job.name());
            return;
        }
        if (runner.isShutdown()) {
            running.remove(job.name());
            releaseQuietly(job);
            return;
        }
        run(job, sent);
    }

    /** What a run needs to stop in time: its thread, when its lease was last renewed, whether it lost it. */
    private static final class RunLease {
        final Thread thread = Thread.currentThread();
        final AtomicBoolean lost = new AtomicBoolean();
        final AtomicBoolean renewing = new AtomicBoolean();
        final AtomicLong renewed;
        final AtomicReference<String> lastError = new AtomicReference<>("no answer");

        RunLease(long acquired) {
            renewed = new AtomicLong(acquired);
        }
    }

    private void run(Job job, long acquired) {
        try {
            underLease(job, acquired, () -> {
                try {
                    job.task().run();
                } catch (RuntimeException e) {
                    LOG.warn("background job {} failed: {}", job.name(), e.toString());
                    // Counted as a run: it is tried again after its period, not at every tick.
                }
                return null;
            });
        } catch (RejectedExecutionException stopping) {
            // this node stops: the lease was given back
        } finally {
            running.remove(job.name());
        }
    }

    /** Work run under a job's lease, which may throw a checked exception of its own. */
    @FunctionalInterface
    public interface Task<T, E extends Exception> {
        T call() throws E;
    }

    /** The database could not be asked for a job's lease: the job runs on no node meanwhile. */
    public static final class LeaseUnavailable extends RuntimeException {
        LeaseUnavailable(String job, RuntimeException cause) {
            super("cannot reach the lease of background job " + job + " in the database: " + cause, cause);
        }
    }

    /**
     * Runs {@code task} on this thread now, whatever the job's period, under the job's lease: empty, without running it, when
     * another run holds the lease (on another node, or a scheduled run on this one). An operator's "run now" goes through here,
     * so that it never runs beside the cluster's scheduled run. The lease is renewed while the task runs, and the thread is
     * interrupted when it cannot be; the run counts as the job's last (the scheduled one is due a period after it).
     *
     * @throws LeaseUnavailable when the database does not answer about the lease within {@code job.lease()}
     */
    public <T, E extends Exception> Optional<T> runNow(Job job, Task<T, E> task) throws E {
        if (!running.add(job.name())) {
            return Optional.empty();
        }
        try {
            long sent = System.nanoTime();
            boolean acquired;
            try {
                acquired = bounded(job.lease(), () -> {
                    if (!registered.contains(job.name())) {
                        leases.register(job.name());
                        registered.add(job.name());
                    }
                    return leases.tryAcquire(job.name(), Duration.ZERO, job.lease());
                });
            } catch (RuntimeException e) {
                throw new LeaseUnavailable(job.name(), e);
            }
            return acquired ? Optional.ofNullable(underLease(job, sent, task)) : Optional.empty();
        } finally {
            running.remove(job.name());
        }
    }

    /** Who holds the job's lease right now (a node id: {@code cluster_node.id}), if anyone and if the database says. */
    public Optional<String> holder(String job) {
        try {
            return leases.find(job).flatMap(JobLeases.Lease::holder);
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /** This node's name in leases. */
    public String holder() {
        return leases.holder();
    }

    /**
     * Runs {@code task} while renewing the lease taken at {@code acquired}, interrupting it when the lease cannot be kept;
     * records the run as finished (or releases the lease when the task ended with a checked exception) unless lost.
     */
    private <T, E extends Exception> T underLease(Job job, long acquired, Task<T, E> task) throws E {
        RunLease lease = new RunLease(acquired);
        long renewEvery = renewInterval(job);
        // The run stops a renewal interval before its lease would run out unrenewed, so that no other node starts it while
        // this one still runs; checked five times a renewal interval, with no database call, so that it is never late.
        long watchEvery = Math.max(1, renewEvery / 5);
        ScheduledFuture<?> renewal;
        ScheduledFuture<?> watch;
        try {
            renewal = scheduler.scheduleWithFixedDelay(() -> renew(job, lease), renewEvery, renewEvery, TimeUnit.MILLISECONDS);
            watch = scheduler.scheduleWithFixedDelay(() -> watch(job, lease, renewEvery), watchEvery, watchEvery, TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            releaseQuietly(job);
            throw stopping;
        }
        boolean done = false;
        try {
            T result = task.call();
            done = true;
            return result;
        } catch (RuntimeException e) {
            // A failed run counts as a run too.
            done = true;
            throw e;
        } finally {
            renewal.cancel(false);
            watch.cancel(false);
            Thread.interrupted();
            if (!lease.lost.get()) {
                boolean finished = done;
                try {
                    bounded(job.lease(), () -> finished ? leases.finish(job.name()) : leases.release(job.name()));
                } catch (RuntimeException e) {
                    LOG.warn("background job {}: cannot record its run in the database ({}); its lease runs out in {}", job.name(),
                            e.toString(), job.lease());
                }
            }
        }
    }

    /** Renews the lease on the runner; a renewal that hangs is left to {@link #watch}, which stops the run in time. */
    private void renew(Job job, RunLease lease) {
        if (lease.lost.get() || !lease.renewing.compareAndSet(false, true)) {
            return;
        }
        try {
            runner.execute(() -> {
                try {
                    long sent = System.nanoTime();
                    if (bounded(job.lease(), () -> leases.renew(job.name(), job.lease()))) {
                        lease.renewed.accumulateAndGet(sent, Math::max);
                    } else if (lease.lost.compareAndSet(false, true)) {
                        LOG.warn("background job {}: another node took its lease (this node could not renew it in time); stopping the run here",
                                job.name());
                        lease.thread.interrupt();
                    }
                } catch (RuntimeException e) {
                    // Renewals may fail for a while (a database restart): the watch stops the run before the lease runs out.
                    lease.lastError.set(e.toString());
                } finally {
                    lease.renewing.set(false);
                }
            });
        } catch (RejectedExecutionException stopping) {
            lease.renewing.set(false);
        }
    }

    private void watch(Job job, RunLease lease, long renewEvery) {
        if (lease.lost.get()) {
            return;
        }
        if (System.nanoTime() - lease.renewed.get() >= TimeUnit.MILLISECONDS.toNanos(job.lease().toMillis() - renewEvery)
                && lease.lost.compareAndSet(false, true)) {
            LOG.warn("background job {}: cannot renew its lease ({}) before it runs out; stopping the run here", job.name(),
                    lease.lastError.get());
            lease.thread.interrupt();
        }
    }

    /**
     * Runs a database call on this (virtual) thread, interrupted after {@code timeout}, which ends a socket read that would
     * otherwise wait for a silent connection for good; the interrupt never outlives the call.
     */
    private <T> T bounded(Duration timeout, Supplier<T> call) {
        Thread self = Thread.currentThread();
        AtomicBoolean active = new AtomicBoolean(true);
        ScheduledFuture<?> guard = null;
        try {
            guard = scheduler.schedule(() -> {
                synchronized (active) {
                    if (active.get()) {
                        self.interrupt();
                    }
                }
            }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // stopping: the call runs unbounded, the executors' shutdown interrupts it
        }
        try {
            return call.get();
        } finally {
            synchronized (active) {
                active.set(false);
            }
            if (guard != null) {
                guard.cancel(false);
            }
            Thread.interrupted();
        }
    }

    /** A quarter of the lease: three renewals can fail before it runs out. */
    private static long renewInterval(Job job) {
        return Math.max(5, job.lease().toMillis() / 4);
    }

    private void reachable(Job job) {
        if (unreachable.remove(job.name())) {
            LOG.info("background job {}: its lease is reachable again", job.name());
        }
    }

    private void releaseQuietly(Job job) {
        try {
            leases.release(job.name());
        } catch (RuntimeException e) {
            LOG.debug("background job {}: lease not released: {}", job.name(), e.toString());
        }
    }

    /** Stops ticking, interrupts running jobs and waits a little for them to give their leases back. */
    @Override
    public void close() {
        scheduler.shutdownNow();
        runner.shutdownNow();
        try {
            if (!runner.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("background jobs still running after 5 s; their leases run out on their own");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
