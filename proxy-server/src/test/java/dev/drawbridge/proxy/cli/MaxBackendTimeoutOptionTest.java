package dev.drawbridge.proxy.cli;

import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve --max-backend-timeout}: the longest backend timeout an app may be given in seconds, 600 s unless given,
 * DEFAULT and LONG still 85 and 180 s; a value that is no duration, or one outside 1 second to 1 day, is refused with a
 * sentence naming the option.
 */
class MaxBackendTimeoutOptionTest {
    private static ServerConfig parse(String... args) {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void sixHundredSecondsUnlessGiven() {
        assertThat(parse().timeouts().max()).isEqualTo(Duration.ofSeconds(600));
        assertThat(parse().timeouts().normal()).isEqualTo(Duration.ofSeconds(85));
        assertThat(parse().timeouts().extended()).isEqualTo(Duration.ofSeconds(180));
        assertThat(ServerConfig.defaults(Path.of("x")).timeouts().max()).isEqualTo(Duration.ofSeconds(600));
    }

    @Test
    void givenAsADuration() {
        assertThat(parse("--max-backend-timeout", "30m").timeouts().max()).isEqualTo(Duration.ofMinutes(30));
        assertThat(parse("--max-backend-timeout", "PT2H").timeouts().max()).isEqualTo(Duration.ofHours(2));
        assertThat(parse("--max-backend-timeout", "30m").problems()).isEmpty();
    }

    @Test
    void badValuesAreRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--max-backend-timeout", "forever")).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("timeouts.max: 'forever' is not a duration").hasMessageContaining("(--max-backend-timeout)");
        for (String outOfRange : new String[] {"0s", "2d", "PT0.5S"}) {
            assertThat(parse("--max-backend-timeout", outOfRange).problems()).as(outOfRange).containsExactly(
                    "timeouts.max: the longest backend timeout an app may have must be between 1 second and 1 day (--max-backend-timeout)");
        }
    }
}
