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
 * {@code serve --live-recheck-interval} (settings key {@code live-recheck-interval}): how often open WebSockets and
 * streams are rechecked; 5 seconds unless given, 1 second to 1 minute; anything else is refused with a sentence naming
 * the option.
 */
class LiveRecheckOptionTest {
    private static ServerConfig parse(String... args) {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void fiveSecondsUnlessGiven() {
        assertThat(parse().liveRecheck()).isEqualTo(Duration.ofSeconds(5)).isEqualTo(ServerConfig.DEFAULT_LIVE_RECHECK);
        assertThat(ServerConfig.defaults(Path.of("x")).liveRecheck()).isEqualTo(Duration.ofSeconds(5));
        assertThat(parse().problems()).isEmpty();
    }

    @Test
    void theSpellingsOfADuration() {
        Map<String, Duration> ok = Map.of("1s", Duration.ofSeconds(1), "2S", Duration.ofSeconds(2), "60s", Duration.ofMinutes(1),
                "1m", Duration.ofMinutes(1), "PT3S", Duration.ofSeconds(3), " 10s ", Duration.ofSeconds(10));
        ok.forEach((text, d) -> {
            ServerConfig c = parse("--live-recheck-interval", text);
            assertThat(c.liveRecheck()).as(text).isEqualTo(d);
            assertThat(c.problems()).as(text).isEmpty();
        });
    }

    @Test
    void whatIsNoDurationOrOutOfRangeIsRefusedNamingTheOption() {
        for (String bad : new String[]{"", "5", "s", "5 seconds", "-5s", "1w", "P1X"}) {
            assertThatThrownBy(() -> parse("--live-recheck-interval", bad)).as(bad).isInstanceOf(ServerConfig.InvalidConfigException.class)
                    .hasMessageContaining("liveRecheck: '" + bad + "' is not a duration such as 15m, 1h or PT15M (--live-recheck-interval)");
        }
        for (String outOfRange : new String[]{"0s", "PT0.5S", "61s", "2m", "1h", "PT-5S"}) {
            assertThat(parse("--live-recheck-interval", outOfRange).problems()).as(outOfRange)
                    .containsExactly("liveRecheck: must be between 1 second and 1 minute (--live-recheck-interval)");
        }
    }
}
