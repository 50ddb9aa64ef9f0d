package dev.drawbridge.proxy;

import dev.drawbridge.model.operations.HealthReport;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.TunnelCiphers;
import dev.drawbridge.proxy.admin.AdminApiHandler;
import dev.drawbridge.proxy.admin.AdminAuth;
import dev.drawbridge.proxy.admin.AdminResources;
import dev.drawbridge.proxy.admin.AdminRoleStore;
import dev.drawbridge.proxy.admin.RolesApi;
import dev.drawbridge.proxy.admin.SessionApi;
import dev.drawbridge.proxy.admin.apps.AppAccessApi;
import dev.drawbridge.proxy.admin.apps.AppIconsApi;
import dev.drawbridge.proxy.admin.apps.AppPathsApi;
import dev.drawbridge.proxy.admin.apps.AppSamlApi;
import dev.drawbridge.proxy.admin.apps.AppSsoApi;
import dev.drawbridge.proxy.admin.apps.AppSsoPreviewApi;
import dev.drawbridge.proxy.admin.apps.AppTester;
import dev.drawbridge.proxy.admin.apps.AppsApi;
import dev.drawbridge.proxy.admin.apps.SharedCredentialApi;
import dev.drawbridge.proxy.admin.certificates.CertificatesApi;
import dev.drawbridge.proxy.admin.certificates.ServerCertificateApi;
import dev.drawbridge.proxy.admin.connectors.ConnectorGroupsApi;
import dev.drawbridge.proxy.admin.connectors.ConnectorUpdatesApi;
import dev.drawbridge.proxy.admin.connectors.ConnectorsApi;
import dev.drawbridge.proxy.admin.connectors.GroupKerberosApi;
import dev.drawbridge.proxy.admin.connectors.RegistrationTokensApi;
import dev.drawbridge.proxy.admin.connectors.RolloutApi;
import dev.drawbridge.proxy.admin.directory.AccessRequestsApi;
import dev.drawbridge.proxy.admin.directory.DirectorySyncApi;
import dev.drawbridge.proxy.admin.directory.DirectoryViews;
import dev.drawbridge.proxy.admin.directory.GroupsApi;
import dev.drawbridge.proxy.admin.directory.IdentityProvidersApi;
import dev.drawbridge.proxy.admin.directory.UsersApi;
import dev.drawbridge.proxy.admin.domains.DomainsApi;
import dev.drawbridge.proxy.admin.keys.SigningKeysApi;
import dev.drawbridge.proxy.admin.logs.AuditLogsApi;
import dev.drawbridge.proxy.admin.logs.ConnectorEventsApi;
import dev.drawbridge.proxy.admin.logs.SignInLogsApi;
import dev.drawbridge.proxy.admin.logs.StatsApi;
import dev.drawbridge.proxy.admin.oauth.OAuthClientsApi;
import dev.drawbridge.proxy.admin.policy.NamedLocationsApi;
import dev.drawbridge.proxy.admin.policy.PoliciesApi;
import dev.drawbridge.proxy.apps.AppIcons;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.AppService;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.AppValidator;
import dev.drawbridge.proxy.apps.PathPolicyStore;
import dev.drawbridge.proxy.apps.PathPolicyTable;
import dev.drawbridge.proxy.apps.PathPolicyValidator;
import dev.drawbridge.proxy.apps.Routes;
import dev.drawbridge.proxy.backup.BackupRoute;
import dev.drawbridge.proxy.backup.LocalControl;
import dev.drawbridge.proxy.cluster.NodeAnnouncer;
import dev.drawbridge.proxy.cluster.NodeRegistry;
import dev.drawbridge.proxy.cluster.TunnelWarmUp;
import dev.drawbridge.proxy.config.AdvertisedTunnelUrl;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.dispatch.DispatchHandler;
import dev.drawbridge.proxy.dispatch.WebSocketRelay;
import dev.drawbridge.proxy.domains.DomainStore;
import dev.drawbridge.proxy.edge.PublicChain;
import dev.drawbridge.proxy.edge.PublicHttp2;
import dev.drawbridge.proxy.federation.Federation;
import dev.drawbridge.proxy.forwarding.ClientAddressCustomizer;
import dev.drawbridge.proxy.forwarding.ProxyProtocolGate;
import dev.drawbridge.proxy.forwarding.RequestIdCustomizer;
import dev.drawbridge.proxy.forwarding.TrustedProxies;
import dev.drawbridge.proxy.identity.AccessRequests;
import dev.drawbridge.proxy.identity.Directory;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.LdapSync;
import dev.drawbridge.proxy.identity.Mfa;
import dev.drawbridge.proxy.identity.PasswordHasher;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.SignInLimiter;
import dev.drawbridge.proxy.jobs.ClusterJobs;
import dev.drawbridge.proxy.jobs.JobLeases;
import dev.drawbridge.proxy.keys.FileSigningKeys;
import dev.drawbridge.proxy.keys.KeyGenerationFloor;
import dev.drawbridge.proxy.keys.KeyLifecycle;
import dev.drawbridge.proxy.keys.SigningKeySet;
import dev.drawbridge.proxy.keys.SigningKeyStore;
import dev.drawbridge.proxy.keys.SigningKeys;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.logs.LogRetention;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.oauth.OAuthClientStore;
import dev.drawbridge.proxy.oauth.TokenIssuer;
import dev.drawbridge.proxy.operations.Health;
import dev.drawbridge.proxy.operations.ManagementEndpoints;
import dev.drawbridge.proxy.operations.ProxyMetrics;
import dev.drawbridge.proxy.operations.RequestObserver;
import dev.drawbridge.proxy.pki.CertificateStore;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.pki.ExpiryReportingTrustManager;
import dev.drawbridge.proxy.pki.ListenerTls;
import dev.drawbridge.proxy.pki.OwnHosts;
import dev.drawbridge.proxy.pki.ServerCertificateStore;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.pki.SniKeyManager;
import dev.drawbridge.proxy.policy.PathPolicyHandler;
import dev.drawbridge.proxy.policy.PolicyStore;
import dev.drawbridge.proxy.policy.Throttle;
import dev.drawbridge.proxy.policy.ThrottleHandler;
import dev.drawbridge.proxy.policy.ThrottleSync;
import dev.drawbridge.proxy.preauth.AcsSignIn;
import dev.drawbridge.proxy.preauth.AppSignIn;
import dev.drawbridge.proxy.preauth.Assignments;
import dev.drawbridge.proxy.preauth.AuthenticationHandler;
import dev.drawbridge.proxy.preauth.AuthorizationHandler;
import dev.drawbridge.proxy.preauth.LiveDirectory;
import dev.drawbridge.proxy.preauth.LiveSessions;
import dev.drawbridge.proxy.propagation.NodeReloads;
import dev.drawbridge.proxy.propagation.Propagation;
import dev.drawbridge.proxy.registration.EndpointsHandler;
import dev.drawbridge.proxy.registration.RegistrationHandler;
import dev.drawbridge.proxy.registration.RenewalHandler;
import dev.drawbridge.proxy.saml.IdpKeys;
import dev.drawbridge.proxy.saml.SamlAnswers;
import dev.drawbridge.proxy.saml.SamlIdp;
import dev.drawbridge.proxy.saml.SamlSetup;
import dev.drawbridge.proxy.saml.SamlStore;
import dev.drawbridge.proxy.secrets.ClusterKey;
import dev.drawbridge.proxy.secrets.NodeSecrets;
import dev.drawbridge.proxy.secrets.SharedSecrets;
import dev.drawbridge.proxy.secrets.SharedSigningKeys;
import dev.drawbridge.proxy.signin.SignInHandler;
import dev.drawbridge.proxy.signin.SignInService;
import dev.drawbridge.proxy.sso.IdentityTokens;
import dev.drawbridge.proxy.sso.KerberosGroupStore;
import dev.drawbridge.proxy.sso.PasswordDispatch;
import dev.drawbridge.proxy.sso.SsoDispatch;
import dev.drawbridge.proxy.sso.preview.SsoPreviews;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.SecretFiles;
import dev.drawbridge.proxy.translation.LinkTranslations;
import dev.drawbridge.proxy.tunnel.ConnectorEvents;
import dev.drawbridge.proxy.tunnel.ConnectorPicker;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.tunnel.ExpiredCertificateLog;
import dev.drawbridge.proxy.tunnel.GroupConfigs;
import dev.drawbridge.proxy.tunnel.GroupMaintenances;
import dev.drawbridge.proxy.tunnel.TunnelHandler;
import dev.drawbridge.proxy.tunnel.TunnelSockets;
import dev.drawbridge.proxy.update.BundleUploads;
import dev.drawbridge.proxy.update.Rollouts;
import dev.drawbridge.proxy.update.UpdateEndpoints;
import dev.drawbridge.proxy.update.UpdateKey;
import dev.drawbridge.proxy.update.UpdateStore;
import dev.drawbridge.proxy.vault.Vault;
import dev.drawbridge.proxy.vault.VaultStore;
import dev.drawbridge.proxy.web.DrainHandler;
import dev.drawbridge.proxy.web.ErrorPageHandler;
import dev.drawbridge.proxy.web.HandshakeDeadline;
import dev.drawbridge.proxy.web.ListenerLimit;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.server.ConnectionFactory;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.eclipse.jetty.websocket.server.ServerWebSocketContainer;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The proxy server's composition root. Two TLS listeners on one Jetty server:
 * <pre>
 *   public port  ── TLS (SNI: server and app certificates) ─┐
 *   tunnel port  ── mutual TLS (connector CA) ───────────────┴─▶ RequestObserver (request id, metrics, access log)
 *                                                                 ▶ PublicChain (host routing → admin host, sign-in host,
 *                                                                 the app chain; the tunnel port only reaches TunnelHandler)
 *   management port ── plain HTTP, loopback by default ─▶ BackupRoute (POST /local/backup, with the LocalControl token)
 *                                                        ▶ ManagementEndpoints (/metrics, /health/live, /health/ready)
 * </pre>
 * The handler chain is drawn and assembled in {@link PublicChain}. Every handler runs on a virtual thread.
 */
public final class ProxyServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ProxyServer.class);
    /** Lifetime of the identity assertion forwarded with each request. */
    private static final Duration ASSERTION_TTL = Duration.ofSeconds(60);
    /** How long a health check (a database query, a task on the request executor) may take before it counts as down. */
    private static final Duration HEALTH_TIMEOUT = Duration.ofSeconds(2);
    /** The longest a node joining a cluster waits for the connectors online there before it is ready. */
    static final Duration WARM_UP_CAP = Duration.ofSeconds(20);
    /**
     * How long a public connection without a request must have been silent for a stopping node to close it: a client is no
     * likelier to send at that instant than at an idle timeout (which clients and balancers retry); a connection busier than
     * that gets {@code Connection: close} on its next answer instead.
     */
    private static final Duration IDLE_QUIET = Duration.ofMillis(250);
    /**
     * How long a drain lets a connection finish sending a request's headers: then one still in the middle of them (a client
     * dribbling them, holding the drain to its stop timeout) is closed.
     */
    private static final Duration HEADERS_GRACE = Duration.ofMillis(1500);
    /** How often a drain looks at the public connections left. */
    private static final Duration DRAIN_CHECK = Duration.ofMillis(25);
    /** The largest buffer the server's pool keeps: a whole tunnel DATA frame as Jetty aggregates it (64 KiB + header). */
    private static final int POOLED_BUFFER_MAX = 128 * 1024;

    private final ServerConfig config;
    private final ServerKeys keys;
    private final Database db;
    private final Server server;
    private final ConnectorRegistry registry;
    private final Propagation propagation;
    /** The listeners' accept queue (listen backlog), as nginx's 511 and more: see {@link #listener}. */
    static final int ACCEPT_QUEUE = 1024;
    private final ServerConnector publicConnector;
    private final ServerConnector tunnelConnector;
    private final SniKeyManager sniKeys;
    /** The tunnel listener's own: only server-CA certificates, which connectors pin. */
    private final SniKeyManager tunnelKeys;
    private final LdapSync ldapSync;
    /** The management listener (metrics, health), when configured. */
    private final Optional<ServerConnector> managementConnector;
    private final ProxyMetrics metrics = new ProxyMetrics();
    private final Health health;
    private final LocalControl localControl;
    /** Inactive-connector removal, directory sync and log retention: once across the cluster (docs/scale-out.md). */
    private final ClusterJobs jobs;
    /** With PostgreSQL: this node's share of every throttle, so that the limits hold across the cluster. */
    private final Optional<ThrottleSync> throttleSync;
    /** This node among those sharing the database, and the live nodes' tunnel URLs (docs/scale-out.md). */
    private final NodeRegistry nodes;
    private final NodeAnnouncer announcer;
    /** The app chain, counting the requests in flight that a stopping node lets finish. */
    private final DrainHandler inFlight;
    /** This node's heartbeat in the node list and the list's announcements to connectors. */
    private final ScheduledExecutorService refresher;

    private ProxyServer(ServerConfig config, Clock clock) throws Exception {
        this.config = config.validated();
        // Keys, secrets and the embedded database live here: owner-only (0700), also when an older version made it 0755.
        SecretFiles.directory(config.dataDir());
        NodeSecrets secrets;
        // Where the signing key sets are rotated: the cluster's database rows, or this node's files.
        SigningKeyStore keyStore = new FileSigningKeys(config.dataDir());
        if (config.cluster().sharesSecrets()) {
            // A cluster's nodes share their keys through the database: it is opened first (docs/scale-out.md).
            ClusterKey clusterKey = config.cluster().resolveKey().orElseThrow();
            this.db = Database.postgres(config.databaseUrl().orElseThrow());
            secrets = closingOnFailure(db, () -> SharedSecrets.load(db, clusterKey, config.dataDir(), clock));
            keyStore = new SharedSigningKeys(db, clusterKey, clock);
        } else if (config.databaseUrl().isPresent()) {
            // One node on PostgreSQL: its own keys, unless the database already holds a cluster's (refused before any key is made).
            this.db = Database.postgres(config.databaseUrl().get());
            secrets = closingOnFailure(db, () -> {
                SharedSecrets.refuseWithoutKey(db);
                return NodeSecrets.files(config.dataDir(), clock);
            });
        } else {
            // As always: the server's keys, then the embedded database, then the data key (DatabaseMarker reads a data key
            // beside a db/ folder as a database migrated before: it must not be written first).
            ServerKeys own = ServerKeys.loadOrCreate(config.dataDir(), clock);
            this.db = Database.h2(config.dataDir());
            secrets = new NodeSecrets(own, DataKey.loadOrCreate(config.dataDir()), UpdateKey.loadOrCreate(config.dataDir(), clock));
        }
        this.keys = secrets.keys();
        // Never older signing key sets than this node held before (a row or file put back): refused before any listener opens.
        KeyGenerationFloor keyFloor = new KeyGenerationFloor(config.dataDir());
        closingOnFailure(db, () -> {
            keyFloor.admit(KeyGenerationFloor.Generations.of(keys.signingKeys(), keys.ssoSigningKeys()));
            return null;
        });
        OwnHosts ownHosts = new OwnHosts(config.adminHost(), config.loginHost());
        this.sniKeys = SniKeyManager.forPublicListener(keys.serverCa(), config.domain(), ownHosts);
        this.tunnelKeys = SniKeyManager.issuedOnly(keys.serverCa(), config.domain(), ownHosts);
        ConnectorStore connectorStore = new ConnectorStore(db);
        connectorStore.ensureDefaultGroup(clock.instant());
        AppStore appStore = new AppStore(db);
        Routes routes = new Routes(appStore);
        PathPolicyStore pathPolicyStore = new PathPolicyStore(db);
        PathPolicyTable pathPolicies = new PathPolicyTable(pathPolicyStore);
        this.registry = new ConnectorRegistry(connectorStore, clock, config.heartbeat());
        registry.budgets(config.tunnelWindows().flowControl(), config.tunnelWindows().pinnedInput());

        VirtualThreadPool threads = new VirtualThreadPool();
        threads.setName("drawbridge");
        // No cap on concurrent tasks (Jetty's default is 200): requests waiting for an app's answer hold their task, and
        // the tasks that read the tunnels bringing those answers queued behind them, so 200 slow requests stalled every
        // tunnel until its heartbeat timed out (ConcurrencyTest: 500 concurrent requests, 502s, "missed heartbeats").
        // What bounds the load is the throttles and the listeners' connection limits (ListenerLimit), not a pool that
        // deadlocks when full.
        threads.setMaxConcurrentTasks(0);
        // Buffers up to 128 KiB are pooled: a tunnel DATA frame (64 KiB and its header) is one WebSocket message that Jetty
        // aggregates into a buffer just over the default pool's 64 KiB limit, which was then allocated and zeroed anew
        // for every frame (docs/performance.md, "Deployed shape: where the CPU goes").
        this.server = new Server(threads, null, new ArrayByteBufferPool(0, -1, POOLED_BUFFER_MAX));
        server.setStopTimeout(Duration.ofSeconds(10).toMillis());
        server.setErrorHandler(new ErrorPageHandler());
        TrustedProxies trustedProxies = TrustedProxies.of(config.proxies().trusted());
        this.publicConnector = listener(publicTls(), config.publicPort(), trustedProxies, config.proxies().proxyProtocol(),
                Optional.of(new RequestIdCustomizer(trustedProxies)), true);
        // Connectors dial the tunnel port directly: no proxy speaks for them.
        // A refused expired certificate is recorded (rate-limited) where the handshake refuses it: see ExpiredCertificateLog.
        ExpiredCertificateLog expiredCertificates = new ExpiredCertificateLog(connectorStore, clock);
        this.tunnelConnector = listener(tunnelTls(expiredCertificates, clock), config.tunnelPort(), TrustedProxies.none(), false,
                Optional.empty(), false);
        server.addConnector(publicConnector);
        server.addConnector(tunnelConnector);
        // What bounds the connections (and so the descriptors, handshakes and memory) clients can hold: beyond it they wait
        // in the backlog (docs/operations.md, "Connection limits").
        ListenerLimit.apply(server, publicConnector, config.connectionLimits().publicMax(), "public", "--max-connections", clock);
        ListenerLimit.apply(server, tunnelConnector, config.connectionLimits().tunnelMax(), "tunnel", "--max-tunnel-connections", clock);
        this.managementConnector = config.management().enabled()
                ? Optional.of(ManagementEndpoints.listener(server, config.management(), clock)) : Optional.empty();
        managementConnector.ifPresent(server::addConnector);
        openListeners();
        int publicPort = publicConnector.getLocalPort();
        String portSuffix = publicPort == 443 ? "" : ":" + publicPort;
        String adminUrl = "https://" + config.adminHost() + portSuffix;
        String loginOrigin = "https://" + config.loginHost() + portSuffix;
        DirectoryStore directoryStore = new DirectoryStore(db);
        DataKey dataKey = secrets.dataKey();
        // Connector groups' Kerberos settings, sent to their connectors over the tunnels (CONFIG kerberos).
        KerberosGroupStore kerberosGroups = new KerberosGroupStore(db, dataKey);
        registry.groupConfigs(group -> kerberosGroups.find(group)
                .map(k -> List.of(new GroupConfigs.GroupConfig(k.version(), k.config().toFrame()))).orElse(List.of()));
        GroupMaintenances maintenances = new GroupMaintenances(connectorStore);
        maintenances.reload();
        ConnectorPicker picker = new ConnectorPicker(registry,
                id -> connectorStore.findGroup(id).map(ConnectorStore.Group::name).orElse(id), maintenances);
        this.ldapSync = new LdapSync(db, directoryStore, dataKey, clock, new TunnelSockets(picker));
        Directory directory = new Directory(directoryStore, PasswordHasher.owaspDefault(), clock,
                config.identity().lockoutThreshold(), config.identity().lockoutBase(),
                (userId, password) -> directoryStore.externalId(userId).map(dn -> ldapSync.verifyPassword(dn, password)));
        // The signing key sets, live: a rotation (this node's admin API, or another node's, notified) swaps them, no restart.
        // The SSO set's public keys reach this node's connectors before its new key signs.
        SigningKeySet signingSet = new SigningKeySet(keys.signingKeys(), clock);
        SigningKeySet ssoSet = new SigningKeySet(keys.ssoSigningKeys(), clock);
        SigningKeys signingKeys = new SigningKeys(keyStore, signingSet, ssoSet, set -> registry.ssoKeys(IdentityTokens.publicJwks(set, clock)),
                new SigningKeys.Settings(KeyLifecycle.ACTIVATION_DELAY, longestSigned(config), IdentityTokens.LONGEST_ACCEPTED), keyFloor);
        SessionTokens tokens = new SessionTokens(signingSet, loginOrigin, clock);
        SignInLog signInLog = new SignInLog(db, clock, metrics::signIn);
        AuditLog auditLog = new AuditLog(db, clock);
        SignInService signIn = new SignInService(directoryStore, tokens, config.identity(), clock, loginOrigin, signInLog);
        PolicyStore policyStore = new PolicyStore(db);
        Mfa mfa = new Mfa(db, dataKey, clock, "Drawbridge (" + config.domain() + ")");
        AccessRequests accessRequests = new AccessRequests(db, directoryStore, clock);
        Federation federation = new Federation(db, dataKey, directoryStore, clock, URI.create(loginOrigin + "/federation/callback"));
        AppIcons icons = new AppIcons(db, clock);
        // One limiter for every sign-in, on the sign-in host and the admin API alike.
        SignInLimiter signInLimiter = new SignInLimiter(SignInLimiter.Limits.DEFAULTS, clock);
        // Password vaulting: users' own passwords for apps that sign in with HTTP Basic, and apps' shared ones.
        Vault vault = new Vault(new VaultStore(db, dataKey), clock);
        // SAML apps' identity provider (per-app keys sealed with the data key; requests and responses remembered in the database).
        IdpKeys samlKeys = new IdpKeys(db, dataKey, clock, auditLog);
        SamlStore samlStore = new SamlStore(db);
        SamlIdp samlIdp = new SamlIdp(signIn, routes, samlKeys, samlStore,
                new SamlAnswers(signIn, Assignments.of(directoryStore), policyStore, samlKeys, samlStore));
        SignInHandler signInHandler = new SignInHandler(signIn, directory, routes, mfa, accessRequests,
                new TokenIssuer(signIn, routes, policyStore, db), auditLog, federation, icons, signInLimiter, vault, samlIdp);
        // What connectors are told: --advertise-tunnel-url (a relay, NAT or load balancer in front), else the derived one.
        String tunnelUrl = config.cluster().advertiseTunnelUrl().map(AdvertisedTunnelUrl::normalized)
                .orElse("wss://" + config.adminHost() + ":" + tunnelConnector.getLocalPort() + TunnelHandler.PATH);
        this.nodes = config.databaseUrl().isPresent() ? NodeRegistry.shared(db, nodeName(), tunnelUrl,
                url -> AdvertisedTunnelUrl.listable(url, config.domain()))
                : NodeRegistry.single(tunnelUrl, clock.millis());

        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, c -> {
            c.setMaxBinaryMessageSize(WebSocketRelay.MAX_MESSAGE);
            c.setMaxTextMessageSize(WebSocketRelay.MAX_MESSAGE);
            c.setIdleTimeout(Duration.ofMinutes(5));
        });
        ServerWebSocketContainer container = ws.getServerWebSocketContainer();
        CertificateStore certificates = new CertificateStore(db, dataKey, clock, ownHosts);
        sniKeys.useCustomCertificates(certificates);
        ServerCertificateStore serverCertificate = new ServerCertificateStore(db, dataKey, clock, ownHosts);
        sniKeys.useServerCertificate(serverCertificate);
        // Custom domains: an app outside the server's domain needs its domain added first (docs/admin.md).
        DomainStore domains = new DomainStore(db, dataKey, clock, config.domain(), ownHosts, certificates,
                host -> certificates.covers(host) || serverCertificate.find(host).isPresent(), routes);
        AppService apps = new AppService(appStore, connectorStore,
                new AppValidator(config.domain(), publicPort, ownHosts, domains::covers)
                        .withMaxBackendTimeout(config.timeouts().max()), routes, clock, SamlSetup.ssoChecks(),
                pathPolicyStore::of);
        ConnectorEvents connectorEvents = new ConnectorEvents(db, clock);
        registry.onEvent(connectorEvents::write);
        expiredCertificates.onEvent(connectorEvents::write);
        registry.onStreamClosed((t, stream) -> metrics.streamClosed(stream));
        metrics.tunnels(registry::tunnels);
        // Connector auto-update: the signing key connectors pin, bundles, each group's rollout (docs/updates.md).
        UpdateKey updateKey = secrets.updateKey();
        UpdateStore updates = new UpdateStore(db);
        Rollouts rollouts = new Rollouts(db, updates, clock, config.updateLease());
        rollouts.onEvent(connectorEvents::write);
        RegistrationHandler registration = new RegistrationHandler(keys, connectorStore, clock, tunnelUrl, updateKey.publicJwk());
        registration.onEvent(connectorEvents::write);
        // This node's one identity in the database's shared rows: its node-list row's id, also its throttle shares' and job
        // leases' (SELECT ... FROM job_lease JOIN cluster_node ON holder = id).
        String node = nodes.id();
        // Started below, once the server serves; the admin API's "sync now" takes the same lease as the scheduled sync.
        this.jobs = new ClusterJobs(new JobLeases(db, node),
                Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("cluster-jobs").factory()),
                Executors.newVirtualThreadPerTaskExecutor(), ClusterJobs.DEFAULT_TICK);
        // Its own interval (the admin's settings) decides whether a check runs the sync.
        ClusterJobs.Job directorySync = new ClusterJobs.Job(DirectorySyncApi.JOB, Duration.ofMinutes(1), Duration.ofMinutes(5),
                ldapSync::runIfDue);
        AdminRoleStore adminRoles = new AdminRoleStore(db);
        AdminAuth adminAuth = new AdminAuth(keys, tokens, directory, adminRoles, mfa, policyStore, signInLog, clock, signInLimiter);
        DirectoryViews directoryViews = new DirectoryViews(directoryStore, mfa, clock);
        AdminResources adminResources = AdminResources.of(new SessionApi(adminAuth),
                new AppsApi(apps, new AppTester(picker), auditLog), new AppIconsApi(icons, apps, auditLog),
                new AppSsoApi(apps, auditLog), new AppPathsApi(appStore, pathPolicyStore, pathPolicies, new PathPolicyValidator(
                        key -> directoryStore.userByUpn(key).or(() -> directoryStore.user(key)).map(DirectoryUser::id)
                                .or(() -> directoryStore.group(key).map(DirectoryStore.Group::id)),
                        id -> policyStore.policy(id).isPresent()), auditLog), new SharedCredentialApi(appStore, vault, auditLog),
                new AppSsoPreviewApi(appStore, apps, directoryStore, new SsoPreviews(Assignments.of(directoryStore), kerberosGroups, vault,
                        SsoPreviews.Connectors.of(picker))),
                new AppSamlApi(appStore, new SamlSetup(samlKeys, loginOrigin)),
                new AppAccessApi(routes, directoryViews, accessRequests, clock, auditLog),
                new ConnectorGroupsApi(connectorStore, registry, clock, auditLog, maintenances),
                new GroupKerberosApi(connectorStore, kerberosGroups, registry, clock, auditLog),
                new ConnectorsApi(connectorStore, registry, connectorEvents, clock, auditLog, rollouts),
                new ConnectorUpdatesApi(updates, new BundleUploads(updates, updateKey, clock), auditLog),
                new RolloutApi(connectorStore, registry, rollouts, auditLog),
                new RegistrationTokensApi(connectorStore, keys, adminUrl, clock, auditLog),
                new UsersApi(directory, directoryViews, mfa, clock, auditLog), new RolesApi(directoryStore, adminRoles, clock, auditLog),
                new GroupsApi(directoryViews, clock, auditLog), new AccessRequestsApi(accessRequests, routes, directoryStore, auditLog),
                new DirectorySyncApi(ldapSync, auditLog, jobs, directorySync), new IdentityProvidersApi(federation, auditLog),
                new PoliciesApi(policyStore, auditLog), new NamedLocationsApi(policyStore, auditLog),
                new CertificatesApi(certificates, auditLog), new ServerCertificateApi(serverCertificate, auditLog),
                new DomainsApi(domains, auditLog), new SigningKeysApi(signingKeys, auditLog),
                new SignInLogsApi(signInLog), new AuditLogsApi(auditLog), new ConnectorEventsApi(connectorEvents, connectorStore),
                new StatsApi(signInLog), new OAuthClientsApi(new OAuthClientStore(db), routes, clock, auditLog));
        ManagementHandler management = new ManagementHandler(
                new AdminApiHandler(adminAuth, directoryStore, auditLog, adminUrl, adminResources),
                registration, new EndpointsHandler(tunnelUrl, nodes::live));
        // Users' identities for connectors (single sign-on to backends), signed with a key of their own.
        IdentityTokens identityTokens = new IdentityTokens(ssoSet, loginOrigin, clock);
        registry.ssoKeys(identityTokens.publicJwks());
        TunnelHandler tunnel = new TunnelHandler(connectorStore, registry, container, clock);
        RenewalHandler renewal = new RenewalHandler(keys, connectorStore, clock);
        renewal.onEvent(connectorEvents::write);
        tunnel.route(RenewalHandler.PATH, renewal);
        new UpdateEndpoints(connectorStore, updates, rollouts, updateKey, clock).install(tunnel);
        Assignments assignments = Assignments.of(directoryStore);
        // WebSockets and streams held open by signed-in users: rechecked below, so that a revocation reaches them.
        LiveSessions liveSessions = new LiveSessions(LiveDirectory.of(directoryStore), () -> routes.get().apps(), policyStore,
                pathPolicies::rules, clock);
        AppSignIn appSignIn = new AppSignIn(signIn, assignments, policyStore);
        Throttle throttle = new Throttle(config.throttling());
        this.throttleSync = config.databaseUrl().map(u -> new ThrottleSync(throttle, db, node, ThrottleSync.Settings.DEFAULTS,
                Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("throttle-sync").factory()),
                Executors.newVirtualThreadPerTaskExecutor(), System::nanoTime).start());
        Handler appRequests = PublicChain.apps(new AppRouter(routes), new ThrottleHandler(throttle, metrics::throttled),
                new PathPolicyHandler(pathPolicies::rules),
                new AuthenticationHandler(signIn::check, appSignIn, Optional.of(new AcsSignIn(samlStore, signIn, appSignIn))),
                new AuthorizationHandler(assignments, policyStore, signInLog::write, appSignIn, clock),
                new DispatchHandler((group, head, attempt) -> picker.open(group, head, attempt).stream(), picker::groupName,
                        new WebSocketRelay(container), config.timeouts()::of, (app, identity) -> List.of(
                        new HeaderField("X-Drawbridge-User", identity.user().upn()),
                        new HeaderField("X-Drawbridge-Assertion", tokens.assertion(app.externalOrigin() + app.externalPath(),
                                identity.user(), identity.groups(), ASSERTION_TTL))), liveSessions,
                new SsoDispatch(identityTokens, signInLog::write, metrics::ssoRefused),
                new PasswordDispatch(vault, loginOrigin, signInLog::write, metrics::ssoRefused), new LinkTranslations(routes)));
        // Requests in flight to apps, which a stopping node lets finish (close()).
        this.inFlight = new DrainHandler();
        inFlight.setHandler(appRequests);
        Handler appChain = inFlight;
        // Every request on the public listener: its id in the log context, its metrics, its access-log line.
        ws.setHandler(new RequestObserver(tunnelConnector, config.adminHost(), config.loginHost(), metrics,
                PublicChain.assemble(tunnelConnector, config.adminHost(), config.loginHost(), tunnel, management::handle,
                        signInHandler::handle, appChain)));
        // A node joining a running cluster is ready once the connectors online there have dialled it (at most 20 s).
        TunnelWarmUp warmUp = new TunnelWarmUp(() -> connectorStore.seenSince(clock.instant().minus(config.heartbeat().multipliedBy(3))),
                registry::tunnelCount, WARM_UP_CAP, System::nanoTime);
        this.health = new Health(threads, db.dataSource(), () -> server.isStarted() && publicConnector.isOpen() && tunnelConnector.isOpen(),
                HEALTH_TIMEOUT, config.databaseUrl().isPresent() ? () -> List.of(tunnelUrlCheck(nodes), warmUp.check()) : List::of);
        // The running server's mark and token in the data directory, for drawbridge-server backup (and restore's refusal).
        this.localControl = LocalControl.start(config.dataDir(), managementConnector.map(c -> managementUrl(config.management(), c)));
        // The management listener's requests are answered before anything else and never reach the public chain.
        server.setHandler(managementConnector.<Handler>map(c -> new BackupRoute(c, localControl,
                config.databaseUrl().isEmpty() ? Optional.of(db.dataSource()) : Optional.empty(), config.dataDir(),
                new ManagementEndpoints(c, metrics::scrape, health, ws)))
                .orElse(ws));
        try {
            server.start();
        } catch (Exception e) {
            localControl.close();
            throw e;
        }
        // What another node changes reaches this one: at once on PostgreSQL (LISTEN/NOTIFY), and by the periodic reload (the
        // fallback; all there is on H2). Disables, revocations, assignments and policies reach WebSockets and streams already
        // open through the live sessions' recheck; revoked and moved connectors through the registry's (the heartbeat's too).
        this.propagation = Propagation.start(new NodeReloads.Targets(routes::reload, pathPolicies::reload, policyStore::reload,
                maintenances::reload, registry::recheck, registry::refreshConfigs, liveSessions::recheck, () -> {
                    certificates.reload();
                    serverCertificate.reload();
                }, signingKeys::reload), config.liveRecheck(), config.databaseUrl().map(url -> db.unpooled()), t -> metrics.changeNotified(t.wireName()));
        if (propagation.listens()) {
            metrics.changeListener(propagation::listening);
        }
        jobs.schedule(new ClusterJobs.Job("connectors.remove-inactive", Duration.ofHours(1), Duration.ofMinutes(5), registry::removeLongInactive));
        jobs.schedule(directorySync);
        // Due when the newest signing key is a period old: checked hourly, run by one node (the lease) for the whole cluster.
        config.keyRotation().ifPresent(period -> jobs.schedule(new ClusterJobs.Job(SigningKeys.ROTATION_JOB, Duration.ofHours(1),
                Duration.ofMinutes(5), () -> {
                    try {
                        signingKeys.rotateIfDue(period);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                })));
        jobs.schedule(new ClusterJobs.Job("logs.retention", Duration.ofHours(1), Duration.ofMinutes(5),
                new LogRetention(db, config.retention(), clock)));
        this.refresher = Executors.newSingleThreadScheduledExecutor(Thread.ofPlatform().daemon().name("node-beat").factory());
        // In the node list once serving; connectors are told the live nodes over their tunnels (docs/scale-out.md).
        nodes.join();
        this.announcer = new NodeAnnouncer(registry::tunnels);
        refresher.scheduleWithFixedDelay(nodes::beat, NodeRegistry.BEAT.toMillis(), NodeRegistry.BEAT.toMillis(), TimeUnit.MILLISECONDS);
        refresher.scheduleWithFixedDelay(() -> announcer.announce(nodes.live()), 1, 1, TimeUnit.SECONDS);
        LOG.info("Drawbridge proxy server listening: public https://*.{}:{}, tunnel port {}, data in {}; node {} ({})",
                config.domain(), publicPort, tunnelConnector.getLocalPort(), config.dataDir(), nodes.id(), nodes.name());
        managementConnector.ifPresent(c -> {
            LOG.info("management listener (metrics, health): http://{}:{}{}", config.management().bind(), c.getLocalPort(),
                    ManagementEndpoints.METRICS);
            if (!ManagementEndpoints.boundAddress(c).isLoopbackAddress()) {
                LOG.warn("the management listener has no authentication and is bound to {} ({}), not loopback: let only your scraper "
                        + "and probes reach it (firewall), which address it by IP address", config.management().bind(),
                        ManagementEndpoints.boundAddress(c).getHostAddress());
            }
        });
    }

    /** Starts a server; throws with a field-naming message on invalid configuration. */
    /**
     * The longest life of a token the signing set signs, which a retiring key must outlive: a session (this node's
     * configured lifetime; nodes of a cluster share their settings), an admin token, an OAuth access token, an assertion,
     * an MFA-pending marker. (Refresh tokens and codes are opaque rows in the database, signed by nothing.)
     */
    static Duration longestSigned(ServerConfig config) {
        return Stream.of(config.identity().sessionLifetime(), AdminAuth.TTL, TokenIssuer.ACCESS_TTL, ASSERTION_TTL,
                SignInHandler.MFA_WINDOW).max(Duration::compareTo).orElseThrow();
    }

    public static ProxyServer start(ServerConfig config) throws Exception {
        return start(config, Clock.systemUTC());
    }

    public static ProxyServer start(ServerConfig config, Clock clock) throws Exception {
        // A first start that fails (a port in use...) must not swallow the admin credential it made but never showed.
        Path adminToken = ServerKeys.adminTokenFile(config.dataDir());
        boolean firstStart = !Files.exists(adminToken);
        try {
            return new ProxyServer(config, clock);
        } catch (Exception e) {
            if (firstStart) {
                Files.deleteIfExists(adminToken);
            }
            throw e;
        }
    }

    /** What {@code step} returns; on failure {@code db} is closed (the server does not start). */
    private static <T> T closingOnFailure(Database db, Callable<T> step) throws Exception {
        try {
            return step.call();
        } catch (Exception e) {
            try {
                db.close();
            } catch (Exception ignored) {
                // failing to start anyway
            }
            throw e;
        }
    }

    /** Opens both ports; on failure nothing stays open and the exception names the listener. */
    private void openListeners() throws ListenerException {
        try {
            open(publicConnector, ListenerException.Listener.PUBLIC);
            open(tunnelConnector, ListenerException.Listener.TUNNEL);
            if (managementConnector.isPresent()) {
                open(managementConnector.get(), ListenerException.Listener.MANAGEMENT);
            }
        } catch (ListenerException e) {
            publicConnector.close();
            tunnelConnector.close();
            try {
                db.close();
            } catch (Exception ignored) {
                // failing to start anyway
            }
            throw e;
        }
    }

    private void open(ServerConnector c, ListenerException.Listener which) throws ListenerException {
        try {
            c.open();
        } catch (IOException | UnresolvedAddressException e) {
            throw new ListenerException(which, c.getHost(), c.getPort(), e.getCause() != null ? e.getCause() : e);
        }
    }

    /**
     * A TLS listener. With {@code trusted} proxies, a request from one of them is attributed to the client it
     * reports ({@link ClientAddressCustomizer}); with {@code proxyProtocol}, they may also open a connection with a
     * PROXY header ({@link ProxyProtocolGate}). With {@code http2}, ALPN offers HTTP/2 before HTTP/1.1 ({@link PublicHttp2}).
     */
    private ServerConnector listener(SslContextFactory.Server tls, int port, TrustedProxies trusted, boolean proxyProtocol,
                                     Optional<RequestIdCustomizer> requestIds, boolean http2) {
        HttpConfiguration http = new HttpConfiguration();
        http.setSendServerVersion(false);
        http.setSendXPoweredBy(false);
        http.setRequestHeaderSize(16 * 1024);
        http.setResponseHeaderSize(32 * 1024);
        http.setUriCompliance(PublicChain.URI_COMPLIANCE);
        // First: it must see the socket's peer before ClientAddressCustomizer replaces it with the client.
        requestIds.ifPresent(http::addCustomizer);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        http.addCustomizer(src);
        if (!trusted.isEmpty()) {
            http.addCustomizer(new ClientAddressCustomizer(trusted));
        }
        ConnectionFactory h1 = new HttpConnectionFactory(http);
        List<ConnectionFactory> protocols = http2 ? List.of(PublicHttp2.alpn(), PublicHttp2.connectionFactory(http), h1) : List.of(h1);
        SslConnectionFactory ssl = new SslConnectionFactory(tls, protocols.getFirst().getProtocol());
        List<ConnectionFactory> factories = new ArrayList<>();
        ServerConnector c;
        if (proxyProtocol) {
            ProxyProtocolGate gate = new ProxyProtocolGate(trusted, ssl.getProtocol());
            factories.addAll(List.of(gate, gate.addressCheck()));
        }
        factories.add(ssl);
        factories.addAll(protocols);
        c = new ServerConnector(server, factories.toArray(ConnectionFactory[]::new));
        c.setHost(config.bindHost());
        c.setPort(port);
        c.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        // The kernel's queue of connections not yet accepted: Jetty's default (0) leaves the JDK's 50, so a burst of
        // connections (browsers after a node restart, a rolling restart behind a balancer, or a listener at its
        // connection limit) lost SYNs beyond 50 and their clients waited for a retransmission a second or more later.
        // The kernel caps it at net.core.somaxconn (4096 on current Linux).
        c.setAcceptQueueSize(ACCEPT_QUEUE);
        // The connection limit counts a connection from its accept: one that never completes its TLS handshake must not
        // hold its place for the whole idle timeout.
        HandshakeDeadline.apply(c, HandshakeDeadline.DEFAULT);
        return c;
    }

    private SslContextFactory.Server publicTls() throws Exception {
        return tls(sniKeys, null);
    }

    private SslContextFactory.Server tunnelTls(ExpiredCertificateLog expired, Clock clock) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("connector-ca", keys.connectorCa().certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        X509ExtendedTrustManager pkix = Arrays.stream(tmf.getTrustManagers()).filter(X509ExtendedTrustManager.class::isInstance)
                .map(X509ExtendedTrustManager.class::cast).findFirst().orElseThrow();
        SslContextFactory.Server tls = tls(tunnelKeys, new TrustManager[]{new ExpiryReportingTrustManager(pkix,
                keys.connectorCa().certificate(), clock, expired::refused)});
        tls.setNeedClientAuth(true);
        // Both ends are Java: prefer AES-128-GCM over AES-256-GCM for the bulk cipher (server order wins);
        // the other suites of the TLS profile stay available.
        tls.setIncludeCipherSuites(TunnelCiphers.preferred());
        tls.setUseCipherSuitesOrder(true);
        return tls;
    }

    /** The TLS profile ({@link ListenerTls}) with certificates chosen per SNI host ({@link SniKeyManager}). */
    private SslContextFactory.Server tls(KeyManager keyManager, TrustManager[] trust) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(new KeyManager[]{keyManager}, trust, null);
        SslContextFactory.Server tls = ListenerTls.newFactory();
        tls.setSslContext(ctx);
        return tls;
    }

    public int publicPort() {
        return publicConnector.getLocalPort();
    }

    public int tunnelPort() {
        return tunnelConnector.getLocalPort();
    }

    public ServerConfig config() {
        return config;
    }

    /** The admin credential, only on the first start of a data directory. */
    public Optional<String> newAdminToken() {
        return keys.newAdminToken();
    }

    public X509Certificate serverCaCertificate() {
        return keys.serverCa().certificate();
    }

    public String adminUrl() {
        return "https://" + config.adminHost() + ":" + publicPort();
    }

    public ConnectorRegistry registry() {
        return registry;
    }

    /** The management listener's port, when there is one. */
    public OptionalInt managementPort() {
        return managementConnector.map(c -> OptionalInt.of(c.getLocalPort())).orElseGet(OptionalInt::empty);
    }

    /** The server's metrics (tests read the registry). */
    public ProxyMetrics metrics() {
        return metrics;
    }

    /** Directory sync (tests give it their own CA for ldaps://). */
    public LdapSync ldapSync() {
        return ldapSync;
    }

    /**
     * Drains, then stops: not ready (load balancers probing readiness stop sending requests here), out of the node list
     * (connectors told at once over this node's tunnels, and by the other nodes within a beat), still serving for the
     * pre-stop pause ({@link ServerConfig.Cluster#preStopPause()}) while the balancers notice, no new connections, the
     * requests in flight finish (up to the stop timeout, 10 s), then the tunnels close and the server stops.
     */
    @Override
    public void close() throws Exception {
        health.stopping();
        refresher.shutdownNow();
        announcer.announce(nodes.leave());
        // The pre-stop pause: not ready, yet accepting and serving, until the balancers' readiness checks have taken this node
        // out; closing the listener at once would reset the connections they still send meanwhile, and those the kernel had
        // already accepted into the listener's backlog.
        Duration pause = config.cluster().preStopPause();
        if (pause.isPositive()) {
            LOG.info("stopping: /health/ready answers 503; still serving for {} ms (drain-pre-stop-pause) before draining", pause.toMillis());
            Thread.sleep(pause);
        }
        // No new public connections (the management listener stays: its /health/ready answers 503). The tunnel listener is
        // left alone: Jetty's shutdown of it ends the tunnels' streams at once. Waits only for the requests in flight to
        // apps, not for the listeners' connections, which close with the server.
        // Jetty's shutdown sets every open connection's idle timeout to its shutdown idle timeout (1 s by default), which cut
        // a request waiting longer for its app (502): the connections get the whole drain instead.
        // Requests still arriving on connections open to this node are served (its tunnels are open until the end) and told
        // Connection: close; idle connections are closed at once, so that clients and balancers reconnect to another node.
        CompletableFuture<Void> drained = inFlight.drain();
        publicConnector.setShutdownIdleTimeout(server.getStopTimeout());
        publicConnector.shutdown();
        long drainStarted = System.nanoTime();
        long deadline = drainStarted + TimeUnit.MILLISECONDS.toNanos(server.getStopTimeout());
        // Until no request is in flight and no HTTP connection is left that could still bring one (each ends with an answer
        // saying Connection: close, or is closed once quiet): a request arriving after the tunnels closed would fail.
        int closedIdle = 0;
        while (System.nanoTime() < deadline) {
            closedIdle += inFlight.closeIdle(publicConnector, IDLE_QUIET, System.nanoTime() - drainStarted > HEADERS_GRACE.toNanos());
            if (drained.isDone() && inFlight.inFlight() == 0 && inFlight.openHttpConnections(publicConnector) == 0) {
                break;
            }
            Thread.sleep(DRAIN_CHECK.toMillis());
        }
        LOG.info("draining: {} idle connection(s) closed, {} request(s) still in flight, {} connection(s) left", closedIdle,
                inFlight.inFlight(), inFlight.openHttpConnections(publicConnector));
        // And the streams on this node's tunnels (a request's handler may return before its stream ends).
        while (registry.tunnels().stream().anyMatch(t -> t.mux().activeStreams() > 0) && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        if (registry.tunnels().stream().anyMatch(t -> t.mux().activeStreams() > 0)) {
            LOG.warn("requests still in flight after {} s; stopping anyway", server.getStopTimeout() / 1000);
        }
        jobs.close();
        throttleSync.ifPresent(ThrottleSync::close);
        propagation.close();
        registry.close();
        nodes.close();
        server.stop();
        db.close();
        metrics.close();
        // Last: until here, restore sees a running server.
        localControl.close();
    }

    /**
     * Readiness' word on the tunnel URL this node advertises: up either way (a balancer in front of one shared URL is legal,
     * if poorer), saying how many other live nodes advertise it too; their names are in the log, not in an unauthenticated
     * health body.
     */
    private static HealthReport.Check tunnelUrlCheck(NodeRegistry nodes) {
        int others = nodes.sharingTunnelUrl().size();
        return HealthReport.Check.up("tunnel-url", others == 0 ? "advertised by this node only"
                : "also advertised by " + others + " other live node(s): connectors reach only the node a balancer there picks; set "
                + "advertise-tunnel-url on each node (the log names them)");
    }

    /** This node's name in the node list: the host and process, for operators reading the table. */
    private static String nodeName() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return host + "/" + ProcessHandle.current().pid();
    }

    /** The node list this node gives connectors (tests). */
    public NodeRegistry nodes() {
        return nodes;
    }

    /** Where this machine reaches the management listener: its address, or loopback when it listens on every address. */
    private static URI managementUrl(ServerConfig.Management management, ServerConnector c) {
        String host = management.bind();
        try {
            InetAddress a = InetAddress.ofLiteral(host.replaceAll("^\\[|]$", ""));
            host = a.isAnyLocalAddress() ? (a instanceof Inet6Address ? "[::1]" : "127.0.0.1")
                    : a instanceof Inet6Address ? "[" + a.getHostAddress() + "]" : a.getHostAddress();
        } catch (IllegalArgumentException notALiteral) {
            // a name (localhost): used as it is
        }
        return URI.create("http://" + host + ":" + c.getLocalPort());
    }
}
