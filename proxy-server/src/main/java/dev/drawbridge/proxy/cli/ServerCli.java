package dev.drawbridge.proxy.cli;

import dev.drawbridge.cliconfig.ConfigOption;
import dev.drawbridge.cliconfig.LogFormat;
import dev.drawbridge.cliconfig.OptionDefaults;
import dev.drawbridge.cliconfig.ProgramVersion;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.tunnel.ByteSize;
import dev.drawbridge.model.tunnel.FlowControl;
import dev.drawbridge.model.tunnel.WindowBudget;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ConnectionLimits;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.secrets.ClusterKey;
import dev.drawbridge.proxy.secrets.ClusterKeyException;
import dev.drawbridge.tunnel.transport.PinnedInput;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * {@code drawbridge-server serve}: runs the proxy server; {@code backup} and {@code restore} ({@link BackupCommands}) save and
 * bring back its data directory; {@code cluster-key new} ({@link ClusterKeyCommand}) makes the key a cluster's nodes
 * share. The admin CLI is {@code drawbridge} (admin-cli).
 * Every option may also come from the environment ({@code DRAWBRIDGE_<OPTION>}) or the YAML file of {@code --config}
 * ({@link OptionDefaults}: the command line wins, then the environment, then the file). Every failure to start is one
 * sentence on stderr saying what to do (exit 2: the command line, the configuration, or a missing or damaged embedded database,
 * which restarting cannot mend; 1: anything else, e.g. a port in use).
 */
@Command(name = "drawbridge-server", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = ProgramVersion.class,
        description = "Drawbridge proxy server. Administer it with the drawbridge command (bin/drawbridge --help).",
        subcommands = {ServerCli.Serve.class, BackupCommands.BackupCommand.class, BackupCommands.RestoreCommand.class,
                ClusterKeyCommand.class})
public final class ServerCli implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The configured command line, with the process's environment and the package's configuration file. */
    public static CommandLine commandLine() {
        return commandLine(OptionDefaults.of(ENV_PREFIX));
    }

    /** The configured command line with these settings (tests give their own environment). */
    public static CommandLine commandLine(OptionDefaults defaults) {
        return FrontDoor.configure(new CommandLine(new ServerCli()), "the server could not start", defaults);
    }

    /** The environment variables of the options: {@code --tunnel-port} is {@code DRAWBRIDGE_TUNNEL_PORT}. */
    public static final String ENV_PREFIX = "DRAWBRIDGE_";
    /** The environment variable that may hold the cluster key itself, instead of {@code --cluster-key-file}. */
    public static final String CLUSTER_KEY_ENV = "DRAWBRIDGE_CLUSTER_KEY";

    @Override
    public Integer call() {
        spec.commandLine().getErr().println("error: say what to do, e.g. 'drawbridge-server serve'; see 'drawbridge-server --help'.");
        return FrontDoor.USAGE;
    }

    @Command(name = "serve", description = "Run the proxy server until stopped (Ctrl-C, SIGTERM).")
    static final class Serve implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--data-dir", description = "Data directory (default: ${DEFAULT-VALUE})")
        Path dataDir = Path.of(Optional.ofNullable(System.getenv("DRAWBRIDGE_DATA")).orElse("drawbridge-data"));
        @Option(names = "--domain", description = "Apps are published as https://<app>.<domain> (default: ${DEFAULT-VALUE})")
        String domain = "localhost";
        @Option(names = "--bind", description = "Address to bind (default: ${DEFAULT-VALUE})")
        String bind = "0.0.0.0";
        @Option(names = "--port", description = "Public HTTPS port (default: ${DEFAULT-VALUE})")
        int port = 8443;
        @Option(names = "--tunnel-port", description = "Connector tunnel port, mutual TLS (default: ${DEFAULT-VALUE})")
        int tunnelPort = 8444;
        @Option(names = "--database-url", description = "jdbc:postgresql: URL; embedded H2 when absent")
        String databaseUrl;
        @Option(names = "--trusted-proxy", paramLabel = "CIDR", split = ",",
                description = "A load balancer or reverse proxy in front of the public port (address or range, e.g. 10.0.0.0/24;"
                        + " repeatable): its X-Forwarded-For or PROXY header names the client. Default: trust nobody")
        List<String> trustedProxies = new ArrayList<>();
        @Option(names = "--proxy-protocol",
                description = "Accept the PROXY protocol (v1/v2) on the public port, from --trusted-proxy peers only")
        boolean proxyProtocol;
        @Option(names = "--management-port", paramLabel = "PORT|off",
                description = "Plain-HTTP port for /metrics (Prometheus), /health/live and /health/ready; no authentication, so keep it"
                        + " on loopback or firewalled; 'off' for none (default: ${DEFAULT-VALUE})")
        String managementPort = Integer.toString(ServerConfig.Management.DEFAULT_PORT);
        @Option(names = "--management-bind", description = "Address the management port binds to (default: ${DEFAULT-VALUE})")
        String managementBind = ServerConfig.Management.LOOPBACK;
        @Option(names = "--update-lease", paramLabel = "DURATION",
                description = "How long a connector may take to update and come back healthy before its group's rollout halts,"
                        + " e.g. 15m, 1h, PT20M (default: ${DEFAULT-VALUE})")
        String updateLease = "15m";
        @Option(names = "--live-recheck-interval", paramLabel = "DURATION",
                description = "How often open WebSockets and streams are checked against revocations, disables, assignments and"
                        + " conditional access (cut when they no longer pass), 1s to 1m (default: ${DEFAULT-VALUE})")
        String liveRecheckInterval = "5s";
        @Option(names = "--max-backend-timeout", paramLabel = "DURATION",
                description = "The longest backend timeout an app may be given in seconds (beyond DEFAULT's 85 s and LONG's 180 s),"
                        + " e.g. 600s, 30m (default: ${DEFAULT-VALUE})")
        String maxBackendTimeout = "600s";
        @Option(names = "--sign-in-log-retention", paramLabel = "DURATION|off",
                description = "How long sign-in log entries are kept, 1d to 3650d, or off to keep them forever (default: ${DEFAULT-VALUE})")
        String signInLogRetention = "30d";
        @Option(names = "--audit-log-retention", paramLabel = "DURATION|off",
                description = "How long audit log entries are kept, 1d to 3650d, or off to keep them forever (default: ${DEFAULT-VALUE})")
        String auditLogRetention = "365d";
        @Option(names = "--connector-event-retention", paramLabel = "DURATION|off",
                description = "How long connector events are kept, 1d to 3650d, or off to keep them forever (default: ${DEFAULT-VALUE})")
        String connectorEventRetention = "30d";
        @Option(names = "--signing-key-rotation-period", paramLabel = "DURATION|off",
                description = "How often the signing keys rotate on their own (once across a cluster; nobody is signed out), 1d to"
                        + " 3650d, or off for on demand only (default: ${DEFAULT-VALUE})")
        String signingKeyRotationPeriod = "90d";
        @Option(names = "--tunnel-max-stream-window", paramLabel = "SIZE",
                description = "The largest receive window one stream of a tunnel may grow to (its bandwidth-delay product: 16m covers"
                        + " 320 MiB/s at 50 ms), 512k (fixed windows) to 1g (default: ${DEFAULT-VALUE})")
        String tunnelMaxStreamWindow = ByteSize.format(FlowControl.DEFAULT_MAX_WINDOW);
        @Option(names = "--tunnel-window-budget", paramLabel = "SIZE",
                description = "How far the windows of one tunnel's streams together may grow beyond 512k each (default: ${DEFAULT-VALUE})")
        String tunnelWindowBudget = ByteSize.format(FlowControl.DEFAULT_TUNNEL_BUDGET);
        @Option(names = "--tunnel-parked-max", paramLabel = "SIZE",
                description = "The same across all tunnels: bounds what the server holds of data received from connectors and not yet"
                        + " read beyond 512k per stream (default: 256m, or a twelfth of the heap"
                        + " when less: the memory holding it can be up to 3 times as much)")
        String tunnelParkedMax;
        @Option(names = "--tunnel-pinned-max", paramLabel = "SIZE",
                description = "The most memory the tunnels' input buffers may stay pinned by data handed on without a copy, shared"
                        + " fairly among the connectors (beyond it, data is copied); 0: always copy (default: 0; e.g. 32m)")
        String tunnelPinnedMax;
        @Option(names = "--cluster-key-file", paramLabel = "FILE",
                description = "The cluster key (make one with 'drawbridge-server cluster-key new'): nodes sharing one PostgreSQL"
                        + " database keep their CAs and keys in it, sealed with this key, the same on every node; or set $"
                        + CLUSTER_KEY_ENV + " to the key itself (not both). Default: none (one node, keys in the data directory)")
        Path clusterKeyFile;
        @Option(names = "--advertise-tunnel-url", paramLabel = "URL",
                description = "The tunnel URL this node gives connectors, when they reach its tunnel port through a relay, NAT or load"
                        + " balancer: wss://host:port or https://host:port, the host the domain or one name under it (default: wss://"
                        + "admin.<domain>:<tunnel port>)")
        String advertiseTunnelUrl;
        @Option(names = "--drain-pre-stop-pause", paramLabel = "DURATION",
                description = "When told to stop, how long the server keeps accepting and serving with /health/ready already 503,"
                        + " so that a load balancer checking readiness takes it out first; then it closes its port and drains"
                        + " (default: 3s with --database-url, 0s on the embedded database)")
        String drainPreStopPause;
        @Option(names = "--max-connections", paramLabel = "N",
                description = "The most connections the public port holds open at once; beyond it new ones wait in the kernel's"
                        + " backlog until one closes (default: the open-files limit less --max-tunnel-connections and "
                        + ConnectionLimits.RESERVE + ", at least " + ConnectionLimits.FLOOR + ", at most 16384 per GiB of heap;"
                        + " 60416 under the package's LimitNOFILE=65536 with a heap of 4 GiB or more; " + ConnectionLimits.FALLBACK
                        + " where the limit cannot be read)")
        String maxConnections;
        @Option(names = "--max-tunnel-connections", paramLabel = "N",
                description = "The most connections the tunnel port holds open at once (connectors open 4 tunnels each by default)"
                        + " (default: " + ConnectionLimits.DEFAULT_TUNNEL_MAX + ")")
        String maxTunnelConnections;
        @Option(names = "--log-format", paramLabel = "text|json",
                description = "Log as text or as one JSON object per line, with each request's id (default: text)")
        String logFormat = "text";

        /** The configuration these options describe (validated when the server starts). */
        ServerConfig config() {
            return new ServerConfig(dataDir, domain, bind, port, tunnelPort, Optional.ofNullable(databaseUrl),
                    Duration.ofSeconds(10), new ServerConfig.BackendTimeouts(BackendTimeout.DEFAULT.duration(), BackendTimeout.LONG.duration(),
                    duration("timeouts.max", "--max-backend-timeout", maxBackendTimeout)), ServerConfig.IdentitySettings.DEFAULTS,
                    ServerConfig.Throttling.DEFAULTS, new ServerConfig.Proxies(trustedProxies, proxyProtocol), management(),
                    duration("updateLease", "--update-lease", updateLease),
                    duration("liveRecheck", "--live-recheck-interval", liveRecheckInterval), cluster(), retention(), tunnelWindows(),
                    retention("signingKeyRotationPeriod", "--signing-key-rotation-period", signingKeyRotationPeriod), connectionLimits());
        }

        /** {@code --max-connections} and {@code --max-tunnel-connections}; the public default follows the tunnel limit. */
        ConnectionLimits connectionLimits() {
            int tunnel = maxTunnelConnections == null ? ConnectionLimits.DEFAULT_TUNNEL_MAX
                    : count("connectionLimits.tunnelMax", "--max-tunnel-connections", maxTunnelConnections);
            ConnectionLimits defaults = ConnectionLimits.defaults(tunnel);
            return maxConnections == null ? defaults
                    : new ConnectionLimits(count("connectionLimits.publicMax", "--max-connections", maxConnections), tunnel);
        }

        /** A number of connections (its range is checked with the rest of the configuration). */
        static int count(String field, String option, String value) {
            try {
                return Integer.parseInt(value.strip());
            } catch (NumberFormatException e) {
                throw new ServerConfig.InvalidConfigException(List.of(field + ": '" + value + "' is not a number of connections such as"
                        + " 10000 (" + option + ")"));
            }
        }

        /** The three logs' retentions: a duration, or {@code off} (kept forever). */
        ServerConfig.Retention retention() {
            return new ServerConfig.Retention(retention("retention.signInLog", "--sign-in-log-retention", signInLogRetention),
                    retention("retention.auditLog", "--audit-log-retention", auditLogRetention),
                    retention("retention.connectorEvents", "--connector-event-retention", connectorEventRetention));
        }

        private static Optional<Duration> retention(String field, String option, String value) {
            return value.strip().equalsIgnoreCase("off") ? Optional.empty() : Optional.of(duration(field, option, value));
        }

        /** {@code --tunnel-max-stream-window}, {@code --tunnel-window-budget}, {@code --tunnel-parked-max}, {@code --tunnel-pinned-max}. */
        ServerConfig.TunnelWindows tunnelWindows() {
            return new ServerConfig.TunnelWindows(size("tunnelWindows.maxStreamWindow", "--tunnel-max-stream-window", tunnelMaxStreamWindow),
                    size("tunnelWindows.tunnelBudget", "--tunnel-window-budget", tunnelWindowBudget),
                    tunnelParkedMax == null ? WindowBudget.DEFAULT_LIMIT : size("tunnelWindows.processBudget", "--tunnel-parked-max", tunnelParkedMax),
                    tunnelPinnedMax == null ? PinnedInput.SERVER_DEFAULT : size("tunnelWindows.pinnedMax", "--tunnel-pinned-max", tunnelPinnedMax));
        }

        /** {@code 512k}, {@code 16m}, {@code 1g} or a number of bytes. */
        static long size(String field, String option, String value) {
            try {
                return ByteSize.parse(value);
            } catch (IllegalArgumentException e) {
                throw new ServerConfig.InvalidConfigException(List.of(field + ": " + e.getMessage() + " (" + option + ")"));
            }
        }

        /** A node's settings for several nodes on one PostgreSQL database: the cluster key, as a file or from the environment. */
        ServerConfig.Cluster cluster() {
            Optional<ClusterKey> key = Optional.empty();
            if (spec != null && spec.commandLine().getDefaultValueProvider() instanceof OptionDefaults defaults) {
                try {
                    key = defaults.environment(CLUSTER_KEY_ENV).map(v -> ClusterKey.parse(v, "the environment variable " + CLUSTER_KEY_ENV));
                } catch (ClusterKeyException e) {
                    throw new ServerConfig.InvalidConfigException(List.of("cluster.key: " + e.getMessage().replaceAll("\\.$", "")));
                }
            }
            Optional<URI> advertised = Optional.empty();
            if (advertiseTunnelUrl != null && !advertiseTunnelUrl.isBlank()) {
                try {
                    advertised = Optional.of(new URI(advertiseTunnelUrl.strip()));
                } catch (URISyntaxException e) {
                    throw new ServerConfig.InvalidConfigException(List.of("cluster.advertiseTunnelUrl: '" + advertiseTunnelUrl
                            + "' is not a URL such as wss://tunnel-1.example.com:8444 (--advertise-tunnel-url)"));
                }
            }
            Duration pause = drainPreStopPause != null && !drainPreStopPause.isBlank()
                    ? duration("cluster.drainPreStopPause", "--drain-pre-stop-pause", drainPreStopPause)
                    : databaseUrl == null ? Duration.ZERO : ServerConfig.Cluster.DEFAULT_PRE_STOP_PAUSE;
            return new ServerConfig.Cluster(Optional.ofNullable(clusterKeyFile), advertised, key, pause);
        }

        /** {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d} or ISO-8601 ({@code PT15M}). */
        static Duration duration(String field, String option, String value) {
            String v = value.strip().toLowerCase(Locale.ROOT);
            try {
                if (v.startsWith("p")) {
                    return Duration.parse(v.toUpperCase(Locale.ROOT));
                }
                var m = Pattern.compile("(\\d{1,9})(s|m|h|d)").matcher(v);
                if (m.matches()) {
                    long n = Long.parseLong(m.group(1));
                    return switch (m.group(2)) {
                        case "s" -> Duration.ofSeconds(n);
                        case "m" -> Duration.ofMinutes(n);
                        case "h" -> Duration.ofHours(n);
                        default -> Duration.ofDays(n);
                    };
                }
            } catch (DateTimeParseException e) {
                // named below
            }
            throw new ServerConfig.InvalidConfigException(List.of(field + ": '" + value + "' is not a duration such as 15m, 1h or PT15M ("
                    + option + ")"));
        }

        /** {@code --management-port off}: none; a number: that port (validated with the rest of the configuration). */
        private ServerConfig.Management management() {
            if (managementPort.equalsIgnoreCase("off")) {
                return ServerConfig.Management.OFF;
            }
            try {
                return ServerConfig.Management.on(managementBind, Integer.parseInt(managementPort.strip()));
            } catch (NumberFormatException e) {
                throw new ServerConfig.InvalidConfigException(List.of("management.port: '" + managementPort
                        + "' is not a port number or 'off' (--management-port)"));
            }
        }

        /** {@code --log-format}. */
        LogFormat logFormat() {
            return switch (logFormat.strip().toLowerCase(Locale.ROOT)) {
                case "text" -> LogFormat.TEXT;
                case "json" -> LogFormat.JSON;
                default -> throw new ServerConfig.InvalidConfigException(List.of("logFormat: '" + logFormat
                        + "' is not a log format; use text or json (--log-format)"));
            };
        }

        /** The warning to log when the settings file read (--config, DRAWBRIDGE_CONFIG or the package's) is readable by others. */
        Optional<String> settingsFileWarning() {
            return config.file().flatMap(SettingsFileMode::warning);
        }

        /** The options failures name: each with where its value came from, when not the command line. */
        private StartupFailures.Options startupOptions() {
            OptionDefaults defaults = (OptionDefaults) spec.commandLine().getDefaultValueProvider();
            UnaryOperator<String> label = name -> {
                OptionSpec o = spec.findOption(name);
                return defaults == null || o == null ? name : defaults.source(o).map(s -> name + " (set by " + s + ")").orElse(name);
            };
            return StartupFailures.Options.of(label.apply("--data-dir"), label.apply("--port"), label.apply("--tunnel-port"),
                    label.apply("--bind"), label.apply("--database-url"), label.apply("--domain"));
        }

        @Override
        public Integer call() throws Exception {
            PrintWriter out = spec.commandLine().getOut(), err = spec.commandLine().getErr();
            ServerConfig cfg;
            try {
                logFormat().apply();
                cfg = config();
            } catch (ServerConfig.InvalidConfigException e) {
                err.println("error: the configuration is invalid: " + String.join("; ", e.problems()) + ".");
                err.flush();
                return FrontDoor.USAGE;
            }
            settingsFileWarning().ifPresent(w -> LoggerFactory.getLogger(Serve.class).warn(w));
            Optional.ofNullable(clusterKeyFile).flatMap(SettingsFileMode::clusterKeyWarning)
                    .ifPresent(w -> LoggerFactory.getLogger(Serve.class).warn(w));
            ProxyServer server;
            try {
                server = ProxyServer.start(cfg);
            } catch (Exception e) {
                err.println("error: " + StartupFailures.explain(e, cfg, startupOptions()));
                FrontDoor.debug(e);
                err.flush();
                return StartupFailures.exitCode(e, cfg);
            }
            server.newAdminToken().ifPresent(t -> out.println("Admin credential (shown once, keep it safe): " + t));
            out.println("Admin API: " + server.adminUrl() + "/api/v1/  (server CA: " + dataDir.resolve("pki/server-ca.pem") + ")");
            server.managementPort().ifPresent(p -> out.println("Metrics and health: http://" + managementBind + ":" + p + "/metrics, "
                    + "/health/live, /health/ready"));
            out.flush();
            CountDownLatch done = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    server.close();
                } catch (Exception ignored) {
                    // exiting
                }
                done.countDown();
            }));
            done.await();
            return 0;
        }
    }
}
