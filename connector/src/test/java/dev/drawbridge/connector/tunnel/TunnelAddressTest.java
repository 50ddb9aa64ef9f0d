package dev.drawbridge.connector.tunnel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link TunnelAddress}: a tunnel that cannot connect makes the connector ask the server where its tunnel is now;
 * a moved URL is dialled and stored, asking is rate-limited and shared by the tunnels, and a failed or stale
 * question leaves the URL as it is.
 */
class TunnelAddressTest {
    private static final URI OLD = URI.create("wss://admin.localhost:8444/connector/v1/tunnel");
    private static final URI NEW = URI.create("wss://admin.localhost:9444/connector/v1/tunnel");

    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final AtomicReference<String> serverSays = new AtomicReference<>(OLD.toString());
    private final AtomicInteger asked = new AtomicInteger();
    private final List<String> stored = new ArrayList<>();

    private TunnelAddress address() {
        return new TunnelAddress(OLD, () -> {
            asked.incrementAndGet();
            String s = serverSays.get();
            if (s == null) {
                throw new IOException("connection refused");
            }
            return s;
        }, stored::add, clock, Duration.ofSeconds(5));
    }

    @Test
    void anUnreachableTunnelMakesItAskTheServerAndFollowAMovedUrl() {
        TunnelAddress a = address();
        serverSays.set(NEW.toString());

        a.unreachable(OLD);

        assertThat(a.current()).isEqualTo(NEW);
        assertThat(stored).containsExactly(NEW.toString());
        assertThat(asked).hasValue(1);
    }

    @Test
    void askingIsRateLimitedAndSharedByTheTunnels() {
        TunnelAddress a = address();
        a.unreachable(OLD);
        a.unreachable(OLD);
        now.set(now.get().plusSeconds(4));
        a.unreachable(OLD);
        assertThat(asked).as("one question per 5 s, whichever tunnel asks").hasValue(1);

        now.set(now.get().plusSeconds(1));
        serverSays.set(NEW.toString());
        a.unreachable(OLD);
        assertThat(asked).hasValue(2);
        assertThat(a.current()).isEqualTo(NEW);

        now.set(now.get().plusSeconds(60));
        a.unreachable(OLD);
        assertThat(asked).as("a tunnel that failed on the old URL after another moved on does not ask again").hasValue(2);
        assertThat(stored).containsExactly(NEW.toString());
    }

    @Test
    void aServerThatCannotBeAskedLeavesTheUrlAsItIs() {
        TunnelAddress a = address();
        serverSays.set(null);

        a.unreachable(OLD);

        assertThat(a.current()).isEqualTo(OLD);
        assertThat(stored).isEmpty();
    }

    @Test
    void refreshAsksAtOnceAndReportsFailure() throws Exception {
        TunnelAddress a = address();
        assertThat(a.refresh()).isEqualTo(OLD);
        assertThat(stored).as("an unchanged URL is not written again").isEmpty();

        serverSays.set(null);
        assertThatThrownBy(a::refresh).hasMessageContaining("connection refused");
        assertThat(a.current()).isEqualTo(OLD);

        serverSays.set(NEW.toString());
        assertThat(a.refresh()).isEqualTo(NEW);
        assertThat(stored).containsExactly(NEW.toString());
    }

    @Test
    void aStoreThatFailsStillDialsTheNewUrl() {
        TunnelAddress a = new TunnelAddress(OLD, NEW::toString, url -> {
            throw new IOException("read-only");
        }, clock, Duration.ofSeconds(5));

        a.unreachable(OLD);

        assertThat(a.current()).isEqualTo(NEW);
    }
}
