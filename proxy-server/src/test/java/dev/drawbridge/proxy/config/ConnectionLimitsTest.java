package dev.drawbridge.proxy.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The default public connection limit follows the open-files limit: what is left after the tunnel listener's limit and a
 * reserve, at least a floor, a fixed fallback when the limit is unknown.
 */
class ConnectionLimitsTest {
    @Test
    void theOpenFilesLimitLessTheTunnelLimitAndTheReserve() {
        // The package's unit: LimitNOFILE=65536.
        assertThat(ConnectionLimits.defaultPublicMax(OptionalLong.of(65_536), 4096)).isEqualTo(60_416);
        assertThat(ConnectionLimits.defaultPublicMax(OptionalLong.of(1_048_576), 4096)).isEqualTo(1_043_456);
        assertThat(ConnectionLimits.defaultPublicMax(OptionalLong.of(65_536), 10_000)).isEqualTo(54_512);
    }

    @Test
    void neverBelowTheFloorNorBeyondAnInt() {
        assertThat(ConnectionLimits.defaultPublicMax(OptionalLong.of(1024), 4096)).isEqualTo(ConnectionLimits.FLOOR).isEqualTo(1024);
        assertThat(ConnectionLimits.defaultPublicMax(OptionalLong.of(6144), 4096)).isEqualTo(1024);
        assertThat(ConnectionLimits.defaultPublicMax(OptionalLong.of(Long.MAX_VALUE), 4096)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void aFixedFallbackWhenTheLimitIsUnknown() {
        assertThat(ConnectionLimits.defaultPublicMax(OptionalLong.empty(), 4096)).isEqualTo(ConnectionLimits.FALLBACK).isEqualTo(16_384);
        assertThat(ConnectionLimits.defaultPublicMax(OptionalLong.of(-1), 4096)).isEqualTo(16_384);
    }

    @Test
    void theHeapBoundsTheDefaultToo() {
        assertThat(ConnectionLimits.heapBound(1L << 30)).isEqualTo(16_384);
        assertThat(ConnectionLimits.heapBound(6L << 30)).isEqualTo(98_304);
        assertThat(ConnectionLimits.heapBound(16L << 20)).isEqualTo(ConnectionLimits.FLOOR);
        assertThat(ConnectionLimits.heapBound(Long.MAX_VALUE)).isEqualTo(Integer.MAX_VALUE);
    }

    @Test
    void thisProcessGetsItsOwn() {
        ConnectionLimits d = ConnectionLimits.defaults();
        assertThat(d.tunnelMax()).isEqualTo(ConnectionLimits.DEFAULT_TUNNEL_MAX).isEqualTo(4096);
        assertThat(d.publicMax()).isEqualTo(Math.min(ConnectionLimits.defaultPublicMax(ConnectionLimits.openFilesLimit(), 4096),
                ConnectionLimits.heapBound(Runtime.getRuntime().maxMemory())));
        assertThat(ServerConfig.defaults(Path.of("x")).connectionLimits()).isEqualTo(d);
    }

    @Test
    void zeroOrNegativeIsRefusedNamingTheOption() {
        List<String> p = new ArrayList<>();
        new ConnectionLimits(0, -3).problems(p);
        assertThat(p).containsExactly("connectionLimits.publicMax: 0 must be at least 1 (--max-connections)",
                "connectionLimits.tunnelMax: -3 must be at least 1 (--max-tunnel-connections)");
    }
}
