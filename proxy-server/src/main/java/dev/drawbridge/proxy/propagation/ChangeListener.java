package dev.drawbridge.proxy.propagation;

import org.postgresql.PGConnection;
import org.postgresql.PGNotification;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The node's ear on the database: one PostgreSQL connection, on its own thread, that {@code LISTEN}s to
 * {@value #CHANNEL} and hands the topics notified ({@link Topic}) to {@link NodeReloads}. Notifications sent while it
 * is not listening are lost (PostgreSQL keeps none for a session that is gone), so after every connect (the first one
 * included: changes made while the node started) everything reloads. A dropped connection (the database restarted, an
 * operator's {@code pg_terminate_backend}, a network cut found by the ping) is retried with jittered exponential
 * backoff, reset once a connection has held for a while; the outage is logged once when it starts and once when it ends,
 * not per retry. Meanwhile the periodic fallback carries the changes.
 */
public final class ChangeListener implements AutoCloseable {
    /** The channel the triggers notify (db/postgresql/V47__change_notifications.sql). */
    public static final String CHANNEL = "drawbridge_changes";
    /** The listening connection's {@code application_name}, as {@code pg_stat_activity} shows it. */
    public static final String APPLICATION_NAME = "drawbridge-change-listener";
    private static final Logger LOG = LoggerFactory.getLogger(ChangeListener.class);

    /** Opens a new connection to the shared database. */
    @FunctionalInterface
    public interface Connections {
        Connection open() throws SQLException;
    }

    /**
     * The listener's timing.
     *
     * @param idle       a connection silent this long is pinged ({@code SELECT 1}): a cut without a reset is found
     * @param timeout    how long the ping (and any statement of the listener) may take before the connection counts as lost
     * @param firstRetry the first wait after a failure, doubled at each further failure (each wait jittered down to half)
     * @param maxRetry   the longest wait
     * @param stable     a connection that held this long resets the backoff when it drops
     */
    public record Timing(Duration idle, Duration timeout, Duration firstRetry, Duration maxRetry, Duration stable) {
        public static final Timing DEFAULT = new Timing(Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofMillis(500),
                Duration.ofSeconds(15), Duration.ofSeconds(30));

        public Timing {
            for (Duration d : new Duration[]{idle, timeout, firstRetry, maxRetry, stable}) {
                if (d == null || d.isNegative() || d.isZero()) {
                    throw new IllegalArgumentException("listener timings must be positive");
                }
            }
            if (maxRetry.compareTo(firstRetry) < 0) {
                throw new IllegalArgumentException("maxRetry must be at least firstRetry");
            }
        }
    }

    private final Connections connections;
    private final NodeReloads reloads;
    private final Consumer<Topic> notified;
    private final Timing timing;
    private final Thread thread;
    private final CountDownLatch closing = new CountDownLatch(1);
    private volatile boolean listening;
    private volatile Connection current;

    private ChangeListener(Connections connections, NodeReloads reloads, Consumer<Topic> notified, Timing timing) {
        this.connections = Objects.requireNonNull(connections);
        this.reloads = Objects.requireNonNull(reloads);
        this.notified = Objects.requireNonNull(notified);
        this.timing = Objects.requireNonNull(timing);
        this.thread = Thread.ofPlatform().daemon().name("change-listener").unstarted(this::run);
    }

    /**
     * Starts listening on a thread of its own.
     *
     * @param notified told of each topic notified (the metrics), before its reloads are asked for
     */
    public static ChangeListener start(Connections connections, NodeReloads reloads, Consumer<Topic> notified, Timing timing) {
        ChangeListener l = new ChangeListener(connections, reloads, notified, timing);
        l.thread.start();
        return l;
    }

    /** Whether the node is listening now (a gauge: 0 during an outage). */
    public boolean listening() {
        return listening;
    }

    private void run() {
        Duration delay = timing.firstRetry();
        long outageSince = 0;
        int attempts = 0;
        boolean wasConnected = false;
        while (closing.getCount() > 0) {
            long connectedAt = 0;
            try (Connection c = connections.open()) {
                current = c;
                if (closing.getCount() == 0) {
                    return;
                }
                PGConnection pg = c.unwrap(PGConnection.class);
                c.setNetworkTimeout(Runnable::run, (int) timing.timeout().toMillis());
                String schema = listen(c);
                connectedAt = System.nanoTime();
                listening = true;
                if (outageSince != 0) {
                    LOG.info("listening for changes made on other nodes again, after {} s and {} attempt(s); reloading everything (what"
                            + " changed meanwhile was not notified)", TimeUnit.NANOSECONDS.toSeconds(connectedAt - outageSince), attempts);
                } else if (!wasConnected) {
                    LOG.info("listening for changes made on other nodes (PostgreSQL channel {})", CHANNEL);
                }
                outageSince = 0;
                attempts = 0;
                wasConnected = true;
                reloads.everything();
                receive(c, pg, schema);
            } catch (SQLException | RuntimeException e) {
                listening = false;
                if (closing.getCount() == 0) {
                    return;
                }
                if (connectedAt != 0 && System.nanoTime() - connectedAt >= timing.stable().toNanos()) {
                    delay = timing.firstRetry();
                }
                attempts++;
                if (outageSince == 0) {
                    outageSince = System.nanoTime();
                    LOG.warn("{} the database to hear of changes made on other nodes ({}); until it is back they arrive with the periodic"
                                    + " reload (within {} s). Retrying quietly", wasConnected ? "lost the connection to" : "cannot connect to",
                            reason(e), NodeReloads.FALLBACK.toSeconds());
                } else {
                    LOG.debug("change listener: attempt {} failed: {}", attempts, reason(e));
                }
            } finally {
                current = null;
                listening = false;
            }
            try {
                if (closing.await(jittered(delay).toMillis(), TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            delay = delay.multipliedBy(2).compareTo(timing.maxRetry()) > 0 ? timing.maxRetry() : delay.multipliedBy(2);
        }
    }

    /** Names the connection, learns its schema and starts listening; returns the schema. */
    private static String listen(Connection c) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("SET application_name = '" + APPLICATION_NAME + "'");
            String schema;
            try (ResultSet r = s.executeQuery("SELECT current_schema()")) {
                schema = r.next() ? r.getString(1) : null;
            }
            if (schema == null) {
                throw new SQLException("the database URL's user has no current schema (search_path)");
            }
            s.execute("LISTEN " + CHANNEL);
            return schema;
        }
    }

    /** Hands on what is notified until the connection fails (an exception) or the listener closes. */
    private void receive(Connection c, PGConnection pg, String schema) throws SQLException {
        int idleMillis = (int) timing.idle().toMillis();
        while (closing.getCount() > 0) {
            PGNotification[] batch = pg.getNotifications(idleMillis);
            if (batch == null || batch.length == 0) {
                // Silence: a dead peer without a reset would look the same, so ask (bounded by the network timeout).
                try (Statement s = c.createStatement()) {
                    s.execute("SELECT 1");
                }
                continue;
            }
            Set<Topic> topics = EnumSet.noneOf(Topic.class);
            boolean unknown = false;
            for (PGNotification n : batch) {
                Optional<String> name = topicOf(n.getParameter(), schema);
                if (name.isPresent()) {
                    Optional<Topic> t = Topic.of(name.get());
                    t.ifPresent(topics::add);
                    unknown |= t.isEmpty();
                }
            }
            topics.forEach(notified);
            if (unknown) {
                // A newer node's topic: something this version caches may be behind it.
                reloads.everything();
            } else {
                reloads.changed(topics);
            }
        }
    }

    /** The topic named by a payload {@code <schema>:<topic>}; empty when it is another schema's (deployments sharing a database). */
    static Optional<String> topicOf(String payload, String schema) {
        int colon = payload == null ? -1 : payload.lastIndexOf(':');
        return colon >= 0 && payload.substring(0, colon).equals(schema) ? Optional.of(payload.substring(colon + 1)) : Optional.empty();
    }

    private static Duration jittered(Duration d) {
        long ms = d.toMillis();
        return Duration.ofMillis(ms / 2 + ThreadLocalRandom.current().nextLong(ms / 2 + 1));
    }

    /** The failure in a few words: never the URL (it may hold the password). */
    private static String reason(Exception e) {
        String m = e.getMessage();
        return e.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    /** Stops listening and waits (briefly) for the thread to end. */
    @Override
    public void close() {
        closing.countDown();
        Connection c = current;
        if (c != null) {
            try {
                // Not close(): the driver's close waits for the read the thread is blocked in; abort cuts the socket.
                c.abort(Runnable::run);
            } catch (SQLException | RuntimeException ignored) {
                // closing anyway
            }
        }
        try {
            thread.join(Duration.ofSeconds(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
