package dev.drawbridge.proxy.propagation;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ChangeListener} on a real PostgreSQL: what is notified in its schema reaches the topic's reloads (another schema's
 * does not; an unknown topic reloads everything); a connection terminated by {@code pg_terminate_backend} is found at
 * once, retried quietly while the database refuses, and once back the node reloads everything, so a change committed
 * during the outage, whose notification nobody heard, still arrives. The outage is logged once, not per attempt.
 */
class ChangeListenerTest {
    private static final ChangeListener.Timing FAST = new ChangeListener.Timing(Duration.ofMillis(200), Duration.ofSeconds(5),
            Duration.ofMillis(20), Duration.ofMillis(100), Duration.ofSeconds(30));

    private static Database db;
    private final ExecutorService runs = Executors.newVirtualThreadPerTaskExecutor();
    private final Map<NodeReloads.Reload, AtomicInteger> reloaded = new EnumMap<>(NodeReloads.Reload.class);
    private final List<Topic> notified = new CopyOnWriteArrayList<>();
    /** Closed: the database refuses the listener's connections (the test's stand-in for an outage). */
    private final AtomicBoolean open = new AtomicBoolean(true);
    private final AtomicInteger attempts = new AtomicInteger();
    private final ListAppender<ILoggingEvent> log = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(ChangeListener.class);
    private ChangeListener listener;

    @BeforeAll
    static void migrate() throws Exception {
        db = PostgresTestDatabase.fresh();
    }

    @AfterAll
    static void closeDatabase() throws Exception {
        if (db != null) { // null when skipped (no DRAWBRIDGE_TEST_PG_URL)
            db.close();
        }
    }

    @BeforeEach
    void start() throws Exception {
        for (NodeReloads.Reload r : NodeReloads.Reload.values()) {
            reloaded.put(r, new AtomicInteger());
        }
        log.start();
        logger.addAppender(log);
        NodeReloads reloads = new NodeReloads(new NodeReloads.Targets(counting(NodeReloads.Reload.ROUTES),
                counting(NodeReloads.Reload.PATH_RULES), counting(NodeReloads.Reload.POLICIES), counting(NodeReloads.Reload.MAINTENANCES),
                counting(NodeReloads.Reload.CONNECTORS), counting(NodeReloads.Reload.GROUP_CONFIGS),
                counting(NodeReloads.Reload.LIVE_SESSIONS), counting(NodeReloads.Reload.CERTIFICATES),
                counting(NodeReloads.Reload.SIGNING_KEYS)), runs);
        listener = ChangeListener.start(() -> {
            attempts.incrementAndGet();
            if (!open.get()) {
                throw new SQLException("Connection to 127.0.0.1:5432 refused (the test's outage)");
            }
            return db.dataSource().getConnection();
        }, reloads, notified::add, FAST);
        // The first connect reloads everything (what changed while the node started was not notified to it): each reload once,
        // the live sessions' recheck once for each of its four topics.
        Awaits.until("listening", Duration.ofSeconds(10), listener::listening);
        Awaits.until("the reload after connecting", Duration.ofSeconds(10), () -> reloaded.entrySet().stream().allMatch(e ->
                e.getValue().get() == (e.getKey() == NodeReloads.Reload.LIVE_SESSIONS ? 4 : 1)));
    }

    @AfterEach
    void stop() throws Exception {
        logger.detachAppender(log);
        if (listener != null) {
            listener.close();
        }
        runs.shutdownNow();
    }

    private Runnable counting(NodeReloads.Reload r) {
        return () -> reloaded.get(r).incrementAndGet();
    }

    private int count(NodeReloads.Reload r) {
        return reloaded.get(r).get();
    }

    private void sql(String statement) throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    @Test
    void aTopicNotifiedInItsSchemaRunsItsReloadsAndNothingElse() throws Exception {
        int routes = count(NodeReloads.Reload.ROUTES);
        int live = count(NodeReloads.Reload.LIVE_SESSIONS);
        int certificates = count(NodeReloads.Reload.CERTIFICATES);

        // Another deployment's schema in the same database, then ours: in this order on the one connection.
        sql("NOTIFY drawbridge_changes, 'staging:apps'");
        sql("NOTIFY drawbridge_changes, 'public:path_rules'");
        Awaits.until("the path rules' notification", Duration.ofSeconds(5), () -> notified.contains(Topic.PATH_RULES));
        assertThat(notified).as("the other schema's apps").doesNotContain(Topic.APPS);

        // A real change: its trigger names the topic.
        sql("INSERT INTO access_policy (id, name, body) VALUES ('p1', 'Block', '{}')");
        // The path rules' notification rechecked the live sessions once, the policies' once more.
        Awaits.until("the policies and the live sessions reloaded", Duration.ofSeconds(5),
                () -> count(NodeReloads.Reload.POLICIES) == 2 && count(NodeReloads.Reload.LIVE_SESSIONS) == live + 2);
        assertThat(notified).containsExactly(Topic.PATH_RULES, Topic.POLICIES);
        assertThat(count(NodeReloads.Reload.ROUTES)).as("routes").isEqualTo(routes);
        assertThat(count(NodeReloads.Reload.CERTIFICATES)).as("certificates").isEqualTo(certificates);

        // A topic of a newer version: whatever it is about, this node reloads everything.
        sql("NOTIFY drawbridge_changes, 'public:something_new'");
        Awaits.until("everything reloaded", Duration.ofSeconds(5), () -> count(NodeReloads.Reload.CERTIFICATES) == certificates + 1);
    }

    @Test
    void aChangeCommittedWhileTheListenerIsCutArrivesOnceItIsBack() throws Exception {
        int routes = count(NodeReloads.Reload.ROUTES);
        open.set(false);
        int killed = terminateListener();
        assertThat(killed).as("listening backends terminated").isEqualTo(1);
        Awaits.until("the cut to be noticed", Duration.ofSeconds(5), () -> !listener.listening());
        int before = attempts.get();
        Awaits.until("a few refused attempts", Duration.ofSeconds(5), () -> attempts.get() >= before + 3);

        // Committed while nobody listens: its notification is lost.
        sql("UPDATE app SET updated_at = now()");
        assertThat(count(NodeReloads.Reload.ROUTES)).isEqualTo(routes);

        open.set(true);
        Awaits.until("listening again", Duration.ofSeconds(5), listener::listening);
        Awaits.until("the change, through the reload after reconnecting", Duration.ofSeconds(5),
                () -> count(NodeReloads.Reload.ROUTES) == routes + 1);
        assertThat(notified).as("no notification carried it").isEmpty();

        List<String> warnings = log.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).as("one warning for the outage, not one per attempt").hasSize(1);
        assertThat(warnings.getFirst()).startsWith("lost the connection to the database to hear of changes made on other nodes")
                .contains("terminating connection due to administrator command").doesNotContain("password");
        assertThat(log.list.stream().filter(e -> e.getLevel() == Level.INFO).map(ILoggingEvent::getFormattedMessage))
                .anyMatch(m -> m.startsWith("listening for changes made on other nodes again"));

        // And it hears notifications again.
        sql("INSERT INTO named_location (id, name, body) VALUES ('l1', 'Office', '{}')");
        Awaits.until("a notification after the outage", Duration.ofSeconds(5), () -> notified.contains(Topic.POLICIES));
    }

    @Test
    void closingStopsTheListenerAndItsConnection() throws Exception {
        listener.close();
        assertThat(listener.listening()).isFalse();
        Awaits.until("its backend gone", Duration.ofSeconds(5), () -> listeningBackends() == 0);
    }

    private int terminateListener() throws SQLException {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '"
                     + ChangeListener.APPLICATION_NAME + "' AND datname = current_database()")) {
            r.next();
            return r.getInt(1);
        }
    }

    private int listeningBackends() {
        try (Connection c = db.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_stat_activity WHERE application_name = '"
                     + ChangeListener.APPLICATION_NAME + "' AND datname = current_database()")) {
            r.next();
            return r.getInt(1);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }
}
