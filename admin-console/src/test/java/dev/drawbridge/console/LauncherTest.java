package dev.drawbridge.console;

import dev.drawbridge.model.DrawbridgeVersion;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console's start-up checks ({@link Launcher#check}): help, version, a bad option, an unreadable CA file and a missing
 * display each answered by one line (or the usage), with exit 2 for the command line and 1 for no display, before
 * JavaFX gets a chance to print a stack trace. No FX toolkit needed.
 */
class LauncherTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(), err = new ByteArrayOutputStream();

    private int check(Map<String, String> env, String... args) {
        return Launcher.check(List.of(args), env, null, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<String> errLines() {
        return err.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void helpPrintsTheUsage() {
        assertThat(check(Map.of(), "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--server", "--ca-file");
    }

    @Test
    void versionPrintsTheBuildsVersionWithoutADisplay() {
        for (String flag : List.of("--version", "-V")) {
            out.reset();
            assertThat(check(Map.of(), flag)).isZero();
            assertThat(out.toString(StandardCharsets.UTF_8)).isEqualTo("drawbridge-console " + DrawbridgeVersion.current() + System.lineSeparator());
        }
        assertThat(DrawbridgeVersion.current()).doesNotContain("${");
    }

    @Test
    void aBadOptionIsOneLinePointingToHelp() {
        assertThat(check(Map.of("DISPLAY", ":0"), "--sever", "x")).isEqualTo(2);
        assertThat(errLines()).containsExactly("error: unknown option --sever; see 'drawbridge-console --help'.");
    }

    @Test
    void anUnreadableCaFileIsOneLine() {
        assertThat(check(Map.of("DISPLAY", ":0"), "--ca-file", dir.resolve("none.pem").toString())).isEqualTo(2);
        assertThat(errLines()).singleElement().asString().startsWith("error: cannot read the --ca-file").contains("server-ca.pem");
    }

    @Test
    void noDisplayIsOneLineOnLinux() throws Exception {
        Path ca = Files.writeString(dir.resolve("ca.pem"), "pem");
        boolean linux = System.getProperty("os.name").toLowerCase(Locale.ROOT).contains("linux");
        int code = check(Map.of(), "--ca-file", ca.toString());
        if (linux) {
            assertThat(code).isEqualTo(1);
            assertThat(errLines()).singleElement().asString().startsWith("error: there is no display").contains("bin/drawbridge");
        } else {
            assertThat(code).isEqualTo(Launcher.LAUNCH);
        }
        assertThat(check(Map.of("DISPLAY", ":0"), "--ca-file", ca.toString())).isEqualTo(Launcher.LAUNCH);
        assertThat(Launcher.check(List.of(), Map.of(), "Monocle", System.out, System.err)).as("headless Monocle needs no display")
                .isEqualTo(Launcher.LAUNCH);
    }
}
