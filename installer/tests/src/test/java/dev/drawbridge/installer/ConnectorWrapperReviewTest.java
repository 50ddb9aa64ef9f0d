package dev.drawbridge.installer;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review (issue 11): {@code /usr/bin/drawbridge-connector} run as root must run every command that writes the connector's
 * state folder as the service's user (setpriv), or the file it writes is root's, mode 0600, and the service cannot read
 * it. {@code set-proxy} (which stores {@code outbound-proxy.properties} there) is run as root: after
 * {@code sudo drawbridge-connector set-proxy ...} and the restart it asks for, the service stops with "cannot read
 * .../outbound-proxy.properties (permission denied)" and systemd restarts it in a loop. The wrapper is run from the source
 * tree with stub {@code id}, {@code setpriv}, {@code systemctl} and launcher, so no package and no user are needed.
 */
class ConnectorWrapperReviewTest {
    @TempDir
    Path dir;

    /** Every command of the connector that takes {@code --state-dir} and writes it (ConnectorCli: register, set-server, set-proxy, run). */
    @ParameterizedTest
    @ValueSource(strings = {"register", "set-server", "set-proxy", "run"})
    void everyCommandThatWritesTheStateFolderRunsAsTheServiceUser(String command) throws Exception {
        Path bin = Files.createDirectories(dir.resolve("bin")), log = dir.resolve("launcher.log");
        script(bin.resolve("id"), "case \"$1\" in -u) echo 0 ;; -un) echo root ;; *) exit 1 ;; esac");
        // setpriv: remember that the user changed, then run what follows '--'
        script(bin.resolve("setpriv"), "while [ \"$1\" != -- ]; do shift; done; shift; VIA_SETPRIV=drawbridge-connector exec \"$@\"");
        script(bin.resolve("systemctl"), "exit 0");
        Path launcher = script(bin.resolve("launcher"), "echo \"${VIA_SETPRIV:-root} $*\" >> '" + log + "'");
        String wrapper = Files.readString(Packages.INSTALLER.resolve("connector/src/deb/root/usr/bin/drawbridge-connector"))
                .replace("launcher=/opt/drawbridge-connector/bin/drawbridge-connector", "launcher=" + launcher);
        Path copy = script(dir.resolve("drawbridge-connector"), wrapper.substring(wrapper.indexOf('\n') + 1));

        Packages.run(List.of(copy.toString(), command, "--outbound-proxy", "http://proxy.corp.example:3128"),
                Map.of("PATH", bin + ":/usr/bin:/bin"), Duration.ofSeconds(30)).ok();

        assertThat(Files.readString(log, StandardCharsets.UTF_8).strip())
                .as("sudo drawbridge-connector %s: the launcher's user", command)
                .startsWith("drawbridge-connector " + command);
    }

    private static Path script(Path file, String body) throws Exception {
        Files.writeString(file, "#!/bin/sh\n" + body + "\n", StandardCharsets.UTF_8);
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        return file;
    }
}
