package dev.drawbridge.proxy.propagation;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Consumer;
import javax.sql.DataSource;

/**
 * How a change made through any node reaches this one (docs/scale-out.md, "Propagation between nodes"):
 * <pre>
 *   any writer ── commit ──▶ PostgreSQL trigger: NOTIFY drawbridge_changes '&lt;schema&gt;:&lt;topic&gt;'
 *                                   │
 *                                   ▼
 *   ChangeListener (one connection, LISTEN) ──▶ NodeReloads: the topic's reloads, coalesced ──▶ routes, policies, …
 *   periodic fallback (every 5 s; 30 s for certificates) ─────▲
 * </pre>
 * On embedded H2 (one node) only the periodic reload runs, as it always has.
 */
public final class Propagation implements AutoCloseable {
    private final ScheduledExecutorService fallback;
    private final ExecutorService notifiedRuns;
    private final Optional<ChangeListener> listener;

    private Propagation(ScheduledExecutorService fallback, ExecutorService notifiedRuns, Optional<ChangeListener> listener) {
        this.fallback = fallback;
        this.notifiedRuns = notifiedRuns;
        this.listener = listener;
    }

    /**
     * Starts the periodic fallback and, on PostgreSQL, the listener.
     *
     * @param liveRecheck how often the open WebSockets and streams are rechecked without being told to
     * @param postgres    the shared PostgreSQL database (a connection of its own is opened for listening); empty on H2
     * @param notified    told of each topic notified (the metrics)
     */
    public static Propagation start(NodeReloads.Targets targets, Duration liveRecheck, Optional<DataSource> postgres,
                                    Consumer<Topic> notified) {
        // A run per topic at a time: a handful of threads at most, and each mostly waits for the database.
        ExecutorService runs = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("node-reload-", 0).factory());
        NodeReloads reloads = new NodeReloads(targets, runs);
        ScheduledExecutorService fallback = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("node-reload-fallback").factory());
        reloads.scheduleFallback(fallback, liveRecheck);
        Optional<ChangeListener> listener = postgres.map(ds -> ChangeListener.start(ds::getConnection, reloads, notified,
                ChangeListener.Timing.DEFAULT));
        return new Propagation(fallback, runs, listener);
    }

    /** Whether changes made on other nodes are heard at once: false on H2 and during a listener's outage. */
    public boolean listening() {
        return listener.map(ChangeListener::listening).orElse(false);
    }

    /** Whether this node listens at all (PostgreSQL). */
    public boolean listens() {
        return listener.isPresent();
    }

    @Override
    public void close() {
        listener.ifPresent(ChangeListener::close);
        fallback.shutdownNow();
        notifiedRuns.shutdownNow();
    }
}
