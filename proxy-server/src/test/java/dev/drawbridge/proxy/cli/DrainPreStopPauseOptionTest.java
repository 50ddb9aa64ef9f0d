package dev.drawbridge.proxy.cli;

import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve --drain-pre-stop-pause} (settings key {@code drain-pre-stop-pause}): 3 s on PostgreSQL (nodes behind a
 * balancer), nothing on the embedded database or in a configuration built in code; 0 to 60 s; anything else refused with a
 * sentence naming the option.
 */
class DrainPreStopPauseOptionTest {
    private static ServerConfig parse(String... args) {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void threeSecondsOnPostgresqlNoneOnTheEmbeddedDatabase() {
        assertThat(parse("--database-url", "jdbc:postgresql://db/drawbridge").cluster().preStopPause()).isEqualTo(Duration.ofSeconds(3));
        assertThat(parse().cluster().preStopPause()).isZero();
        assertThat(ServerConfig.defaults(Path.of("x")).cluster().preStopPause()).isZero();
    }

    @Test
    void givenItIsKeptWithinItsRange() {
        assertThat(parse("--drain-pre-stop-pause", "7s").cluster().preStopPause()).isEqualTo(Duration.ofSeconds(7));
        assertThat(parse("--database-url", "jdbc:postgresql://db/drawbridge", "--drain-pre-stop-pause", "0s").cluster().preStopPause())
                .isZero();
        assertThat(parse("--drain-pre-stop-pause", "PT0.6S").cluster().preStopPause()).isEqualTo(Duration.ofMillis(600));
        assertThat(parse("--drain-pre-stop-pause", "61s").problems())
                .containsExactly("cluster.drainPreStopPause: 61000 ms is not from 0 to 60 s (--drain-pre-stop-pause)");
        assertThat(parse("--drain-pre-stop-pause", "PT-1S").problems())
                .containsExactly("cluster.drainPreStopPause: -1000 ms is not from 0 to 60 s (--drain-pre-stop-pause)");
        assertThatThrownBy(() -> parse("--drain-pre-stop-pause", "3 seconds")).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("cluster.drainPreStopPause: '3 seconds' is not a duration such as 15m, 1h or PT15M (--drain-pre-stop-pause)");
    }
}
