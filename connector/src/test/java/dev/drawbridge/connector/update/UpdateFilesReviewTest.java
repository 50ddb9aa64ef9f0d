package dev.drawbridge.connector.update;

import dev.drawbridge.model.update.UpdateBundle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review (security): the supervisor trusts an unpacked version's descriptor for the child's main class
 * ({@link UpdateFiles#launch}) without the check {@link UpdateBundle} made when it was unpacked. A damaged or planted
 * descriptor whose {@code main-class} starts with {@code -} becomes a JVM option of the child's command line (it is
 * placed after {@code -cp} and before {@code run}), e.g. {@code -javaagent:...} or {@code -XX:OnOutOfMemoryError=...}.
 * launch must refuse any main class that is not a class name, as it refuses a damaged jar list.
 */
class UpdateFilesReviewTest {
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
    }
}
