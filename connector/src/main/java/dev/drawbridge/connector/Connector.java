package dev.drawbridge.connector;

import dev.drawbridge.connector.http.Clients;
import dev.drawbridge.connector.http.OutboundProxy;
import dev.drawbridge.connector.http.RequestContext;
import dev.drawbridge.connector.identity.CertificateRenewal;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.connector.identity.EndpointLookup;
import dev.drawbridge.connector.identity.ExpiredCertificateException;
import dev.drawbridge.connector.identity.PendingRenewal;
import dev.drawbridge.connector.identity.RenewalSchedule;
import dev.drawbridge.connector.operations.ConnectorHealth;
import dev.drawbridge.connector.operations.ConnectorMetrics;
import dev.drawbridge.connector.operations.ManagementServer;
import dev.drawbridge.connector.operations.StreamLog;
import dev.drawbridge.connector.sso.GroupSettings;
import dev.drawbridge.connector.sso.KerberosStep;
import dev.drawbridge.connector.sso.SsoGate;
import dev.drawbridge.connector.sso.SsoStep;
import dev.drawbridge.connector.sso.Verification;
import dev.drawbridge.connector.tunnel.ConnectorRefusedException;
import dev.drawbridge.connector.tunnel.FrameLinkDialer;
import dev.drawbridge.connector.tunnel.LinkDialer;
import dev.drawbridge.connector.tunnel.NodeTunnels;
import dev.drawbridge.connector.tunnel.NodeUrls;
import dev.drawbridge.connector.tunnel.TransportChoice;
import dev.drawbridge.connector.tunnel.TunnelAddress;
import dev.drawbridge.connector.tunnel.TunnelClient;
import dev.drawbridge.connector.tunnel.WebSocketDialer;
import dev.drawbridge.connector.upstream.ChallengeAuth;
import dev.drawbridge.connector.upstream.UpstreamExchange;
import dev.drawbridge.connector.upstream.UpstreamTcp;
import dev.drawbridge.connector.upstream.UpstreamWebSocket;
import dev.drawbridge.model.DrawbridgeVersion;
import dev.drawbridge.model.api.ConnectorEndpoints;
import dev.drawbridge.model.cluster.ClusterNodes;
import dev.drawbridge.model.tunnel.FlowControl;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.TunnelCiphers;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.tunnel.transport.PinnedInput;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;

/**
 * The connector's composition root ({@code run}): several tunnel connections to the server,
 * authenticated with the registration certificate, whose streams are carried to internal apps by
 * a Jetty HTTP client trusting the system CAs plus an optional extra CA (raw TCP streams, e.g. LDAP, by
 * {@link UpstreamTcp}). Stateless: everything a request needs arrives with it.
 */
public final class Connector implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(Connector.class);
    public static final String VERSION = DrawbridgeVersion.current();

    /**
     * @param stateDir    where register stored the identity
     * @param tunnels     parallel tunnel connections (1..16)
     * @param upstreamCa  an extra CA (PEM file) trusted for https internal apps
     * @param heartbeat   ping interval
     * @param outboundProxy the HTTP proxy to reach the server through (registration, endpoint lookup, tunnels); absent:
     *                    directly. Internal apps are always reached directly
     * @param transport   how the tunnels reach the server ({@code --tunnel-transport}): the newer transport where the server
     *                    has it, or WebSocket only
     * @param pinnedMax   the cap on input buffers that retained DATA slices of this connector's links pin
     *                    ({@code --tunnel-pinned-max}, {@link PinnedInput}; 0: DATA is always copied)
     */
    public record Options(Path stateDir, int tunnels, Optional<Path> upstreamCa, Duration heartbeat, Optional<OutboundProxy> outboundProxy,
                          TransportChoice.Mode transport, FlowControl flowControl, long pinnedMax) {
        public Options {
            if (pinnedMax < 0) {
                throw new IllegalArgumentException("pinnedMax: " + pinnedMax + " must not be negative");
            }
            if (tunnels < 1 || tunnels > 16) {
                throw new IllegalArgumentException("tunnels: " + tunnels + " must be between 1 and 16");
            }
            outboundProxy = outboundProxy == null ? Optional.empty() : outboundProxy;
            transport = transport == null ? TransportChoice.Mode.fromSystemProperty() : transport;
            flowControl = flowControl == null ? FlowControl.DEFAULT : flowControl;
        }

        /** Options with the default cap on pinned input buffers ({@link PinnedInput#CONNECTOR_DEFAULT}). */
        public Options(Path stateDir, int tunnels, Optional<Path> upstreamCa, Duration heartbeat, Optional<OutboundProxy> outboundProxy,
                       TransportChoice.Mode transport, FlowControl flowControl) {
            this(stateDir, tunnels, upstreamCa, heartbeat, outboundProxy, transport, flowControl, PinnedInput.CONNECTOR_DEFAULT);
        }

        /** Options with the default window caps ({@link FlowControl#DEFAULT}). */
        public Options(Path stateDir, int tunnels, Optional<Path> upstreamCa, Duration heartbeat, Optional<OutboundProxy> outboundProxy,
                       TransportChoice.Mode transport) {
            this(stateDir, tunnels, upstreamCa, heartbeat, outboundProxy, transport, null);
        }

        /** Options with the transport of the system property {@value TransportChoice#PROPERTY} (else auto). */
        public Options(Path stateDir, int tunnels, Optional<Path> upstreamCa, Duration heartbeat, Optional<OutboundProxy> outboundProxy) {
            this(stateDir, tunnels, upstreamCa, heartbeat, outboundProxy, null);
        }

        /** Options without an outbound proxy. */
        public Options(Path stateDir, int tunnels, Optional<Path> upstreamCa, Duration heartbeat) {
            this(stateDir, tunnels, upstreamCa, heartbeat, Optional.empty());
        }
    }

    /** How long asking the server for its tunnel URL may take, and how often a failing tunnel may ask again. */
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(10), LOOKUP_INTERVAL = Duration.ofSeconds(5);

    private final HttpClient tunnelHttp;
    private final WebSocketClient ws;
    private final HttpClient upstreamHttp;
    /** HTTP/2 only, for gRPC requests to internal apps. */
    private final HttpClient upstreamH2;
    private final WebSocketClient upstreamWs;
    /** {@code --tunnels} tunnels to each live node of the server (docs/scale-out.md). */
    private final NodeTunnels nodeTunnels;
    /** A node list the server gave before {@link #nodeTunnels} existed (the lookup at start). */
    private volatile ClusterNodes firstNodes;
    private final TransportChoice transports;
    private final CompletableFuture<String> permanentFailure = new CompletableFuture<>();
    private final String connectorId;
    private final TunnelAddress address;
    private final GroupSettings groupSettings = new GroupSettings();
    private final SsoGate sso;
    private final KerberosStep kerberos;
    private final ExecutorService kerberosSettings = Executors.newSingleThreadExecutor(Thread.ofVirtual().name("kerberos-settings").factory());
    /** When the certificate's age is checked (it is renewed once half its validity has passed). */
    private final RenewalSchedule renewalSchedule;
    private final ScheduledExecutorService renewals = Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("certificate-renewal").factory());
    /** Failed attempts of the renewal under way, in a row (only the renewal thread touches it). */
    private int renewalFailures;
    /** The backing-off retry of a renewal under way, once scheduled (only the renewal thread touches it). */
    private ScheduledFuture<?> renewalRetry;
    private final Path stateDir;
    private final SslContextFactory.Client tunnelTls;
    private final Clock clock;
    private volatile ConnectorIdentity identity;
    private final ConnectorMetrics metrics;
    private final ConnectorHealth health;
    private final TunnelClient.Observer observer;
    private final boolean announceSso;
    private final Duration heartbeat;
    private final UpstreamExchange exchange;

    /** The receive windows' caps and the process budget every tunnel shares. */
    private final FlowControl flowControl;
    private final PinnedInput pinned;

    private Connector(Options options, boolean announceSso, Clock clock, RenewalSchedule renewalSchedule) throws Exception {
        ConnectorIdentity id = ConnectorIdentity.load(options.stateDir());
        this.clock = clock;
        this.renewalSchedule = renewalSchedule;
        this.stateDir = options.stateDir();
        this.identity = id;
        if (!clock.instant().isBefore(id.certificate().getNotAfter().toInstant())) {
            throw new ExpiredCertificateException(expired(id));
        }
        // Kerberos delegation with the group's settings, as the proxy sends them (written to the state directory).
        this.kerberos = new KerberosStep(options.stateDir(), Clock.systemUTC());
        // In the order they came (a removal then a new set must not swap), off the tunnels' reader threads.
        groupSettings.onKerberos(config -> kerberosSettings.execute(() -> kerberos.configure(config)));
        this.sso = new SsoGate(new SsoStep(kerberos));
        this.connectorId = id.connectorId();
        char[] pw = "in-memory".toCharArray();
        SslContextFactory.Client tls = Clients.serverTls();
        tls.setKeyStore(id.keyStore(pw));
        tls.setKeyStorePassword(new String(pw));
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("server-ca", id.serverCa());
        tls.setTrustStore(trust);
        // Cheaper bulk cipher on the tunnel (AES-128-GCM first); the profile's other suites stay available.
        tls.setIncludeCipherSuites(TunnelCiphers.preferred());
        this.tunnelTls = tls;
        tunnelHttp = Clients.serverClient(tls, options.outboundProxy());
        // Started first, so that the WebSocket client takes its buffer pool (Clients.serverClient) instead of a default one.
        tunnelHttp.start();
        ws = new WebSocketClient(tunnelHttp);
        ws.setMaxBinaryMessageSize(FrameCodec.MAX_FRAME_SIZE);
        ws.setMaxFrameSize(FrameCodec.MAX_FRAME_SIZE);
        ws.setIdleTimeout(options.heartbeat().multipliedBy(6));
        ws.start();

        upstreamHttp = Clients.upstreamClient(upstreamTls(options.upstreamCa()));
        upstreamHttp.start();
        upstreamH2 = Clients.http2Client(upstreamTls(options.upstreamCa()));
        upstreamH2.start();
        upstreamWs = new WebSocketClient(upstreamHttp);
        upstreamWs.setMaxTextMessageSize(UpstreamWebSocket.MAX_MESSAGE);
        upstreamWs.setMaxBinaryMessageSize(UpstreamWebSocket.MAX_MESSAGE);
        upstreamWs.setIdleTimeout(Duration.ofMinutes(5));
        upstreamWs.start();

        this.address = tunnelAddress(id, options.stateDir(), options.outboundProxy());
        URI server = URI.create(id.serverUrl());
        UpstreamExchange upstreamExchange = new UpstreamExchange(upstreamHttp, upstreamH2);
        this.nodeTunnels = new NodeTunnels(options.tunnels(), this::newTunnel, address, new NodeUrls(URI.create(id.tunnelUrl()), server),
                () -> nodesOf(EndpointLookup.endpoints(server, id.serverCa(), LOOKUP_TIMEOUT, options.outboundProxy())), Clock.systemUTC(),
                LOOKUP_INTERVAL);
        this.metrics = new ConnectorMetrics(connectorId, VERSION, this::activeStreams, this::connectedTunnels, nodeTunnels::expected);
        this.health = new ConnectorHealth(this::connectedTunnels, nodeTunnels::expected,
                () -> nodeTunnels.tunnels().stream().anyMatch(TunnelClient::loopDied));
        // Each tunnel's connections, bytes and streams go to the metrics and the access log.
        this.observer = metrics.andThen(new StreamLog());
        this.announceSso = announceSso;
        this.heartbeat = options.heartbeat();
        this.flowControl = options.flowControl();
        // This connector's own cap (a server in the same JVM has its own): every link it dials counts against it.
        this.pinned = new PinnedInput(options.pinnedMax());
        this.exchange = upstreamExchange;
        // One choice for all tunnels: a server that refused the newer transport is dialled with WebSocket by every tunnel.
        this.transports = new TransportChoice(options.transport(), newerTransport(tunnelHttp, options.heartbeat(), pinned), new WebSocketDialer(ws));
        Optional.ofNullable(firstNodes).ifPresent(nodeTunnels::update);
        nodeTunnels.start();
        // A renewal left under way (its answer lost, or stopped before storing it) completes at once, during the grace.
        renewals.scheduleWithFixedDelay(this::checkRenewal, PendingRenewal.exists(stateDir) ? 0 : renewalSchedule.firstCheck().toMillis(),
                renewalSchedule.interval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("connector {} started with {} tunnel(s) to each of {}{} (transport {})", connectorId, options.tunnels(), nodeTunnels.nodes(),
                options.outboundProxy().map(p -> " through the proxy " + p).orElse(""), options.transport().value());
    }

    /**
     * The transport tried before WebSocket in mode {@code auto} (docs/design/tunnel-transport.md): on {@code tunnelHttp} (the
     * client certificate, the pinned CA, the outbound proxy), idle after six heartbeats as the WebSocket client:
     * {@code drawbridge-tunnel/2}, length-prefixed frames on the upgraded connection, its links' retained slices under this
     * connector's own cap ({@code pinned}).
     */
    private static Optional<LinkDialer> newerTransport(HttpClient tunnelHttp, Duration heartbeat, PinnedInput pinned) {
        return Optional.of(new FrameLinkDialer(tunnelHttp, heartbeat.multipliedBy(6), pinned));
    }

    /** A tunnel dialling {@code tunnelAddress}, serving streams here (made by {@link NodeTunnels}, one group per node). */
    private TunnelClient newTunnel(int index, TunnelAddress tunnelAddress) {
        TunnelClient.StreamHandler handler = new TunnelClient.StreamHandler() {
            @Override
            public void serve(TunnelStream stream, Verification user) {
                Connector.this.serve(stream, user, exchange);
            }

            @Override
            public void configured(Frame.Config config) {
                if (ClusterNodes.KIND.equals(config.kind())) {
                    ClusterNodes.from(config).ifPresentOrElse(nodeTunnels::update,
                            () -> LOG.warn("the server sent a node list this connector cannot read; keeping the nodes it has"));
                    return;
                }
                groupSettings.accept(config);
            }
        };
        TunnelClient t = new TunnelClient(index, transports, tunnelAddress, VERSION, heartbeat, handler, this::failedForGood, announceSso,
                Clock.systemUTC());
        // One process budget across every tunnel of this connector, to every node (--tunnel-parked-max).
        t.flowControl(flowControl);
        t.observe(observer);
        return t;
    }

    /** The node list of an endpoints answer; empty from an older server, or when the list is not valid. */
    private static Optional<ClusterNodes> nodesOf(ConnectorEndpoints e) {
        if (e.nodes().isEmpty()) {
            return Optional.empty();
        }
        try {
            return Optional.of(new ClusterNodes(e.nodesVersion(), e.nodes().stream().distinct().limit(ClusterNodes.MAX_NODES).toList()));
        } catch (IllegalArgumentException invalid) {
            LOG.warn("the server's node list is not usable ({}); keeping the nodes this connector has", invalid.getMessage());
            return Optional.empty();
        }
    }

    /** A node list from the endpoints answer: to the tunnels, or kept for them while they are being made. */
    private void nodesReceived(ClusterNodes nodes) {
        NodeTunnels t = nodeTunnels;
        if (t != null) {
            t.update(nodes);
        } else {
            firstNodes = nodes;
        }
    }

    /**
     * Where to dial: the server (at the stored admin URL, trusting only the stored CA) is asked for its current
     * tunnel URL (and its live nodes) now and whenever the tunnels cannot connect; when it cannot be asked, the stored
     * URL is dialled.
     */
    private TunnelAddress tunnelAddress(ConnectorIdentity id, Path stateDir, Optional<OutboundProxy> proxy) {
        URI server = URI.create(id.serverUrl());
        AtomicReference<TunnelAddress> self = new AtomicReference<>();
        TunnelAddress address = new TunnelAddress(URI.create(id.tunnelUrl()),
                () -> {
                    ConnectorEndpoints e = EndpointLookup.endpoints(server, id.serverCa(), LOOKUP_TIMEOUT, proxy);
                    Optional<ClusterNodes> nodes = nodesOf(e);
                    nodes.ifPresent(this::nodesReceived);
                    TunnelAddress here = self.get();
                    return NodeTunnels.primaryUrl(here == null ? null : here.current(), e.tunnelUrl(), nodes);
                },
                url -> id.withEndpoints(id.serverUrl(), url).saveEndpoints(stateDir),
                Clock.systemUTC(), LOOKUP_INTERVAL);
        self.set(address);
        try {
            address.refresh();
        } catch (Exception e) {
            LOG.warn("cannot ask {} for its tunnel URL ({}); dialling the stored {} (if the server moved, run "
                    + "'drawbridge-connector set-server --server <its admin URL>')", server, e.getMessage(), id.tunnelUrl());
        }
        return address;
    }

    public static Connector start(Options options) throws Exception {
        return new Connector(options, true, Clock.systemUTC(), RenewalSchedule.DEFAULT);
    }

    /** As {@link #start(Options)}, with {@code clock} deciding when the certificate is due for renewal (tests). */
    public static Connector start(Options options, Clock clock) throws Exception {
        return new Connector(options, true, clock, RenewalSchedule.DEFAULT);
    }

    /** As {@link #start(Options, Clock)}, checking the certificate's age on {@code renewal}'s schedule. */
    public static Connector start(Options options, Clock clock, RenewalSchedule renewal) throws Exception {
        return new Connector(options, true, clock, renewal);
    }

    private void failedForGood(String why) {
        ConnectorIdentity id = identity;
        permanentFailure.complete(clock.instant().isBefore(id.certificate().getNotAfter().toInstant()) ? why : expired(id));
    }

    private static String expired(ConnectorIdentity id) {
        return "this connector's certificate expired at " + id.certificate().getNotAfter().toInstant() + ": register it again with a new"
                + " token ('drawbridge tokens create'), as it could not renew it in time (it renews once half its validity has passed,"
                + " while it can reach its server)";
    }

    /**
     * The periodic age check: nothing while a backing-off retry is scheduled (that retry tries; otherwise every check of a
     * short interval would try again at once, and each failed one start one more retry chain).
     */
    private void checkRenewal() {
        if (renewalRetry != null && !renewalRetry.isDone()) {
            return;
        }
        renewIfDue();
    }

    /**
     * Renews the certificate when it is due or a renewal is under way (a pending key); a failure is logged and tried again
     * at the next check, or soon (backing off) while a renewal is under way: the server may have renewed already, and the
     * previous certificate fetches the answer again only during its grace.
     */
    private void renewIfDue() {
        if (!PendingRenewal.exists(stateDir) && !CertificateRenewal.due(identity.certificate(), clock.instant())) {
            return;
        }
        try {
            renewCertificate();
            renewalFailures = 0;
        } catch (CertificateRenewal.RenewalException | IOException | RuntimeException e) {
            boolean soon = PendingRenewal.exists(stateDir) && !(e instanceof CertificateRenewal.RenewalException r && !r.retryable());
            Duration wait = soon ? CertificateRenewal.retryDelay(++renewalFailures) : renewalSchedule.interval();
            LOG.warn("cannot renew this connector's certificate (valid until {}): {}; trying again in {} s",
                    identity.certificate().getNotAfter().toInstant(), e.getMessage(), wait.toSeconds());
            if (soon) {
                renewalRetry = renewals.schedule(this::renewIfDue, wait.toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    /**
     * Renews the client certificate now: a new key (kept as pending until the answer is stored; a renewal under way asks
     * again for its pending key), the server's new certificate, stored (the previous pair kept), and used
     * by every tunnel connection from now on; the server retires the tunnels on the previous one, which reconnect with it.
     * Answers the new certificate.
     */
    public synchronized X509Certificate renewCertificate() throws CertificateRenewal.RenewalException, IOException {
        ConnectorIdentity renewed = CertificateRenewal.renewAndStore(identity, stateDir, address.current(), tunnelHttp);
        char[] pw = "in-memory".toCharArray();
        try {
            KeyStore ks = renewed.keyStore(pw);
            tunnelTls.reload(f -> {
                f.setKeyStore(ks);
                f.setKeyStorePassword(new String(pw));
            });
        } catch (Exception e) {
            throw new IOException("renewed and stored the certificate, but cannot use it yet (" + e.getMessage() + "); restart the connector", e);
        }
        identity = renewed;
        LOG.info("renewed this connector's certificate: serial {}, valid until {}", renewed.certificate().getSerialNumber().toString(16),
                renewed.certificate().getNotAfter().toInstant());
        return renewed.certificate();
    }

    /** The client certificate in use. */
    public X509Certificate certificate() {
        return identity.certificate();
    }

    /**
     * A connector that does not announce single sign-on on its tunnels, as connectors before issue 10: the server sends
     * it no keys and no identities. For compatibility tests.
     */
    public static Connector startWithoutSso(Options options) throws Exception {
        return new Connector(options, false, Clock.systemUTC(), RenewalSchedule.DEFAULT);
    }

    /** The single sign-on settings of this connector's group, as the proxy sent them (e.g. Kerberos). */
    public GroupSettings groupSettings() {
        return groupSettings;
    }

    /** Kerberos delegation with the group's settings. */
    public KerberosStep kerberos() {
        return kerberos;
    }

    /** Where streams meet single sign-on: the verified user of each, and the refusal of those that need one. */
    public SsoGate sso() {
        return sso;
    }

    /**
     * Called on the tunnel's reader thread for each new stream: must not block. {@code user} is its verified identity (or
     * why there is none), which the single sign-on step will read; nothing the client sent stands in for it.
     */
    private void serve(TunnelStream stream, Verification user, UpstreamExchange exchange) {
        Optional<SsoGate.Admission> admitted = sso.admission(stream, user);
        if (admitted.isEmpty()) {
            return;
        }
        RequestHead head = admitted.get().head();
        ChallengeAuth auth = admitted.get().auth();
        if (head.isTcp()) {
            Thread.ofVirtual().name("stream-" + stream.id()).start(RequestContext.with(head, () -> UpstreamTcp.run(stream)));
        } else if (head.websocket()) {
            Thread.ofVirtual().name("stream-" + stream.id()).start(RequestContext.with(head, () -> UpstreamWebSocket.run(upstreamWs, stream,
                    head, auth)));
        } else if (admitted.get().interceptor().isPresent()) {
            exchange.start(stream, head, admitted.get().interceptor().get());
        } else if (auth != null) {
            // Signing in may ask a KDC: off the tunnel's reader thread.
            Thread.ofVirtual().name("stream-" + stream.id()).start(RequestContext.with(head, () -> exchange.run(stream, head, auth)));
        } else {
            exchange.start(stream, head);
        }
    }

    private static SslContextFactory.Client upstreamTls(Optional<Path> extraCa) throws Exception {
        SslContextFactory.Client tls = new SslContextFactory.Client();
        if (extraCa.isPresent()) {
            // System CAs plus the configured one.
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            var tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init((KeyStore) null);
            int i = 0;
            for (X509Certificate c : ((X509TrustManager) tmf.getTrustManagers()[0]).getAcceptedIssuers()) {
                ks.setCertificateEntry("system-" + i++, c);
            }
            try (InputStream in = Files.newInputStream(extraCa.get())) {
                for (var c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    ks.setCertificateEntry("extra-" + i++, c);
                }
            }
            tls.setTrustStore(ks);
        }
        return tls;
    }

    public String connectorId() {
        return connectorId;
    }

    /**
     * Waits until every tunnel connected once. Throws {@link ConnectorRefusedException} at once when the server
     * refused this connector for good, and an {@link java.io.IOException} saying where it dialled when the time ran out.
     */
    public void awaitConnected(Duration timeout) throws Exception {
        try {
            nodeTunnels.connected().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof ConnectorRefusedException refused) {
                throw refused;
            }
            throw e;
        } catch (TimeoutException e) {
            throw new IOException("the tunnels did not connect to " + nodeTunnels.nodes() + " within " + timeout.toSeconds() + " s", e);
        }
    }

    /**
     * The server-facing HTTP client: this connector's certificate (renewed in place), the pinned server CA, the outbound
     * proxy; for the tunnel port's other endpoints (auto-update).
     */
    public HttpClient serverHttp() {
        return tunnelHttp;
    }

    /** How the tunnels choose their transport. */
    public TransportChoice transports() {
        return transports;
    }

    /** The tunnel URL the tunnels dial now. */
    public URI tunnelUrl() {
        return address.current();
    }

    public int connectedTunnels() {
        return (int) nodeTunnels.tunnels().stream().filter(TunnelClient::isConnected).count();
    }

    /** The nodes this connector keeps tunnels to, and how many of each node's are connected now. */
    public Map<URI, Integer> connectedByNode() {
        return nodeTunnels.connectedByNode();
    }

    /** Streams in flight on all tunnels. */
    public int activeStreams() {
        return nodeTunnels.tunnels().stream().mapToInt(TunnelClient::activeStreams).sum();
    }

    /** The connector's metrics (served by a {@link ManagementServer}, read by tests). */
    public ConnectorMetrics metrics() {
        return metrics;
    }

    /** The connector's liveness and readiness. */
    public ConnectorHealth health() {
        return health;
    }

    /** Completes with a reason when the server refused this connector for good (revoked, unknown). */
    public CompletableFuture<String> permanentFailure() {
        return permanentFailure;
    }

    /** Simulates a crash: tunnels drop at once, in-flight streams fail. */
    public void kill() throws Exception {
        health.stopping();
        nodeTunnels.stop().forEach(TunnelClient::abort);
        stopClients();
    }

    /** Graceful stop: in-flight requests finish (up to 30 s), no new ones are accepted. */
    @Override
    public void close() throws Exception {
        // Not ready from now on; in-flight requests finish.
        health.stopping();
        List<Thread> drains = nodeTunnels.stop().stream().map(t -> Thread.startVirtualThread(() -> t.drainAndStop(Duration.ofSeconds(30)))).toList();
        for (Thread d : drains) {
            d.join();
        }
        stopClients();
    }

    private void stopClients() throws Exception {
        renewals.shutdownNow();
        kerberosSettings.shutdownNow();
        kerberos.close();
        ws.stop();
        tunnelHttp.stop();
        upstreamWs.stop();
        upstreamHttp.stop();
        upstreamH2.stop();
        metrics.close();
    }
}
