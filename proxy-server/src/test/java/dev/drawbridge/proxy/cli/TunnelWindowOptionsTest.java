package dev.drawbridge.proxy.cli;

import dev.drawbridge.model.tunnel.FlowControl;
import dev.drawbridge.model.tunnel.WindowBudget;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.tunnel.transport.PinnedInput;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code serve --tunnel-max-stream-window}, {@code --tunnel-window-budget} and {@code --tunnel-parked-max}: how far the
 * receive windows of tunnel streams may grow, per stream, per tunnel and across all tunnels; the defaults of before
 * unless given; a value that is no size, or out of range, is refused with a sentence naming the option.
 */
class TunnelWindowOptionsTest {
    private static final long MIB = 1024 * 1024;

    private static ServerConfig parse(String... args) {
        ServerCli.Serve serve = new ServerCli.Serve();
        new CommandLine(serve).parseArgs(args);
        return serve.config();
    }

    @Test
    void theDefaultsUnlessGiven() {
        assertThat(parse().tunnelWindows()).isEqualTo(ServerConfig.TunnelWindows.DEFAULTS);
        assertThat(ServerConfig.defaults(Path.of("x")).tunnelWindows()).isEqualTo(ServerConfig.TunnelWindows.DEFAULTS);
        assertThat(ServerConfig.TunnelWindows.DEFAULTS.maxStreamWindow()).isEqualTo(16 * MIB);
        assertThat(ServerConfig.TunnelWindows.DEFAULTS.tunnelBudget()).isEqualTo(64 * MIB);
        assertThat(ServerConfig.TunnelWindows.DEFAULTS.processBudget()).isEqualTo(WindowBudget.DEFAULT_LIMIT);
        assertThat(parse().problems()).isEmpty();
    }

    @Test
    void givenSizesReachTheTunnelsFlowControl() {
        ServerConfig c = parse("--tunnel-max-stream-window", "32m", "--tunnel-window-budget", "128MiB", "--tunnel-parked-max", "1g");
        assertThat(c.problems()).isEmpty();
        FlowControl f = c.tunnelWindows().flowControl();
        assertThat(f.maxWindow()).isEqualTo(32 * MIB);
        assertThat(f.tunnelBudget()).isEqualTo(128 * MIB);
        assertThat(f.processBudget().limit()).isEqualTo(1024 * MIB);
        assertThat(parse("--tunnel-max-stream-window", "512k", "--tunnel-parked-max", "0").tunnelWindows().flowControl().autoTunes())
                .as("fixed windows").isFalse();
    }

    @Test
    void whatIsNoSizeOrOutOfRangeIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> parse("--tunnel-max-stream-window", "lots")).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("tunnelWindows.maxStreamWindow: 'lots' is not a size such as 512k, 16m or 1g (--tunnel-max-stream-window)");
        assertThatThrownBy(() -> parse("--tunnel-parked-max", "-1m")).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("(--tunnel-parked-max)");
        assertThatThrownBy(() -> parse("--tunnel-window-budget", "12x")).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("(--tunnel-window-budget)");
        assertThat(parse("--tunnel-max-stream-window", "256k").problems())
                .containsExactly("tunnelWindows.maxStreamWindow: 256k must be between 512k (fixed windows) and 1g (--tunnel-max-stream-window)");
        assertThat(parse("--tunnel-max-stream-window", "2g").problems()).hasSize(1);
        assertThatThrownBy(() -> parse("--tunnel-pinned-max", "some")).isInstanceOf(ServerConfig.InvalidConfigException.class)
                .hasMessageContaining("tunnelWindows.pinnedMax: 'some' is not a size such as 512k, 16m or 1g (--tunnel-pinned-max)");
        assertThat(new ServerConfig.TunnelWindows(16 * MIB, 64 * MIB, 0, -1).pinnedMax()).isNegative();
        assertThat(ServerConfig.defaults(Path.of("x")).withTunnelWindows(new ServerConfig.TunnelWindows(16 * MIB, 64 * MIB, 0, -1))
                .problems()).containsExactly("tunnelWindows.pinnedMax: must not be negative (--tunnel-pinned-max)");
    }

    /** The server's own cap on input buffers pinned by retained slices: 0 by default (it copies), opt-in as an option. */
    @Test
    void thePinnedCapIsTheServersOwnAndAnOption() {
        assertThat(ServerConfig.TunnelWindows.DEFAULTS.pinnedMax()).isEqualTo(PinnedInput.SERVER_DEFAULT).isZero();
        assertThat(PinnedInput.SERVER_DEFAULT).as("below the connector's").isLessThanOrEqualTo(PinnedInput.CONNECTOR_DEFAULT);
        assertThat(parse().tunnelWindows().pinnedMax()).isEqualTo(PinnedInput.SERVER_DEFAULT);
        assertThat(parse("--tunnel-pinned-max", "12m").tunnelWindows().pinnedInput().limit()).isEqualTo(12 * MIB);
        assertThat(parse("--tunnel-pinned-max", "0").tunnelWindows().pinnedInput().limit()).isZero();
        ServerConfig.TunnelWindows w = parse("--tunnel-pinned-max", "12m").tunnelWindows();
        assertThat(w.pinnedInput()).as("a new cap per server, never a static one").isNotSameAs(w.pinnedInput());
    }
}
