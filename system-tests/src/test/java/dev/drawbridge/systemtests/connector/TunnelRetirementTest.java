package dev.drawbridge.systemtests.connector;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.proxy.tunnel.ConnectorRegistry;
import dev.drawbridge.proxy.tunnel.TunnelConnection;
import dev.drawbridge.testsupport.stack.SampleStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tunnel that runs out of stream ids is retired, not left in the pool: with a tiny id space (100 streams per
 * tunnel instead of 2^30) the server stops choosing the tunnel half-way, sends GOAWAY, the connector opens a
 * replacement, and the old tunnel closes once its in-flight streams are done. Hundreds of requests, sequential,
 * concurrent and one slow one spanning the retirement, all succeed.
 */
class TunnelRetirementTest {
    /** Tiny, so a run goes through several tunnels; the half after retirement still covers the replacement's connect. */
    private static final int STREAMS_PER_TUNNEL = 100;

    @TempDir
    Path dir;

    @Test
    void aTunnelOutOfStreamIdsIsReplacedWithoutFailingARequest() throws Exception {
        try (SampleStack s = SampleStack.start(dir)) {
            ConnectorRegistry registry = s.stack().server().registry();
            registry.limitStreamIds(2 * STREAMS_PER_TUNNEL - 1);
            Connector connector = s.stack().startConnector(dir.resolve("connector"), 1);
            Set<TunnelConnection> seen = new LinkedHashSet<>(registry.tunnels());
            assertThat(seen).hasSize(1);

            // In flight on the first tunnel while it is retired: it must finish, and keep the tunnel open until then.
            CompletableFuture<ContentResponse> slow = get(s, "slow?ms=3000");
            int requests = 0;
            for (int batch = 0; batch < 80; batch++) {
                List<CompletableFuture<ContentResponse>> inFlight = new ArrayList<>();
                for (int i = 0; i < (batch % 2 == 0 ? 1 : 8); i++) {
                    inFlight.add(get(s, "echo/" + batch + "/" + i));
                }
                for (CompletableFuture<ContentResponse> f : inFlight) {
                    assertThat(f.get(30, TimeUnit.SECONDS).getStatus()).as("request %d", ++requests).isEqualTo(200);
                }
                seen.addAll(registry.tunnels());
            }
            assertThat(slow.get(30, TimeUnit.SECONDS).getStatus()).as("the slow request spanning the retirement").isEqualTo(200);

            assertThat(requests).isGreaterThan(3 * STREAMS_PER_TUNNEL);
            assertThat(seen).as("tunnels the connector had over the run").hasSizeGreaterThan(3);
            assertThat(seen).allSatisfy(t -> assertThat(t.streamsOpened()).isLessThanOrEqualTo(STREAMS_PER_TUNNEL));
            Await.until("every retired tunnel to close once drained, leaving one", Duration.ofSeconds(15), () -> {
                List<TunnelConnection> live = registry.tunnels();
                return live.size() == 1 && seen.stream().filter(t -> !live.contains(t)).noneMatch(t -> t.mux().isOpen());
            });
            assertThat(connector.connectedTunnels()).isEqualTo(1);
        }
    }

    private static CompletableFuture<ContentResponse> get(SampleStack s, String path) {
        return new CompletableResponseListener(s.stack().http().newRequest(URI.create(s.url() + path))
                .timeout(30, TimeUnit.SECONDS), 1 << 20).send();
    }
}
