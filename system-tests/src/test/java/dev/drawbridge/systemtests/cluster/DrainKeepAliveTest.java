package dev.drawbridge.systemtests.cluster;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.ClusterKeys;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Two nodes on one PostgreSQL (DRAWBRIDGE_TEST_PG_URL) behind a small L4 balancer (new connections to node B while it
 * accepts, else to node A), and a client keeping its connections alive: node B drains while the client sends requests
 * without pause. Every request succeeds: those arriving on a connection open to node B during its drain are served there
 * (its tunnels are still open) with {@code Connection: close}, and the client's next connection lands on node A. Also: a
 * node has one identity in the shared rows.
 */
class DrainKeepAliveTest {
    private static final Duration WITHIN = Duration.ofSeconds(20);
    private static final int CLIENTS = 4;

    @TempDir
    Path dir;
    private String pgUrl;
    private SampleApp app;
    private final List<DrawbridgeStack> nodes = new ArrayList<>();
    private DrawbridgeStack nodeA;
    private Connector connector;

    @BeforeEach
    void start() throws Exception {
        pgUrl = System.getenv("DRAWBRIDGE_TEST_PG_URL");
        assumeThat(pgUrl).as("DRAWBRIDGE_TEST_PG_URL (set by ./test.sh when PostgreSQL can be started)").isNotBlank();
        try (Connection c = DriverManager.getConnection(pgUrl); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        app = SampleApp.start("127.0.0.1", 0);
        nodeA = node("a");
    }

    @AfterEach
    void stop() throws Exception {
        if (connector != null) {
            connector.close();
        }
        for (DrawbridgeStack n : nodes.reversed()) {
            try {
                n.close();
            } catch (Exception ignored) {
                // stopped by the test
            }
        }
        if (app != null) {
            app.close();
        }
    }

    private DrawbridgeStack node(String name) throws Exception {
        Path data = dir.resolve("node-" + name);
        DrawbridgeStack.Options o = DrawbridgeStack.Options.forTests(data);
        if (nodeA != null) {
            ClusterKeys.share(nodeA.dataDir(), data);
            o = o.withKnownAdminToken(nodeA.adminToken());
        }
        DrawbridgeStack n = DrawbridgeStack.start(o, c -> c.withDatabaseUrl(pgUrl));
        nodes.add(n);
        return n;
    }

    private static int status(HttpClient http, String url) {
        try {
            return http.newRequest(url).timeout(20, TimeUnit.SECONDS).send().getStatus();
        } catch (Exception e) {
            return 0;
        }
    }

    @Test
    void requestsOnKeptAliveConnectionsToADrainingNodeAllSucceed() throws Exception {
        DrawbridgeStack nodeB = node("b");
        connector = nodeA.startConnector(dir.resolve("connector"), 2);
        nodeA.publish("hr", "hr", app.baseUri());
        Await.until("tunnels to node B", WITHIN, () -> nodeB.server().registry().tunnelCount(connector.connectorId()) == 2);
        Await.until("the app through node B", WITHIN,
                () -> status(nodeA.http(), "https://hr.localhost:" + nodeB.server().publicPort() + "/echo/ping") == 200);

        try (Balancer balancer = new Balancer(nodeB.server().publicPort(), nodeA.server().publicPort())) {
            String url = "https://hr.localhost:" + balancer.port() + "/echo/ping";
            HttpClient http = nodeA.http();
            AtomicBoolean running = new AtomicBoolean(true);
            AtomicBoolean drainingB = new AtomicBoolean();
            AtomicInteger ok = new AtomicInteger();
            AtomicInteger okDuringDrain = new AtomicInteger();
            AtomicInteger toldToClose = new AtomicInteger();
            ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
            List<Thread> clients = new ArrayList<>();
            for (int i = 0; i < CLIENTS; i++) {
                clients.add(Thread.ofVirtual().start(() -> {
                    while (running.get()) {
                        try {
                            ContentResponse r = http.newRequest(url).timeout(20, TimeUnit.SECONDS).send();
                            if (r.getStatus() != 200) {
                                failures.add(r.getStatus() + " " + r.getContentAsString());
                                continue;
                            }
                            ok.incrementAndGet();
                            if (drainingB.get()) {
                                okDuringDrain.incrementAndGet();
                                if ("close".equalsIgnoreCase(r.getHeaders().get(HttpHeader.CONNECTION))) {
                                    toldToClose.incrementAndGet();
                                }
                            }
                        } catch (Exception e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            Await.until("requests through node B on kept-alive connections", WITHIN, () -> ok.get() >= 50);
            assertThat(balancer.connectionsTo(nodeB.server().publicPort())).as("connections to node B").isBetween(1, CLIENTS * 2);
            int connectionsToABefore = balancer.connectionsTo(nodeA.server().publicPort());

            drainingB.set(true);
            long drainStart = System.nanoTime();
            nodeB.close();
            long drainMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - drainStart);
            int afterDrain = ok.get();
            Await.until("requests through node A after the drain", WITHIN, () -> ok.get() >= afterDrain + 50);
            running.set(false);
            for (Thread t : clients) {
                t.join(Duration.ofSeconds(30));
            }

            assertThat(failures).as("failed requests (before: 503 from GracefulHandler on kept-alive connections)").isEmpty();
            assertThat(toldToClose.get()).as("answers from the draining node with Connection: close").isPositive();
            assertThat(balancer.connectionsTo(nodeA.server().publicPort())).as("the clients moved to node A")
                    .isGreaterThan(connectionsToABefore);
            System.out.printf("drain of node B: %d ms; %d requests ok, %d during the drain (%d told Connection: close)%n", drainMillis,
                    ok.get(), okDuringDrain.get(), toldToClose.get());
        }
    }

    @Test
    void aNodeHasOneIdentityInEverySharedRow() throws Exception {
        // Before: throttle shares and job leases used a second, host-based name, not the node list's id.
        String id = nodeA.server().nodes().id();
        Await.until("this node's throttle share", WITHIN, () -> !rows("SELECT DISTINCT node_id FROM throttle_share").isEmpty());
        assertThat(rows("SELECT id FROM cluster_node")).containsExactly(id);
        assertThat(rows("SELECT DISTINCT node_id FROM throttle_share")).containsExactly(id);
    }

    private List<String> rows(String sql) {
        List<String> out = new ArrayList<>();
        try (Connection c = DriverManager.getConnection(pgUrl); Statement s = c.createStatement(); ResultSet r = s.executeQuery(sql)) {
            while (r.next()) {
                out.add(r.getString(1));
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return out;
    }

    /**
     * A loopback L4 balancer: each new connection goes to the first backend port that accepts it (node B while it
     * listens, then node A), as a balancer whose health check or connect failure moves new connections elsewhere.
     */
    static final class Balancer implements AutoCloseable {
        private final ServerSocket listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final int[] backends;
        private final ConcurrentLinkedQueue<Integer> chosen = new ConcurrentLinkedQueue<>();

        Balancer(int... backends) throws IOException {
            this.backends = backends.clone();
            Thread.ofVirtual().start(this::accept);
        }

        int port() {
            return listener.getLocalPort();
        }

        int connectionsTo(int backend) {
            return (int) chosen.stream().filter(p -> p == backend).count();
        }

        private void accept() {
            while (!listener.isClosed()) {
                Socket in;
                try {
                    in = listener.accept();
                } catch (IOException e) {
                    return;
                }
                Thread.ofVirtual().start(() -> connect(in));
            }
        }

        private void connect(Socket in) {
            for (int backend : backends) {
                try {
                    Socket out = new Socket(InetAddress.getLoopbackAddress(), backend);
                    chosen.add(backend);
                    Thread.ofVirtual().start(() -> pipe(in, out));
                    pipe(out, in);
                    return;
                } catch (IOException refused) {
                    // the next backend
                }
            }
            close(in);
        }

        private static void pipe(Socket from, Socket to) {
            try (InputStream i = from.getInputStream(); OutputStream o = to.getOutputStream()) {
                i.transferTo(o);
            } catch (IOException e) {
                // one side closed
            } finally {
                close(from);
                close(to);
            }
        }

        private static void close(Socket s) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }

        @Override
        public void close() throws IOException {
            listener.close();
        }
    }
}
