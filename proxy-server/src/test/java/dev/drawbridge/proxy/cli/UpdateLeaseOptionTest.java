package dev.drawbridge.proxy.cli;

import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve --update-lease}: 15 minutes unless given, written as {@code 90s}, {@code 15m}, {@code 2h}, {@code 1d} or
 * ISO-8601; a value that is no duration, or one outside 1 minute to 1 day, is refused with a sentence naming the option.
 */
class UpdateLeaseOptionTest {
    private static ServerConfig parse(String... args) {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void fifteenMinutesUnlessGiven() {
        assertThat(parse().updateLease()).isEqualTo(Duration.ofMinutes(15)).isEqualTo(ServerConfig.DEFAULT_UPDATE_LEASE);
        assertThat(ServerConfig.defaults(Path.of("x")).updateLease()).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void theSpellingsOfADuration() {
        Map<String, Duration> ok = Map.of("90s", Duration.ofSeconds(90), "20m", Duration.ofMinutes(20), "2H", Duration.ofHours(2),
                "1d", Duration.ofDays(1), "PT30M", Duration.ofMinutes(30), "pt1h", Duration.ofHours(1), " 15m ", Duration.ofMinutes(15));
        ok.forEach((text, d) -> {
            ServerConfig c = parse("--update-lease", text);
            assertThat(c.updateLease()).as(text).isEqualTo(d);
            assertThat(c.problems()).as(text).isEmpty();
        });
    }

    @Test
    void whatIsNoDurationOrOutOfRangeIsRefusedNamingTheOption() {
        for (String bad : new String[]{"", "15", "m", "15 minutes", "-5m", "1w", "P1X", "1e3s"}) {
            assertThatThrownBy(() -> parse("--update-lease", bad)).as(bad).isInstanceOf(ServerConfig.InvalidConfigException.class)
                    .hasMessageContaining("updateLease: '" + bad + "' is not a duration such as 15m, 1h or PT15M (--update-lease)");
        }
        for (String outOfRange : new String[]{"59s", "0m", "2d", "PT-5M"}) {
            assertThat(parse("--update-lease", outOfRange).problems()).as(outOfRange)
                    .containsExactly("updateLease: must be between 1 minute and 1 day (--update-lease)");
        }
    }
}
