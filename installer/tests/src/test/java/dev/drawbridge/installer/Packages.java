package dev.drawbridge.installer;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** The built packages (installer/&lt;program&gt;/target) and the commands the tests run on them. */
final class Packages {
    static final Path INSTALLER = Path.of(System.getProperty("drawbridge.installer", "..")).toAbsolutePath().normalize();
    static final String VERSION = System.getProperty("drawbridge.version");
    static final boolean ROOT = "root".equals(System.getProperty("user.name"));

    private Packages() {
    }

    /** The .deb of a program: connector, server or console. */
    static Path deb(String program) {
        return single(INSTALLER.resolve(program).resolve("target"), "drawbridge-" + program + "_", ".deb");
    }

    static Path msi() {
        return single(INSTALLER.resolve("connector").resolve("target"), "drawbridge-connector-", ".msi");
    }

    private static Path single(Path dir, String prefix, String suffix) {
        try (Stream<Path> files = Files.list(dir)) {
            List<Path> found = files.filter(p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(suffix))
                    .toList();
            assertThat(found).as("%s*%s in %s (build with -Ppackages)", prefix, suffix, dir).hasSize(1);
            return found.getFirst();
        } catch (IOException e) {
            throw new AssertionError("no packages in " + dir + ": build them with -Ppackages", e);
        }
    }

    /** Skips the test, saying why, when a tool it needs is missing. */
    static void assumeTool(String tool, String debianPackage) {
        assumeTrue(onPath(tool), tool + " is not installed (Debian package " + debianPackage + "; bin/test-deps.sh installs it as root)");
    }

    static boolean onPath(String tool) {
        return Stream.of(System.getenv("PATH").split(":")).anyMatch(d -> Files.isExecutable(Path.of(d, tool)));
    }

    /** What a finished command printed and returned. */
    record Result(int exit, String out, String err) {
        Result ok() {
            assertThat(exit).as("exit of a command; stderr: %s; stdout: %s", err, out).isZero();
            return this;
        }
    }

    static Result run(List<String> command) throws IOException, InterruptedException {
        return run(command, Map.of(), Duration.ofMinutes(2));
    }

    /** Runs {@code command} to its end (killed after {@code timeout}) with {@code env} added and no standard input. */
    static Result run(List<String> command, Map<String, String> env, Duration timeout) throws IOException, InterruptedException {
        return run(command, env, timeout, null);
    }

    /** As {@link #run(List, Map, Duration)}, with {@code stdin} (when not null) as the command's standard input. */
    static Result run(List<String> command, Map<String, String> env, Duration timeout, String stdin) throws IOException,
            InterruptedException {
        Path out = Files.createTempFile("pkg-test", ".out"), err = Files.createTempFile("pkg-test", ".err");
        Path in = stdin == null ? Path.of("/dev/null") : Files.writeString(Files.createTempFile("pkg-test", ".in"), stdin);
        try {
            ProcessBuilder b = new ProcessBuilder(new ArrayList<>(command)).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(in.toFile()));
            b.environment().putAll(env);
            Process p = b.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly().waitFor();
                throw new AssertionError(command + " did not finish within " + timeout + "; stdout: " + Files.readString(out));
            }
            return new Result(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (stdin != null) {
                Files.deleteIfExists(in);
            }
        }
    }
}
