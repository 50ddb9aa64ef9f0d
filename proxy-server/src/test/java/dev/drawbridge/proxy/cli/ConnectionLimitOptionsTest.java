package dev.drawbridge.proxy.cli;

import dev.drawbridge.proxy.config.ConnectionLimits;
import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve --max-connections} and {@code --max-tunnel-connections} (settings keys {@code max-connections},
 * {@code max-tunnel-connections}): defaults derived from the open-files limit and fixed; at least 1; anything else refused
 * with a sentence naming the option.
 */
class ConnectionLimitOptionsTest {
    private static ServerConfig parse(String... args) {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void theDefaults() {
        assertThat(parse().connectionLimits()).isEqualTo(ConnectionLimits.defaults());
        // The public default leaves the tunnel limit's descriptors to the tunnels.
        assertThat(parse("--max-tunnel-connections", "8192").connectionLimits()).isEqualTo(ConnectionLimits.defaults(8192));
    }

    @Test
    void givenTheyAreKept() {
        assertThat(parse("--max-connections", "20000").connectionLimits().publicMax()).isEqualTo(20_000);
        assertThat(parse("--max-connections", " 7 ", "--max-tunnel-connections", "300").connectionLimits())
                .isEqualTo(new ConnectionLimits(7, 300));
        assertThat(parse("--max-connections", "1").problems()).isEmpty();
    }

    @Test
    void zeroNegativeOrNotANumberIsRefusedNamingTheOption() {
        assertThat(parse("--max-connections", "0").problems())
                .containsExactly("connectionLimits.publicMax: 0 must be at least 1 (--max-connections)");
        assertThat(parse("--max-tunnel-connections", "-5").problems())
                .containsExactly("connectionLimits.tunnelMax: -5 must be at least 1 (--max-tunnel-connections)");
        assertThatThrownBy(() -> parse("--max-connections", "lots")).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("connectionLimits.publicMax: 'lots' is not a number of connections such as 10000 (--max-connections)");
        assertThatThrownBy(() -> parse("--max-tunnel-connections", "3000000000")).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("connectionLimits.tunnelMax: '3000000000' is not a number of connections such as 10000"
                        + " (--max-tunnel-connections)");
    }
}
