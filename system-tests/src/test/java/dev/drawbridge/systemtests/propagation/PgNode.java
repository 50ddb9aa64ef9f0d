package dev.drawbridge.systemtests.propagation;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.identity.Registration;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.operations.ProxyMeter;
import dev.drawbridge.proxy.propagation.Topic;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.time.Await;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One proxy-server node of a cluster on PostgreSQL, with its own data directory (its own keys and admin credential,
 * until the nodes share them), bound to its own loopback address: the nodes of a test share one public port, as nodes
 * behind a load balancer share the one port users see, so an app's URL is valid on each. Its client sends
 * {@code *.localhost} to this node's address.
 */
final class PgNode implements AutoCloseable {
    final ProxyServer server;
    final String adminToken;
    /** A client of this node (no cookies): the admin API and plain requests. */
    final HttpClient http;
    private final String address;

    private PgNode(ProxyServer server, String adminToken, HttpClient http, String address) {
        this.server = server;
        this.adminToken = adminToken;
        this.http = http;
        this.address = address;
    }

    /** Starts a node on {@code address} (a 127.x.y.z) and {@code publicPort} (0: ephemeral), on the database {@code url}. */
    static PgNode start(Path dataDir, String address, int publicPort, String url) throws Exception {
        ServerConfig config = new ServerConfig(dataDir, "localhost", address, publicPort, 0, Optional.of(url), Duration.ofSeconds(10),
                ServerConfig.BackendTimeouts.STANDARD, ServerConfig.IdentitySettings.DEFAULTS, ServerConfig.Throttling.DEFAULTS,
                ServerConfig.Proxies.NONE, ServerConfig.Management.OFF, ServerConfig.DEFAULT_UPDATE_LEASE);
        ProxyServer server = ProxyServer.start(config);
        String token = server.newAdminToken().orElseThrow();
        return new PgNode(server, token, client(server, address, false), address);
    }

    /** A browser of this node: keeps cookies, sends {@code *.localhost} here. */
    HttpClient browser() throws Exception {
        return client(server, address, true);
    }

    private static HttpClient client(ProxyServer server, String address, boolean cookies) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setCertificateEntry("ca", server.serverCaCertificate());
        tls.setTrustStore(ks);
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP(cc));
        http.setFollowRedirects(false);
        http.setHttpCookieStore(cookies ? new HttpCookieStore.Default() : new HttpCookieStore.Empty());
        byte[] here = InetAddress.ofLiteral(address).getAddress();
        http.setSocketAddressResolver((host, port, ctx, promise) -> {
            String h = host.toLowerCase(Locale.ROOT);
            if (h.equals("localhost") || h.endsWith(".localhost")) {
                try {
                    // With its name: TLS checks the certificate against the name, not the address.
                    promise.succeeded(List.of(new InetSocketAddress(InetAddress.getByAddress(host, here), port)));
                } catch (UnknownHostException e) {
                    promise.failed(e);
                }
            } else {
                promise.failed(new IllegalArgumentException("only *.localhost in this test: " + host));
            }
        });
        http.start();
        return http;
    }

    String url(String label) {
        return "https://" + label + ".localhost:" + server.publicPort() + "/";
    }

    /** Calls this node's admin API with its own credential; returns the JSON answer (null for none), failing on an error status. */
    JsonNode api(String method, String path, Object body) throws Exception {
        var req = http.newRequest(URI.create(server.adminUrl() + "/api/v1/" + path)).method(method).timeout(30, TimeUnit.SECONDS)
                .headers(h -> h.put("Authorization", "Bearer " + adminToken));
        if (body != null) {
            req.body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(body)));
        }
        ContentResponse r = req.send();
        assertThat(r.getStatus()).as(method + " " + path + ": " + r.getContentAsString()).isBetween(200, 299);
        return r.getContent().length == 0 ? null : Json.MAPPER.readTree(r.getContent());
    }

    /** Registers a connector of {@code group} through this node (it pins this node's CA) and starts it with one tunnel. */
    Connector startConnector(Path stateDir, String group) throws Exception {
        JsonNode t = api("POST", "registration-tokens", new RegistrationTokenRequest(group, 10));
        Registration.register(URI.create(server.adminUrl()), t.get("token").asText(), t.get("serverCaSha256").asText(), "test")
                .save(stateDir);
        Connector c = Connector.start(new Connector.Options(stateDir, 1, Optional.empty(), Duration.ofSeconds(10)));
        // Its tunnel to this node. The connector also learns the other node from the node list (docs/scale-out.md) but
        // cannot reach it: the nodes here have their own keys (no cluster key) and node A listens on 127.0.0.2, where
        // connectors' *.localhost does not lead. The changes under test are made through node A's admin API only.
        URI here = URI.create("wss://admin.localhost:" + server.tunnelPort() + "/connector/v1/tunnel");
        Await.until("the connector's tunnel to " + here, Duration.ofSeconds(30), () -> c.connectedByNode().getOrDefault(here, 0) > 0);
        return c;
    }

    /** The change notifications this node received for {@code topic}. */
    double notified(Topic topic) {
        Counter c = server.metrics().registry().find(ProxyMeter.CHANGE_NOTIFICATIONS.meterName()).tag("topic", topic.wireName()).counter();
        return c == null ? 0 : c.count();
    }

    /** Whether this node listens for changes now. */
    boolean listening() {
        Gauge g = server.metrics().registry().find(ProxyMeter.CHANGE_LISTENER_UP.meterName()).gauge();
        return g != null && g.value() == 1;
    }

    @Override
    public void close() throws Exception {
        http.stop();
        server.close();
    }
}
