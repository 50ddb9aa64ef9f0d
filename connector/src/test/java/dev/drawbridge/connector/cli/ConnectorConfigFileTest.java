package dev.drawbridge.connector.cli;

import dev.drawbridge.cliconfig.OptionDefaults;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.DrawbridgeVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge-connector}'s settings from the environment ({@code DRAWBRIDGE_CONNECTOR_<OPTION>}) and its YAML
 * configuration file (the package's /etc/drawbridge-connector/connector.yaml, which names the service's state folder):
 * precedence command line, environment, file, default; {@code register} stores the identity where {@code run} will read
 * it; an unknown key (the registration token among them), a bad value and a missing file are one line naming the file,
 * line and key, exit 2. In-process, with the environment each test gives.
 */
class ConnectorConfigFileTest {
    @TempDir
    Path dir;

    record Result(int exit, String out, String err, CommandLine cl) {
    }

    private static Result cli(Map<String, String> env, Optional<String> packageConfig, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = ConnectorCli.commandLine(new OptionDefaults(ConnectorCli.ENV_PREFIX, env, packageConfig));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString(), cl);
    }

    private static ConnectorCli.Run parseRun(Map<String, String> env, Optional<String> packageConfig, String... args) {
        CommandLine cl = ConnectorCli.commandLine(new OptionDefaults(ConnectorCli.ENV_PREFIX, env, packageConfig));
        cl.parseArgs(args);
        return cl.getSubcommands().get("run").getCommand();
    }

    private static void assertOneLine(Result r, String... hints) {
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as(r.err()).hasSize(1);
        assertThat(lines.getFirst()).startsWith("error: ").endsWith(".").doesNotContain("Exception", "\tat ").contains(hints);
        assertThat(r.exit()).isEqualTo(2);
    }

    @Test
    void flagThenEnvironmentThenFileThenDefault() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
        Path f = Files.writeString(dir.resolve("connector.yaml"), "state-dir: /var/lib/drawbridge-connector\ntunnels: 8\nupstream-ca: " + ca + "\n");
        ConnectorCli.Run fromFile = parseRun(Map.of(), Optional.of(f.toString()), "run");
        assertThat(fromFile.stateDir).isEqualTo(Path.of("/var/lib/drawbridge-connector"));
        assertThat(fromFile.tunnels).isEqualTo(8);
        assertThat(fromFile.upstreamCa).isEqualTo(ca);
        ConnectorCli.Run fromEnv = parseRun(Map.of("DRAWBRIDGE_CONNECTOR_TUNNELS", "2"), Optional.of(f.toString()), "run");
        assertThat(fromEnv.tunnels).isEqualTo(2);
        assertThat(fromEnv.stateDir).isEqualTo(Path.of("/var/lib/drawbridge-connector"));
        ConnectorCli.Run fromFlag = parseRun(Map.of("DRAWBRIDGE_CONNECTOR_TUNNELS", "2"), Optional.of(f.toString()), "run", "--tunnels", "3",
                "--state-dir", dir.toString());
        assertThat(fromFlag.tunnels).isEqualTo(3);
        assertThat(fromFlag.stateDir).isEqualTo(dir);
        assertThat(parseRun(Map.of(), Optional.empty(), "run").tunnels).isEqualTo(4);
        assertThat(parseRun(Map.of("DRAWBRIDGE_CONNECTOR_CONFIG", f.toString()), Optional.empty(), "run").tunnels).isEqualTo(8);
    }

    @Test
    void registerAndSetServerUseTheStateFolderOfTheFile() throws Exception {
        Path state = dir.resolve("state");
        Path f = Files.writeString(dir.resolve("connector.yaml"), "state-dir: " + state + "\n");
        Result r = cli(Map.of(), Optional.of(f.toString()), "set-server", "--server", "https://admin.example.com");
        assertThat(r.err()).as("set-server looked in the file's state folder").contains("no connector identity in " + state);
        CommandLine cl = ConnectorCli.commandLine(new OptionDefaults(ConnectorCli.ENV_PREFIX, Map.of(), Optional.of(f.toString())));
        cl.parseArgs("register", "--server", "https://admin.example.com", "--token", "dbreg_x", "--ca-sha256", "00");
        assertThat(((ConnectorCli.Register) cl.getSubcommands().get("register").getCommand()).stateDir).isEqualTo(state);
    }

    @Test
    void theRegistrationTokenAndServerAreNotSettings() throws Exception {
        Path f = Files.writeString(dir.resolve("connector.yaml"), "state-dir: /x\ntoken: dbreg_secret\n");
        assertOneLine(cli(Map.of(), Optional.of(f.toString()), "run"), f + ":2: unknown key 'token'",
                "state-dir, tunnel-max-stream-window, tunnel-parked-max, tunnel-pinned-max, tunnel-transport, tunnel-window-budget,"
                        + " tunnels, update-check, update-trial, upstream-ca");
    }

    @Test
    void badValuesNameTheirFileLineAndKeyOrVariable() throws Exception {
        Path f = Files.writeString(dir.resolve("connector.yaml"), "tunnels: four\n");
        assertOneLine(cli(Map.of(), Optional.of(f.toString()), "run"), f + ":1 ('tunnels'): 'four' is not an int");
        Path g = Files.writeString(dir.resolve("range.yaml"), "state-dir: " + dir + "\ntunnels: 40\n");
        assertOneLine(cli(Map.of(), Optional.of(g.toString()), "run"), "--tunnels (set by " + g + ":2 ('tunnels')) must be between 1 and 16");
        assertOneLine(cli(Map.of("DRAWBRIDGE_CONNECTOR_UPSTREAM_CA", dir.resolve("none.pem").toString()), Optional.empty(), "run",
                "--state-dir", dir.toString()), "--upstream-ca (set by the environment variable DRAWBRIDGE_CONNECTOR_UPSTREAM_CA) file");
    }

    @Test
    void theTunnelTransportComesFromTheFlagTheEnvironmentOrTheFileAndABadOneNamesWhereItWasSet() throws Exception {
        Path f = Files.writeString(dir.resolve("connector.yaml"), "state-dir: " + dir + "\ntunnel-transport: websocket\n");
        assertThat(parseRun(Map.of(), Optional.of(f.toString()), "run").tunnelTransport).isEqualTo("websocket");
        assertThat(parseRun(Map.of("DRAWBRIDGE_CONNECTOR_TUNNEL_TRANSPORT", "auto"), Optional.of(f.toString()), "run").tunnelTransport)
                .isEqualTo("auto");
        assertThat(parseRun(Map.of(), Optional.empty(), "run").tunnelTransport).as("unset: the system property, else auto").isNull();
        Path bad = Files.writeString(dir.resolve("bad.yaml"), "state-dir: " + dir + "\ntunnel-transport: h2\n");
        assertOneLine(cli(Map.of(), Optional.of(bad.toString()), "run"),
                "--tunnel-transport (set by " + bad + ":2 ('tunnel-transport')) must be auto or websocket, not 'h2'");
        assertOneLine(cli(Map.of("DRAWBRIDGE_CONNECTOR_TUNNEL_TRANSPORT", "ws"), Optional.empty(), "run", "--state-dir", dir.toString()),
                "--tunnel-transport (set by the environment variable DRAWBRIDGE_CONNECTOR_TUNNEL_TRANSPORT) must be auto or websocket, not 'ws'");
    }

    /** A file named by --config or the environment must exist; the package's is optional (the MSI ships only an example). */
    @Test
    void aMissingFileIsOneLineNamingIt() {
        Path none = dir.resolve("connector.yaml");
        assertOneLine(cli(Map.of("DRAWBRIDGE_CONNECTOR_CONFIG", none.toString()), Optional.empty(), "run"),
                "the configuration file " + none + " does not exist");
        assertOneLine(cli(Map.of(), Optional.empty(), "run", "--config", none.toString()), none + " does not exist");
        Result packaged = cli(Map.of(), Optional.of(none.toString()), "run", "--state-dir", dir.resolve("none").toString());
        assertThat(packaged.err()).as("no file: the defaults").contains("no connector identity in " + dir.resolve("none"));
    }

    @Test
    void versionIsTheBuildsVersionAndWhatTheConnectorReports() {
        Result r = cli(Map.of(), Optional.empty(), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).isEqualTo("drawbridge-connector " + DrawbridgeVersion.current());
        assertThat(Connector.VERSION).isEqualTo(DrawbridgeVersion.current());
    }
}
