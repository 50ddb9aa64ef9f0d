package dev.drawbridge.proxy.config;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.tunnel.ByteSize;
import dev.drawbridge.model.tunnel.FlowControl;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.WindowBudget;
import dev.drawbridge.proxy.forwarding.TrustedProxies;
import dev.drawbridge.proxy.secrets.ClusterKey;
import dev.drawbridge.proxy.secrets.ClusterKeyException;
import dev.drawbridge.tunnel.transport.PinnedInput;
import org.postgresql.Driver;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The proxy server's configuration, validated once at start.
 *
 * @param dataDir     where keys, certificates and the embedded database live (created on first start)
 * @param domain      apps are published as {@code https://<app>.<domain>/}; the admin API is at {@code admin.<domain>}
 * @param bindHost    address both listeners bind to
 * @param publicPort  HTTPS port for users and admins (0 = ephemeral)
 * @param tunnelPort  mutual-TLS port for connector tunnels (0 = ephemeral)
 * @param databaseUrl empty for embedded H2, or a {@code jdbc:postgresql:} URL
 * @param heartbeat   how often tunnels are pinged; three missed pongs close a tunnel
 * @param timeouts    what the apps' DEFAULT and LONG backend timeouts mean (85 s and 180 s unless tuned)
 * @param identity    session lifetime, idle timeout and account lockout
 * @param throttling  request rate limits, globally and per app (429 with Retry-After beyond them)
 * @param proxies     load balancers in front of the public listener whose word about the client address is taken
 * @param management  the management listener (metrics and health), off or where it listens
 * @param updateLease how long a connector may take to update and come back healthy before its group's rollout halts
 * @param liveRecheck how often open WebSockets and streams are checked against revocations, assignments and policies
 * @param cluster     what a node of several sharing one PostgreSQL needs (docs/scale-out.md); {@link Cluster#NONE} for one node
 * @param retention   how long the sign-in log, the audit log and the connector events are kept (docs/operations.md)
 * @param tunnelWindows how far the receive windows of tunnel streams may grow, per stream, per tunnel and in all
 * @param keyRotation how often the signing keys rotate on their own, once across the cluster (empty: on demand only)
 * @param connectionLimits how many connections the public and tunnel listeners hold open at once
 */
public record ServerConfig(Path dataDir, String domain, String bindHost, int publicPort, int tunnelPort,
                           Optional<String> databaseUrl, Duration heartbeat, BackendTimeouts timeouts,
                           IdentitySettings identity, Throttling throttling, Proxies proxies, Management management,
                           Duration updateLease, Duration liveRecheck, Cluster cluster, Retention retention, TunnelWindows tunnelWindows,
                           Optional<Duration> keyRotation, ConnectionLimits connectionLimits) {
    private static final Pattern DOMAIN = Pattern.compile("^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$");

    public ServerConfig {
        cluster = cluster == null ? Cluster.NONE : cluster;
        retention = retention == null ? Retention.DEFAULTS : retention;
        tunnelWindows = tunnelWindows == null ? TunnelWindows.DEFAULTS : tunnelWindows;
        keyRotation = keyRotation == null ? Optional.of(DEFAULT_KEY_ROTATION) : keyRotation;
        connectionLimits = connectionLimits == null ? ConnectionLimits.defaults() : connectionLimits;
    }

    /** A configuration with the default connection limits ({@link ConnectionLimits#defaults()}). */
    public ServerConfig(Path dataDir, String domain, String bindHost, int publicPort, int tunnelPort, Optional<String> databaseUrl,
                        Duration heartbeat, BackendTimeouts timeouts, IdentitySettings identity, Throttling throttling, Proxies proxies,
                        Management management, Duration updateLease, Duration liveRecheck, Cluster cluster, Retention retention,
                        TunnelWindows tunnelWindows, Optional<Duration> keyRotation) {
        this(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling, proxies, management,
                updateLease, liveRecheck, cluster, retention, tunnelWindows, keyRotation, null);
    }

    /** Holding at most {@code limits} connections open on the public and tunnel listeners. */
    public ServerConfig withConnectionLimits(ConnectionLimits limits) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling,
                proxies, management, updateLease, liveRecheck, cluster, retention, tunnelWindows, keyRotation, limits);
    }

    /**
     * The default of {@code --signing-key-rotation-period}: on, every 90 days. A rotation signs nobody out (the previous
     * keys verify until what they signed has expired), so the only effect users could see is none; and it bounds how long a
     * signing key stolen without anyone noticing stays useful, which an "off" default would leave unbounded on every
     * installation whose operators never rotate by hand.
     */
    public static final Duration DEFAULT_KEY_ROTATION = Duration.ofDays(90);
    /** The shortest and longest {@code --signing-key-rotation-period}. */
    public static final Duration MIN_KEY_ROTATION = Duration.ofDays(1), MAX_KEY_ROTATION = Duration.ofDays(3650);

    /** A configuration with the default signing key rotation period. */
    public ServerConfig(Path dataDir, String domain, String bindHost, int publicPort, int tunnelPort, Optional<String> databaseUrl,
                        Duration heartbeat, BackendTimeouts timeouts, IdentitySettings identity, Throttling throttling, Proxies proxies,
                        Management management, Duration updateLease, Duration liveRecheck, Cluster cluster, Retention retention,
                        TunnelWindows tunnelWindows) {
        this(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling, proxies, management,
                updateLease, liveRecheck, cluster, retention, tunnelWindows, Optional.of(DEFAULT_KEY_ROTATION));
    }

    /** Rotating the signing keys every {@code period} (empty: on demand only). */
    public ServerConfig withKeyRotation(Optional<Duration> period) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling,
                proxies, management, updateLease, liveRecheck, cluster, retention, tunnelWindows, period, connectionLimits);
    }

    /** A configuration with the default log retention and tunnel windows. */
    public ServerConfig(Path dataDir, String domain, String bindHost, int publicPort, int tunnelPort, Optional<String> databaseUrl,
                        Duration heartbeat, BackendTimeouts timeouts, IdentitySettings identity, Throttling throttling, Proxies proxies,
                        Management management, Duration updateLease, Duration liveRecheck, Cluster cluster) {
        this(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling, proxies, management,
                updateLease, liveRecheck, cluster, Retention.DEFAULTS, TunnelWindows.DEFAULTS);
    }

    /**
     * How far the receive windows of tunnel streams may grow beyond the initial 512 KiB (docs/tunnel.md, "Flow control"):
     * what a stream, a tunnel and the whole server may hold of data received from connectors and not yet read.
     *
     * @param maxStreamWindow the largest window of one stream ({@code --tunnel-max-stream-window})
     * @param tunnelBudget    the growth of all windows of one tunnel together ({@code --tunnel-window-budget})
     * @param processBudget   the growth of all windows of all tunnels together ({@code --tunnel-parked-max})
     * @param pinnedMax       the input buffers that retained DATA slices of all tunnels may pin together
     *                        ({@code --tunnel-pinned-max}; 0: always copy)
     */
    public record TunnelWindows(long maxStreamWindow, long tunnelBudget, long processBudget, long pinnedMax) {
        public static final TunnelWindows DEFAULTS = new TunnelWindows(FlowControl.DEFAULT_MAX_WINDOW, FlowControl.DEFAULT_TUNNEL_BUDGET,
                WindowBudget.DEFAULT_LIMIT, PinnedInput.SERVER_DEFAULT);
        /** The largest window a stream may be given: 1 GiB. */
        public static final long MAX_STREAM_WINDOW = 1024L * 1024 * 1024;

        /** With the server's default cap on pinned input buffers ({@link PinnedInput#SERVER_DEFAULT}). */
        public TunnelWindows(long maxStreamWindow, long tunnelBudget, long processBudget) {
            this(maxStreamWindow, tunnelBudget, processBudget, PinnedInput.SERVER_DEFAULT);
        }

        /** The server's cap on pinned input buffers: made once per server, shared out among its connectors. */
        public PinnedInput pinnedInput() {
            return new PinnedInput(pinnedMax);
        }

        /** The flow control of every tunnel: one process budget, made once per server. */
        public FlowControl flowControl() {
            return new FlowControl((int) maxStreamWindow, tunnelBudget, new WindowBudget(processBudget));
        }

        void problems(List<String> p) {
            if (maxStreamWindow < Multiplexer.INITIAL_WINDOW || maxStreamWindow > MAX_STREAM_WINDOW) {
                p.add("tunnelWindows.maxStreamWindow: " + ByteSize.format(maxStreamWindow) + " must be between 512k (fixed windows) and 1g"
                        + " (--tunnel-max-stream-window)");
            }
            if (tunnelBudget < 0) {
                p.add("tunnelWindows.tunnelBudget: must not be negative (--tunnel-window-budget)");
            }
            if (processBudget < 0) {
                p.add("tunnelWindows.processBudget: must not be negative (--tunnel-parked-max)");
            }
            if (pinnedMax < 0) {
                p.add("tunnelWindows.pinnedMax: must not be negative (--tunnel-pinned-max)");
            }
        }
    }

    /** The default of {@code --update-lease}. */
    public static final Duration DEFAULT_UPDATE_LEASE = Duration.ofMinutes(15);
    /** The default of {@code --live-recheck-interval}. */
    public static final Duration DEFAULT_LIVE_RECHECK = Duration.ofSeconds(5);

    /** A configuration with the default live recheck interval. */
    public ServerConfig(Path dataDir, String domain, String bindHost, int publicPort, int tunnelPort, Optional<String> databaseUrl,
                        Duration heartbeat, BackendTimeouts timeouts, IdentitySettings identity, Throttling throttling, Proxies proxies,
                        Management management, Duration updateLease) {
        this(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling, proxies, management,
                updateLease, DEFAULT_LIVE_RECHECK, Cluster.NONE, Retention.DEFAULTS, TunnelWindows.DEFAULTS);
    }

    public static ServerConfig defaults(Path dataDir) {
        return new ServerConfig(dataDir, "localhost", "0.0.0.0", 8443, 8444, Optional.empty(), Duration.ofSeconds(10),
                BackendTimeouts.STANDARD, IdentitySettings.DEFAULTS, Throttling.DEFAULTS, Proxies.NONE, Management.OFF,
                DEFAULT_UPDATE_LEASE);
    }

    public ServerConfig withPorts(String bind, int pub, int tunnel) {
        return new ServerConfig(dataDir, domain, bind, pub, tunnel, databaseUrl, heartbeat, timeouts, identity, throttling, proxies, management,
                updateLease, liveRecheck, cluster, retention, tunnelWindows, keyRotation, connectionLimits);
    }

    /** On PostgreSQL at {@code jdbcUrl} (several nodes may share it). */
    public ServerConfig withDatabaseUrl(String jdbcUrl) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, Optional.of(jdbcUrl), heartbeat, timeouts, identity,
                throttling, proxies, management, updateLease, liveRecheck, cluster);
    }

    public ServerConfig withUpdateLease(Duration d) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling,
                proxies, management, d, liveRecheck, cluster, retention, tunnelWindows, keyRotation, connectionLimits);
    }

    public ServerConfig withCluster(Cluster c) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling,
                proxies, management, updateLease, liveRecheck, c, retention, tunnelWindows, keyRotation, connectionLimits);
    }

    /**
     * What one node of several sharing one PostgreSQL database needs beyond the rest of the configuration
     * (docs/scale-out.md). Empty for a single node.
     *
     * @param keyFile           the key-encryption key sealing the secrets the nodes share in the database (a file,
     *                           {@code --cluster-key-file})
     * @param advertiseTunnelUrl the tunnel URL this node gives connectors when it is not the one they would derive from the
     *                          admin host and the tunnel port (a relay, NAT or load balancer in front of the tunnel port)
     * @param key               the same key given directly ({@code DRAWBRIDGE_CLUSTER_KEY}) instead of as a file
     * @param preStopPause      how long a node told to stop keeps accepting and serving while its {@code /health/ready}
     *                          already answers 503, before it closes its listener and drains ({@code --drain-pre-stop-pause}):
     *                          long enough for a load balancer's readiness checks to take it out of rotation, so that no
     *                          connection the balancer sends meanwhile meets a closed port; zero without a balancer
     */
    public record Cluster(Optional<Path> keyFile, Optional<URI> advertiseTunnelUrl, Optional<ClusterKey> key, Duration preStopPause) {
        public static final Cluster NONE = new Cluster(Optional.empty(), Optional.empty());
        /**
         * The pause the command line gives a node on PostgreSQL unless told otherwise: enough for checks every second failing
         * twice ({@code inter 1s fall 2}), or every 300 ms ({@code inter 300ms fall 2}: 0.6 s); haproxy's own defaults
         * ({@code inter 2s fall 3}) need 6 s or more. The embedded database (one node, no balancer) and the configuration
         * built in code pause for nothing.
         */
        public static final Duration DEFAULT_PRE_STOP_PAUSE = Duration.ofSeconds(3);
        /** The longest pause: the stop timeout (10 s) still follows it, and service managers kill a stop that takes too long. */
        public static final Duration MAX_PRE_STOP_PAUSE = Duration.ofSeconds(60);

        public Cluster {
            keyFile = keyFile == null ? Optional.empty() : keyFile;
            advertiseTunnelUrl = advertiseTunnelUrl == null ? Optional.empty() : advertiseTunnelUrl;
            key = key == null ? Optional.empty() : key;
            preStopPause = preStopPause == null ? Duration.ZERO : preStopPause;
        }

        public Cluster(Optional<Path> keyFile, Optional<URI> advertiseTunnelUrl, Optional<ClusterKey> key) {
            this(keyFile, advertiseTunnelUrl, key, Duration.ZERO);
        }

        public Cluster(Optional<Path> keyFile, Optional<URI> advertiseTunnelUrl) {
            this(keyFile, advertiseTunnelUrl, Optional.empty());
        }

        /** This with another {@link #preStopPause}. */
        public Cluster withPreStopPause(Duration pause) {
            return new Cluster(keyFile, advertiseTunnelUrl, key, pause);
        }

        /** Whether this node shares its secrets with a cluster through the database (a cluster key is set). */
        public boolean sharesSecrets() {
            return keyFile.isPresent() || key.isPresent();
        }

        /**
         * The cluster key: read from {@link #keyFile} or given as {@link #key}.
         *
         * @throws ClusterKeyException when the file cannot be read or holds no cluster key
         */
        public Optional<ClusterKey> resolveKey() {
            return keyFile.map(f -> ClusterKey.read(f, "--cluster-key-file")).or(() -> key);
        }
    }

    public ServerConfig withRetention(Retention r) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling,
                proxies, management, updateLease, liveRecheck, cluster, r, tunnelWindows, keyRotation, connectionLimits);
    }

    /**
     * How long each log kept in the database lasts before the {@code logs.retention} job deletes it; empty: kept forever.
     *
     * @param signInLog       the sign-in log ({@code --sign-in-log-retention})
     * @param auditLog        the audit log ({@code --audit-log-retention})
     * @param connectorEvents the connector events ({@code --connector-event-retention})
     */
    public record Retention(Optional<Duration> signInLog, Optional<Duration> auditLog, Optional<Duration> connectorEvents) {
        /** The sign-in log's and the connector events' retention unless configured: 30 days, as Entra keeps its sign-in log. */
        public static final Duration DEFAULT = Duration.ofDays(30);
        /**
         * The audit log's unless configured: a year. Investigations and audits reach further back than sign-ins, and a
         * version that kept everything must not lose an older audit trail at the first run after an upgrade.
         */
        public static final Duration AUDIT_DEFAULT = Duration.ofDays(365);
        public static final Duration MIN = Duration.ofDays(1);
        public static final Duration MAX = Duration.ofDays(3650);
        public static final Retention DEFAULTS = new Retention(Optional.of(DEFAULT), Optional.of(AUDIT_DEFAULT), Optional.of(DEFAULT));

        public Retention {
            signInLog = signInLog == null ? Optional.empty() : signInLog;
            auditLog = auditLog == null ? Optional.empty() : auditLog;
            connectorEvents = connectorEvents == null ? Optional.empty() : connectorEvents;
        }

        void problems(List<String> p) {
            check(p, "retention.signInLog", "--sign-in-log-retention", signInLog);
            check(p, "retention.auditLog", "--audit-log-retention", auditLog);
            check(p, "retention.connectorEvents", "--connector-event-retention", connectorEvents);
        }

        private static void check(List<String> p, String field, String option, Optional<Duration> d) {
            if (d.isPresent() && (d.get().compareTo(MIN) < 0 || d.get().compareTo(MAX) > 0)) {
                p.add(field + ": must be from 1 day to 3650 days, or off to keep the log forever (" + option + ")");
            }
        }
    }

    public ServerConfig withTunnelWindows(TunnelWindows w) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling,
                proxies, management, updateLease, liveRecheck, cluster, retention, w, keyRotation, connectionLimits);
    }

    public ServerConfig withLiveRecheck(Duration d) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling,
                proxies, management, updateLease, d, cluster, retention, tunnelWindows, keyRotation, connectionLimits);
    }

    public ServerConfig withHeartbeat(Duration d) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, d, timeouts, identity, throttling,
                proxies, management, updateLease, liveRecheck, cluster, retention, tunnelWindows, keyRotation, connectionLimits);
    }

    public ServerConfig withTimeouts(BackendTimeouts t) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, t, identity, throttling,
                proxies, management, updateLease, liveRecheck, cluster, retention, tunnelWindows, keyRotation, connectionLimits);
    }

    public ServerConfig withIdentity(IdentitySettings i) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, i, throttling,
                proxies, management, updateLease, liveRecheck, cluster, retention, tunnelWindows, keyRotation, connectionLimits);
    }

    public ServerConfig withThrottling(Throttling t) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, t,
                proxies, management, updateLease, liveRecheck, cluster, retention, tunnelWindows, keyRotation, connectionLimits);
    }

    public ServerConfig withManagement(Management m) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling,
                proxies, m, updateLease, liveRecheck, cluster, retention, tunnelWindows, keyRotation, connectionLimits);
    }

    public ServerConfig withProxies(Proxies p) {
        return new ServerConfig(dataDir, domain, bindHost, publicPort, tunnelPort, databaseUrl, heartbeat, timeouts, identity, throttling,
                p, management, updateLease, liveRecheck, cluster, retention, tunnelWindows, keyRotation, connectionLimits);
    }

    /**
     * Load balancers and reverse proxies in front of the public listener (never the tunnel listener). A request
     * from a peer in {@code trusted} is attributed to the client it reports (the rightmost untrusted
     * {@code X-Forwarded-For} entry, or its PROXY header); from any other peer, to the peer itself.
     *
     * @param trusted       IP addresses or ranges (CIDR) of those proxies; empty = trust nobody
     * @param proxyProtocol accept the PROXY protocol (v1/v2) on the public listener, from trusted peers only
     */
    public record Proxies(List<String> trusted, boolean proxyProtocol) {
        public static final Proxies NONE = new Proxies(List.of(), false);

        public Proxies {
            trusted = trusted == null ? List.of() : List.copyOf(trusted);
        }
    }

    /**
     * The management listener: plain HTTP answering {@code /metrics} (Prometheus), {@code /health/live} and
     * {@code /health/ready}, and nothing of the public chain. It has no authentication, so it listens on loopback unless
     * told otherwise (docs/operations.md).
     *
     * @param enabled whether it listens at all
     * @param bind    the address it binds to
     * @param port    its port (0 = ephemeral)
     */
    public record Management(boolean enabled, String bind, int port) {
        /** The port {@code drawbridge-server serve} uses unless told otherwise. */
        public static final int DEFAULT_PORT = 8445;
        public static final String LOOPBACK = "127.0.0.1";
        /** No management listener. */
        public static final Management OFF = new Management(false, LOOPBACK, DEFAULT_PORT);

        /** A management listener on {@code bind}:{@code port}. */
        public static Management on(String bind, int port) {
            return new Management(true, bind, port);
        }
    }

    /**
     * Token-bucket rate limits: {@code *PerSecond} sustained, {@code *Burst} at once.
     */
    public record Throttling(int globalPerSecond, int globalBurst, int appPerSecond, int appBurst) {
        public static final Throttling DEFAULTS = new Throttling(100_000, 200_000, 50_000, 100_000);
    }

    /**
     * Sign-in sessions and lockout.
     *
     * @param sessionLifetime longest a session lasts after sign-in
     * @param idleTimeout     a session unused this long ends
     * @param lockoutThreshold consecutive failed sign-ins that lock an account
     * @param lockoutBase     first lockout duration; it doubles with each further failure (max 1 h)
     */
    public record IdentitySettings(Duration sessionLifetime, Duration idleTimeout, int lockoutThreshold, Duration lockoutBase) {
        public static final IdentitySettings DEFAULTS = new IdentitySettings(Duration.ofHours(8), Duration.ofHours(1), 5,
                Duration.ofSeconds(30));
    }

    /** The sign-in host: sign-in, sign-out and the user portal. */
    public String loginHost() {
        return "login." + domain;
    }

    /**
     * The durations behind {@link BackendTimeout#DEFAULT} and {@link BackendTimeout#LONG}, and the longest backend timeout an
     * app may be given in seconds ({@code max-backend-timeout}).
     */
    public record BackendTimeouts(Duration normal, Duration extended, Duration max) {
        /** The default of {@code --max-backend-timeout}. */
        public static final Duration DEFAULT_MAX = Duration.ofSeconds(600);
        public static final BackendTimeouts STANDARD = new BackendTimeouts(BackendTimeout.DEFAULT.duration(), BackendTimeout.LONG.duration());

        /** With the default longest app timeout (600 s). */
        public BackendTimeouts(Duration normal, Duration extended) {
            this(normal, extended, DEFAULT_MAX);
        }

        public Duration of(BackendTimeout t) {
            return t == BackendTimeout.LONG ? extended : normal;
        }
    }

    public String adminHost() {
        return "admin." + domain;
    }

    /** Every problem with this configuration, each a sentence naming the field; empty when valid. */
    public List<String> problems() {
        List<String> p = new ArrayList<>();
        if (dataDir == null) {
            p.add("dataDir: a data directory is required");
        }
        if (domain == null || !DOMAIN.matcher(domain).matches()) {
            p.add("domain: '" + domain + "' is not a DNS name such as apps.example.com (lower case, no scheme, no port)");
        }
        if (bindHost == null || bindHost.isBlank()) {
            p.add("bindHost: an address to bind is required, e.g. 0.0.0.0 or 127.0.0.1");
        }
        keyRotation.filter(d -> d.compareTo(MIN_KEY_ROTATION) < 0 || d.compareTo(MAX_KEY_ROTATION) > 0).ifPresent(d -> p.add(
                "signingKeyRotationPeriod: must be from 1 day to 3650 days, or off for on demand only (--signing-key-rotation-period)"));
        if (publicPort < 0 || publicPort > 65535) {
            p.add("publicPort: " + publicPort + " is not a port number (0-65535)");
        }
        if (tunnelPort < 0 || tunnelPort > 65535) {
            p.add("tunnelPort: " + tunnelPort + " is not a port number (0-65535)");
        }
        if (publicPort != 0 && publicPort == tunnelPort) {
            p.add("tunnelPort: must differ from publicPort " + publicPort);
        }
        databaseUrl.filter(u -> !u.startsWith("jdbc:postgresql:"))
                .ifPresent(u -> p.add("databaseUrl: only jdbc:postgresql: URLs are supported (leave it empty for embedded H2)"));
        // The driver's own refusal repeats the whole URL, password included: refused here, naming the setting only.
        databaseUrl.filter(u -> u.startsWith("jdbc:postgresql:") && Driver.parseURL(u, null) == null)
                .ifPresent(u -> p.add("databaseUrl: not a URL the PostgreSQL driver can read (a port that is not a number, or a '%' not "
                        + "followed by two hex digits: percent-encode special characters of the user and password, e.g. %25 for %); "
                        + "it is not repeated here since it may hold the password"));
        if (heartbeat == null || heartbeat.isNegative() || heartbeat.isZero()) {
            p.add("heartbeat: must be a positive duration");
        }
        if (updateLease == null || updateLease.compareTo(Duration.ofMinutes(1)) < 0 || updateLease.compareTo(Duration.ofDays(1)) > 0) {
            p.add("updateLease: must be between 1 minute and 1 day (--update-lease)");
        }
        if (liveRecheck == null || liveRecheck.compareTo(Duration.ofSeconds(1)) < 0 || liveRecheck.compareTo(Duration.ofMinutes(1)) > 0) {
            p.add("liveRecheck: must be between 1 second and 1 minute (--live-recheck-interval)");
        }
        if (timeouts == null || !timeouts.normal().isPositive() || !timeouts.extended().isPositive()) {
            p.add("timeouts: the DEFAULT and LONG backend timeouts must be positive durations");
        }
        if (timeouts != null && (timeouts.max() == null || timeouts.max().compareTo(Duration.ofSeconds(1)) < 0
                || timeouts.max().compareTo(Duration.ofDays(1)) > 0)) {
            p.add("timeouts.max: the longest backend timeout an app may have must be between 1 second and 1 day (--max-backend-timeout)");
        }
        if (throttling == null || throttling.globalPerSecond() < 1 || throttling.appPerSecond() < 1
                || throttling.globalBurst() < 1 || throttling.appBurst() < 1) {
            p.add("throttling: every rate and burst must be at least 1");
        }
        if (proxies == null) {
            p.add("proxies: required (use Proxies.NONE to trust no proxy)");
        } else {
            proxies.trusted().forEach(c -> TrustedProxies.problem(c)
                    .ifPresent(m -> p.add("proxies.trusted: " + m + " (--trusted-proxy)")));
            if (proxies.proxyProtocol() && proxies.trusted().isEmpty()) {
                p.add("proxies.proxyProtocol: the PROXY protocol (--proxy-protocol) is accepted only from trusted proxies;"
                        + " name your load balancers with --trusted-proxy");
            }
        }
        if (management == null) {
            p.add("management: required (use Management.OFF for no management listener)");
        } else if (management.enabled()) {
            if (management.bind() == null || management.bind().isBlank()) {
                p.add("management.bind: an address to bind is required, e.g. 127.0.0.1 (--management-bind)");
            }
            if (management.port() < 0 || management.port() > 65535) {
                p.add("management.port: " + management.port() + " is not a port number (0-65535) (--management-port)");
            } else if (management.port() != 0 && (management.port() == publicPort || management.port() == tunnelPort)) {
                p.add("management.port: " + management.port() + " is already the " + (management.port() == publicPort ? "public" : "tunnel")
                        + " port; choose another (--management-port)");
            }
        }
        tunnelWindows.problems(p);
        connectionLimits.problems(p);
        if (cluster.keyFile().isPresent() && cluster.key().isPresent()) {
            p.add("cluster.keyFile: the cluster key is set twice, as a file (--cluster-key-file) and in DRAWBRIDGE_CLUSTER_KEY; set one");
        }
        if (cluster.sharesSecrets() && databaseUrl.isEmpty()) {
            p.add("cluster.keyFile: a cluster key (--cluster-key-file or DRAWBRIDGE_CLUSTER_KEY) is for nodes sharing a PostgreSQL"
                    + " database; set --database-url too, or leave the key out for one node on the embedded database");
        }
        if (cluster.preStopPause().isNegative() || cluster.preStopPause().compareTo(Cluster.MAX_PRE_STOP_PAUSE) > 0) {
            p.add("cluster.drainPreStopPause: " + cluster.preStopPause().toMillis() + " ms is not from 0 to "
                    + Cluster.MAX_PRE_STOP_PAUSE.toSeconds() + " s (--drain-pre-stop-pause)");
        }
        if (domain != null && DOMAIN.matcher(domain).matches()) {
            cluster.advertiseTunnelUrl().flatMap(u -> AdvertisedTunnelUrl.problem(u, domain)).ifPresent(p::add);
        }
        if (identity == null || !identity.sessionLifetime().isPositive() || !identity.idleTimeout().isPositive()) {
            p.add("identity: the session lifetime and idle timeout must be positive durations");
        } else if (identity.lockoutThreshold() < 1 || !identity.lockoutBase().isPositive()) {
            p.add("identity: the lockout threshold must be at least 1 and the lockout duration positive");
        }
        if (retention != null) {
            retention.problems(p);
        }
        return p;
    }

    /** Throws with all problems listed when the configuration is invalid. */
    public ServerConfig validated() {
        List<String> p = problems();
        if (!p.isEmpty()) {
            throw new InvalidConfigException(p);
        }
        return this;
    }

    /** Invalid configuration; the message lists every problem. */
    public static final class InvalidConfigException extends RuntimeException {
        private final transient List<String> problems;

        public InvalidConfigException(List<String> problems) {
            super("invalid configuration:\n  - " + String.join("\n  - ", problems));
            this.problems = List.copyOf(problems);
        }

        /** Each problem, a sentence starting with the field's name and a colon. */
        public List<String> problems() {
            return problems;
        }
    }
}
