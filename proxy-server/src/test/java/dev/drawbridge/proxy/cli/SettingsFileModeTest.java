package dev.drawbridge.proxy.cli;

import dev.drawbridge.cliconfig.OptionDefaults;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@code serve} warns at start when its settings file (which may hold the database password) is readable by every local
 * user, whichever way it was named (--config, DRAWBRIDGE_CONFIG, the package's), and not when only its owner and group
 * may read it (the package's root:drawbridge 0640).
 */
class SettingsFileModeTest {
    @TempDir
    Path dir;
    Path file;

    @BeforeEach
    void settings() throws Exception {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "no POSIX file modes here");
        file = Files.writeString(dir.resolve("server.yaml"), "database-url: jdbc:postgresql://db/drawbridge?password=s3cret\n");
    }

    private Optional<String> warningOf(String mode) throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(mode));
        return SettingsFileMode.warning(file);
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "rw-rw-r--", "r--r--r--", "rw-rw-rw-", "rw----r--"})
    void readableByOthersIsWarnedAboutNamingTheFileAndTheFix(String mode) throws Exception {
        assertThat(warningOf(mode)).hasValue("the settings file " + file + " is readable by every local user (" + mode + ") and may"
                + " hold the database password: make it readable by the server's user only, e.g. 'sudo chown root:drawbridge " + file
                + " && sudo chmod 640 " + file + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r-----", "rw-------", "r--------", "rw-rw----"})
    void ownerAndGroupOnlyIsNot(String mode) throws Exception {
        assertThat(warningOf(mode)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"rw-r--r--", "r--r--r--", "rw----r--"})
    void aClusterKeyFileReadableByOthersIsWarnedAboutNeverQuotingTheKey(String mode) throws Exception {
        Path key = Files.writeString(dir.resolve("cluster.key"), "dbck1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n");
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString(mode));
        assertThat(SettingsFileMode.clusterKeyWarning(key)).hasValueSatisfying(w -> assertThat(w)
                .startsWith("the cluster key file " + key + " is readable by every local user (" + mode + ")")
                .contains("sudo chmod 640 " + key).doesNotContain("dbck1_"));
        Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(SettingsFileMode.clusterKeyWarning(key)).isEmpty();
    }

    @Test
    void aMissingFileIsNotWarnedAbout() {
        assertThat(SettingsFileMode.warning(dir.resolve("none.yaml"))).isEmpty();
    }

    @Test
    void serveChecksTheFileItReadsHoweverItWasNamed() throws Exception {
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(serve(Map.of(), Optional.empty(), "serve", "--config", file.toString()).settingsFileWarning()).isPresent();
        assertThat(serve(Map.of("DRAWBRIDGE_CONFIG", file.toString()), Optional.empty(), "serve").settingsFileWarning()).isPresent();
        assertThat(serve(Map.of(), Optional.of(file.toString()), "serve").settingsFileWarning()).isPresent();
        assertThat(serve(Map.of(), Optional.empty(), "serve").settingsFileWarning()).isEmpty();
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r-----"));
        assertThat(serve(Map.of(), Optional.of(file.toString()), "serve").settingsFileWarning()).isEmpty();
    }

    private static ServerCli.Serve serve(Map<String, String> env, Optional<String> packageConfig, String... args) {
        CommandLine cl = ServerCli.commandLine(new OptionDefaults(ServerCli.ENV_PREFIX, env, packageConfig));
        cl.parseArgs(args);
        return cl.getSubcommands().get("serve").getCommand();
    }
}
