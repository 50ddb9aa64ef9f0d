package dev.drawbridge.proxy.secrets;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.admin.AdminAuth;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.keys.KeyLifecycle;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import dev.drawbridge.proxy.web.Json;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Signing-key rotation across nodes on a real PostgreSQL (DRAWBRIDGE_TEST_PG_URL): two nodes sharing a cluster key (and
 * one public port on two loopback addresses, as behind a balancer, so they share an issuer), one movable clock. Every admin
 * role but the global administrator's is refused the rotation; the global administrator's rotation on node A reaches node B
 * within a second (the rows' notification); admin tokens signed before keep working on both; after the activation delay
 * both sign with the new key; a node started after the rotation loads the new sets; a token the old key signed is refused
 * on every node from the old key's retirement on; the rotation is in the audit log. Retiring a key now (a leak) is refused
 * to every other role (403), for an unknown key (404) and for the signing key without a newer one (409: rotate first);
 * after a rotation, the retired key's tokens are refused on every node within two seconds and the newer key signs at once.
 */
class SigningKeyRotationClusterTest {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeyRotationClusterTest.class);
    private static final String PASSWORD = "correct horse battery staple";

    @TempDir
    Path dir;
    private String url;
    private Path keyFile;
    private final SettableClock clock = new SettableClock(Instant.now());
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
        if (url == null) {
            return;
        }
        try (Database db = Database.postgres(url)) {
            // Tests after this one use the same database as one node without a key.
            db.dsl().execute("DELETE FROM cluster_secret");
        }
    }

    /** A node on {@code address}, on {@code port} (0: any), with this test's clock and the cluster key. */
    private ProxyServer start(String name, String address, int port) throws Exception {
        ServerConfig config = new ServerConfig(dir.resolve(name), "localhost", address, port, 0, Optional.of(url), Duration.ofSeconds(10),
                ServerConfig.BackendTimeouts.STANDARD, new ServerConfig.IdentitySettings(Duration.ofMinutes(10), Duration.ofMinutes(10), 5,
                Duration.ofSeconds(30)), ServerConfig.Throttling.DEFAULTS, ServerConfig.Proxies.NONE, ServerConfig.Management.OFF,
                ServerConfig.DEFAULT_UPDATE_LEASE).withCluster(new ServerConfig.Cluster(Optional.of(keyFile), Optional.empty()));
        ProxyServer s = ProxyServer.start(config, clock);
        open.add(s);
        return s;
    }

    /** The admin API of one node, by its address. */
    private final class Api {
        final ProxyServer node;
        final HttpClient http;

        Api(ProxyServer node, String address, X509Certificate ca) throws Exception {
            this.node = node;
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca);
            SslContextFactory.Client tls = new SslContextFactory.Client();
            tls.setTrustStore(ks);
            // Trust is the cluster's CA alone; the name check would be against the node's loopback address, not a host name.
            tls.setEndpointIdentificationAlgorithm(null);
            ClientConnector cc = new ClientConnector();
            cc.setSslContextFactory(tls);
            http = new HttpClient(new HttpClientTransportOverHTTP(cc));
            http.setSocketAddressResolver((host, port, ctx, promise) -> promise.succeeded(List.of(new InetSocketAddress(address, port))));
            http.start();
            open.add(http::stop);
        }

        ContentResponse call(String token, String method, String path, Object body) throws Exception {
            Request r = http.newRequest("https://admin.localhost:" + node.publicPort() + "/api/v1/" + path).method(method)
                    .timeout(20, TimeUnit.SECONDS);
            if (token != null) {
                r.headers(h -> h.put("Authorization", "Bearer " + token));
            }
            if (body != null) {
                r.body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(body)));
            }
            return r.send();
        }

        JsonNode json(String token, String method, String path, Object body) throws Exception {
            return Json.MAPPER.readTree(call(token, method, path, body).getContentAsString());
        }

        int status(String token) throws Exception {
            return call(token, "GET", "apps", null).getStatus();
        }

        long generation(String token) throws Exception {
            return json(token, "GET", "keys", null).path("generation").asLong();
        }

        String tokenOf(String upn) throws Exception {
            return json(null, "POST", "auth/token", Map.of("username", upn, "password", PASSWORD)).path("accessToken").asText();
        }
    }

    private static String kid(String jws) throws Exception {
        return SignedJWT.parse(jws).getHeader().getKeyID();
    }

    @Test
    void aRotationOnOneNodeHoldsOnEveryNodeAndRetiresTheOldKey() throws Exception {
        ProxyServer a = start("a", "127.0.0.1", 0);
        ProxyServer b = start("b", "127.0.0.2", a.publicPort());
        String bootstrap = a.newAdminToken().orElseThrow();
        Api apiA = new Api(a, "127.0.0.1", a.serverCaCertificate());
        Api apiB = new Api(b, "127.0.0.2", a.serverCaCertificate());

        // A user of each admin role, and their tokens (signed by the cluster's signing key).
        Map<AdminRole, String> tokens = new EnumMap<>(AdminRole.class);
        Map<AdminRole, String> ids = new EnumMap<>(AdminRole.class);
        for (AdminRole role : AdminRole.values()) {
            String upn = role.name().toLowerCase().replace('_', '-') + "@corp.example";
            String id = apiA.json(bootstrap, "POST", "users", Map.of("upn", upn, "displayName", role.name(), "password", PASSWORD))
                    .path("id").asText();
            assertThat(apiA.call(bootstrap, "PUT", "users/" + id + "/roles", Map.of("roles", List.of(role))).getStatus()).isEqualTo(200);
            tokens.put(role, apiA.tokenOf(upn));
            ids.put(role, id);
        }
        String admin = tokens.get(AdminRole.GLOBAL_ADMINISTRATOR);
        String oldKid = kid(admin);
        assertThat(apiA.generation(admin)).isZero();

        // Only the global administrator may rotate; every other role is refused and nothing changes; no token: 401.
        for (AdminRole role : AdminRole.values()) {
            if (role != AdminRole.GLOBAL_ADMINISTRATOR) {
                ContentResponse refused = apiA.call(tokens.get(role), "POST", "keys/rotate", null);
                assertThat(refused.getStatus()).as(role.name()).isEqualTo(403);
                assertThat(refused.getContentAsString()).contains("permission");
            }
        }
        assertThat(apiA.call(null, "POST", "keys/rotate", null).getStatus()).isEqualTo(401);
        assertThat(apiA.call(admin + "x", "POST", "keys/rotate", null).getStatus()).isEqualTo(401);
        assertThat(apiA.generation(admin)).isZero();

        ContentResponse rotated = apiA.call(admin, "POST", "keys/rotate", null);
        long rotatedAt = System.nanoTime();
        assertThat(rotated.getStatus()).isEqualTo(200);
        JsonNode view = Json.MAPPER.readTree(rotated.getContentAsString());
        assertThat(view.path("generation").asLong()).isEqualTo(1);
        assertThat(view.path("keys").findValuesAsText("state")).containsExactly("signing", "pending", "signing", "pending");
        assertThat(view.toString()).doesNotContain("\"d\"");
        String newKid = view.path("keys").get(1).path("keyId").asText();

        // Node B takes the new sets within a second (notified), with no restart.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (apiB.generation(bootstrap) != 1) {
            assertThat(System.nanoTime()).as("node B has the rotated keys within a second").isLessThan(deadline);
            Thread.onSpinWait();
        }
        LOG.info("rotation reached node B in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - rotatedAt));
        assertThat(apiA.status(admin)).as("a token signed before, on A").isEqualTo(200);
        assertThat(apiB.status(admin)).as("a token signed before, on B").isEqualTo(200);
        String upn = "global-administrator@corp.example";
        assertThat(kid(apiB.tokenOf(upn))).as("within the activation delay, B still signs with the old key").isEqualTo(oldKid);

        // After the delay both nodes sign with the new key, and each accepts the other's tokens.
        clock.advance(KeyLifecycle.ACTIVATION_DELAY);
        String byA = apiA.tokenOf(upn);
        String byB = apiB.tokenOf(upn);
        assertThat(List.of(kid(byA), kid(byB))).containsOnly(newKid);
        assertThat(apiA.status(byB)).isEqualTo(200);
        assertThat(apiB.status(byA)).isEqualTo(200);

        // A node that was not running during the rotation loads the new sets at start.
        ProxyServer c = start("c", "127.0.0.3", a.publicPort());
        Api apiC = new Api(c, "127.0.0.3", a.serverCaCertificate());
        assertThat(apiC.generation(byA)).isEqualTo(1);
        assertThat(kid(apiC.tokenOf(upn))).isEqualTo(newKid);
        assertThat(apiC.status(admin)).as("the old key verifies on C too").isEqualTo(200);

        // The old key's private half (as someone who stole it would hold it) signs a token that lives long: it works until the
        // old key retires, then on no node.
        JWKSet stored = new SharedSigningKeys(Database.postgres(url), ClusterKey.read(keyFile, "test"), clock).load().signing();
        SessionTokens thief = new SessionTokens(new JWKSet(List.of(stored.getKeyByKeyId(oldKid))),
                SignedJWT.parse(admin).getJWTClaimsSet().getIssuer(), clock);
        String stolen = thief.accessToken(TokenKind.ADMIN_TOKEN, AdminAuth.AUDIENCE, ids.get(AdminRole.GLOBAL_ADMINISTRATOR),
                AdminAuth.CLIENT_ID, List.of("pwd"), clock.instant(), Duration.ofDays(2));
        assertThat(List.of(apiA.status(stolen), apiB.status(stolen), apiC.status(stolen))).as("before retirement").containsOnly(200);
        Instant retires = stored.getKeyByKeyId(oldKid).getExpirationTime().toInstant();
        assertThat(retires).isEqualTo(Instant.ofEpochSecond(clock.instant().minus(KeyLifecycle.ACTIVATION_DELAY).getEpochSecond())
                .plus(KeyLifecycle.ACTIVATION_DELAY).plus(AdminAuth.TTL).plus(KeyLifecycle.CLOCK_MARGIN));
        clock.set(retires);
        String fresh = apiB.tokenOf(upn);
        assertThat(List.of(apiA.status(stolen), apiB.status(stolen), apiC.status(stolen))).as("retired").containsOnly(401);
        assertThat(List.of(apiA.status(fresh), apiB.status(fresh), apiC.status(fresh))).containsOnly(200);

        // The rotation is in the audit log, by whom.
        JsonNode audit = apiB.json(fresh, "GET", "audit-logs", null);
        assertThat(audit.toString()).contains("signing-keys.rotate").contains(ids.get(AdminRole.GLOBAL_ADMINISTRATOR));

        // Retire now, after a leak. Only the global administrator; every other role 403, no token 401; nothing changes.
        String retireNew = "keys/" + newKid + "/retire";
        for (AdminRole role : AdminRole.values()) {
            if (role != AdminRole.GLOBAL_ADMINISTRATOR) {
                ContentResponse refused = apiA.call(apiA.tokenOf(role.name().toLowerCase().replace('_', '-') + "@corp.example"), "POST",
                        retireNew, null);
                assertThat(refused.getStatus()).as(role.name()).isEqualTo(403);
                assertThat(refused.getContentAsString()).contains("SIGNING_KEYS_ROTATE");
            }
        }
        assertThat(apiA.call(null, "POST", retireNew, null).getStatus()).isEqualTo(401);
        assertThat(apiA.call(fresh, "POST", "keys/no-such-key/retire", null).getStatus()).isEqualTo(404);
        // The key that signs, with no newer one: 409, a problem body that says to rotate first.
        ContentResponse signsNow = apiA.call(fresh, "POST", retireNew, null);
        assertThat(signsNow.getStatus()).isEqualTo(409);
        assertThat(signsNow.getHeaders().get("Content-Type")).contains("json");
        assertThat(signsNow.getContentAsString()).contains("rotate the keys first").doesNotContain("Exception");
        assertThat(List.of(apiA.status(fresh), apiB.status(fresh), apiC.status(fresh))).as("refusals changed nothing").containsOnly(200);
        long generation = apiA.generation(fresh);

        // Rotate, then retire the signing key at once: the new key signs now, and what the retired key signed is refused on
        // every node within a second.
        JsonNode second = apiA.json(fresh, "POST", "keys/rotate", null);
        String newest = "";
        for (JsonNode k : second.path("keys")) {
            if (k.path("set").asText().equals("signing") && k.path("state").asText().equals("pending")) {
                newest = k.path("keyId").asText();
            }
        }
        assertThat(newest).isNotEmpty();
        ContentResponse retired = apiA.call(fresh, "POST", retireNew, null);
        long retiredAt = System.nanoTime();
        assertThat(retired.getStatus()).as(retired.getContentAsString()).isEqualTo(200);
        assertThat(retired.getContentAsString()).doesNotContain("\"d\"");
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        while (apiA.status(fresh) != 401 || apiB.status(fresh) != 401 || apiC.status(fresh) != 401) {
            assertThat(System.nanoTime()).as("the retired key's tokens refused on every node within 2 s").isLessThan(deadline);
            Thread.onSpinWait();
        }
        LOG.info("retirement reached every node in {} ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - retiredAt));
        String after = apiC.tokenOf(upn);
        assertThat(kid(after)).as("the newer key signs at once, not 30 s later").isEqualTo(newest);
        assertThat(List.of(apiA.status(after), apiB.status(after), apiC.status(after))).containsOnly(200);
        assertThat(apiB.generation(after)).isGreaterThan(generation);
        assertThat(apiA.call(after, "POST", retireNew, null).getStatus()).as("already retired").isEqualTo(409);
        assertThat(apiB.json(after, "GET", "audit-logs", null).toString()).contains("signing-keys.retire").contains(newKid);
    }
}
