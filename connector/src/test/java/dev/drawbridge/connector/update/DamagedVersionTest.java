package dev.drawbridge.connector.update;

import dev.drawbridge.model.update.UpdateBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An unpacked version whose descriptor was damaged or planted after {@link UpdateBundle} checked it: the supervisor checks
 * the main class again ({@link UpdateFiles#launch}, {@link ChildCommand}), so that a {@code main-class} starting with
 * {@code -} never becomes a JVM option of the child's command line (it is placed after {@code -cp} and before
 * {@code run}: {@code -javaagent:...}, {@code -XX:OnOutOfMemoryError=...}), and a damaged current or trial version makes it
 * run the version before (the installed jars), never fail at every start. Found by a security review.
 */
class DamagedVersionTest {
    @TempDir
    Path state;

    @Test
    void aDescriptorWhoseMainClassIsNotAClassNameIsRefused() throws Exception {
        UpdateFiles files = new UpdateFiles(state);
        files.ensure();
        List<String> accepted = new ArrayList<>();
        for (String main : List.of("-javaagent:/tmp/evil.jar", "-XX:OnOutOfMemoryError=touch /tmp/pwned", "--add-opens=x",
                "a.B run --state-dir /tmp", "a.B\u0000x", "")) {
            Path v = files.version("1.2.3");
            UpdateFiles.deleteTree(v);
            Files.createDirectories(v.resolve("lib"));
            Files.writeString(v.resolve("lib/a.jar"), "jar");
            Files.writeString(v.resolve(UpdateFiles.JARS), "a.jar\n");
            Files.writeString(v.resolve(UpdateBundle.DESCRIPTOR), "product=" + UpdateBundle.PRODUCT + "\nversion=1.2.3\nmain-class="
                    + main.replace("\\", "\\\\") + "\njava=25\n");
            try {
                Launch l = files.launch("1.2.3");
                List<String> cmd = new ChildCommand(Paths.get("/usr/bin/java"), List.of(), List.of("run")).command(l);
                accepted.add("'" + main + "' -> " + cmd);
            } catch (UpdateException | IllegalArgumentException e) {
                // refused: what the review asks
            }
        }
        assertThat(accepted).as("main classes that reached the child's command line").isEmpty();
    }

    /**
     * A damaged {@code current} version whose descriptor names no main class: the supervisor must fall back to the
     * installed jars (as it does for a missing jar), not fail with an IllegalArgumentException from {@link Launch} on
     * every start (systemd restarting it in a loop, the connector down).
     */
    @Test
    void aCurrentVersionWithoutAMainClassFallsBackToTheInstalledJars() throws Exception {
        UpdateFiles files = new UpdateFiles(state);
        files.ensure();
        Path v = files.version("1.2.3");
        Files.createDirectories(v.resolve("lib"));
        Files.writeString(v.resolve("lib/a.jar"), "jar");
        Files.writeString(v.resolve(UpdateFiles.JARS), "a.jar\n");
        Files.writeString(v.resolve(UpdateBundle.DESCRIPTOR), "product=" + UpdateBundle.PRODUCT + "\nversion=1.2.3\njava=25\n");
        files.setCurrent("1.2.3", "1.0.0");
        Launch installed = new Launch("", "a.Installed", List.of(state.resolve("installed.jar")));
        Supervisor s = new Supervisor(files, "1.0.0", installed, l -> new ProcessBuilder("true"), Duration.ofMinutes(1),
                Clock.systemUTC());
        Launch chosen;
        try {
            chosen = s.choose();
        } catch (IllegalArgumentException e) {
            throw new AssertionError("the supervisor failed on a damaged current version instead of running the installed jars", e);
        }
        assertThat(chosen).isEqualTo(installed);
        assertThat(files.current()).as("the damaged current version is forgotten").isEmpty();
    }

    @Test
    void theChildCommandRefusesAMainClassThatIsAnOption() {
        Launch planted = new Launch("1.2.3", "-javaagent:/tmp/evil.jar", List.of(state.resolve("a.jar")));
        assertThatThrownBy(() -> new ChildCommand(Paths.get("/usr/bin/java"), List.of(), List.of("run")).command(planted))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("option");
    }

    /**
     * The connector drains for version 1.2.3 whose descriptor names no valid main class: the supervisor does not start it
     * (no trial), goes back to the installed jars with {@code rolled-back} saying why, and goes on supervising.
     */
    @Test
    void aTrialVersionWithADamagedMainClassIsRolledBackNotStarted() throws Exception {
        UpdateFiles files = new UpdateFiles(state);
        files.ensure();
        Path v = files.version("1.2.3");
        Files.createDirectories(v.resolve("lib"));
        Files.writeString(v.resolve("lib/a.jar"), "jar");
        Files.writeString(v.resolve(UpdateFiles.JARS), "a.jar\n");
        Files.writeString(v.resolve(UpdateBundle.DESCRIPTOR), "product=" + UpdateBundle.PRODUCT
                + "\nversion=1.2.3\nmain-class=-javaagent:/tmp/evil.jar\njava=25\n");
        Launch installed = new Launch("", "a.Installed", List.of(state.resolve("installed.jar")));
        List<Launch> started = new CopyOnWriteArrayList<>();
        Function<Launch, ProcessBuilder> command = l -> {
            started.add(l);
            if (started.size() == 1) {
                try {
                    files.writeNext("1.2.3"); // what the connector writes once it drained for the update
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                return new ProcessBuilder("sh", "-c", "exit " + Supervisor.UPDATE_EXIT);
            }
            return new ProcessBuilder("sh", "-c", "exit 3");
        };
        Supervisor s = new Supervisor(files, "1.0.0", installed, command, Duration.ofMinutes(1), Clock.systemUTC());
        assertThat(s.run()).as("the installed jars ran again, and their exit ends the supervisor").isEqualTo(3);
        assertThat(started).containsExactly(installed, installed);
        assertThat(files.rolledBack()).hasValueSatisfying(r -> {
            assertThat(r.attempted()).isEqualTo("1.2.3");
            assertThat(r.reason()).contains("main class");
        });
        assertThat(v).as("the damaged version is removed").doesNotExist();
    }
}
