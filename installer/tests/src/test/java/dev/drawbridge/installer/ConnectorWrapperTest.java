package dev.drawbridge.installer;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /usr/bin/drawbridge-connector} run as root (sudo) runs every command of the connector as the service's user
 * (setpriv), so that nothing it writes in the state folder is root's: a root-owned 0600 {@code outbound-proxy.properties}
 * (from {@code sudo drawbridge-connector set-proxy}) is a file the service cannot read, and it restarts in a loop. Only a
 * bare {@code --help}/{@code --version} runs as the caller. The wrapper is run from the source tree with stub {@code id},
 * {@code setpriv}, {@code systemctl} and launcher, so no package and no user are needed.
 */
class ConnectorWrapperTest {
    @TempDir
    Path dir;
    Path log;
    Path systemctl;
    Path wrapper;

    @BeforeEach
    void stubs() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin"));
        log = dir.resolve("launcher.log");
        script(bin.resolve("id"), "case \"$1\" in -u) echo 0 ;; -un) echo root ;; *) exit 1 ;; esac");
        // setpriv: remember that the user changed, then run what follows '--'
        script(bin.resolve("setpriv"), "while [ \"$1\" != -- ]; do shift; done; shift; VIA_SETPRIV=drawbridge-connector exec \"$@\"");
        systemctl = dir.resolve("systemctl.log");
        script(bin.resolve("systemctl"), "echo \"$*\" >> '" + systemctl + "'");
        Path launcher = script(bin.resolve("launcher"), "echo \"${VIA_SETPRIV:-root} $*\" >> '" + log + "'");
        String source = Files.readString(Packages.INSTALLER.resolve("connector/src/deb/root/usr/bin/drawbridge-connector"))
                .replace("launcher=/opt/drawbridge-connector/bin/drawbridge-connector", "launcher=" + launcher);
        wrapper = script(dir.resolve("drawbridge-connector"), source.substring(source.indexOf('\n') + 1));
    }

    /** Every command of the connector that takes {@code --state-dir} and writes it (ConnectorCli), and one it may grow. */
    @ParameterizedTest
    @ValueSource(strings = {"register", "set-server", "set-proxy", "run", "some-future-command"})
    void everyCommandRunsAsTheServiceUser(String command) throws Exception {
        run(command, "--outbound-proxy", "http://proxy.corp.example:3128");
        assertThat(launcherLog()).as("sudo drawbridge-connector %s: the launcher's user", command)
                .containsExactly("drawbridge-connector " + command + " --outbound-proxy http://proxy.corp.example:3128");
    }

    @ParameterizedTest
    @ValueSource(strings = {"register", "set-server", "set-proxy"})
    void aCommandThatChangesTheServicesSettingsRestartsIt(String command) throws Exception {
        assertThat(restarted(run(command, "--server", "https://admin.example.com"))).as(command).isTrue();
    }

    @Test
    void runAndHelpDoNotRestartTheService() throws Exception {
        assertThat(restarted(run("run"))).as("run").isFalse();
        assertThat(restarted(run("set-proxy", "--help"))).as("set-proxy --help").isFalse();
        assertThat(launcherLog()).containsExactly("drawbridge-connector run", "drawbridge-connector set-proxy --help");
    }

    @ParameterizedTest
    @ValueSource(strings = {"--help", "-h", "--version", "-V"})
    void aBareHelpOrVersionOnlyPrintsAsTheCaller(String option) throws Exception {
        assertThat(restarted(run(option))).as(option).isFalse();
        assertThat(launcherLog()).containsExactly("root " + option);
    }

    private Packages.Result run(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(wrapper.toString()));
        command.addAll(List.of(args));
        return Packages.run(command, Map.of("PATH", dir.resolve("bin") + ":/usr/bin:/bin"), Duration.ofSeconds(30)).ok();
    }

    /** Where systemd runs, the wrapper restarts the unit; elsewhere (this machine, a container) it says it cannot. */
    private boolean restarted(Packages.Result r) throws Exception {
        boolean asked = Files.exists(systemctl) && Files.readString(systemctl).contains("restart drawbridge-connector.service");
        return asked || r.out().contains("systemd is not running here");
    }

    private List<String> launcherLog() throws Exception {
        return Files.readAllLines(log, StandardCharsets.UTF_8);
    }

    private static Path script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
