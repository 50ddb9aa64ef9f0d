package dev.drawbridge.connector.cli;

import dev.drawbridge.cliconfig.ConfigOption;
import dev.drawbridge.cliconfig.LogFormat;
import dev.drawbridge.cliconfig.OptionDefaults;
import dev.drawbridge.cliconfig.ProgramVersion;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.http.OutboundProxy;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.connector.identity.EndpointLookup;
import dev.drawbridge.connector.identity.ExpiredCertificateException;
import dev.drawbridge.connector.identity.Registration;
import dev.drawbridge.connector.identity.RenewalSchedule;
import dev.drawbridge.connector.operations.ManagementServer;
import dev.drawbridge.connector.tunnel.TransportChoice;
import dev.drawbridge.connector.update.ChildCommand;
import dev.drawbridge.connector.update.Supervisor;
import dev.drawbridge.connector.update.UpdateFiles;
import dev.drawbridge.connector.update.UpdatePoller;
import dev.drawbridge.model.tunnel.ByteSize;
import dev.drawbridge.model.tunnel.FlowControl;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.WindowBudget;
import dev.drawbridge.tunnel.transport.PinnedInput;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * {@code drawbridge-connector register | set-server | set-proxy | run}. Options other than the ones a command requires may also
 * come from the environment ({@code DRAWBRIDGE_CONNECTOR_<OPTION>}, e.g. {@code DRAWBRIDGE_CONNECTOR_STATE_DIR}) or the
 * YAML file of {@code --config} ({@link OptionDefaults}; the installed package's is
 * {@code /etc/drawbridge-connector/connector.yaml}). Every failure is one line on stderr, "error: " and a
 * sentence saying what to do, never a stack trace. Exit codes: 0 done, 1 failed (trying again will not help),
 * 2 bad command line or the server refused this connector for good, 75 failed for now (trying again may help).
 */
@Command(name = "drawbridge-connector", mixinStandardHelpOptions = true, scope = ScopeType.INHERIT, versionProvider = ProgramVersion.class,
        description = "Drawbridge connector: carries requests from the proxy server to internal apps over outbound-only tunnels.",
        footer = {"", "Exit codes: 0 ok, 1 failed, 2 usage or refused for good, 75 failed for now (retrying may help)."},
        subcommands = {ConnectorCli.Register.class, ConnectorCli.SetServer.class, ConnectorCli.SetProxy.class, ConnectorCli.Run.class})
public final class ConnectorCli implements Callable<Integer> {
    static final String DEFAULT_STATE = Optional.ofNullable(System.getenv("DRAWBRIDGE_CONNECTOR_STATE"))
            .orElse(System.getProperty("user.home") + "/.drawbridge-connector");
    static final int FAILED = 1, USAGE = 2, TEMPORARY = 75;
    private static final Duration LOOKUP_TIMEOUT = Duration.ofSeconds(15);

    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The environment variables of the options: {@code --state-dir} is {@code DRAWBRIDGE_CONNECTOR_STATE_DIR}. */
    public static final String ENV_PREFIX = "DRAWBRIDGE_CONNECTOR_";

    /** The configured command line, with the process's environment and the package's configuration file. */
    public static CommandLine commandLine() {
        return commandLine(OptionDefaults.of(ENV_PREFIX));
    }

    /** The configured command line with these settings (tests run it in-process with their own environment). */
    public static CommandLine commandLine(OptionDefaults defaults) {
        CommandLine cl = defaults.install(new CommandLine(new ConnectorCli()));
        cl.setParameterExceptionHandler((e, args) -> {
            CommandLine c = e.getCommandLine();
            String setting = defaults.explain(e).map(m -> m.replaceAll("\\s+", " ").strip()).orElse(null);
            if (setting != null) {
                c.getErr().println("error: " + setting + (setting.endsWith(".") ? "" : "."));
                return USAGE;
            }
            String m = String.valueOf(e.getMessage()).replaceAll("\\s+", " ").strip();
            c.getErr().println("error: " + (m.endsWith(".") ? m.substring(0, m.length() - 1) : m) + "; see '"
                    + c.getCommandSpec().qualifiedName() + " --help'.");
            return USAGE;
        });
        cl.setExecutionExceptionHandler((e, c, parseResult) -> {
            c.getErr().println("error: the connector failed (" + EndpointLookup.root(e) + "); set DRAWBRIDGE_DEBUG=1 to see the stack trace.");
            debug(e);
            return FAILED;
        });
        return cl;
    }

    @Override
    public Integer call() {
        return fail(spec, "say what to do, e.g. 'drawbridge-connector run'; see 'drawbridge-connector --help'", USAGE);
    }

    static int fail(CommandSpec spec, String sentence, int exit) {
        PrintWriter err = spec.commandLine().getErr();
        err.println("error: " + sentence + (sentence.endsWith(".") ? "" : "."));
        err.flush();
        return exit;
    }

    /** An option's name, with where its value came from when not the command line ("--tunnels (set by FILE:3 ('tunnels'))"). */
    static String named(CommandSpec spec, String option) {
        return spec.commandLine().getDefaultValueProvider() instanceof OptionDefaults d
                ? d.source(spec.findOption(option)).map(s -> option + " (set by " + s + ")").orElse(option) : option;
    }

    static void debug(Throwable e) {
        String d = System.getenv("DRAWBRIDGE_DEBUG");
        if (d != null && !d.isBlank() && !d.equals("0")) {
            e.printStackTrace();
        }
    }

    @Command(name = "register", description = "Register this connector with a one-time token from the admin API.")
    static final class Register implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--server", required = true, description = "Server admin URL, e.g. https://admin.example.com")
        URI server;
        @Option(names = "--token", required = true, paramLabel = "TOKEN|-", description = {"One-time registration token; '-' to "
                + "type or paste it at a prompt (not shown) or give it on standard input: a token on the command line is visible to "
                + "every user of this machine (ps) while register runs, and to a user who uses it first it registers their connector"})
        String token;
        @Option(names = "--ca-sha256", required = true, description = "SHA-256 of the server CA certificate (printed with the token)")
        String caSha256;
        @Option(names = "--state-dir", description = "Where to keep the key and certificate (default: ${DEFAULT-VALUE})")
        Path stateDir = Path.of(DEFAULT_STATE);
        @Mixin
        ProxyOptions proxyOptions;

        @Override
        public Integer call() {
            if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
                return fail(spec, "--server must be the server's https:// admin URL, e.g. https://admin.example.com:8443", USAGE);
            }
            Optional<OutboundProxy> proxy;
            try {
                proxy = proxyOptions.given();
            } catch (IllegalArgumentException | IOException e) {
                return fail(spec, e.getMessage(), USAGE);
            }
            String presented;
            try {
                presented = token.equals(TokenInput.FROM_INPUT) ? TokenInput.read() : token;
            } catch (IOException | IllegalArgumentException e) {
                return fail(spec, e.getMessage(), USAGE);
            }
            ConnectorIdentity id;
            try {
                id = Registration.register(server, presented, caSha256, Connector.VERSION, proxy);
            } catch (Registration.RegistrationException e) {
                debug(e);
                return fail(spec, e.getMessage(), e.retryable() ? TEMPORARY : FAILED);
            }
            try {
                id.save(stateDir);
                if (proxy.isPresent()) {
                    proxy.get().save(stateDir);
                }
            } catch (IOException e) {
                debug(e);
                return fail(spec, "registered, but cannot store the identity in " + stateDir + " (" + EndpointLookup.root(e)
                        + "): choose a folder this user can write with --state-dir and register again with a new token", FAILED);
            }
            spec.commandLine().getOut().println("Registered connector " + id.connectorId() + "; identity stored in " + stateDir
                    + ". Start it with: drawbridge-connector run" + (spec.findOption("--state-dir").originalStringValues().isEmpty()
                    ? "" : " --state-dir " + stateDir));
            return 0;
        }
    }

    @Command(name = "set-server", description = {"Point this connector at its server's new admin URL (after the server moved host or port).",
            "Keeps the connector's identity: the server must present the CA it registered with. A moved tunnel port alone "
                    + "needs nothing: run asks the server for it."})
    static final class SetServer implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--server", required = true, description = "The server's admin URL now, e.g. https://admin.example.com:9443")
        URI server;
        @Option(names = "--state-dir", description = "Where register stored the identity (default: ${DEFAULT-VALUE})")
        Path stateDir = Path.of(DEFAULT_STATE);

        @Override
        public Integer call() {
            if (!"https".equalsIgnoreCase(server.getScheme()) || server.getHost() == null) {
                return fail(spec, "--server must be the server's https:// admin URL, e.g. https://admin.example.com:8443", USAGE);
            }
            ConnectorIdentity id;
            try {
                id = ConnectorIdentity.load(stateDir);
            } catch (IOException e) {
                return fail(spec, e.getMessage(), FAILED);
            }
            String tunnelUrl;
            try {
                tunnelUrl = EndpointLookup.tunnelUrl(server, id.serverCa(), LOOKUP_TIMEOUT, OutboundProxy.load(stateDir));
            } catch (IOException e) {
                return fail(spec, e.getMessage(), FAILED);
            } catch (EndpointLookup.LookupException e) {
                debug(e);
                return switch (e.failure()) {
                    case UNREACHABLE -> fail(spec, e.getMessage() + ": check --server and that the server runs, then try again", TEMPORARY);
                    case UNTRUSTED -> fail(spec, e.getMessage() + ": check --server, or if the server was reinstalled register "
                            + "again with a new token", FAILED);
                    case NO_ANSWER -> fail(spec, e.getMessage() + ": check that --server is the server's admin URL "
                            + "(https://admin.<domain>[:port])", FAILED);
                };
            }
            try {
                id.withEndpoints(Registration.origin(server), tunnelUrl).saveEndpoints(stateDir);
            } catch (IOException e) {
                return fail(spec, "cannot store the new address in " + stateDir + " (" + EndpointLookup.root(e) + "): run as the "
                        + "connector's user", FAILED);
            }
            spec.commandLine().getOut().println("Connector " + id.connectorId() + " now uses the server at " + Registration.origin(server)
                    + " (tunnel " + tunnelUrl + "); restart it if it runs.");
            return 0;
        }
    }

    @Command(name = "set-proxy", description = {"Reach the server through an HTTP forward proxy (CONNECT), or directly again with --none.",
            "Checks that the server answers through the proxy before storing it (--no-check stores it anyway). Restart the "
                    + "connector if it runs."})
    static final class SetProxy implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Option(names = "--state-dir", description = "Where register stored the identity (default: ${DEFAULT-VALUE})")
        Path stateDir = Path.of(DEFAULT_STATE);
        @Mixin
        ProxyOptions proxyOptions;
        @Option(names = "--none", description = "Remove the stored proxy: dial the server directly")
        boolean none;
        @Option(names = "--no-check", description = "Store the proxy without checking that the server answers through it")
        boolean noCheck;

        @Override
        public Integer call() {
            ConnectorIdentity id;
            try {
                id = ConnectorIdentity.load(stateDir);
            } catch (IOException e) {
                return fail(spec, e.getMessage(), FAILED);
            }
            Optional<OutboundProxy> proxy;
            try {
                proxy = proxyOptions.given();
            } catch (IllegalArgumentException | IOException e) {
                return fail(spec, e.getMessage(), USAGE);
            }
            if (none == proxy.isPresent()) {
                return fail(spec, "give either --outbound-proxy <http://host:port> or --none", USAGE);
            }
            try {
                if (none) {
                    boolean had = OutboundProxy.remove(stateDir);
                    spec.commandLine().getOut().println(had ? "Connector " + id.connectorId() + " now dials its server directly; restart it if it runs."
                            : "Connector " + id.connectorId() + " had no proxy; it dials its server directly.");
                    return 0;
                }
                if (!noCheck) {
                    try {
                        EndpointLookup.tunnelUrl(URI.create(id.serverUrl()), id.serverCa(), LOOKUP_TIMEOUT, proxy);
                    } catch (EndpointLookup.LookupException e) {
                        debug(e);
                        return fail(spec, "the server does not answer through the proxy " + proxy.get() + " (" + e.getMessage()
                                + "): check the proxy's address and credentials, or store it anyway with --no-check", TEMPORARY);
                    }
                }
                proxy.get().save(stateDir);
            } catch (IOException e) {
                return fail(spec, "cannot store the proxy in " + stateDir + " (" + EndpointLookup.root(e) + "): run as the connector's user", FAILED);
            }
            spec.commandLine().getOut().println("Connector " + id.connectorId() + " now reaches its server through the proxy " + proxy.get()
                    + "; restart it if it runs.");
            return 0;
        }
    }

    @Command(name = "run", description = {"Run the connector service until stopped.",
            "At start, and whenever its tunnels cannot connect, it asks the server for its tunnel URL, so a moved tunnel port "
                    + "is followed by itself."})
    static final class Run implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--state-dir", description = "Where register stored the identity (default: ${DEFAULT-VALUE})")
        Path stateDir = Path.of(DEFAULT_STATE);
        @Option(names = "--tunnels", description = "Parallel tunnel connections, 1 to 16 (default: ${DEFAULT-VALUE})")
        int tunnels = 4;
        @Option(names = "--tunnel-transport", paramLabel = "auto|websocket",
                description = "How the tunnels reach the server: auto (the newer transport where the server has it, else WebSocket) "
                        + "or websocket (only WebSocket, e.g. to roll back) (default: auto, or the Java system property "
                        + TransportChoice.PROPERTY + ")")
        String tunnelTransport;
        @Option(names = "--tunnel-max-stream-window", paramLabel = "SIZE",
                description = "The largest receive window one stream may grow to (its bandwidth-delay product: 16m covers 320 MiB/s"
                        + " at 50 ms), 512k (fixed windows) to 1g (default: ${DEFAULT-VALUE})")
        String tunnelMaxStreamWindow = ByteSize.format(FlowControl.DEFAULT_MAX_WINDOW);
        @Option(names = "--tunnel-window-budget", paramLabel = "SIZE",
                description = "How far the windows of one tunnel's streams together may grow beyond 512k each (default: ${DEFAULT-VALUE})")
        String tunnelWindowBudget = ByteSize.format(FlowControl.DEFAULT_TUNNEL_BUDGET);
        @Option(names = "--tunnel-parked-max", paramLabel = "SIZE",
                description = "The same across all tunnels: bounds what the connector holds of request bodies received and not yet"
                        + " sent on, beyond 512k per stream (default: 256m, or a twelfth of the heap"
                        + " when less: the memory holding it can be up to 3 times as much)")
        String tunnelParkedMax;
        @Option(names = "--tunnel-pinned-max", paramLabel = "SIZE",
                description = "The most memory the tunnels' input buffers may stay pinned by data handed on without a copy (beyond"
                        + " it, data is copied); 0: always copy (default: 64m, or a thirty-second of the heap when less)")
        String tunnelPinnedMax;
        @Option(names = "--upstream-ca", description = "Extra CA (PEM) to trust for https internal apps")
        Path upstreamCa;
        @Mixin
        ProxyOptions proxyOptions;
        @Option(names = "--management-port", paramLabel = "PORT",
                description = "Plain-HTTP port for /metrics (Prometheus), /health/live and /health/ready; no authentication, so keep it"
                        + " on loopback or firewalled (default: none)")
        Integer managementPort;
        @Option(names = "--management-bind", description = "Address the management port binds to (default: ${DEFAULT-VALUE})")
        String managementBind = "127.0.0.1";
        @Option(names = "--log-format", paramLabel = "text|json",
                description = "Log as text or as one JSON object per line, with each request's id (default: text)")
        String logFormat = "text";
        @Option(names = "--auto-update", description = "Update itself when the server says it is its turn (the server's signed "
                + "bundles; docs/updates.md): runs the connector as a child process that it restarts into a new version and "
                + "rolls back when that does not come up healthy (default: off; the packages turn it on)")
        boolean autoUpdate;
        @Option(names = "--update-check", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How often the connector reports to the server and asks for an update, e.g. 5m (default: 5m)")
        Duration updateCheck = Duration.ofMinutes(5);
        @Option(names = "--update-trial", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long a new version has to connect its tunnels before it is rolled back, e.g. 3m (default: 3m)")
        Duration updateTrial = Duration.ofMinutes(3);
        // Hidden: only shortens the check (never changes when a certificate is due), for tests that watch a renewal happen.
        @Option(names = "--renewal-check", hidden = true, paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How often the certificate's age is checked, 1s to 6h (default: 6h)")
        Duration renewalCheck = RenewalSchedule.LONGEST;

        /**
         * {@code --tunnel-max-stream-window}, {@code --tunnel-window-budget}, {@code --tunnel-parked-max}: one process budget
         * for all tunnels.
         *
         * @throws IllegalArgumentException naming the option whose value is no size or out of range
         */
        FlowControl flowControl() {
            long maxWindow = size("--tunnel-max-stream-window", tunnelMaxStreamWindow);
            if (maxWindow < Multiplexer.INITIAL_WINDOW || maxWindow > 1024L * 1024 * 1024) {
                throw new IllegalArgumentException(named(spec, "--tunnel-max-stream-window") + " must be between 512k (fixed windows) and"
                        + " 1g, not " + tunnelMaxStreamWindow.strip());
            }
            long budget = size("--tunnel-window-budget", tunnelWindowBudget);
            long parked = tunnelParkedMax == null ? WindowBudget.DEFAULT_LIMIT : size("--tunnel-parked-max", tunnelParkedMax);
            return new FlowControl((int) maxWindow, budget, new WindowBudget(parked));
        }

        /** {@code --tunnel-pinned-max}: this connector's cap on pinned input buffers (a size, 0: always copy). */
        long pinnedMax() {
            return tunnelPinnedMax == null ? PinnedInput.CONNECTOR_DEFAULT : size("--tunnel-pinned-max", tunnelPinnedMax);
        }

        private long size(String option, String value) {
            try {
                return ByteSize.parse(value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(named(spec, option) + ": " + e.getMessage(), e);
            }
        }

        @Override
        public Integer call() throws Exception {
            // Set by the supervisor on the connector it runs (--auto-update): this process updates and confirms trials.
            boolean supervised = ChildCommand.supervised();
            if (tunnels < 1 || tunnels > 16) {
                return fail(spec, named(spec, "--tunnels") + " must be between 1 and 16, not " + tunnels, USAGE);
            }
            LogFormat format;
            switch (logFormat.strip().toLowerCase(Locale.ROOT)) {
                case "text" -> format = LogFormat.TEXT;
                case "json" -> format = LogFormat.JSON;
                default -> {
                    return fail(spec, "--log-format must be text or json, not '" + logFormat + "'", USAGE);
                }
            }
            TransportChoice.Mode transport;
            try {
                transport = tunnelTransport == null ? TransportChoice.Mode.fromSystemProperty() : TransportChoice.Mode.parse(tunnelTransport);
            } catch (IllegalArgumentException e) {
                return fail(spec, (tunnelTransport == null ? "" : named(spec, "--tunnel-transport") + " ") + e.getMessage(), USAGE);
            }
            FlowControl flowControl;
            long pinnedMax;
            try {
                flowControl = flowControl();
                pinnedMax = pinnedMax();
            } catch (IllegalArgumentException e) {
                return fail(spec, e.getMessage(), USAGE);
            }
            if (managementPort != null && (managementPort < 0 || managementPort > 65535)) {
                return fail(spec, "--management-port must be a port number (0-65535), not " + managementPort, USAGE);
            }
            if (managementPort != null && managementBind.isBlank()) {
                return fail(spec, "--management-bind must be an address, e.g. 127.0.0.1", USAGE);
            }
            if (renewalCheck.compareTo(RenewalSchedule.SHORTEST) < 0 || renewalCheck.compareTo(RenewalSchedule.LONGEST) > 0) {
                return fail(spec, named(spec, "--renewal-check") + " must be between 1s and 6h, not " + renewalCheck.toString().substring(2)
                        .toLowerCase(Locale.ROOT), USAGE);
            }
            format.apply();
            if (upstreamCa != null && !Files.isReadable(upstreamCa)) {
                return fail(spec, "cannot read the " + named(spec, "--upstream-ca") + " file " + upstreamCa
                        + ": give a PEM file this user can read", USAGE);
            }
            Optional<OutboundProxy> proxy;
            try {
                proxy = proxyOptions.given();
            } catch (IllegalArgumentException | IOException e) {
                return fail(spec, e.getMessage(), USAGE);
            }
            if (autoUpdate && !supervised) {
                return supervise();
            }
            Connector c;
            try {
                if (proxy.isEmpty()) {
                    proxy = OutboundProxy.load(stateDir);
                }
                c = Connector.start(new Connector.Options(stateDir, tunnels, Optional.ofNullable(upstreamCa), Duration.ofSeconds(10), proxy,
                        transport, flowControl, pinnedMax), Clock.systemUTC(), RenewalSchedule.every(renewalCheck));
            } catch (ExpiredCertificateException e) {
                // Refused for good: exit 2, which the service does not restart (RestartPreventExitStatus=2), nor the supervisor.
                return fail(spec, e.getMessage(), USAGE);
            } catch (IOException e) {
                debug(e);
                return fail(spec, e.getMessage(), FAILED);
            } catch (GeneralSecurityException e) {
                debug(e);
                return fail(spec, "cannot use the --upstream-ca file " + upstreamCa + " (" + EndpointLookup.root(e)
                        + "): give the internal apps' CA certificate in PEM", USAGE);
            }
            ManagementServer management = null;
            if (managementPort != null) {
                try {
                    management = ManagementServer.start(managementBind, managementPort, c.metrics()::scrape, c.health());
                    spec.commandLine().getOut().println("Metrics and health: http://" + managementBind + ":" + management.port()
                            + "/metrics, /health/live, /health/ready");
                    spec.commandLine().getOut().flush();
                } catch (Exception e) {
                    debug(e);
                    c.close();
                    return fail(spec, "cannot listen on the management port " + managementBind + ":" + managementPort + " ("
                            + EndpointLookup.root(e) + "): choose another with --management-port, or an address of this machine with "
                            + "--management-bind", FAILED);
                }
            }
            ManagementServer listening = management;
            AtomicBoolean closed = new AtomicBoolean();
            UpdatePoller updates = Updates.poller(c, tunnels, stateDir, closed, supervised, updateCheck).start();
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    updates.close();
                    if (closed.compareAndSet(false, true)) {
                        c.close();
                    }
                    if (listening != null) {
                        listening.close();
                    }
                } catch (Exception ignored) {
                    // exiting anyway
                }
            }));
            Object ended = CompletableFuture.anyOf(c.permanentFailure(), updates.restart()).get();
            if (updates.restart().isDone()) {
                spec.commandLine().getOut().println("Drained for the update to version " + ended + "; restarting into it.");
                spec.commandLine().getOut().flush();
                return Supervisor.UPDATE_EXIT;
            }
            return fail(spec, String.valueOf(ended), USAGE);
        }

        /** {@code --auto-update}: this process supervises the connector, run as a child process (docs/updates.md). */
        private int supervise() throws IOException, InterruptedException {
            List<String> args = spec.commandLine().getParseResult().originalArgs();
            int at = args.indexOf("run");
            Supervisor s = new Supervisor(new UpdateFiles(stateDir), Connector.VERSION, Updates.installed(),
                    ChildCommand.forThisProcess(args.subList(at + 1, args.size())), updateTrial, Clock.systemUTC(),
                    () -> ExpiredCertificateException.expired(stateDir, Clock.systemUTC()));
            try {
                return s.run();
            } catch (IOException e) {
                debug(e);
                return fail(spec, "cannot keep versions in " + new UpdateFiles(stateDir).root() + " (" + EndpointLookup.root(e)
                        + "): run as the connector's user", FAILED);
            }
        }
    }
}
