package dev.drawbridge.cliconfig;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link OptionDefaults} on a small program shaped like the server's and the connector's: the precedence (command line,
 * environment, file, built-in default) for each kind of option, the configuration file chosen by {@code --config}, the
 * environment or the package, and every way a file or value can be wrong answered by one sentence naming the file,
 * line and key (or the variable), never picocli's usage dump or a stack trace.
 */
class OptionDefaultsTest {
    @TempDir
    Path dir;

    @Command(name = "prog", mixinStandardHelpOptions = true, versionProvider = ProgramVersion.class, subcommands = {Serve.class, Other.class})
    static final class Prog implements Runnable {
        @Override
        public void run() {
        }
    }

    @Command(name = "serve")
    static final class Serve implements Runnable {
        @Mixin
        ConfigOption config;
        @Option(names = "--port")
        int port = 8443;
        @Option(names = "--data-dir")
        Path dataDir = Path.of("data");
        @Option(names = "--trusted-proxy", split = ",")
        List<String> trusted = new ArrayList<>();
        @Option(names = "--proxy-protocol")
        boolean proxyProtocol;
        @Option(names = "--token", required = true)
        String token;

        @Override
        public void run() {
        }
    }

    @Command(name = "other")
    static final class Other implements Runnable {
        @Mixin
        ConfigOption config;
        @Option(names = "--tunnels")
        int tunnels = 4;

        @Override
        public void run() {
        }
    }

    /** What one parse gave: the serve command's fields, or the one line on stderr and the exit code. */
    record Result(Serve serve, int exit, String err) {
    }

    private static Result run(Map<String, String> env, Optional<String> packageConfig, String... args) {
        OptionDefaults defaults = new OptionDefaults("PROG_", env, packageConfig);
        CommandLine cl = defaults.install(new CommandLine(new Prog()));
        StringWriter err = new StringWriter();
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("error: " + defaults.explain(e).orElse("command line: " + e.getMessage()));
            return 2;
        });
        int exit = cl.execute(args);
        return new Result(cl.getSubcommands().get("serve").getCommand(), exit, err.toString().strip());
    }

    private static Result run(Map<String, String> env, String... args) {
        return run(env, Optional.empty(), args);
    }

    private Path file(String yaml) throws Exception {
        return Files.writeString(dir.resolve("prog.yaml"), yaml);
    }

    @Test
    void theCommandLineWinsOverTheEnvironmentWhichWinsOverTheFileWhichWinsOverTheDefault() throws Exception {
        Path f = file("port: 1001\ndata-dir: /from/file\ntrusted-proxy: [10.0.0.0/8, 192.0.2.7]\nproxy-protocol: true\n");
        String c = f.toString();
        assertThat(run(Map.of(), "serve", "--token", "t").serve().port).as("nothing set: the built-in default").isEqualTo(8443);
        Result fileOnly = run(Map.of(), "serve", "--token", "t", "--config", c);
        assertThat(fileOnly.exit()).as(fileOnly.err()).isZero();
        assertThat(fileOnly.serve().port).isEqualTo(1001);
        assertThat(fileOnly.serve().dataDir).isEqualTo(Path.of("/from/file"));
        assertThat(fileOnly.serve().trusted).containsExactly("10.0.0.0/8", "192.0.2.7");
        assertThat(fileOnly.serve().proxyProtocol).isTrue();
        Result env = run(Map.of("PROG_PORT", "1002", "PROG_TRUSTED_PROXY", "198.51.100.0/24", "PROG_PROXY_PROTOCOL", "false"),
                "serve", "--token", "t", "--config", c);
        assertThat(env.serve().port).as("environment over file").isEqualTo(1002);
        assertThat(env.serve().trusted).containsExactly("198.51.100.0/24");
        assertThat(env.serve().proxyProtocol).isFalse();
        assertThat(env.serve().dataDir).as("the file still gives what the environment does not").isEqualTo(Path.of("/from/file"));
        Result flag = run(Map.of("PROG_PORT", "1002"), "serve", "--token", "t", "--config", c, "--port", "1003",
                "--trusted-proxy", "203.0.113.9");
        assertThat(flag.serve().port).as("command line over environment and file").isEqualTo(1003);
        assertThat(flag.serve().trusted).containsExactly("203.0.113.9");
    }

    @Test
    void theFileIsTheConfigOptionsThenTheEnvironmentsThenThePackagesAndNoneOtherwise() throws Exception {
        Path a = Files.writeString(dir.resolve("a.yaml"), "port: 1\n");
        Path b = Files.writeString(dir.resolve("b.yaml"), "port: 2\n");
        Path p = Files.writeString(dir.resolve("package.yaml"), "port: 3\n");
        assertThat(run(Map.of("PROG_CONFIG", b.toString()), Optional.of(p.toString()), "serve", "--token", "t", "--config", a.toString())
                .serve().port).isEqualTo(1);
        assertThat(run(Map.of("PROG_CONFIG", b.toString()), Optional.of(p.toString()), "serve", "--token", "t").serve().port).isEqualTo(2);
        assertThat(run(Map.of(), Optional.of(p.toString()), "serve", "--token", "t").serve().port).isEqualTo(3);
        assertThat(run(Map.of(), Optional.empty(), "serve", "--token", "t").serve().port).isEqualTo(8443);
    }

    @Test
    void keysOfAnotherCommandOfTheProgramAreAllowedAndIgnoredHere() throws Exception {
        Result r = run(Map.of(), "serve", "--token", "t", "--config", file("tunnels: 8\nport: 9\n").toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.serve().port).isEqualTo(9);
    }

    @Test
    void anUnknownKeyIsOneSentenceNamingFileLineAndKey() throws Exception {
        Path f = file("# settings\nport: 9\nprot: 10\n");
        Result r = run(Map.of(), "serve", "--token", "t", "--config", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: " + f + ":3: unknown key 'prot'; the keys are the options of 'prog' without their dashes: ")
                .contains("data-dir, port, proxy-protocol, trusted-proxy, tunnels").doesNotContain("\n");
    }

    @Test
    void requiredOptionsAndHelpAreNotKeys() throws Exception {
        for (String key : List.of("token", "help", "version", "config")) {
            Path f = file(key + ": x\n");
            assertThat(run(Map.of(), "serve", "--token", "t", "--config", f.toString()).err())
                    .as(key).startsWith("error: " + f + ":1: unknown key '" + key + "'");
        }
        assertThat(run(Map.of("PROG_TOKEN", "secret"), "serve").err()).as("a required option stays on the command line")
                .startsWith("error: command line: Missing required option: '--token");
    }

    @Test
    void aBadValueFromTheFileNamesFileLineAndKey() throws Exception {
        Path f = file("data-dir: /d\nport: nine\n");
        Result r = run(Map.of(), "serve", "--token", "t", "--config", f.toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: " + f + ":2 ('port'): 'nine' is not an int; see 'prog serve --help'");
        Path b = file("proxy-protocol: yes\n");
        assertThat(run(Map.of(), "serve", "--token", "t", "--config", b.toString()).err())
                .isEqualTo("error: " + b + ":1 ('proxy-protocol'): 'yes' is not a boolean; see 'prog serve --help'");
    }

    @Test
    void aBadValueFromTheEnvironmentNamesTheVariable() {
        Result r = run(Map.of("PROG_PORT", "nine"), "serve", "--token", "t");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).isEqualTo("error: the environment variable PROG_PORT: 'nine' is not an int; see 'prog serve --help'");
    }

    @Test
    void aMissingOrUnreadableFileIsOneSentenceNamingIt() throws Exception {
        Path none = dir.resolve("none.yaml");
        assertThat(run(Map.of(), "serve", "--token", "t", "--config", none.toString()).err())
                .isEqualTo("error: the configuration file " + none + " does not exist: create it, or give another with --config");
        assertThat(run(Map.of("PROG_CONFIG", none.toString()), "serve", "--token", "t").exit()).isEqualTo(2);
        Result packaged = run(Map.of(), Optional.of(none.toString()), "serve", "--token", "t");
        assertThat(packaged.exit()).as("the package's file is optional: " + packaged.err()).isZero();
        assertThat(packaged.serve().port).isEqualTo(8443);
        assertThat(run(Map.of(), "serve", "--token", "t", "--config", dir.toString()).err())
                .startsWith("error: cannot read the configuration file " + dir);
    }

    @Test
    void wrongShapesAreRefusedWithTheirLine() throws Exception {
        assertThat(errorFor("port: [1, 2]\n")).endsWith(":1: 'port' takes one value, not a list");
        assertThat(errorFor("port: 1\nport: 2\n")).endsWith(":2: 'port' is set twice (also on line 1): keep one");
        assertThat(errorFor("port:\n  http: 1\n")).endsWith(":1: 'port' must be a value or a list, not a mapping");
        assertThat(errorFor("data-dir:\n")).endsWith(":1: 'data-dir' has no value: give one, or remove the line");
        assertThat(errorFor("- port\n")).endsWith(":1: the file must be a list of 'key: value' lines, e.g. 'port: 8443'");
        assertThat(errorFor("port: 1\ntrusted-proxy: [a,\n")).contains(": not valid YAML (").endsWith("write one 'key: value' per line");
        assertThat(errorFor("trusted-proxy: [[a]]\n")).endsWith(":1: 'trusted-proxy' lists something that is not a plain value");
    }

    private String errorFor(String yaml) throws Exception {
        Result r = run(Map.of(), "serve", "--token", "t", "--config", file(yaml).toString());
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: " + dir.resolve("prog.yaml")).doesNotContain("\n", "Exception");
        return r.err();
    }

    @Test
    void valuesKeepTheirTextEmptyFilesAndCommentsAreFine() throws Exception {
        Result r = run(Map.of(), "serve", "--token", "t", "--config", file("data-dir: C:\\ProgramData\\x\\0700\n").toString());
        assertThat(r.serve().dataDir.toString()).isEqualTo("C:\\ProgramData\\x\\0700");
        assertThat(run(Map.of(), "serve", "--token", "t", "--config", file("").toString()).exit()).isZero();
        assertThat(run(Map.of(), "serve", "--token", "t", "--config", file("# nothing yet\n").toString()).serve().port).isEqualTo(8443);
    }

    @Test
    void sourceSaysWhereEachValueCameFrom() throws Exception {
        Path f = file("port: 9\n");
        OptionDefaults defaults = new OptionDefaults("PROG_", Map.of("PROG_DATA_DIR", "/e"), Optional.empty());
        CommandLine cl = defaults.install(new CommandLine(new Prog()));
        cl.parseArgs("serve", "--token", "t", "--config", f.toString(), "--trusted-proxy", "192.0.2.1");
        var serve = cl.getSubcommands().get("serve").getCommandSpec();
        assertThat(defaults.source(serve.findOption("--port"))).contains(f + ":1 ('port')");
        assertThat(defaults.source(serve.findOption("--data-dir"))).contains("the environment variable PROG_DATA_DIR");
        assertThat(defaults.source(serve.findOption("--trusted-proxy"))).isEmpty();
        assertThat(defaults.envName(serve.findOption("--trusted-proxy"))).isEqualTo("PROG_TRUSTED_PROXY");
        assertThat(OptionDefaults.knownKeys(serve)).containsExactly("data-dir", "port", "proxy-protocol", "trusted-proxy", "tunnels");
    }

    @Test
    void versionIsTheProgramsNameAndTheBuildsVersion() {
        CommandLine cl = new CommandLine(new Prog());
        StringWriter out = new StringWriter();
        cl.setOut(new PrintWriter(out, true));
        assertThat(cl.execute("--version")).isZero();
        assertThat(out.toString().strip()).matches("prog \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
