package dev.drawbridge.systemtests.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.connector.identity.Registration;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.systemtests.connector.ConnectorProcesses;
import dev.drawbridge.testsupport.process.DebianPackages;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.abort;

/**
 * The cluster {@link ClusterProcessesTest} runs: PostgreSQL (DRAWBRIDGE_TEST_PG_URL), a cluster key made with
 * {@code drawbridge-server cluster-key new}, haproxy ({@link Balancer}), three nodes ({@link NodeProcess}: a, b, c on
 * 127.0.0.2–4) and a spare one (d, 127.0.0.5, in the balancer's pool but started only to join), two apps (one, two: a
 * {@link StreamingBackend} each) in two connector groups, and a connector process per group registered through the
 * balancer. Logs and data directories stay under target/cluster-processes/ for a look after a failure.
 */
final class Cluster implements AutoCloseable {
    static final List<String> APPS = List.of("one", "two");
    static final int TUNNELS = 2;
    private static final Logger LOG = LoggerFactory.getLogger(Cluster.class);
    private static final Duration START = Duration.ofSeconds(120);

    private final Path work;
    private final String databaseUrl;
    private final int publicPort;
    private final List<NodeProcess> pool;
    private final NodeProcess spare;
    private final Map<String, StreamingBackend> backends = new LinkedHashMap<>();
    private final Map<String, String> connectorIds = new LinkedHashMap<>();
    private final List<HttpClient> clients = new ArrayList<>();
    private final Map<String, HttpClient> nodeClients = new ConcurrentHashMap<>();
    private List<Path> serverJars;
    private Path clusterKey;
    private Balancer balancer;
    private ConnectorProcesses connectors;
    private X509Certificate serverCa;
    private String adminToken;
    private HttpClient balancerClient;
    private String portalId;

    private Cluster(Path work, String databaseUrl, int publicPort, List<NodeProcess> pool, NodeProcess spare) {
        this.work = work;
        this.databaseUrl = databaseUrl;
        this.publicPort = publicPort;
        this.pool = pool;
        this.spare = spare;
    }

    /** Starts everything, or skips (fails under DRAWBRIDGE_REQUIRE_SSO_SERVERS=1) without PostgreSQL or haproxy. */
    static Cluster start() throws Exception {
        String url = System.getenv("DRAWBRIDGE_TEST_PG_URL");
        if (url == null || url.isBlank()) {
            String why = "ClusterProcessesTest needs PostgreSQL: DRAWBRIDGE_TEST_PG_URL is unset (./test.sh sets it when PostgreSQL can be started)";
            if ("1".equals(System.getenv(DebianPackages.REQUIRE))) {
                throw new IllegalStateException(why + "; " + DebianPackages.REQUIRE + "=1 makes that an error instead of a skipped test");
            }
            abort(why);
        }
        Balancer.requireInstalled();
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA IF EXISTS public CASCADE");
            s.execute("CREATE SCHEMA public");
        }
        Path work = Path.of("target", "cluster-processes", LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")))
                .toAbsolutePath();
        Files.createDirectories(work);
        int publicPort = sharedPort(List.of("127.0.0.1", "127.0.0.2", "127.0.0.3", "127.0.0.4", "127.0.0.5"));
        List<NodeProcess> nodes = new ArrayList<>();
        String[] names = {"a", "b", "c", "d"};
        for (int i = 0; i < names.length; i++) {
            String address = "127.0.0." + (i + 2);
            nodes.add(new NodeProcess(names[i], address, publicPort, freePort(address), freePort("127.0.0.1"), freePort("127.0.0.1"),
                    work.resolve("node-" + names[i]), work));
        }
        Cluster cluster = new Cluster(work, url, publicPort, List.copyOf(nodes.subList(0, 3)), nodes.get(3));
        try {
            cluster.startAll(nodes);
            return cluster;
        } catch (Exception | AssertionError e) {
            LOG.error("the cluster did not start; logs in {}", work);
            cluster.close();
            throw e;
        }
    }

    private void startAll(List<NodeProcess> all) throws Exception {
        long t0 = System.nanoTime();
        serverJars = ConnectorProcesses.runtimeJars("proxy-server", work.resolve("server-jars"));
        clusterKey = work.resolve("cluster.key");
        runToEnd(NodeProcess.command(serverJars, "cluster-key", "new", "--out", clusterKey.toString()), work.resolve("cluster-key.log"));
        balancer = Balancer.start(work, publicPort, freePort("127.0.0.1"), all);
        // Three first starts at once: one stores the cluster's secrets, the others (waiting on the table's lock) load them.
        List<CompletableFuture<Void>> starting = new ArrayList<>();
        for (NodeProcess n : pool) {
            starting.add(CompletableFuture.runAsync(() -> {
                try {
                    restart(n);
                } catch (Exception e) {
                    throw new IllegalStateException(n + " did not start: " + e.getMessage(), e);
                }
            }, r -> Thread.ofPlatform().daemon().start(r)));
        }
        // Meanwhile: the connectors' jars and the apps' backends.
        connectors = new ConnectorProcesses(work.resolve("connector-jars"));
        for (String app : APPS) {
            backends.put(app, StreamingBackend.start(app));
        }
        CompletableFuture.allOf(starting.toArray(CompletableFuture[]::new)).get(START.toSeconds() + 30, TimeUnit.SECONDS);
        long nodesUp = System.nanoTime();
        List<String> credentials = pool.stream().flatMap(n -> n.adminCredential().stream()).toList();
        assertThat(credentials).as("the admin credential, printed by the one node that stored the cluster's secrets").hasSize(1);
        adminToken = credentials.getFirst();
        try (InputStream in = Files.newInputStream(pool.getFirst().dataDir.resolve("pki/server-ca.pem"))) {
            serverCa = (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        }
        balancerClient = client("127.0.0.1", new HttpCookieStore.Empty());

        for (String app : APPS) {
            apiThroughBalancer("POST", "connector-groups", NameBody.named(group(app)));
            apiThroughBalancer("POST", "apps", appSpec(app, ""));
        }
        long published = System.nanoTime();
        for (String app : APPS) {
            connectorIds.put(app, startConnector(group(app), TUNNELS));
        }
        long registered = System.nanoTime();
        awaitTunnelsEverywhere(Duration.ofSeconds(60));
        LOG.info("cluster of {} nodes behind haproxy in {} ms (nodes ready after {} ms, apps published {} ms later, connectors registered"
                        + " {} ms later, their tunnels to every node {} ms later); logs in {}", pool.size(), ms(System.nanoTime() - t0),
                ms(nodesUp - t0), ms(published - nodesUp), ms(registered - published), ms(System.nanoTime() - registered), work);
    }

    /** Registers a connector of {@code group} through the balancer and starts it as its own process; returns its id. */
    private String startConnector(String group, int tunnels) throws Exception {
        JsonNode t = apiThroughBalancer("POST", "registration-tokens", new RegistrationTokenRequest(group, 10));
        Path state = work.resolve("connector-" + group);
        // The admin URL's admin.localhost resolves to 127.0.0.1: the balancer.
        Registration.register(URI.create(adminUrl()), t.get("token").asText(), t.get("serverCaSha256").asText(), group).save(state);
        connectors.command(work.resolve("connector-" + group + ".log"), "run", "--state-dir", state.toString(), "--tunnels",
                Integer.toString(tunnels));
        return ConnectorIdentity.load(state).connectorId();
    }

    /** A third connector, in a group of its own with one tunnel per node, for a test to revoke; returns its id. */
    String startSpareConnector() throws Exception {
        apiThroughBalancer("POST", "connector-groups", NameBody.named("spare"));
        return startConnector("spare", 1);
    }

    private static String group(String app) {
        return "group-" + app;
    }

    String adminUrl() {
        return "https://admin.localhost:" + publicPort;
    }

    /** The app {@code name} of its own group and backend, its backend's paths under {@code under} (e.g. "v2/"). */
    AppSpec appSpec(String name, String under) {
        return new AppSpec(name, appUrls().get(name), backends.get(name).baseUri().resolve("/" + under).toString(), group(name), null, null,
                PreAuthentication.PASSTHROUGH, new AccessSettings(true, true, true, false));
    }

    /** The apps' external URLs: the balancer's port, which is every node's too. */
    Map<String, String> appUrls() {
        Map<String, String> urls = new LinkedHashMap<>();
        for (String app : APPS) {
            urls.put(app, "https://" + app + ".localhost:" + publicPort + "/");
        }
        return urls;
    }

    /** The id of the app {@code name}, asked of {@code node}. */
    String appId(NodeProcess node, String name) throws Exception {
        for (JsonNode app : api(node, "GET", "apps?limit=500", null).get("items")) {
            if (app.get("name").asText().equals(name)) {
                return app.get("id").asText();
            }
        }
        throw new AssertionError("no app " + name);
    }

    List<NodeProcess> pool() {
        return pool;
    }

    NodeProcess spareNode() {
        return spare;
    }

    Balancer balancer() {
        return balancer;
    }

    /** A client of the balancer (no cookies). */
    HttpClient balancerClient() {
        return balancerClient;
    }

    /** Starts (or starts again) {@code node} on its ports and data directory with the database URL and the cluster key. */
    void restart(NodeProcess node) throws Exception {
        node.start(serverJars, databaseUrl, clusterKey, START);
    }

    /** Awaits every connector's tunnels on {@code node} (its metrics). */
    void awaitTunnels(NodeProcess node, Duration timeout) throws InterruptedException {
        Await.until("both connectors' tunnels on " + node, timeout,
                () -> connectorIds.values().stream().allMatch(id -> node.tunnels(id) == TUNNELS));
    }

    void awaitTunnelsEverywhere(Duration timeout) throws InterruptedException {
        for (NodeProcess n : pool) {
            awaitTunnels(n, timeout);
        }
    }

    /** {@code GET path} of {@code app} sent to {@code node} directly: "STATUS BODY" ("0 failure" when it fails). */
    String get(NodeProcess node, String app, String path) {
        return text(nodeClient(node.address, "none", new HttpCookieStore.Empty()), appUrls().get(app) + path.substring(1), false);
    }

    /** The same through the balancer, on a new connection when {@code newConnection}. */
    String getThroughBalancer(String app, String path, boolean newConnection) {
        return text(balancerClient, appUrls().get(app) + path.substring(1), newConnection);
    }

    private static String text(HttpClient client, String url, boolean newConnection) {
        try {
            var request = client.newRequest(url).timeout(20, TimeUnit.SECONDS);
            if (newConnection) {
                request.headers(h -> h.put(HttpHeader.CONNECTION, "close"));
            }
            ContentResponse r = request.send();
            return r.getStatus() + " " + r.getContentAsString();
        } catch (Exception e) {
            return "0 " + e;
        }
    }

    /** Calls the admin API of {@code node} itself (not through the balancer); fails on an error status. */
    JsonNode api(NodeProcess node, String method, String path, Object body) throws Exception {
        return api(nodeClient(node.address, "none", new HttpCookieStore.Empty()), method, path, body);
    }

    private JsonNode apiThroughBalancer(String method, String path, Object body) throws Exception {
        return api(balancerClient, method, path, body);
    }

    private JsonNode api(HttpClient client, String method, String path, Object body) throws Exception {
        var req = client.newRequest(URI.create(adminUrl() + "/api/v1/" + path)).method(method).timeout(30, TimeUnit.SECONDS)
                .headers(h -> h.put("Authorization", "Bearer " + adminToken));
        if (body != null) {
            req.body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(body)));
        }
        ContentResponse r = req.send();
        assertThat(r.getStatus()).as(method + " " + path + ": " + r.getContentAsString()).isBetween(200, 299);
        return r.getContent().length == 0 ? null : Json.MAPPER.readTree(r.getContent());
    }

    /** A user signed in on {@code node} to the directory app "portal" (published and assigned through the balancer). */
    Browser signedInOn(NodeProcess node, String name, String password) throws Exception {
        if (portalId == null) {
            portalId = apiThroughBalancer("POST", "apps", new AppSpec("portal", portalUrl(), backends.get("one").baseUri().toString(),
                    group("one"), null, null, PreAuthentication.DIRECTORY, new AccessSettings(true, true, true, false))).get("id").asText();
        }
        String userId = apiThroughBalancer("POST", "users", new UserSpec(name + "@corp.example", name, null, null, password)).get("id").asText();
        apiThroughBalancer("POST", "apps/" + portalId + "/assignments", new AssignmentBody("USER", userId));
        Browser browser = new Browser(userId, new HttpCookieStore.Default());
        HttpClient there = browser.client(node);
        Await.until(node + " to route the portal", Duration.ofSeconds(10), () -> browser.status(node) == 302);
        ContentResponse signedIn = SignInForms.signIn(there, portalUrl() + "ping", "https://login.localhost:" + publicPort + "/",
                name + "@corp.example", password);
        assertThat(signedIn.getStatus()).as(name + " signs in on " + node + ": " + signedIn.getContentAsString()).isEqualTo(200);
        assertThat(browser.status(node)).isEqualTo(200);
        return browser;
    }

    private String portalUrl() {
        return "https://portal.localhost:" + publicPort + "/";
    }

    /** A browser: one cookie jar, used on whichever node it is sent to. */
    final class Browser {
        private final String userId;
        private final HttpCookieStore cookies;
        private final String jar = Integer.toHexString(System.identityHashCode(this));

        private Browser(String userId, HttpCookieStore cookies) {
            this.userId = userId;
            this.cookies = cookies;
        }

        String userId() {
            return userId;
        }

        HttpClient client(NodeProcess node) {
            return nodeClient(node.address, jar, cookies);
        }

        /** The status of the portal's {@code /ping} on {@code node} with this browser's cookies (302: sign in; 0: failed). */
        int status(NodeProcess node) {
            try {
                return client(node).newRequest(portalUrl() + "ping").headers(h -> h.put("Accept", "text/html")).timeout(10, TimeUnit.SECONDS)
                        .send().getStatus();
            } catch (Exception e) {
                return 0;
            }
        }
    }

    private HttpClient nodeClient(String address, String jar, HttpCookieStore cookies) {
        return nodeClients.computeIfAbsent(address + "/" + jar, k -> {
            try {
                return client(address, cookies);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A client trusting the cluster's CA that sends every *.localhost name to {@code address} (127.0.0.1: the balancer). */
    private HttpClient client(String address, HttpCookieStore cookies) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", serverCa);
        tls.setTrustStore(ks);
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(cc));
        http.setFollowRedirects(false);
        http.setMaxConnectionsPerDestination(64);
        http.setHttpCookieStore(cookies);
        byte[] to = InetAddress.ofLiteral(address).getAddress();
        http.setSocketAddressResolver((host, port, ctx, promise) -> {
            String h = host.toLowerCase(Locale.ROOT);
            if (h.equals("localhost") || h.endsWith(".localhost")) {
                try {
                    // With its name: TLS checks the certificate against the name, not the address.
                    promise.succeeded(List.of(new InetSocketAddress(InetAddress.getByAddress(host, to), port)));
                } catch (UnknownHostException e) {
                    promise.failed(e);
                }
            } else {
                promise.failed(new IllegalArgumentException("only *.localhost here: " + host));
            }
        });
        http.start();
        clients.add(http);
        return http;
    }

    /** A port free on each of {@code addresses} (the nodes bind one public port, each on its own address). */
    private static int sharedPort(List<String> addresses) throws IOException {
        for (int attempt = 0; attempt < 20; attempt++) {
            int port = freePort(addresses.getFirst());
            if (addresses.stream().allMatch(a -> bindable(a, port))) {
                return port;
            }
        }
        throw new IOException("no port free on all of " + addresses);
    }

    private static boolean bindable(String address, int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.ofLiteral(address))) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int freePort(String address) {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.ofLiteral(address))) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void runToEnd(List<String> command, Path log) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DRAWBRIDGE_"));
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(command + " did not finish within 60 s");
        }
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + Files.readString(log));
        }
    }

    @Override
    public void close() throws Exception {
        List<Exception> failures = new ArrayList<>();
        for (AutoCloseable c : new AutoCloseable[]{connectors, spare::close, () -> pool.forEach(Cluster::quietly), balancer}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception e) {
                failures.add(e);
            }
        }
        for (HttpClient c : clients) {
            c.stop();
        }
        for (StreamingBackend b : backends.values()) {
            b.close();
        }
        if (balancer != null) {
            LOG.info("haproxy's log:\n{}", balancer.log());
        }
        if (!failures.isEmpty()) {
            throw failures.getFirst();
        }
    }

    private static long ms(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(nanos);
    }

    private static void quietly(NodeProcess n) {
        try {
            n.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
