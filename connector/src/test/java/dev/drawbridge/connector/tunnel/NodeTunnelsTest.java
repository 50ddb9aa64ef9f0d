package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.cluster.ClusterNodes;
import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which node list a connector follows: newer versions win, and a version far ahead of the connector's clock (a hostile or
 * damaged node sending {@link Long#MAX_VALUE}) does not freeze the list for good. Tunnels here never connect (their
 * dialler never answers): only the nodes followed are looked at.
 */
class NodeTunnelsTest {
    private static final String A = "wss://admin.example.com:8444/connector/v1/tunnel";
    private static final String B = "wss://tunnel-2.example.com:8444/connector/v1/tunnel";
    private static final String C = "wss://tunnel-3.example.com:8444/connector/v1/tunnel";

    private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));
    private final List<TunnelClient> made = new ArrayList<>();
    private final LinkDialer silent = new LinkDialer() {
        @Override
        public String protocol() {
            return "silent";
        }

        @Override
        public CompletableFuture<Dialed> dial(URI url, HttpFields headers, TunnelLink.Receiver receiver) {
            return new CompletableFuture<>();
        }
    };
    private final NodeTunnels tunnels = new NodeTunnels(1, (i, address) -> {
        TunnelClient t = new TunnelClient(i, silent, address, "test", Duration.ofSeconds(10), (s, u) -> {
        }, why -> {
        }, true, clock);
        made.add(t);
        return t;
    }, new TunnelAddress(URI.create(A), () -> A, u -> {
    }, clock, Duration.ofSeconds(5)), new NodeUrls(URI.create(A), URI.create("https://admin.example.com:8443")),
            Optional::empty, clock, Duration.ofSeconds(5));

    @AfterEach
    void stop() {
        tunnels.stop().forEach(TunnelClient::abort);
    }

    private long now() {
        return clock.millis();
    }

    @Test
    void aNewerListWinsAndAnOlderOneIsIgnored() {
        tunnels.start();
        tunnels.update(new ClusterNodes(now(), List.of(A, B)));
        tunnels.update(new ClusterNodes(now() - 1000, List.of(A)));
        assertThat(tunnels.nodes()).containsExactly(URI.create(A), URI.create(B));
        tunnels.update(new ClusterNodes(now() + 1, List.of(A, C)));
        assertThat(tunnels.nodes()).containsExactly(URI.create(A), URI.create(C));
    }

    @Test
    void aVersionFarAheadOfTheClockDoesNotFreezeTheListForGood() {
        tunnels.start();
        // A hostile or damaged node: the highest version there is, and only itself.
        tunnels.update(new ClusterNodes(Long.MAX_VALUE, List.of(B)));
        assertThat(tunnels.nodes()).containsExactly(URI.create(B));

        // Later (that node fixed or gone), the real nodes' lists, by the database's clock, are followed again.
        clock.advance(Duration.ofMinutes(10));
        tunnels.update(new ClusterNodes(now(), List.of(A, C)));
        assertThat(tunnels.nodes()).containsExactly(URI.create(A), URI.create(C));
    }

    @Test
    void aVersionAheadOfTheClockStillOrdersTheListsOfTheMomentAfter() {
        tunnels.start();
        // A database clock a little ahead of the connector's: versions still order as they should.
        tunnels.update(new ClusterNodes(now() + 30_000, List.of(A, B)));
        tunnels.update(new ClusterNodes(now() + 29_000, List.of(A)));
        assertThat(tunnels.nodes()).containsExactly(URI.create(A), URI.create(B));
    }

    /** A clock the test moves. */
    private static final class MutableClock extends Clock {
        private volatile Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

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
            return now;
        }
    }

    @Test
    void theFirstNodesTunnelsKeepTheirNodeWhileTheListNamesIt() {
        ClusterNodes both = new ClusterNodes(1, List.of(A, B));
        // Node A killed: its tunnels ask the server, and the load balancer sends the question to node B, which answers its own URL.
        assertThat(NodeTunnels.primaryUrl(URI.create(A), B, Optional.of(both))).as("node A still listed (it may return)").isEqualTo(A);
        assertThat(NodeTunnels.primaryUrl(URI.create(A), B, Optional.of(new ClusterNodes(2, List.of(B, C))))).as("node A left the list")
                .isEqualTo(B);
        assertThat(NodeTunnels.primaryUrl(URI.create(A), B, Optional.empty())).as("a server that speaks of no nodes moved its tunnel port")
                .isEqualTo(B);
        assertThat(NodeTunnels.primaryUrl(URI.create(A), B, Optional.of(new ClusterNodes(3, List.of(B)))))
                .as("a single server that moved its tunnel port (its list names itself only)").isEqualTo(B);
        assertThat(NodeTunnels.primaryUrl(null, B, Optional.of(both))).as("the first question, at start").isEqualTo(B);
    }
}
