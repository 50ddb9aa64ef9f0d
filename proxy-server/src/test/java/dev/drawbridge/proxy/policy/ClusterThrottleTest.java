package dev.drawbridge.proxy.policy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drawbridge.proxy.apps.AppLimits;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.DatabaseRelay;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Throttles on several nodes sharing one real PostgreSQL (DRAWBRIDGE_TEST_PG_URL; skipped without it), each node a
 * {@link Throttle} with its {@link ThrottleSync}, driven at a fixed over-limit rate on its own thread for a few seconds:
 * together they admit the limit within the tolerance docs/scale-out.md states; a node whose load stops frees its share for
 * the others within the stated time; when the database cannot be reached, each node falls back to 1/N of the limit (never
 * to no limit), says so once, and shares again when it comes back.
 */
class ClusterThrottleTest {
    /** The app's limit: 200 a second, a burst of 20. */
    static final int LIMIT = 200;
    static final int BURST = 20;
    static final ServerConfig.Throttling GLOBAL_HIGH = new ServerConfig.Throttling(1_000_000, 1_000_000, 1, 1);
    static Database db;
    static String url;
    final List<AutoCloseable> open = new ArrayList<>();

    @BeforeAll
    static void database() throws Exception {
        db = PostgresTestDatabase.fresh();
        url = System.getenv("DRAWBRIDGE_TEST_PG_URL");
    }

    @AfterAll
    static void closeDatabase() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @AfterEach
    void close() throws Exception {
        Collections.reverse(open);
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    static PublishedApp app(String id) {
        return ThrottleTest.app(id, new AppLimits(LIMIT, BURST, 0));
    }

    record Node(Throttle throttle, ThrottleSync sync) {
    }

    Node node(Database on, String name) {
        Throttle t = new Throttle(GLOBAL_HIGH);
        ThrottleSync s = new ThrottleSync(t, on, name, ThrottleSync.Settings.DEFAULTS, Executors.newSingleThreadScheduledExecutor(),
                Executors.newVirtualThreadPerTaskExecutor(), System::nanoTime).start();
        open.add(s);
        return new Node(t, s);
    }

    /** Drives a throttle at a fixed rate on its own thread until stopped; records when each admitted request was. */
    static final class Load implements AutoCloseable {
        final List<Long> admitted = Collections.synchronizedList(new ArrayList<>());
        private volatile boolean stop;
        private final Thread thread;

        Load(Throttle t, PublishedApp app, int perSecond) {
            long every = 1_000_000_000L / perSecond;
            thread = Thread.ofPlatform().daemon().start(() -> {
                long next = System.nanoTime();
                while (!stop) {
                    long wait = next - System.nanoTime();
                    if (wait > 0) {
                        // Pacing the load, not awaiting a condition.
                        LockSupport.parkNanos(wait);
                        continue;
                    }
                    if (t.check(app).isEmpty()) {
                        admitted.add(System.nanoTime());
                    }
                    next += every;
                }
            });
        }

        long between(long from, long to) {
            synchronized (admitted) {
                return admitted.stream().filter(x -> x >= from && x < to).count();
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(5_000);
        }
    }

    static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS);
        }
    }

    /** Lets {@code d} pass on the test's thread while the loads run (the measurement window). */
    static void during(Duration d) throws InterruptedException {
        new CountDownLatch(1).await(d.toMillis(), TimeUnit.MILLISECONDS);
    }

    static long sum(List<Load> loads, long from, long to) {
        return loads.stream().mapToLong(l -> l.between(from, to)).sum();
    }

    @Test
    void threeNodesOverTheLimitAdmitTheLimitTogether() throws Exception {
        PublishedApp app = app("three");
        List<Load> loads = new ArrayList<>();
        List<Node> nodes = List.of(node(db, "node-0"), node(db, "node-1"), node(db, "node-2"));
        long t0 = System.nanoTime();
        // 460 a second asked in all, unevenly: 2.3 times the limit.
        int[] rates = {250, 150, 60};
        for (int i = 0; i < 3; i++) {
            Load l = new Load(nodes.get(i).throttle(), app, rates[i]);
            open.add(l);
            loads.add(l);
        }
        during(Duration.ofMillis(3500));
        long from = t0 + Duration.ofMillis(500).toNanos();
        long to = t0 + Duration.ofMillis(3500).toNanos();
        long total = sum(loads, from, to);
        long whole = sum(loads, t0, to);
        System.out.printf("three nodes: %d admitted in 3 s after the first 0.5 s (limit 600), %d in the whole 3.5 s (limit 700 + burst); "
                + "per node %d/%d/%d%n", total, whole, loads.get(0).between(from, to), loads.get(1).between(from, to), loads.get(2).between(from, to));
        // Stated: within 10 % of the limit over any window after the first sync interval, plus one burst.
        assertThat(total).isLessThanOrEqualTo((long) (LIMIT * 3 * 1.10) + BURST).isGreaterThanOrEqualTo((long) (LIMIT * 3 * 0.85));
        // The light node (60 a second, under an even split) is never starved: it gets nearly all it asks.
        assertThat(loads.get(2).between(from, to)).isGreaterThanOrEqualTo((long) (60 * 3 * 0.85));
    }

    @Test
    void aNodeWhoseLoadStopsFreesItsShareForTheOthers() throws Exception {
        PublishedApp app = app("moves");
        Node na = node(db, "node-a");
        Node nb = node(db, "node-b");
        Load a = new Load(na.throttle(), app, 400);
        Load b = new Load(nb.throttle(), app, 400);
        open.add(a);
        open.add(b);
        during(Duration.ofMillis(1500));
        long stopped = System.nanoTime();
        a.close();
        during(Duration.ofMillis(2000));
        long end = System.nanoTime();
        long before = b.between(stopped - Duration.ofMillis(1000).toNanos(), stopped);
        long beforeA = a.between(stopped - Duration.ofMillis(1000).toNanos(), stopped);
        long after = b.between(stopped + Duration.ofMillis(1000).toNanos(), stopped + Duration.ofMillis(2000).toNanos());
        System.out.printf("load moves: nodes A and B admitted %d and %d in the second before A stopped, B %d in the second starting 1 s"
                + " after%n", beforeA, before, after);
        assertThat(before + beforeA).isGreaterThanOrEqualTo((long) (LIMIT * 0.85)).isLessThanOrEqualTo((long) (LIMIT * 1.10) + BURST);
        assertThat(end - stopped).isGreaterThanOrEqualTo(Duration.ofMillis(2000).toNanos());
        // Stated: within 1 s the remaining node admits at least 90 % of the limit.
        assertThat(before).isLessThanOrEqualTo((long) (LIMIT * 0.5 * 1.15) + BURST);
        assertThat(after).isGreaterThanOrEqualTo((long) (LIMIT * 0.90)).isLessThanOrEqualTo((long) (LIMIT * 1.10) + BURST);
    }

    @Test
    void withoutTheDatabaseEachNodeAdmitsItsEvenSplitSaysSoOnceAndSharesAgainAfter() throws Exception {
        Logger log = (Logger) LoggerFactory.getLogger(ThrottleSync.class);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        log.addAppender(events);
        open.add(() -> log.detachAppender(events));
        try (Relay relay = new Relay(5432)) {
            String viaRelay = url.replace("127.0.0.1:5432", "127.0.0.1:" + relay.port());
            Database da = Database.postgres(viaRelay);
            Database dbb = Database.postgres(viaRelay);
            open.add(da);
            open.add(dbb);
            PublishedApp app = app("outage");
            Node a = node(da, "node-a");
            Node b = node(dbb, "node-b");
            await("both nodes to see each other", Duration.ofSeconds(5), () -> a.sync().nodesSeen() == 2 && b.sync().nodesSeen() == 2);
            // Node A alone is asked: it gets nearly the whole limit while the database answers.
            Load la = new Load(a.throttle(), app, 400);
            open.add(la);
            await("node A to take most of the limit", Duration.ofSeconds(5), () -> a.throttle().shareOf("app:outage").orElse(0.0) > 0.9);
            relay.cut(true);
            long cut = System.nanoTime();
            await("node A to fall back", Duration.ofSeconds(5), () -> a.sync().degraded() && b.sync().degraded());
            long fellBack = System.nanoTime() - cut;
            assertThat(a.throttle().shareOf("app:outage")).contains(0.5);
            assertThat(b.throttle().shareOf(Throttle.GLOBAL_KEY)).contains(0.5);
            long from = System.nanoTime();
            during(Duration.ofMillis(1500));
            long admitted = la.between(from + Duration.ofMillis(500).toNanos(), from + Duration.ofMillis(1500).toNanos());
            System.out.printf("outage: fell back after %d ms; node A then admitted %d in a second (limit %d over 2 nodes)%n",
                    fellBack / 1_000_000, admitted, LIMIT);
            assertThat(fellBack).isLessThan(Duration.ofMillis(2000).toNanos());
            assertThat(admitted).isGreaterThanOrEqualTo((long) (LIMIT / 2 * 0.85)).isLessThanOrEqualTo((long) (LIMIT / 2 * 1.10) + BURST / 2);
            relay.cut(false);
            await("sharing again", Duration.ofSeconds(10), () -> !a.sync().degraded() && !b.sync().degraded());
            await("node A to take most of the limit again", Duration.ofSeconds(5), () -> a.throttle().shareOf("app:outage").orElse(0.0) > 0.9);
        }
        List<String> warnings = events.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
        // Once per node for the whole outage, though every sync failed.
        assertThat(warnings).hasSize(2).allSatisfy(w -> assertThat(w).contains("until it can, this node admits 1/2 of each limit")
                .doesNotContain("drawbridge-test"));
        assertThat(events.list.stream().filter(e -> e.getLevel() == Level.INFO).map(ILoggingEvent::getFormattedMessage))
                .hasSize(2).allSatisfy(m -> assertThat(m).contains("again"));
    }

    @Test
    void aDatabaseThatStopsAnsweringWithoutAResetStillMakesTheNodeFallBackAndItSharesAgainAfter() throws Exception {
        // Before: the sync hung on the silent connection held the lock the fallback needs, so the node kept its 0.97 share
        // while the others took the whole limit; and it never synced again over new connections once the database was back.
        // And (since): the abandoned sync's thread was interrupted, so the pool logged "Closed by interrupt" at WARN with a
        // stack trace on every stall.
        Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);
        ListAppender<ILoggingEvent> events = new ListAppender<>();
        events.start();
        root.addAppender(events);
        open.add(() -> root.detachAppender(events));
        try (DatabaseRelay relay = new DatabaseRelay(5432)) {
            Database da = Database.postgres(relay.url(url));
            open.add(da);
            PublishedApp app = app("blackhole");
            Node a = node(da, "node-a");
            Node b = node(db, "node-b");
            await("both nodes to see each other", Duration.ofSeconds(5), () -> a.sync().nodesSeen() == 2 && b.sync().nodesSeen() == 2);
            Load la = new Load(a.throttle(), app, 400);
            open.add(la);
            await("node A to take most of the limit", Duration.ofSeconds(5), () -> a.throttle().shareOf("app:blackhole").orElse(0.0) > 0.9);
            relay.blackhole(true);
            long lost = System.nanoTime();
            await("node A to fall back", Duration.ofSeconds(5), () -> a.sync().degraded());
            long fellBack = System.nanoTime() - lost;
            System.out.printf("blackholed database: node A fell back after %d ms%n", fellBack / 1_000_000);
            assertThat(fellBack).isLessThan(Duration.ofMillis(2000).toNanos());
            assertThat(a.throttle().shareOf("app:blackhole")).contains(0.5);
            relay.blackhole(false);
            // The connections blackholed stay dead (as after a failover): the node must sync over new ones.
            await("node A to share again", Duration.ofSeconds(5), () -> !a.sync().degraded());
            await("node A to take most of the limit again", Duration.ofSeconds(5),
                    () -> a.throttle().shareOf("app:blackhole").orElse(0.0) > 0.9);
            // The stalled sync's connection times out (two staleAfter, as its abandonment): give it a second more.
            during(Duration.ofSeconds(1));
        }
        List<ILoggingEvent> loud;
        synchronized (events) {
            loud = events.list.stream().filter(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
                    .filter(e -> e.getThrowableProxy() != null || e.getLoggerName().startsWith("com.zaxxer")).toList();
        }
        assertThat(loud).as("warnings with a stack trace, or the pool's").extracting(ILoggingEvent::getFormattedMessage).isEmpty();
    }

    /** A TCP relay to the database that can refuse and cut every connection (the database unreachable), then relay again. */
    static final class Relay implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
        private volatile boolean cut;

        Relay(int target) throws IOException {
            Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket client = server.accept();
                        if (cut) {
                            client.close();
                            continue;
                        }
                        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
                        sockets.add(client);
                        sockets.add(upstream);
                        pipe(client, upstream);
                        pipe(upstream, client);
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
        }

        int port() {
            return server.getLocalPort();
        }

        void cut(boolean on) throws IOException {
            cut = on;
            if (on) {
                for (Socket s : sockets) {
                    s.close();
                }
                sockets.clear();
            }
        }

        private void pipe(Socket from, Socket to) {
            Thread.ofVirtual().start(() -> {
                try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                    in.transferTo(out);
                } catch (IOException e) {
                    // cut
                } finally {
                    try {
                        from.close();
                        to.close();
                    } catch (IOException ignored) {
                        // already
                    }
                }
            });
        }

        @Override
        public void close() throws IOException {
            server.close();
            cut(true);
        }
    }
}
