package dev.drawbridge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.File;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The CLI's trust anchor never comes from the working directory (review of issue 9): it took
 * {@code ./drawbridge-data/pki/server-ca.pem} when present, so running it in a directory someone else controls (a
 * checkout, a download, a shared /tmp) let them put in a CA of their own and impersonate the admin server, credential
 * and all. The planted file here is not even a certificate: a CLI that reads it says so (exit 2); one that ignores it
 * goes on to the (closed) port and cannot reach it (exit 3). The working directory is that of a real CLI process.
 */
class CaFileTest {
    @TempDir
    Path attacker;
    @TempDir
    Path config;

    record Run(int exit, String err) {
    }

    /** The CLI as a process in {@code dir}, with only the given DRAWBRIDGE_ variables. */
    private Run cliIn(Path dir, Map<String, String> env) throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        String classPath = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .map(p -> Path.of(p).toAbsolutePath().toString()).collect(Collectors.joining(File.pathSeparator));
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(), "-cp", classPath,
                DrawbridgeCli.class.getName(), "apps", "list", "--server", "https://127.0.0.1:" + port, "--token", "dbadm_x"));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
        pb.environment().keySet().removeIf(k -> k.startsWith("DRAWBRIDGE_"));
        pb.environment().put("DRAWBRIDGE_CONFIG_DIR", config.toString());
        pb.environment().putAll(env);
        Process p = pb.start();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), err);
    }

    private Path plant(Path dataDir) throws Exception {
        Path ca = dataDir.resolve("pki").resolve("server-ca.pem");
        Files.createDirectories(ca.getParent());
        Files.writeString(ca, "planted: not the server's CA\n");
        return ca;
    }

    @Test
    void aCaFileInTheWorkingDirectoryIsNeverTrusted() throws Exception {
        plant(attacker.resolve("drawbridge-data"));
        plant(attacker.resolve("elsewhere"));
        for (Map<String, String> env : List.of(Map.<String, String>of(), Map.of("DRAWBRIDGE_DATA", "drawbridge-data"),
                Map.of("DRAWBRIDGE_DATA", "elsewhere"))) {
            Run r = cliIn(attacker, env);
            assertThat(r.err()).as(env.toString()).doesNotContain("server-ca.pem", "planted").contains("cannot reach");
            assertThat(r.exit()).as(r.err()).isEqualTo(CliException.UNREACHABLE);
        }
    }

    /** The documented data directory still works when it is named absolutely: that is the operator's own choice. */
    @Test
    void anAbsoluteDataDirectoryIsTheDocumentedDefault() throws Exception {
        Path ca = plant(config.resolve("data"));
        Run r = cliIn(attacker, Map.of("DRAWBRIDGE_DATA", config.resolve("data").toString()));
        assertThat(r.err()).contains("CA file " + ca, "is not a PEM certificate");
        assertThat(r.exit()).isEqualTo(CliException.USAGE);
    }

    private DrawbridgeCli cli(Map<String, String> env, String... args) {
        Map<String, String> all = new HashMap<>(env);
        all.put("DRAWBRIDGE_CONFIG_DIR", config.toString());
        DrawbridgeCli cli = new DrawbridgeCli(all, InputStream.nullInputStream());
        CommandLine.populateCommand(cli, args);
        return cli;
    }

    /** A stored login names its CA by an absolute path; a relative one (edited by hand) is refused, never resolved. */
    @Test
    void aStoredLoginWithARelativeCaFileIsRefused() throws Exception {
        URI server = URI.create("https://admin.example.com:8443");
        new StoredLogin(server, "dbadm_secret", "drawbridge-data/pki/server-ca.pem", "alice", List.of(), null).write(config);
        CliException e = catchThrowableOfType(CliException.class, () -> Settings.resolve(cli(Map.of()), true));
        assertThat(e.getMessage()).contains("not an absolute path", "drawbridge login");
        assertThat(e.exitCode()).isEqualTo(CliException.USAGE);

        Path ca = plant(config.resolve("data"));
        new StoredLogin(server, "dbadm_secret", ca.toString(), "alice", List.of(), null).write(config);
        assertThat(Settings.resolve(cli(Map.of()), true).caFile()).contains(ca);
        // An explicit --ca-file beats the stored one, and is made absolute.
        Path other = plant(config.resolve("other"));
        assertThat(Settings.resolve(cli(Map.of(), "--ca-file", other.toString()), true).caFile()).isEqualTo(Optional.of(other));
    }
}
