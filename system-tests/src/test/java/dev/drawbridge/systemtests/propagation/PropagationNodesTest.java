package dev.drawbridge.systemtests.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.MaintenanceBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.proxy.propagation.ChangeListener;
import dev.drawbridge.proxy.propagation.Topic;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

/**
 * Issue 14's propagation, measured: two proxy-server nodes in one JVM, each with its own data directory (its own keys),
 * sharing one PostgreSQL database (DRAWBRIDGE_TEST_PG_URL), bound to two loopback addresses on one public port as behind a
 * load balancer. The admin acts through node A's admin API; users, their WebSockets and the connectors are on node B.
 * Each change must hold on node B within one second of node A's answer: well inside the periodic reload (5 s) and the
 * tunnels' heartbeat (10 s here), and node B must have heard the change's notification. A listener cut with
 * {@code pg_terminate_backend} recovers and a change made meanwhile arrives; with the triggers off, the periodic reload
 * alone still converges.
 */
class PropagationNodesTest {
    private static final Logger LOG = LoggerFactory.getLogger(PropagationNodesTest.class);
    private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
    private static final String PASSWORD = "correct horse battery staple";
    private static final AtomicInteger NAMES = new AtomicInteger();

    private static String url;
    private static Path dir;
    private static SampleApp backend;
    /** The signed-in users' apps' backend, published at its root (the others publish paths under /echo/ of {@link #backend}). */
    private static SampleApp usersBackend;
    private static PgNode nodeA;
    private static PgNode nodeB;
    private static Connector everyday;

    @BeforeAll
    static void start() throws Exception {
        url = System.getenv("DRAWBRIDGE_TEST_PG_URL");
        assumeThat(url).as("DRAWBRIDGE_TEST_PG_URL (set by ./test.sh when PostgreSQL can be started)").isNotBlank();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        dir = Files.createTempDirectory("propagation");
        backend = SampleApp.start("127.0.0.1", 0);
        usersBackend = SampleApp.start("127.0.0.1", 0);
        // Node B where the users and the connectors are (connectors resolve *.localhost to 127.0.0.1); node A beside it on
        // the same port, as nodes behind a load balancer are.
        nodeB = PgNode.start(dir.resolve("node-b"), "127.0.0.1", 0, url);
        nodeA = PgNode.start(dir.resolve("node-a"), "127.0.0.2", nodeB.server.publicPort(), url);
        everyday = nodeB.startConnector(dir.resolve("connector-default"), null);
        Await.until("node B listening", Duration.ofSeconds(10), nodeB::listening);
    }

    @AfterAll
    static void stop() throws Exception {
        for (AutoCloseable c : new AutoCloseable[]{everyday, nodeA, nodeB, backend, usersBackend}) {
            if (c != null) {
                c.close();
            }
        }
    }

    private static String unique(String name) {
        return name + NAMES.incrementAndGet();
    }

    /** Publishes an app of {@link #backend} through node A; returns its id. */
    private static String publish(String label, String internalPath, String group, PreAuthentication preAuth) throws Exception {
        return publishAt(label, backend.baseUri().resolve(internalPath).toString(), group, preAuth);
    }

    private static String publishAt(String label, String internalUrl, String group, PreAuthentication preAuth) throws Exception {
        AppSpec spec = new AppSpec(label, nodeB.url(label), internalUrl, group, null, null, preAuth, new AccessSettings(true, true, true, false));
        return nodeA.api("POST", "apps", spec).get("id").asText();
    }

    /** The status of a GET as a browser sends it (a browser without a session is sent to sign in: 302; other clients get 401). */
    private static int statusOf(HttpClient client, String url) {
        try {
            return client.newRequest(url).headers(h -> h.put("Accept", "text/html")).timeout(10, TimeUnit.SECONDS).send().getStatus();
        } catch (Exception e) {
            return 0;
        }
    }

    private static String body(String url) {
        try {
            ContentResponse r = nodeB.http.newRequest(url).timeout(10, TimeUnit.SECONDS).send();
            return r.getStatus() + " " + r.getContentAsString();
        } catch (Exception e) {
            return e.toString();
        }
    }

    /**
     * Awaits {@code effect} on node B for at most a second after node A's change, logs how long it took, and checks node B
     * heard of it ({@code topic}'s notifications went up).
     */
    private static void holdsOnNodeBWithinASecond(String what, Topic topic, double notifiedBefore, long changedAt, BooleanSupplier effect)
            throws InterruptedException {
        Await.until(what + " on node B", WITHIN_A_SECOND.minusNanos(System.nanoTime() - changedAt), effect);
        LOG.info("propagated in {} ms: {}", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changedAt), what);
        assertThat(nodeB.notified(topic)).as("node B's " + topic + " notifications").isGreaterThan(notifiedBefore);
    }

    @Test
    void anAppChangedThroughNodeAIsRoutedAnewOnNodeB() throws Exception {
        String label = unique("wiki");
        String id = publish(label, "/echo/v1/", null, PreAuthentication.PASSTHROUGH);
        Await.until("node B to serve the new app", Duration.ofSeconds(5), () -> body(nodeB.url(label) + "page").contains("/echo/v1/page"));

        double before = nodeB.notified(Topic.APPS);
        nodeA.api("PUT", "apps/" + id, new AppSpec(label, nodeB.url(label), backend.baseUri().resolve("/echo/v2/").toString(), null, null,
                null, PreAuthentication.PASSTHROUGH, new AccessSettings(true, true, true, false)));
        long changed = System.nanoTime();
        holdsOnNodeBWithinASecond("the app's new backend path", Topic.APPS, before, changed,
                () -> body(nodeB.url(label) + "page").contains("/echo/v2/page"));

        before = nodeB.notified(Topic.APPS);
        nodeA.api("DELETE", "apps/" + id, null);
        changed = System.nanoTime();
        holdsOnNodeBWithinASecond("the app deleted", Topic.APPS, before, changed, () -> statusOf(nodeB.http, nodeB.url(label) + "page") == 404);
    }

    @Test
    void aUserDisabledThroughNodeAIsRefusedAndCutOnNodeB() throws Exception {
        try (SignedIn ann = SignedIn.onNodeB(unique("ann"))) {
            double before = nodeB.notified(Topic.DIRECTORY);
            nodeA.api("POST", "users/" + ann.userId + "/disable", null);
            long changed = System.nanoTime();
            assertThat(ann.status()).as("the existing session, at once (each request reads the directory)").isEqualTo(302);
            holdsOnNodeBWithinASecond("the disabled user's WebSocket closed", Topic.DIRECTORY, before, changed, ann::closed);
            ann.assertCut("the user was disabled");
        }
    }

    @Test
    void sessionsRevokedThroughNodeAEndOnNodeB() throws Exception {
        try (SignedIn bob = SignedIn.onNodeB(unique("bob"))) {
            double before = nodeB.notified(Topic.DIRECTORY);
            nodeA.api("POST", "users/" + bob.userId + "/revoke-sessions", null);
            long changed = System.nanoTime();
            assertThat(bob.status()).as("the revoked session").isEqualTo(302);
            holdsOnNodeBWithinASecond("the revoked session's WebSocket closed", Topic.DIRECTORY, before, changed, bob::closed);
            bob.assertCut("the user's sessions were revoked");
        }
    }

    @Test
    void anAssignmentRemovedThroughNodeAHoldsOnNodeB() throws Exception {
        try (SignedIn cy = SignedIn.onNodeB(unique("cy"))) {
            double before = nodeB.notified(Topic.DIRECTORY);
            nodeA.api("DELETE", "apps/" + cy.appId + "/assignments/USER/" + cy.userId, null);
            long changed = System.nanoTime();
            holdsOnNodeBWithinASecond("the unassigned user's WebSocket closed", Topic.DIRECTORY, before, changed, cy::closed);
            cy.assertCut("the user is no longer assigned to the app");
            assertThat(cy.status()).as("a new request").isEqualTo(403);
        }
    }

    @Test
    void aBlockingPolicyCreatedThroughNodeAHoldsOnNodeB() throws Exception {
        try (SignedIn dee = SignedIn.onNodeB(unique("dee"))) {
            double before = nodeB.notified(Topic.POLICIES);
            nodeA.api("POST", "policies", new AccessPolicy(null, unique("Block"), AccessPolicy.State.ON, List.of(dee.appId),
                    List.of(dee.userId), List.of(), List.of(), List.of(), List.of(), null, AccessPolicy.Control.BLOCK));
            long changed = System.nanoTime();
            // The policy snapshot is node B's own: only the notification (or the 5 s reload) brings it.
            holdsOnNodeBWithinASecond("the blocking policy", Topic.POLICIES, before, changed, () -> dee.status() == 403);
            Await.until("the blocked user's WebSocket closed", WITHIN_A_SECOND, dee::closed);
            dee.assertCut("conditional access now blocks it");
        }
    }

    @Test
    void maintenanceModeSetThroughNodeAHoldsOnNodeB() throws Exception {
        String group = unique("Closing");
        nodeA.api("POST", "connector-groups", NameBody.named(group));
        try (Connector c = nodeB.startConnector(dir.resolve(group), group)) {
            String label = unique("payroll");
            publish(label, "/echo/", group, PreAuthentication.PASSTHROUGH);
            String app = nodeB.url(label) + "ping";
            Await.until("node B to serve the app", Duration.ofSeconds(5), () -> statusOf(nodeB.http, app) == 200);

            double before = nodeB.notified(Topic.MAINTENANCE);
            nodeA.api("PUT", "connector-groups/" + group + "/maintenance", new MaintenanceBody("Back at 10:00"));
            long changed = System.nanoTime();
            holdsOnNodeBWithinASecond("the maintenance page", Topic.MAINTENANCE, before, changed, () -> statusOf(nodeB.http, app) == 503);
            assertThat(nodeB.server.registry().tunnelCount(c.connectorId())).as("tunnels stay up").isEqualTo(1);

            before = nodeB.notified(Topic.MAINTENANCE);
            nodeA.api("DELETE", "connector-groups/" + group + "/maintenance", null);
            changed = System.nanoTime();
            holdsOnNodeBWithinASecond("the app served again", Topic.MAINTENANCE, before, changed, () -> statusOf(nodeB.http, app) == 200);
        }
    }

    @Test
    void aConnectorRevokedThroughNodeAHasItsTunnelsCutOnNodeB() throws Exception {
        String group = unique("Doomed");
        nodeA.api("POST", "connector-groups", NameBody.named(group));
        try (Connector c = nodeB.startConnector(dir.resolve(group), group)) {
            Await.until("its tunnel on node B", Duration.ofSeconds(10), () -> nodeB.server.registry().tunnelCount(c.connectorId()) == 1);

            double before = nodeB.notified(Topic.CONNECTORS);
            nodeA.api("POST", "connectors/" + c.connectorId() + "/revoke", null);
            long changed = System.nanoTime();
            holdsOnNodeBWithinASecond("the revoked connector's tunnels cut", Topic.CONNECTORS, before, changed,
                    () -> nodeB.server.registry().tunnelCount(c.connectorId()) == 0);
            assertThat(c.permanentFailure().get(20, TimeUnit.SECONDS)).as("dialling again is refused").contains("register again");
        }
    }

    @Test
    void aListenerCutByTheDatabaseRecoversAndAChangeMadeMeanwhileArrives() throws Exception {
        String label = unique("intranet");
        String id = publish(label, "/echo/before/", null, PreAuthentication.PASSTHROUGH);
        Await.until("node B to serve the new app", Duration.ofSeconds(5), () -> body(nodeB.url(label) + "x").contains("/echo/before/x"));

        assertThat(terminateListeners()).as("the nodes' listening connections").isEqualTo(2);
        Await.until("node B to notice", Duration.ofSeconds(5), () -> !nodeB.listening());
        // Most likely before node B's first retry (0.25 to 0.5 s later); if not, the notification brings it: either way it arrives.
        nodeA.api("PUT", "apps/" + id, new AppSpec(label, nodeB.url(label), backend.baseUri().resolve("/echo/during/").toString(), null,
                null, null, PreAuthentication.PASSTHROUGH, new AccessSettings(true, true, true, false)));
        long changed = System.nanoTime();

        Await.until("node B listening again", Duration.ofSeconds(5), nodeB::listening);
        Await.until("the change made during the outage, on node B", Duration.ofSeconds(2),
                () -> body(nodeB.url(label) + "x").contains("/echo/during/x"));
        LOG.info("a change made as the listener was cut arrived after {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - changed));

        // And notifications flow again.
        double before = nodeB.notified(Topic.APPS);
        nodeA.api("PUT", "apps/" + id, new AppSpec(label, nodeB.url(label), backend.baseUri().resolve("/echo/after/").toString(), null,
                null, null, PreAuthentication.PASSTHROUGH, new AccessSettings(true, true, true, false)));
        holdsOnNodeBWithinASecond("a change after the outage", Topic.APPS, before, System.nanoTime(),
                () -> body(nodeB.url(label) + "x").contains("/echo/after/x"));
    }

    @Test
    void withoutNotificationsThePeriodicReloadAloneConverges() throws Exception {
        String label = unique("fallback");
        String id = publish(label, "/echo/one/", null, PreAuthentication.PASSTHROUGH);
        Await.until("node B to serve the new app", Duration.ofSeconds(5), () -> body(nodeB.url(label) + "x").contains("/echo/one/x"));
        sql("ALTER TABLE app DISABLE TRIGGER USER");
        try {
            double before = nodeB.notified(Topic.APPS);
            nodeA.api("PUT", "apps/" + id, new AppSpec(label, nodeB.url(label), backend.baseUri().resolve("/echo/two/").toString(), null,
                    null, null, PreAuthentication.PASSTHROUGH, new AccessSettings(true, true, true, false)));
            // The periodic reload: every 5 s, with room for a loaded machine.
            Await.until("node B to converge without notifications", Duration.ofSeconds(8),
                    () -> body(nodeB.url(label) + "x").contains("/echo/two/x"));
            assertThat(nodeB.notified(Topic.APPS)).as("no notification carried it").isEqualTo(before);
        } finally {
            sql("ALTER TABLE app ENABLE TRIGGER USER");
        }
    }

    private static int terminateListeners() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE application_name = '"
                     + ChangeListener.APPLICATION_NAME + "' AND datname = current_database()")) {
            r.next();
            return r.getInt(1);
        }
    }

    private static void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /**
     * A user created and assigned through node A to an app published through node A, signed in on node B and holding a
     * WebSocket to the app there.
     */
    private static final class SignedIn implements AutoCloseable {
        final String userId;
        final String appId;
        private final String appUrl;
        private final HttpClient browser;
        private final WebSocketClient ws;
        private final Recorder socket = new Recorder();

        private SignedIn(String name) throws Exception {
            String label = unique("app");
            appId = publishAt(label, usersBackend.baseUri().toString(), null, PreAuthentication.DIRECTORY);
            appUrl = nodeB.url(label);
            JsonNode user = nodeA.api("POST", "users", new UserSpec(name + "@corp.example", name, null, null, PASSWORD));
            userId = user.get("id").asText();
            nodeA.api("POST", "apps/" + appId + "/assignments", new AssignmentBody("USER", userId));
            browser = nodeB.browser();
            ws = new WebSocketClient(browser);
            ws.setIdleTimeout(Duration.ofMinutes(3));
            ws.start();
            Await.until("node B to route the new app", Duration.ofSeconds(5), () -> statusOf(nodeB.http, appUrl) == 302);
            ContentResponse first = browser.newRequest(appUrl + "echo/in").headers(h -> h.put("Accept", "text/html"))
                    .timeout(10, TimeUnit.SECONDS).send();
            assertThat(first.getStatus()).as("the app before signing in: " + first.getContentAsString()).isEqualTo(302);
            assertThat(SignInForms.signIn(browser, appUrl + "echo/in", nodeB.url("login"), name + "@corp.example", PASSWORD).getStatus())
                    .as(name + " signs in on node B").isEqualTo(200);
            Session session = ws.connect(socket, new ClientUpgradeRequest(URI.create(appUrl.replace("https:", "wss:") + "ws")))
                    .get(20, TimeUnit.SECONDS);
            session.sendText("hello", Callback.NOOP);
            assertThat(socket.messages.poll(10, TimeUnit.SECONDS)).as(name + "'s WebSocket echoes").isEqualTo("hello");
        }

        static SignedIn onNodeB(String name) throws Exception {
            return new SignedIn(name);
        }

        /** A new request with the session's cookie, on node B. */
        int status() {
            return statusOf(browser, appUrl + "echo/again");
        }

        boolean closed() {
            return socket.closedWith.isDone();
        }

        void assertCut(String why) throws Exception {
            assertThat(socket.closedWith.get(10, TimeUnit.SECONDS)).as("close code").isEqualTo(StatusCode.POLICY_VIOLATION);
            assertThat(socket.reason).startsWith("access revoked: " + why);
        }

        @Override
        public void close() throws Exception {
            ws.stop();
            browser.stop();
        }
    }

    /** What the user's WebSocket receives, and how it closed (public: the WebSocket client calls it reflectively). */
    public static final class Recorder implements Session.Listener.AutoDemanding {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closedWith = new CompletableFuture<>();
        volatile String reason;

        @Override
        public void onWebSocketText(String message) {
            messages.add(message);
        }

        @Override
        public void onWebSocketClose(int statusCode, String why) {
            reason = why;
            closedWith.complete(statusCode);
        }
    }
}
