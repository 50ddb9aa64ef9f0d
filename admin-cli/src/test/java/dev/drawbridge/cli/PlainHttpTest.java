package dev.drawbridge.cli;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.InputStream;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The CLI sends a credential over plain http only to this machine, by the same rule as the typed client
 * ({@code LocalhostNames.isLoopback}): every spelling of a host that is not a loopback literal or a localhost name is
 * refused before anything is sent.
 */
class PlainHttpTest {
    @TempDir
    Path config;

    private Settings resolve(String server) throws CliException {
        DrawbridgeCli cli = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", config.toString()), InputStream.nullInputStream());
        CommandLine.populateCommand(cli, "--server", server, "--token", "dbadm_secret");
        return Settings.resolve(cli, true);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1.nip.io", "127.attacker.example", "localhost.evil.com", "evil.com", "[::2]", "[::ffff:10.0.0.1]",
            "0.0.0.0", "0177.0.0.1"})
    void plainHttpToAnotherHostIsRefused(String host) {
        CliException e = catchThrowableOfType(CliException.class, () -> resolve("http://" + host + ":8080"));
        assertThat(e.exitCode()).isEqualTo(CliException.USAGE);
        assertThat(e.getMessage()).contains("plain http");
    }

    /** Hosts the URL parser does not take as a host at all are no URL to the CLI. */
    @ParameterizedTest
    @ValueSource(strings = {"0x7f.0.0.1", "127.1"})
    void hostsThatAreNoHostAreRefused(String host) {
        CliException e = catchThrowableOfType(CliException.class, () -> resolve("http://" + host + ":8080"));
        assertThat(e.exitCode()).isEqualTo(CliException.USAGE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "[::1]", "[::ffff:127.0.0.1]", "localhost", "LOCALHOST", "localhost.",
            "foo.localhost"})
    void plainHttpToThisMachineIsAllowed(String host) throws CliException {
        assertThat(resolve("http://" + host + ":8080").token()).contains("dbadm_secret");
    }
}
