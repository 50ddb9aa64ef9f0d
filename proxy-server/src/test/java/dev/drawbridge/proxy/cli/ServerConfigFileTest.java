package dev.drawbridge.proxy.cli;

import dev.drawbridge.cliconfig.OptionDefaults;
import dev.drawbridge.model.DrawbridgeVersion;
import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge-server serve}'s settings from the environment ({@code DRAWBRIDGE_<OPTION>}) and its YAML
 * configuration file (what the package installs as /etc/drawbridge/server.yaml): the command line wins over the
 * environment, which wins over the file, which wins over the built-in defaults, for every kind of option; a missing
 * file, an unknown key, a value of the wrong type and a value validation refuses each stop the server with one line
 * naming the file and line (or the variable) and the key, exit 2, before anything starts.
 */
class ServerConfigFileTest {
    @TempDir
    Path dir;

    private static CommandLine commandLine(Map<String, String> env, Optional<String> packageConfig) {
        return ServerCli.commandLine(new OptionDefaults(ServerCli.ENV_PREFIX, env, packageConfig));
    }

    private static ServerConfig parse(Map<String, String> env, String... args) {
        CommandLine cl = commandLine(env, Optional.empty());
        cl.parseArgs(args);
        ServerCli.Serve serve = cl.getSubcommands().get("serve").getCommand();
        return serve.config();
    }

    private static ServerCliTest.Run run(Map<String, String> env, Optional<String> packageConfig, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = commandLine(env, packageConfig);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new ServerCliTest.Run(cl.execute(args), out.toString(), err.toString());
    }

    private Path config(String yaml) throws Exception {
        return Files.writeString(dir.resolve("server.yaml"), yaml);
    }

    @Test
    void flagThenEnvironmentThenFileThenDefault() throws Exception {
        String file = config("""
                # /etc/drawbridge/server.yaml
                data-dir: /var/lib/drawbridge
                domain: apps.example.com
                port: 443
                tunnel-port: 8444
                bind: 192.0.2.10
                database-url: jdbc:postgresql://db.example.com/drawbridge
                trusted-proxy: [10.0.0.0/24, 192.0.2.7]
                proxy-protocol: true
                """).toString();
        ServerConfig fromFile = parse(Map.of(), "serve", "--config", file);
        assertThat(fromFile.dataDir()).isEqualTo(Path.of("/var/lib/drawbridge"));
        assertThat(fromFile.domain()).isEqualTo("apps.example.com");
        assertThat(fromFile.publicPort()).isEqualTo(443);
        assertThat(fromFile.bindHost()).isEqualTo("192.0.2.10");
        assertThat(fromFile.databaseUrl()).contains("jdbc:postgresql://db.example.com/drawbridge");
        assertThat(fromFile.proxies().trusted()).containsExactly("10.0.0.0/24", "192.0.2.7");
        assertThat(fromFile.proxies().proxyProtocol()).isTrue();

        ServerConfig fromEnv = parse(Map.of("DRAWBRIDGE_PORT", "8443", "DRAWBRIDGE_DOMAIN", "env.example.com",
                "DRAWBRIDGE_PROXY_PROTOCOL", "false"), "serve", "--config", file);
        assertThat(fromEnv.publicPort()).isEqualTo(8443);
        assertThat(fromEnv.domain()).isEqualTo("env.example.com");
        assertThat(fromEnv.proxies().proxyProtocol()).isFalse();
        assertThat(fromEnv.dataDir()).as("what the environment leaves out comes from the file").isEqualTo(Path.of("/var/lib/drawbridge"));

        ServerConfig fromFlag = parse(Map.of("DRAWBRIDGE_PORT", "8443"), "serve", "--config", file, "--port", "9443", "--trusted-proxy", "203.0.113.0/24");
        assertThat(fromFlag.publicPort()).isEqualTo(9443);
        assertThat(fromFlag.proxies().trusted()).containsExactly("203.0.113.0/24");

        ServerConfig defaults = parse(Map.of(), "serve");
        assertThat(defaults.publicPort()).isEqualTo(8443);
        assertThat(defaults.tunnelPort()).isEqualTo(8444);
        assertThat(defaults.domain()).isEqualTo("localhost");
        assertThat(defaults.databaseUrl()).isEmpty();
    }

    @Test
    void thePackagesFileIsReadWithoutConfigAndDrawbridgeConfigPointsElsewhere() throws Exception {
        Path packaged = Files.writeString(dir.resolve("package.yaml"), "port: 443\n");
        Path other = Files.writeString(dir.resolve("other.yaml"), "port: 444\n");
        CommandLine cl = commandLine(Map.of(), Optional.of(packaged.toString()));
        cl.parseArgs("serve");
        assertThat(((ServerCli.Serve) cl.getSubcommands().get("serve").getCommand()).config().publicPort()).isEqualTo(443);
        assertThat(parse(Map.of("DRAWBRIDGE_CONFIG", other.toString()), "serve").publicPort()).isEqualTo(444);
    }

    @Test
    void anUnknownKeyStopsTheServerNamingFileLineAndKey() throws Exception {
        Path f = config("port: 8443\ntunnel_port: 8444\n");
        ServerCliTest.Run r = run(Map.of(), Optional.empty(), "serve", "--config", f.toString());
        ServerCliTest.assertOneSentence(r, 2, f + ":2: unknown key 'tunnel_port'", "tunnel-port", "data-dir", "trusted-proxy");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void aValueOfTheWrongTypeNamesFileLineAndKey() throws Exception {
        Path f = config("domain: apps.example.com\nport: https\n");
        ServerCliTest.assertOneSentence(run(Map.of(), Optional.empty(), "serve", "--config", f.toString()), 2,
                f + ":2 ('port'): 'https' is not an int");
        ServerCliTest.assertOneSentence(run(Map.of("DRAWBRIDGE_TUNNEL_PORT", "x"), Optional.empty(), "serve"), 2,
                "the environment variable DRAWBRIDGE_TUNNEL_PORT: 'x' is not an int");
    }

    @Test
    void aValueValidationRefusesNamesWhereItWasSet() throws Exception {
        Path f = config("data-dir: " + dir.resolve("data") + "\nport: 70000\ndomain: Not A Domain\n");
        ServerCliTest.assertOneSentence(run(Map.of(), Optional.empty(), "serve", "--config", f.toString()), 2,
                "the configuration is invalid", "--port (set by " + f + ":2 ('port')): 70000", "--domain (set by " + f + ":3 ('domain'))");
    }

    /** A file named by --config or DRAWBRIDGE_CONFIG must exist; the package's default one is optional (OptionDefaultsTest). */
    @Test
    void aMissingFileStopsTheServerNamingIt() {
        Path none = dir.resolve("missing.yaml");
        ServerCliTest.assertOneSentence(run(Map.of(), Optional.empty(), "serve", "--config", none.toString()), 2,
                "the configuration file " + none + " does not exist");
        ServerCliTest.assertOneSentence(run(Map.of("DRAWBRIDGE_CONFIG", none.toString()), Optional.empty(), "serve"), 2,
                none + " does not exist");
    }

    /** docs/install.md's table of server settings lists exactly serve's configurable options, with their variables. */
    @Test
    void theInstallGuidesTableListsEveryServeOption() throws Exception {
        String guide = Files.readString(Path.of(System.getProperty("user.dir")).resolve("../docs/install.md"));
        String section = guide.substring(guide.indexOf("## Server settings"), guide.indexOf("## Connector settings"));
        Map<String, String> rows = new TreeMap<>();
        section.lines().filter(l -> l.startsWith("| `")).forEach(l -> {
            String[] cells = l.split("\\|");
            rows.put(cells[1].strip().replace("`", ""), cells[2].strip().replace("`", ""));
        });
        OptionDefaults defaults = new OptionDefaults(ServerCli.ENV_PREFIX, Map.of(), Optional.empty());
        CommandLine serve = commandLine(Map.of(), Optional.empty()).getSubcommands().get("serve");
        Map<String, String> expected = new TreeMap<>();
        serve.getCommandSpec().options().stream().filter(OptionDefaults::configurable)
                .forEach(o -> expected.put(OptionDefaults.key(o), defaults.envName(o)));
        assertThat(rows).isEqualTo(expected);
    }

    @Test
    void versionIsTheBuildsVersion() {
        ServerCliTest.Run r = run(Map.of(), Optional.empty(), "--version");
        assertThat(r.exit()).isZero();
        assertThat(r.out().strip()).isEqualTo("drawbridge-server " + DrawbridgeVersion.current());
        assertThat(run(Map.of(), Optional.empty(), "serve", "--version").out().strip()).isEqualTo("drawbridge-server " + DrawbridgeVersion.current());
    }
}
