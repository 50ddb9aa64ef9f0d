package dev.drawbridge.testsupport.stack;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminClientException;
import dev.drawbridge.adminclient.HttpAdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.http.OutboundProxy;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.connector.identity.EndpointLookup;
import dev.drawbridge.connector.identity.Registration;
import dev.drawbridge.connector.tunnel.ConnectorRefusedException;
import dev.drawbridge.connector.tunnel.TransportChoice;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.web.Json;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * A whole Drawbridge on one machine, for the demo and the system tests: the proxy server (H2 in a
 * data directory), connectors registered through the real registration flow, and an admin API
 * client. Everything binds to loopback; ports may be 0 (ephemeral).
 */
public final class DrawbridgeStack implements AutoCloseable {
    private final Options options;
    private ProxyServer server;
    private String adminToken;
    private HttpClient http;
    private HttpAdminApi adminApi;
    private final List<Connector> connectors = new ArrayList<>();
    /** The ports of a server stopped by {@link #stopServer()}, until it starts again. */
    private int[] stoppedPorts;
    /** Changes the server's configuration before each start (a cluster node's database, its advertised tunnel URL). */

    /** What the stack changes in the server's configuration beyond its options (a node of a cluster: database, cluster key). */
    private final UnaryOperator<ServerConfig> configure;

    private DrawbridgeStack(Options options, UnaryOperator<ServerConfig> configure) {
        this.options = options;
        this.configure = configure;
    }

    /**
     * How to start a stack.
     *
     * @param clock    the server's clock (tests move it to expire tokens or age connectors)
     * @param timeouts what DEFAULT and LONG backend timeouts mean
     * @param proxies  trusted proxies in front of the public listener (none unless a test sets them)
     * @param connectorTransport how the connectors this stack starts choose their tunnel transport (default: the system
     *                 property {@value TransportChoice#PROPERTY}, else auto), so the transport-touching tests run under each
     */
    public record Options(Path dataDir, String bind, int publicPort, int tunnelPort, Duration heartbeat,
                          Optional<String> knownAdminToken, Clock clock, ServerConfig.BackendTimeouts timeouts,
                          ServerConfig.Throttling throttling, ServerConfig.Proxies proxies, TransportChoice.Mode connectorTransport) {
        public Options {
            connectorTransport = connectorTransport == null ? TransportChoice.Mode.fromSystemProperty() : connectorTransport;
        }

        /** Options whose connectors use the transport of the system property {@value TransportChoice#PROPERTY}, else auto. */
        public Options(Path dataDir, String bind, int publicPort, int tunnelPort, Duration heartbeat, Optional<String> knownAdminToken,
                       Clock clock, ServerConfig.BackendTimeouts timeouts, ServerConfig.Throttling throttling, ServerConfig.Proxies proxies) {
            this(dataDir, bind, publicPort, tunnelPort, heartbeat, knownAdminToken, clock, timeouts, throttling, proxies, null);
        }

        /**
         * Loopback, ephemeral ports, 2 s heartbeat (a loaded 2-core box can stall for seconds), system clock,
         * standard timeouts: what system tests use.
         */
        public static Options forTests(Path dataDir) {
            return new Options(dataDir, "127.0.0.1", 0, 0, Duration.ofSeconds(2), Optional.empty(), Clock.systemUTC(),
                    ServerConfig.BackendTimeouts.STANDARD, ServerConfig.Throttling.DEFAULTS, ServerConfig.Proxies.NONE);
        }

        public Options withClock(Clock c) {
            return new Options(dataDir, bind, publicPort, tunnelPort, heartbeat, knownAdminToken, c, timeouts, throttling, proxies, connectorTransport);
        }

        public Options withTimeouts(ServerConfig.BackendTimeouts t) {
            return new Options(dataDir, bind, publicPort, tunnelPort, heartbeat, knownAdminToken, clock, t, throttling, proxies, connectorTransport);
        }

        public Options withThrottling(ServerConfig.Throttling t) {
            return new Options(dataDir, bind, publicPort, tunnelPort, heartbeat, knownAdminToken, clock, timeouts, t, proxies, connectorTransport);
        }

        public Options withProxies(ServerConfig.Proxies p) {
            return new Options(dataDir, bind, publicPort, tunnelPort, heartbeat, knownAdminToken, clock, timeouts, throttling, p, connectorTransport);
        }

        /** Connectors started by the stack dial with this transport choice ({@code --tunnel-transport}). */
        public Options withConnectorTransport(TransportChoice.Mode mode) {
            return new Options(dataDir, bind, publicPort, tunnelPort, heartbeat, knownAdminToken, clock, timeouts, throttling, proxies, mode);
        }

        /** For a second server on the same data directory (another node), whose credential is no longer new. */
        public Options withKnownAdminToken(String token) {
            return new Options(dataDir, bind, publicPort, tunnelPort, heartbeat, Optional.of(token), clock, timeouts, throttling, proxies,
                    connectorTransport);
        }
    }

    /** Starts the server; the admin credential is captured on first start (or taken from the options). */
    public static DrawbridgeStack start(Options o) throws Exception {
        return start(o, UnaryOperator.identity());
    }

    /** As {@link #start(Options)}, the server's configuration changed by {@code configure} (e.g. one node of a cluster). */
    public static DrawbridgeStack start(Options o, UnaryOperator<ServerConfig> configure) throws Exception {
        DrawbridgeStack s = new DrawbridgeStack(o, configure);
        s.startServer(o.publicPort(), o.tunnelPort());
        s.adminToken = s.server.newAdminToken().or(o::knownAdminToken)
                .orElseThrow(() -> new IllegalStateException("the admin credential of " + o.dataDir() + " is unknown"));
        return s;
    }

    private void startServer(int publicPort, int tunnelPort) throws Exception {
        // A management listener (metrics, health) on a free loopback port: ProxyServer#managementPort.
        server = ProxyServer.start(configure.apply(ServerConfig.defaults(options.dataDir()).withPorts(options.bind(), publicPort, tunnelPort)
                .withHeartbeat(options.heartbeat()).withTimeouts(options.timeouts()).withThrottling(options.throttling())
                .withProxies(options.proxies()).withManagement(ServerConfig.Management.on("127.0.0.1", 0))), options.clock());
        if (http != null) {
            http.stop();
        }
        http = Https.client(server.serverCaCertificate());
        if (adminApi != null) {
            // The admin URL may have a new port: the next adminApi() call makes a client for it.
            adminApi.close();
            adminApi = null;
        }
    }

    /** Stops the server and starts it again on the same ports and data (connectors keep running). */
    public void restartServer() throws Exception {
        restartServer(server.publicPort(), server.tunnelPort());
    }

    /** Stops the server and starts it again on these ports (0: a new ephemeral one) and the same data. */
    public void restartServer(int publicPort, int tunnelPort) throws Exception {
        server.close();
        startServer(publicPort, tunnelPort);
    }

    /**
     * Stops the server, keeping its ports and data for {@link #startServerAgain()}; connectors keep running and keep
     * trying to reconnect.
     */
    public void stopServer() throws Exception {
        stoppedPorts = new int[]{server.publicPort(), server.tunnelPort()};
        server.close();
    }

    /** Starts the server stopped by {@link #stopServer()} again, on the same ports and data. */
    public void startServerAgain() throws Exception {
        if (stoppedPorts == null) {
            throw new IllegalStateException("the server was not stopped with stopServer()");
        }
        startServer(stoppedPorts[0], stoppedPorts[1]);
        stoppedPorts = null;
    }

    public ProxyServer server() {
        return server;
    }

    public String adminToken() {
        return adminToken;
    }

    /** A client trusting the server CA and resolving *.localhost; shared, do not stop it. */
    public HttpClient http() {
        return http;
    }

    public URI adminUrl() {
        return URI.create(server.adminUrl());
    }

    /** An external URL on this server: https://&lt;label&gt;.localhost:&lt;port&gt;/. */
    public String externalUrl(String label) {
        return "https://" + label + ".localhost:" + server.publicPort() + "/";
    }

    /** The typed admin API client, signed in as the bootstrap admin; shared (closed with the stack), do not close it. */
    public synchronized AdminApi adminApi() throws Exception {
        if (adminApi == null) {
            adminApi = adminApi(() -> adminToken);
        }
        return adminApi;
    }

    /**
     * A new typed admin API client trusting the server CA, with this bearer credential (null or blank: none, e.g. to
     * sign in); the caller closes it.
     */
    public HttpAdminApi adminApi(String token) throws Exception {
        return adminApi(() -> token);
    }

    private HttpAdminApi adminApi(Supplier<String> token) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server-ca", server.serverCaCertificate());
        return HttpAdminApi.to(adminUrl()).trust(trust).token(token).timeout(Duration.ofSeconds(30)).build();
    }

    /** Calls the admin API; returns status and JSON body (null for 204). For tests of raw requests: others use {@link #adminApi()}. */
    public ApiAnswer api(String method, String path, Object body) throws Exception {
        var req = http.newRequest(adminUrl().resolve("/api/v1/" + path)).method(method).timeout(30, TimeUnit.SECONDS)
                .headers(h -> h.put("Authorization", "Bearer " + adminToken));
        if (body != null) {
            req.body(new StringRequestContent("application/json",
                    body instanceof String s ? s : Json.MAPPER.writeValueAsString(body)));
        }
        ContentResponse r = req.send();
        JsonNode json = r.getContent().length == 0 ? null : Json.MAPPER.readTree(r.getContent());
        return new ApiAnswer(r.getStatus(), json);
    }

    /** Status and body of an admin API call. */
    public record ApiAnswer(int status, JsonNode body) {
    }

    /** Publishes (or re-points, if the name exists) a passthrough app; returns its external URL. */
    public String publish(String name, String label, URI internalUrl) throws Exception {
        return publish(name, label, internalUrl, PreAuthentication.PASSTHROUGH);
    }

    /** Publishes (or re-points) an app with the given pre-authentication; returns its external URL. */
    public String publish(String name, String label, URI internalUrl, PreAuthentication preAuth) throws Exception {
        AppSpec spec = new AppSpec(name, externalUrl(label), internalUrl.toString(), null, null, null, preAuth);
        AdminApi api = adminApi();
        try {
            for (AppView app : api.apps().list(Paging.LARGEST).items()) {
                if (app.name().equals(name)) {
                    api.apps().replace(app.id(), spec);
                    return externalUrl(label);
                }
            }
            api.apps().create(spec);
        } catch (AdminClientException e) {
            throw new IllegalStateException("cannot publish " + name + ": " + e.getMessage(), e);
        }
        return externalUrl(label);
    }

    /** A fresh registration token for a group (null: the default group): the token and the CA pin. */
    public RegistrationTokenView registrationToken(String group, int ttlMinutes) throws Exception {
        return adminApi().connectors().createRegistrationToken(new RegistrationTokenRequest(group, ttlMinutes));
    }

    /** Registers a connector (unless {@code stateDir} already holds an identity) and starts it. */
    public Connector startConnector(Path stateDir, int tunnels) throws Exception {
        return startConnector(stateDir, tunnels, Optional.empty());
    }

    /**
     * As {@link #startConnector(Path, int)}, trusting an extra CA (PEM file) for https internal apps. A connector
     * registered with this server on other ports is pointed at the current admin URL first, as an operator does with
     * {@code drawbridge-connector set-server}; one registered with another server (another CA) fails with
     * {@link EndpointLookup.LookupException} ({@code UNTRUSTED}), one the server refuses with {@link ConnectorRefusedException}.
     */
    public Connector startConnector(Path stateDir, int tunnels, Optional<Path> upstreamCa) throws Exception {
        return startConnector(stateDir, tunnels, upstreamCa, true, Optional.empty());
    }

    /**
     * As {@link #startConnector(Path, int)}, a connector that reaches this server only through the HTTP forward proxy
     * {@code proxy}: registration, the tunnel URL lookup and the tunnels go through it, as {@code drawbridge-connector
     * register --outbound-proxy} then {@code run} do.
     */
    public Connector startConnectorThrough(OutboundProxy proxy, Path stateDir, int tunnels) throws Exception {
        return startConnector(stateDir, tunnels, Optional.empty(), true, Optional.of(proxy));
    }

    /**
     * As {@link #startConnector(Path, int)}, a connector that does not announce single sign-on on its tunnels, as the
     * connectors before issue 10: the server must still serve it, sending it neither keys nor identities.
     */
    public Connector startConnectorWithoutSso(Path stateDir, int tunnels) throws Exception {
        return startConnector(stateDir, tunnels, Optional.empty(), false, Optional.empty());
    }

    private Connector startConnector(Path stateDir, int tunnels, Optional<Path> upstreamCa, boolean sso, Optional<OutboundProxy> proxy)
            throws Exception {
        if (!ConnectorIdentity.exists(stateDir)) {
            RegistrationTokenView t = registrationToken(null, 10);
            Registration.register(adminUrl(), t.token(), t.serverCaSha256(), "test", proxy)
                    .save(stateDir);
        } else {
            followServer(stateDir);
        }
        Connector.Options o = new Connector.Options(stateDir, tunnels, upstreamCa, options.heartbeat(), proxy, options.connectorTransport());
        Connector c = sso ? Connector.start(o) : Connector.startWithoutSso(o);
        try {
            c.awaitConnected(Duration.ofSeconds(30));
        } catch (Exception e) {
            c.kill();
            throw e;
        }
        connectors.add(c);
        // The connector's side can see the upgrade complete a moment before the server registered the tunnel.
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (server.registry().tunnelCount(c.connectorId()) < tunnels && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return c;
    }

    /** What {@code drawbridge-connector set-server} does: a stored identity whose server URL is not this server's is re-pointed. */
    private void followServer(Path stateDir) throws Exception {
        ConnectorIdentity id = ConnectorIdentity.load(stateDir);
        String admin = adminUrl().toString();
        if (!id.serverUrl().equals(admin)) {
            id.withEndpoints(admin, EndpointLookup.tunnelUrl(adminUrl(), id.serverCa(), Duration.ofSeconds(10))).save(stateDir);
        }
    }

    public Path dataDir() {
        return options.dataDir();
    }

    /** How this stack was started (its connectors' transport choice among it). */
    public Options options() {
        return options;
    }

    /** Connectors started by this stack (stopped by {@link #close()}). */
    public List<Connector> connectors() {
        return List.copyOf(connectors);
    }

    @Override
    public void close() throws Exception {
        for (Connector c : connectors) {
            try {
                c.close();
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (http != null) {
            http.stop();
        }
        if (adminApi != null) {
            adminApi.close();
        }
        if (stoppedPorts == null) {
            server.close();
        }
    }

    public static Path tempDir(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    /** Creates a directory user (no e-mail, no department) through the typed admin API, as the bootstrap admin. */
    public UserView createUser(String upn, String displayName, String password) throws Exception {
        return adminApi().users().create(new UserSpec(upn, displayName, null, null, password));
    }

    /** The directory user with this UPN, found through the typed admin API's search; fails if there is none. */
    public UserView user(String upn) throws Exception {
        return adminApi().users().list(Paging.LARGEST, new Users.Search(upn)).items().stream()
                .filter(u -> u.upn().equalsIgnoreCase(upn)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no user " + upn));
    }
}
