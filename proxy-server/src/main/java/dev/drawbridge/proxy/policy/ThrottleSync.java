package dev.drawbridge.proxy.policy;

import dev.drawbridge.proxy.store.Database;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Makes a node's {@link Throttle} hold its limits across the cluster (docs/scale-out.md, "Limits across nodes"). Every
 * {@link Settings#interval()} it publishes, per scope, what the node was asked to admit a second over the last two
 * intervals and what it admitted ({@code throttle_share}), reads every live node's rows (those updated within
 * {@link Settings#staleAfter()}; the database's clock) and gives the node's buckets its {@link ShareAllocation share} of
 * each limit. The request path only reads local buckets: the database is never on it.
 * <p>
 * When the database cannot be reached for {@code staleAfter} (the other nodes stop counting this one then), every bucket
 * falls back to an even split among the nodes last seen, 1/N of each limit, never to no limit: if every node lost the
 * database they still admit the limit together; if this node alone did, the cluster admits at most 1/N over. Said once in
 * the log, and once again when sharing resumes.
 * <p>
 * A database that stops answering without resetting the connection (a partition, a failover) must not hold the fallback
 * back: the fallback never waits for a sync (the database is called outside the lock that guards the shares), and a sync
 * still waiting after two {@code staleAfter} is abandoned, so that the next one opens a new connection. The abandoned one
 * is not interrupted: every wait on its connection (outside the pool) is bounded by that same time, so it ends by itself
 * with an error, and its connection is closed quietly (an interrupt made the pool log "Closed by interrupt" with a stack
 * trace, at WARN, on every stall).
 */
public final class ThrottleSync implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ThrottleSync.class);
    /** Rows not updated this long are deleted (by any node, every so often). */
    private static final Duration FORGET_AFTER = Duration.ofMinutes(1);

    /**
     * @param interval   how often a node publishes and reads
     * @param staleAfter a node's rows older than this are ignored (it is gone), and a node that could not sync for this long
     *                   falls back to an even split
     * @param floor      the fraction of each limit split evenly among the live nodes whatever they were asked
     */
    public record Settings(Duration interval, Duration staleAfter, double floor) {
        public static final Settings DEFAULTS = new Settings(Duration.ofMillis(250), Duration.ofSeconds(1), 0.05);

        public Settings {
            if (!interval.isPositive() || staleAfter.compareTo(interval.multipliedBy(2)) < 0 || floor < 0 || floor >= 1) {
                throw new IllegalArgumentException("throttle sync: the interval must be positive, staleAfter at least two intervals, "
                        + "the floor from 0 to below 1");
            }
        }
    }

    private final Throttle throttle;
    private final ThrottleShareStore store;
    private final String node;
    private final Settings settings;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService worker;
    private final LongSupplier nanoTime;
    /** Guards the fields below and the throttle's shares; never held while the database is called. */
    private final Object lock = new Object();
    /** A sync abandoned (its generation passed) changes nothing when it comes back. */
    private final AtomicLong generation = new AtomicLong();
    private volatile Future<?> current;
    private volatile long currentStarted;
    /** The scopes' counts of the interval before the last, to publish rates over two intervals. */
    private Map<String, Throttle.Counts> previous = Map.of();
    private long previousNanos;
    private long lastDrain;
    private final Set<String> published = new HashSet<>();
    private volatile long lastSuccess;
    private volatile int nodesSeen = 1;
    private volatile boolean degraded;
    private final AtomicInteger syncs = new AtomicInteger();

    /**
     * Syncs {@code throttle} as {@code node} (its name in the rows, at most 64 characters) on {@code db}: {@code scheduler}
     * ticks, each sync runs on {@code worker} so that a hung database never delays the fallback. Both are shut down on close.
     */
    public ThrottleSync(Throttle throttle, Database db, String node, Settings settings, ScheduledExecutorService scheduler,
                        ExecutorService worker, LongSupplier nanoTime) {
        this.throttle = throttle;
        this.store = new ThrottleShareStore(db, settings.staleAfter().multipliedBy(2));
        this.node = node;
        this.settings = settings;
        this.scheduler = scheduler;
        this.worker = worker;
        this.nanoTime = nanoTime;
        this.lastDrain = nanoTime.getAsLong();
        this.lastSuccess = lastDrain;
    }

    /** Syncs once now (the node learns how many others there are before it admits anything), then every interval. */
    public ThrottleSync start() {
        sync();
        long every = settings.interval().toNanos();
        scheduler.scheduleAtFixedRate(this::tick, every, every, TimeUnit.NANOSECONDS);
        return this;
    }

    private void tick() {
        long now = nanoTime.getAsLong();
        Future<?> f = current;
        if (f != null && !f.isDone() && now - currentStarted > 2 * settings.staleAfter().toNanos()) {
            generation.incrementAndGet();
            // Not interrupted: it ends by itself within its connection's timeouts (see the class's comment).
            f.cancel(false);
            f = null;
        }
        if (f == null || f.isDone()) {
            long gen = generation.get();
            try {
                currentStarted = now;
                current = worker.submit(() -> sync(gen));
            } catch (RejectedExecutionException stopping) {
                return;
            }
        }
        if (!degraded && nanoTime.getAsLong() - lastSuccess > settings.staleAfter().toNanos()) {
            degrade("no answer for " + settings.staleAfter().toMillis() + " ms");
        }
    }

    /** One exchange: publish this node's rates, read everyone's, set the shares. Never throws. */
    void sync() {
        sync(generation.get());
    }

    private void sync(long gen) {
        Map<String, ThrottleShareStore.Rates> mine = new HashMap<>();
        Map<String, Double> myDemand = new HashMap<>();
        Map<String, Integer> limits = new HashMap<>();
        synchronized (lock) {
            if (gen != generation.get()) {
                return;
            }
            measure(mine, myDemand, limits);
        }
        List<ThrottleShareStore.Row> rows;
        try {
            rows = store.exchange(node, mine, settings.staleAfter());
            if (syncs.incrementAndGet() % Math.max(1, (int) (FORGET_AFTER.toNanos() / settings.interval().toNanos())) == 0) {
                store.removeOlderThan(FORGET_AFTER);
            }
        } catch (RuntimeException e) {
            if (!degraded && nanoTime.getAsLong() - lastSuccess > settings.staleAfter().toNanos()) {
                degrade(e.toString());
            }
            return;
        }
        synchronized (lock) {
            if (gen == generation.get()) {
                apply(rows, mine, myDemand, limits);
            }
        }
    }

    /** Drains the throttle's counts into this node's rates to publish, its demand and each scope's limit. */
    private void measure(Map<String, ThrottleShareStore.Rates> mine, Map<String, Double> myDemand, Map<String, Integer> limits) {
        long now = nanoTime.getAsLong();
        Map<String, Throttle.Counts> counts = throttle.drain();
        long spanNanos = Math.max(1, now - lastDrain + previousNanos);
        counts.forEach((scope, c) -> {
            Throttle.Counts before = previous.getOrDefault(scope, new Throttle.Counts(0, 0, c.perSecond()));
            double demand = (c.asked() + before.asked()) * 1e9 / spanNanos;
            double admitted = (c.admitted() + before.admitted()) * 1e9 / spanNanos;
            limits.put(scope, c.perSecond());
            myDemand.put(scope, demand);
            // The global row always (it says this node is alive); an app's while it is asked, and once more when it no longer is.
            if (scope.equals(Throttle.GLOBAL_KEY) || demand > 0 || published.contains(scope)) {
                mine.put(scope, new ThrottleShareStore.Rates(demand, admitted));
            }
        });
        previousNanos = now - lastDrain;
        lastDrain = now;
        previous = counts;
    }

    /** Sets the shares from every node's fresh rows. */
    private void apply(List<ThrottleShareStore.Row> rows, Map<String, ThrottleShareStore.Rates> mine, Map<String, Double> myDemand,
                       Map<String, Integer> limits) {
        published.clear();
        mine.forEach((scope, r) -> {
            if (r.demand() > 0) {
                published.add(scope);
            }
        });
        Set<String> nodes = new HashSet<>();
        nodes.add(node);
        Map<String, Map<String, Double>> demand = new HashMap<>();
        for (ThrottleShareStore.Row r : rows) {
            nodes.add(r.node());
            demand.computeIfAbsent(r.scope(), s -> new HashMap<>()).put(r.node(), r.demand());
        }
        Map<String, Double> shares = new HashMap<>();
        limits.forEach((scope, perSecond) -> {
            Map<String, Double> d = demand.computeIfAbsent(scope, s -> new HashMap<>());
            // This node's own, as measured now (its row may not be among the fresh ones when it was not published).
            d.put(node, myDemand.getOrDefault(scope, 0.0));
            shares.put(scope, ShareAllocation.share(node, nodes, d, perSecond, settings.floor()));
        });
        nodesSeen = nodes.size();
        lastSuccess = nanoTime.getAsLong();
        throttle.share(shares, 1.0 / nodes.size());
        if (degraded) {
            degraded = false;
            LOG.info("throttles: sharing limits with the other nodes through the database again ({} node(s) live)", nodes.size());
        }
    }

    private void degrade(String why) {
        int n;
        synchronized (lock) {
            if (degraded) {
                return;
            }
            degraded = true;
            n = nodesSeen;
            throttle.share(Map.of(), 1.0 / n);
        }
        LOG.warn("throttles: cannot share limits with the other nodes through the database ({}); until it can, this node admits "
                + "1/{} of each limit ({} node(s) were live)", why, n, n);
    }

    /** How many nodes (this one included) the last successful sync saw. */
    public int nodesSeen() {
        return nodesSeen;
    }

    /** Whether the node admits an even split because the database could not be reached. */
    public boolean degraded() {
        return degraded;
    }

    /**
     * Stops syncing and removes this node's rows, so that the others take its share at their next sync; waits at most a few
     * seconds for a database that does not answer (the rows then go stale on their own), so that a node always stops.
     */
    @Override
    public void close() {
        scheduler.shutdownNow();
        // Not shutdownNow: a sync under way ends by itself within its connection's timeouts, never by an interrupt.
        worker.shutdown();
        try {
            worker.awaitTermination(2, TimeUnit.SECONDS);
            Thread remover = Thread.ofVirtual().name("throttle-share-remove").start(() -> {
                try {
                    store.remove(node);
                } catch (RuntimeException e) {
                    LOG.debug("throttles: this node's rows stay until they are stale: {}", e.toString());
                }
            });
            // The remover's own waits are bounded (two staleAfter, rounded up to whole seconds): left to end by itself.
            if (!remover.join(Duration.ofSeconds(2))) {
                LOG.debug("throttles: no answer from the database; this node's rows stay until they are stale");
            }
            store.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
