package dev.drawbridge.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

import java.io.Console;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;

/**
 * {@code drawbridge}: the admin CLI. Every command is one or a few admin API calls
 * ({@code https://admin.<domain>/api/v1/}); {@code login} stores a credential so later commands
 * need no options. The global options below are inherited: they may follow any subcommand.
 *
 * <p>Exit codes: 0 done, 1 the API refused (problem document on stderr), 2 usage or local
 * configuration, 3 the server could not be reached.
 */
@Command(name = "drawbridge", scope = ScopeType.INHERIT, mixinStandardHelpOptions = true, version = "drawbridge 0.1.0",
        description = "Drawbridge admin CLI: apps, OAuth clients, connectors, users, groups, policies, certificates and logs.",
        footer = {"", "Exit codes: 0 ok, 1 API error, 2 usage or configuration, 3 server unreachable.",
                "Start with: drawbridge login --server https://admin.example.com:8443"},
        subcommands = {SessionCommands.Login.class, SessionCommands.Logout.class, SessionCommands.WhoAmI.class,
                AppCommands.class, OAuthClientCommands.class, ConnectorCommands.Groups.class, ConnectorCommands.Agents.class,
                ConnectorCommands.Tokens.class, UpdateCommands.class, UserCommands.class, GroupCommands.class, PolicyCommands.Policies.class,
                PolicyCommands.NamedLocations.class, AccessRequestCommands.class, DirectorySyncCommands.class, IdentityProviderCommands.class,
                IdentityProvidersCommands.class, CertificateCommands.class, DomainCommands.class,
                ServerCertificateCommands.class, KeyCommands.class,
                LogCommands.class, AutoComplete.GenerateCompletion.class})
public final class DrawbridgeCli {
    /** Output formats. */
    enum Format { table, json }

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Admin URL, e.g. https://admin.example.com:8443 (default: $DRAWBRIDGE_SERVER, then the one you logged in to)")
    URI server;
    @Option(names = {"--token", "--admin-token"}, scope = ScopeType.INHERIT, paramLabel = "TOKEN",
            description = "Admin credential (default: $DRAWBRIDGE_TOKEN or $DRAWBRIDGE_ADMIN_TOKEN, then the stored login)")
    String token;
    @Option(names = "--ca-file", scope = ScopeType.INHERIT, paramLabel = "PEM",
            description = "CA certificate the server's certificate chains to (default: $DRAWBRIDGE_CA_FILE, the stored login's, "
                    + "then $DRAWBRIDGE_DATA/pki/server-ca.pem if that is an absolute path and the file exists, else the system trust "
                    + "store; never a file of the current directory)")
    Path caFile;
    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT",
            description = "table (aligned columns) or json (the API's JSON, for scripts and jq); default: table")
    Format output;
    @Option(names = {"-q", "--quiet"}, scope = ScopeType.INHERIT,
            description = "Print only ids (lists and changes) and errors")
    boolean quiet;
    @Option(names = "--config-dir", scope = ScopeType.INHERIT, paramLabel = "DIR", description = "Where login is stored "
            + "(default: $DRAWBRIDGE_CONFIG_DIR, $XDG_CONFIG_HOME/drawbridge or ~/.config/drawbridge)")
    Path configDir;

    private final Map<String, String> env;
    private final InputStream stdin;
    private final Optional<Console> console;
    private final Clock clock;

    public DrawbridgeCli() {
        // Prompts need a real terminal; with stdin redirected, secrets come from --password-stdin.
        this(System.getenv(), System.in, Optional.ofNullable(System.console()).filter(Console::isTerminal), Clock.systemUTC());
    }

    /** For tests: the environment, standard input and clock the commands see; no console (nothing prompts). */
    public DrawbridgeCli(Map<String, String> env, InputStream stdin) {
        this(env, stdin, Optional.empty(), Clock.systemUTC());
    }

    DrawbridgeCli(Map<String, String> env, InputStream stdin, Optional<Console> console, Clock clock) {
        this.env = Map.copyOf(env);
        this.stdin = stdin;
        this.console = console;
        this.clock = clock;
    }

    public static void main(String[] args) {
        // stdout carries tables and JSON: logs (warnings only) go to stderr unless configured otherwise.
        if (System.getProperty("logback.configurationFile") == null) {
            System.setProperty("logback.configurationFile", "dev/drawbridge/cli/logback-cli.xml");
        }
        System.exit(commandLine(new DrawbridgeCli()).execute(args));
    }

    /** The configured command line: case-insensitive enum values, errors mapped to exit codes. */
    public static CommandLine commandLine(DrawbridgeCli cli) {
        CommandLine cl = CliFrontDoor.configure(new CommandLine(cli));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("error: " + TerminalText.oneLine(Secrets.mask(CliFrontDoor.unexpected("the command failed", e),
                    cli.token)));
            CliFrontDoor.debug(e);
            return 1;
        });
        // picocli hides generate-completion by default; here it is a documented command.
        cl.getSubcommands().get("generate-completion").getCommandSpec().usageMessage().hidden(false);
        return cl;
    }

    Map<String, String> env() {
        return env;
    }

    InputStream stdin() {
        return stdin;
    }

    Optional<Console> console() {
        return console;
    }

    Clock clock() {
        return clock;
    }

    Optional<String> envValue(String name) {
        return Optional.ofNullable(env.get(name)).filter(v -> !v.isBlank());
    }

    /** Where {@code login} stores its file. */
    Path configDirectory() {
        if (configDir != null) {
            return configDir;
        }
        return envValue("DRAWBRIDGE_CONFIG_DIR").map(Path::of)
                .or(() -> envValue("XDG_CONFIG_HOME").map(x -> Path.of(x, "drawbridge")))
                .orElseGet(() -> Path.of(envValue("HOME").orElse(System.getProperty("user.home")), ".config", "drawbridge"));
    }

    Format format() {
        return output == null ? Format.table : output;
    }
}
