package dev.drawbridge.proxy.cli;

import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve --signing-key-rotation-period}: 90 days unless given (also for configurations built in code); a duration
 * from 1 day to 3650 days, or {@code off} for on demand only; anything else is refused with a sentence naming the field
 * and the option.
 */
class SigningKeyRotationOptionTest {
    private static ServerConfig parse(String... args) {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void ninetyDaysUnlessGivenAndOffForOnDemandOnly() {
        assertThat(parse().keyRotation()).contains(Duration.ofDays(90));
        assertThat(ServerConfig.defaults(Path.of("x")).keyRotation()).contains(ServerConfig.DEFAULT_KEY_ROTATION);
        assertThat(parse("--signing-key-rotation-period", "OFF").keyRotation()).isEmpty();
        ServerConfig c = parse("--signing-key-rotation-period", "30d");
        assertThat(c.keyRotation()).contains(Duration.ofDays(30));
        assertThat(c.problems()).isEmpty();
        assertThat(c.withCluster(ServerConfig.Cluster.NONE).keyRotation()).as("kept by the with- copies").contains(Duration.ofDays(30));
        assertThat(c.withKeyRotation(Optional.empty()).keyRotation()).isEmpty();
    }

    @Test
    void outOfRangeOrNoDurationIsRefusedNamingTheFieldAndOption() {
        String problem = "signingKeyRotationPeriod: must be from 1 day to 3650 days, or off for on demand only (--signing-key-rotation-period)";
        assertThat(parse("--signing-key-rotation-period", "12h").problems()).containsExactly(problem);
        assertThat(parse("--signing-key-rotation-period", "3651d").problems()).containsExactly(problem);
        assertThatThrownBy(() -> parse("--signing-key-rotation-period", "quarterly")).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("signingKeyRotationPeriod: 'quarterly' is not a duration such as 15m, 1h or PT15M"
                        + " (--signing-key-rotation-period)");
    }
}
