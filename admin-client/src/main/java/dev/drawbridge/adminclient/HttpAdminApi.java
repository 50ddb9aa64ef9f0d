package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AdminTokenResponse;
import dev.drawbridge.model.api.MeView;
import dev.drawbridge.model.http.LocalhostNames;
import dev.drawbridge.model.tls.TlsProfile;

import java.net.URI;
import java.net.http.HttpClient;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManagerFactory;

/**
 * {@link AdminApi} over HTTPS with the JDK's {@link HttpClient} and Jackson.
 *
 * <ul>
 *   <li>TLS is Mozilla's intermediate profile ({@link TlsProfile}), as the server's listeners and the connector use it:
 *       the admin's password and bearer credential travel over this connection.</li>
 *   <li>Trust: the given key store (the server's CA) or, without one, the JDK's default trust store; the certificate
 *       must name the host (HTTPS endpoint identification).</li>
 *   <li>{@code *.localhost} names reach loopback ({@link LocalhostResolverProvider}), keeping the name for SNI, the
 *       Host header and the certificate check.</li>
 *   <li>The bearer credential comes from a {@link Supplier} on every call (it may change after a new sign-in) and is
 *       never sent to the sign-in itself; redirects are never followed, so it cannot be carried to another host; plain
 *       {@code http://} is refused but for loopback hosts ({@link LocalhostNames#isLoopback}: loopback IP literals,
 *       {@code localhost} and {@code *.localhost}, never a DNS name that merely looks like one).</li>
 *   <li>A hostile or broken server cannot hang or flood the client: each call has one deadline for the whole
 *       exchange ({@link Builder#timeout}), and a body is read into memory only up to a cap (16 MiB of JSON, 512 KiB
 *       of icon, 1 MiB of problem document), a larger Content-Length refused before reading.</li>
 *   <li>Failures: {@link AdminApiException} (problem document), {@link ServerUnreachableException} (why nothing
 *       answered), {@link UnexpectedAnswerException} (not the admin API).</li>
 * </ul>
 */
public final class HttpAdminApi implements AdminApi, AutoCloseable {
    private final HttpClient http;
    private final URI server;
    private final AdminApi session;
    private final Apps apps;
    private final ConnectorGroups connectorGroups;
    private final Connectors connectors;
    private final ConnectorUpdates connectorUpdates;
    private final Certificates certificates;
    private final Domains domains;
    private final OAuthClients oauthClients;
    private final Users users;
    private final Groups groups;
    private final AccessRequests accessRequests;
    private final DirectorySync directorySync;
    private final IdentityProviders identityProviders;
    private final Policies policies;
    private final NamedLocations namedLocations;
    private final Logs logs;

    private HttpAdminApi(Builder b) {
        this.server = b.server;
        HttpClient.Builder hb = HttpClient.newBuilder().sslContext(b.sslContext()).sslParameters(b.sslParameters)
                .connectTimeout(b.timeout).followRedirects(HttpClient.Redirect.NEVER).version(HttpClient.Version.HTTP_1_1);
        if (LocalhostNames.isLoopback(server.getHost())) {
            // This machine is never reached through the JVM's proxy: plain http (allowed only here) would hand it the
            // credential, and it would resolve *.localhost with its own DNS. A remote admin host may need the proxy.
            hb.proxy(HttpClient.Builder.NO_PROXY);
        }
        this.http = hb.build();
        Transport t = new Transport(http, server, b.token, b.timeout, b.userAgent);
        String s = Unreachable.hostPort(server);
        this.session = OperationInvoker.implement(AdminApi.class, t, s);
        this.apps = OperationInvoker.implement(Apps.class, t, s);
        this.connectorGroups = OperationInvoker.implement(ConnectorGroups.class, t, s);
        this.connectors = OperationInvoker.implement(Connectors.class, t, s);
        this.connectorUpdates = OperationInvoker.implement(ConnectorUpdates.class, t, s);
        this.certificates = OperationInvoker.implement(Certificates.class, t, s);
        this.domains = OperationInvoker.implement(Domains.class, t, s);
        this.oauthClients = OperationInvoker.implement(OAuthClients.class, t, s);
        this.users = OperationInvoker.implement(Users.class, t, s);
        this.groups = OperationInvoker.implement(Groups.class, t, s);
        this.accessRequests = OperationInvoker.implement(AccessRequests.class, t, s);
        this.directorySync = OperationInvoker.implement(DirectorySync.class, t, s);
        this.identityProviders = OperationInvoker.implement(IdentityProviders.class, t, s);
        this.policies = OperationInvoker.implement(Policies.class, t, s);
        this.namedLocations = OperationInvoker.implement(NamedLocations.class, t, s);
        this.logs = OperationInvoker.implement(Logs.class, t, s);
    }

    /** A client of the admin API at {@code server} ({@code https://admin.<domain>:<port>}), to configure and build. */
    public static Builder to(URI server) {
        return new Builder(server);
    }

    /** The admin URL this client calls. */
    public URI server() {
        return server;
    }

    @Override
    public AdminTokenResponse signIn(AdminTokenRequest credentials) throws AdminClientException {
        return session.signIn(credentials);
    }

    @Override
    public MeView me() throws AdminClientException {
        return session.me();
    }

    @Override
    public Apps apps() {
        return apps;
    }

    @Override
    public ConnectorGroups connectorGroups() {
        return connectorGroups;
    }

    @Override
    public Connectors connectors() {
        return connectors;
    }

    @Override
    public ConnectorUpdates connectorUpdates() {
        return connectorUpdates;
    }

    @Override
    public Certificates certificates() {
        return certificates;
    }

    @Override
    public Domains domains() {
        return domains;
    }

    @Override
    public OAuthClients oauthClients() {
        return oauthClients;
    }

    @Override
    public Users users() {
        return users;
    }

    @Override
    public Groups groups() {
        return groups;
    }

    @Override
    public AccessRequests accessRequests() {
        return accessRequests;
    }

    @Override
    public DirectorySync directorySync() {
        return directorySync;
    }

    @Override
    public IdentityProviders identityProviders() {
        return identityProviders;
    }

    @Override
    public Policies policies() {
        return policies;
    }

    @Override
    public NamedLocations namedLocations() {
        return namedLocations;
    }

    @Override
    public Logs logs() {
        return logs;
    }

    /** Ends the client's connections and threads; calls in flight fail. */
    @Override
    public void close() {
        http.shutdownNow();
    }

    @Override
    public String toString() {
        return "HttpAdminApi[" + server + "]";
    }

    /** How an {@link HttpAdminApi} connects; {@link #build()} makes it. */
    public static final class Builder {
        private final URI server;
        private KeyStore trust;
        private Supplier<String> token = () -> null;
        private Duration timeout = Duration.ofSeconds(30);
        private String userAgent = "drawbridge-admin-client/0.1.0";
        private final SSLParameters sslParameters = new SSLParameters();

        private Builder(URI server) {
            Objects.requireNonNull(server, "server");
            String scheme = server.getScheme() == null ? "" : server.getScheme().toLowerCase(Locale.ROOT);
            if (server.getHost() == null || !(scheme.equals("https") || scheme.equals("http"))) {
                throw new IllegalArgumentException("server '" + server + "' is not an https URL such as https://admin.example.com:8443");
            }
            if (scheme.equals("http") && !LocalhostNames.isLoopback(server.getHost())) {
                throw new IllegalArgumentException("refusing plain http to " + server.getHost()
                        + ": credentials would travel unencrypted; use https://");
            }
            this.server = server;
        }

        /** The CAs to trust (the server's CA); without this, the JDK's default trust store. */
        public Builder trust(KeyStore caCertificates) {
            this.trust = Objects.requireNonNull(caCertificates, "caCertificates");
            return this;
        }

        /** The bearer credential of each call (null or blank: none). */
        public Builder token(Supplier<String> bearer) {
            this.token = Objects.requireNonNull(bearer, "bearer");
            return this;
        }

        /** A fixed bearer credential. */
        public Builder token(String bearer) {
            return token(() -> bearer);
        }

        /** How long one call may take in all: connecting, the answer's headers and its whole body (default 30 s). */
        public Builder timeout(Duration t) {
            if (t == null || t.isNegative() || t.isZero()) {
                throw new IllegalArgumentException("timeout must be positive");
            }
            this.timeout = t;
            return this;
        }

        /** The User-Agent the calls carry (the audit log's readers see it). */
        public Builder userAgent(String agent) {
            this.userAgent = Objects.requireNonNull(agent, "agent");
            return this;
        }

        public HttpAdminApi build() {
            return new HttpAdminApi(this);
        }

        private SSLContext sslContext() {
            try {
                TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(trust);
                SSLContext ctx = SSLContext.getInstance("TLS");
                ctx.init(null, tmf.getTrustManagers(), null);
                SSLParameters defaults = TlsProfile.restrict(ctx.getDefaultSSLParameters());
                sslParameters.setProtocols(defaults.getProtocols());
                sslParameters.setCipherSuites(defaults.getCipherSuites());
                sslParameters.setNamedGroups(defaults.getNamedGroups());
                sslParameters.setAlgorithmConstraints(new ProfileGroups());
                return ctx;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException("this JVM cannot set up TLS: " + e.getMessage(), e);
            }
        }
    }
}
