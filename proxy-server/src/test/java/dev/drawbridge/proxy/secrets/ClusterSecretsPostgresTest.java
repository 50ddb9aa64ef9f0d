package dev.drawbridge.proxy.secrets;

import dev.drawbridge.cliconfig.OptionDefaults;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.cli.ServerCli;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import dev.drawbridge.proxy.web.Json;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * Several {@link ProxyServer} nodes on one real PostgreSQL database, each with its own data directory, sharing a cluster
 * key: the first node's keys become the cluster's (its admin credential, shown by it alone, works on every node; every node
 * serves certificates of the one server CA); two first nodes racing on an empty database end with one set; a node with a
 * wrong key, with none, or facing a changed row is refused through {@code drawbridge-server serve} with one sentence naming
 * the setting (exit 2), and the database is left as it was.
 */
class ClusterSecretsPostgresTest {
    @TempDir
    Path dir;
    private String url;
    private Path keyFile;
    private final List<AutoCloseable> open = new ArrayList<>();

    @BeforeEach
    void freshDatabase() throws Exception {
        PostgresTestDatabase.fresh().close();
        url = System.getenv("DRAWBRIDGE_TEST_PG_URL");
        keyFile = dir.resolve("cluster.key");
        ClusterKey.generate().writeNew(keyFile);
    }

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable c : open.reversed()) {
            c.close();
        }
        // Tests after this one use the same database as one node without a key: a cluster's secrets left behind would stop them.
        sql("DELETE FROM cluster_secret");
    }

    private ServerConfig node(String name, Optional<Path> key) {
        return new ServerConfig(dir.resolve(name), "localhost", "127.0.0.1", 0, 0, Optional.of(url), Duration.ofSeconds(10),
                ServerConfig.BackendTimeouts.STANDARD, ServerConfig.IdentitySettings.DEFAULTS, ServerConfig.Throttling.DEFAULTS,
                ServerConfig.Proxies.NONE, ServerConfig.Management.OFF, ServerConfig.DEFAULT_UPDATE_LEASE)
                .withCluster(new ServerConfig.Cluster(key, Optional.empty()));
    }

    private ProxyServer start(String name) throws Exception {
        ProxyServer s = ProxyServer.start(node(name, Optional.of(keyFile)));
        open.add(s);
        return s;
    }

    @Test
    void theFirstNodesKeysAreEveryNodes() throws Exception {
        // A single PostgreSQL node of before: its keys are files in its data directory, its credential known.
        String credential;
        X509Certificate ca;
        try (ProxyServer single = ProxyServer.start(node("a", Optional.empty()))) {
            credential = single.newAdminToken().orElseThrow();
            ca = single.serverCaCertificate();
        }
        assertThat(rows()).as("no cluster key: nothing in the table").isEmpty();

        ProxyServer a = start("a");
        ProxyServer b = start("b");
        ProxyServer c = start("c");

        assertThat(List.of(a, b, c)).allSatisfy(n -> {
            assertThat(n.serverCaCertificate()).as("the CA of the single node, kept").isEqualTo(ca);
            assertThat(n.newAdminToken()).as("the credential was shown once, before").isEmpty();
        });
        assertThat(rows()).containsOnlyKeys(SharedSecrets.NAMES);
        for (ProxyServer n : List.of(a, b, c)) {
            HttpClient http = client(ca);
            assertThat(http.newRequest("https://admin.localhost:" + n.publicPort() + "/api/v1/apps")
                    .headers(h -> h.put("Authorization", "Bearer " + credential)).timeout(20, TimeUnit.SECONDS).send().getStatus())
                    .as("the admin credential on node %s", n.publicPort()).isEqualTo(200);
            assertThat(http.newRequest("https://admin.localhost:" + n.publicPort() + "/api/v1/apps")
                    .headers(h -> h.put("Authorization", "Bearer dbadm_wrong")).timeout(20, TimeUnit.SECONDS).send().getStatus())
                    .isEqualTo(401);
        }
        // A certificate's key, sealed with the data key by node a, is opened by a node that joins later and served by it.
        CertificateAuthority other = CertificateAuthority.create("Custom CA", Duration.ofDays(30), Clock.systemUTC());
        KeyPair pair = CertificateAuthority.newKeyPair();
        X509Certificate custom = other.issueServerCertificate(pair.getPublic(), List.of("intranet.cluster.example"), List.of(),
                Duration.ofDays(10));
        String pem = Pem.encode(custom) + "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(pair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n";
        assertThat(client(ca).newRequest("https://admin.localhost:" + a.publicPort() + "/api/v1/certificates").method("POST")
                .headers(h -> h.put("Authorization", "Bearer " + credential))
                .body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(Map.of("pem", pem))))
                .timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(201);
        ProxyServer d = start("d");
        assertThat(servedCertificate(d.publicPort(), "intranet.cluster.example")).isEqualTo(custom);
        assertThat(servedCertificate(d.publicPort(), "admin.localhost").getIssuerX500Principal()).isEqualTo(ca.getSubjectX500Principal());

        assertThat(Files.readString(dir.resolve("c/pki/server-ca.pem"))).as("a joining node's copy of the public CA certificate")
                .contains("BEGIN CERTIFICATE");
        assertThat(Files.exists(dir.resolve("c/pki/server-ca.p12"))).as("a joining node writes no private key of its own").isFalse();
    }

    @Test
    void twoFirstNodesStartingAtOnceEndWithOneSetOfSecrets() throws Exception {
        CyclicBarrier together = new CyclicBarrier(2);
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<ProxyServer>> starts = new ArrayList<>();
            for (String name : List.of("x", "y")) {
                starts.add(pool.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    return start(name);
                }));
            }
            ProxyServer x = starts.get(0).get(120, TimeUnit.SECONDS), y = starts.get(1).get(120, TimeUnit.SECONDS);

            assertThat(x.serverCaCertificate()).isEqualTo(y.serverCaCertificate());
            assertThat(rows()).containsOnlyKeys(SharedSecrets.NAMES);
            List<String> shown = new ArrayList<>();
            x.newAdminToken().ifPresent(shown::add);
            y.newAdminToken().ifPresent(shown::add);
            assertThat(shown).as("only the node that stored the secrets shows a credential").hasSize(1);
            HttpClient http = client(x.serverCaCertificate());
            for (ProxyServer n : List.of(x, y)) {
                assertThat(http.newRequest("https://admin.localhost:" + n.publicPort() + "/api/v1/apps")
                        .headers(h -> h.put("Authorization", "Bearer " + shown.getFirst())).timeout(20, TimeUnit.SECONDS).send()
                        .getStatus()).isEqualTo(200);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aWrongKeyNoKeyOrAChangedRowIsRefusedAndTheDatabaseLeftAsItWas() throws Exception {
        ProxyServer.start(node("a", Optional.of(keyFile))).close();
        Map<String, String> before = rows();
        Path other = dir.resolve("other.key");
        ClusterKey.generate().writeNew(other);

        Run wrong = serve("b", Map.of(), "--cluster-key-file", other.toString());
        assertRefused(wrong, "the cluster key (--cluster-key-file or DRAWBRIDGE_CLUSTER_KEY) is not the one that sealed the shared"
                + " secrets in the database");
        assertThat(rows()).isEqualTo(before);

        Run wrongFromEnv = serve("b", Map.of(ServerCli.CLUSTER_KEY_ENV, ClusterKey.read(other, "t").text()));
        assertRefused(wrongFromEnv, "is not the one that sealed");
        assertThat(wrongFromEnv.err()).doesNotContain(ClusterKey.read(other, "t").text().substring(ClusterKey.PREFIX.length()));

        Run none = serve("b", Map.of());
        assertRefused(none, "the database holds the shared secrets of a cluster, sealed with a cluster key, and this node has none: give"
                + " it the cluster's key with --cluster-key-file or DRAWBRIDGE_CLUSTER_KEY");
        assertThat(rows()).isEqualTo(before);
        assertThat(Files.exists(dir.resolve("b/pki/server-ca.p12"))).as("no key of its own was made").isFalse();

        Run notAKey = serve("b", Map.of(ServerCli.CLUSTER_KEY_ENV, "hunter2"));
        assertRefused(notAKey, "DRAWBRIDGE_CLUSTER_KEY does not hold a cluster key");
        assertThat(notAKey.err()).doesNotContain("hunter2");

        Run twice = serve("b", Map.of(ServerCli.CLUSTER_KEY_ENV, ClusterKey.read(keyFile, "t").text()), "--cluster-key-file",
                keyFile.toString());
        assertRefused(twice, "the cluster key is set twice");

        // Someone with write access to the table gives the signing keys' sealed value to the data key.
        sql("UPDATE cluster_secret SET sealed = (SELECT sealed FROM cluster_secret WHERE name = 'signing-keys') WHERE name = 'data-key'");
        Map<String, String> tampered = rows();
        Run changed = serve("b", Map.of(), "--cluster-key-file", keyFile.toString());
        assertRefused(changed, "the cluster's shared secret data-key in the database (table cluster_secret) is changed or moved");
        assertThat(rows()).isEqualTo(tampered);

        sql("DELETE FROM cluster_secret WHERE name = 'data-key'");
        assertRefused(serve("b", Map.of(), "--cluster-key-file", keyFile.toString()), "data-key in the database (table cluster_secret) is missing");
        assertThatThrownBy(() -> ProxyServer.start(node("b", Optional.of(keyFile)))).isInstanceOf(ClusterKeyException.class);
    }

    @Test
    void aNodeThatJoinedRefusesToMakeANewSetWhenTheTableWasEmptied() throws Exception {
        X509Certificate ca;
        try (ProxyServer a = ProxyServer.start(node("a", Optional.of(keyFile)))) {
            ca = a.serverCaCertificate();
            ProxyServer.start(node("b", Optional.of(keyFile))).close();
        }
        // Someone able to write the table (or a dump restored without it) empties it: node b, which holds no key of its own,
        // must not make a new CA, signing keys and data key for the cluster (what the old data key sealed would be lost).
        sql("DELETE FROM cluster_secret");
        assertThatThrownBy(() -> open.add(ProxyServer.start(node("b", Optional.of(keyFile)))))
                .isInstanceOf(ClusterKeyException.class)
                .hasMessageContaining("table cluster_secret is empty, but this node loaded the cluster's shared secrets from it before");
        assertThat(rows()).as("nothing stored").isEmpty();
        assertThat(Files.exists(dir.resolve("b/pki/server-ca.p12"))).as("no key of its own was made").isFalse();
        // The first node's files are the cluster's set, and it has never loaded them from the table (its one start stored
        // them): it stores the same again, and b then joins as before.
        ProxyServer a = start("a");
        assertThat(a.serverCaCertificate()).isEqualTo(ca);
        assertThat(start("b").serverCaCertificate()).isEqualTo(ca);
    }

    @Test
    void aClusterKeyWithoutPostgresqlIsAConfigurationError() {
        Run r = run(Map.of(), "serve", "--data-dir", dir.resolve("h2").toString(), "--bind", "127.0.0.1", "--port", "0", "--tunnel-port", "0",
                "--management-port", "off", "--cluster-key-file", keyFile.toString());
        assertRefused(r, "cluster.keyFile: a cluster key (--cluster-key-file or DRAWBRIDGE_CLUSTER_KEY) is for nodes sharing a PostgreSQL"
                + " database");
        assertThat(Files.exists(dir.resolve("h2/db"))).as("no embedded database was made").isFalse();
    }

    record Run(int exit, String out, String err) {
    }

    private Run serve(String name, Map<String, String> env, String... extra) {
        List<String> args = new ArrayList<>(List.of("serve", "--data-dir", dir.resolve(name).toString(), "--bind", "127.0.0.1", "--port", "0",
                "--tunnel-port", "0", "--management-port", "off", "--database-url", url));
        args.addAll(List.of(extra));
        return run(env, args.toArray(String[]::new));
    }

    private static Run run(Map<String, String> env, String... args) {
        // A node that started would block in serve: it must not.
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
            StringWriter out = new StringWriter(), err = new StringWriter();
            CommandLine cl = ServerCli.commandLine(new OptionDefaults(ServerCli.ENV_PREFIX, env, Optional.empty()));
            cl.setOut(new PrintWriter(out, true));
            cl.setErr(new PrintWriter(err, true));
            int exit = cl.execute(args);
            return new Run(exit, out.toString(), err.toString());
        });
    }

    private static void assertRefused(Run r, String sentence) {
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().toList()).as("one line").hasSize(1);
        assertThat(r.err()).startsWith("error: ").contains(sentence).doesNotContain("Exception", "\tat ");
        assertThat(r.out()).doesNotContain("Admin credential");
    }

    /** The table's rows: name to key id and sealed value. */
    private Map<String, String> rows() throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT name, key_id, sealed FROM cluster_secret")) {
            Map<String, String> m = new TreeMap<>();
            while (r.next()) {
                m.put(r.getString(1), r.getString(2) + " " + r.getString(3));
            }
            return m;
        }
    }

    private void sql(String statement) throws Exception {
        try (Connection c = DriverManager.getConnection(url); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }

    /** The certificate a node's public listener presents for {@code host} (SNI). */
    private static X509Certificate servedCertificate(int port, String host) throws Exception {
        X509Certificate[] seen = new X509Certificate[1];
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
                seen[0] = chain[0];
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            SSLParameters p = socket.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            socket.setSSLParameters(p);
            socket.startHandshake();
        }
        return seen[0];
    }

    private HttpClient client(X509Certificate ca) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(ks);
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(cc));
        http.setSocketAddressResolver((host, port, ctx, promise) -> promise.succeeded(List.of(new InetSocketAddress("127.0.0.1", port))));
        http.start();
        open.add(http::stop);
        return http;
    }

}
