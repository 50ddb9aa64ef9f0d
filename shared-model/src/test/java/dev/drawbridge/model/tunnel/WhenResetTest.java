package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TunnelStream#whenReset}: the action runs once when the peer resets the stream (the connector aborts its
 * upstream request when the proxy's client went away), at once when it already was, and never for a stream that ended.
 */
class WhenResetTest {
    private static RequestHead get() {
        return new RequestHead("app", "GET", "http://h/", List.of(), Duration.ofSeconds(30), false, false);
    }

    @Test
    void runsWhenThePeerResets() throws Exception {
        try (MuxPair pair = new MuxPair()) {
            TunnelStream proxySide = pair.proxy.open(get());
            TunnelStream connectorSide = pair.accept();
            CompletableFuture<ResetCode> seen = new CompletableFuture<>();
            connectorSide.whenReset(e -> seen.complete(e.code()));
            proxySide.reset(ResetCode.CANCEL, "client went away");
            assertThat(seen.get(5, TimeUnit.SECONDS)).isEqualTo(ResetCode.CANCEL);
            CompletableFuture<ResetCode> late = new CompletableFuture<>();
            connectorSide.whenReset(e -> late.complete(e.code()));
            assertThat(late).isCompletedWithValue(ResetCode.CANCEL);
        }
    }

    @Test
    void neverRunsForAStreamThatEnded() throws Exception {
        try (MuxPair pair = new MuxPair()) {
            TunnelStream proxySide = pair.proxy.open(get());
            proxySide.endOutputWithoutFrame();
            TunnelStream connectorSide = pair.accept();
            CompletableFuture<ResetCode> seen = new CompletableFuture<>();
            connectorSide.whenReset(e -> seen.complete(e.code()));
            connectorSide.sendWhole(new ResponseHead(204, List.of()), new byte[0]);
            proxySide.awaitHead(Duration.ofSeconds(5));
            MuxPair.await("both sides done", () -> pair.proxy.activeStreams() == 0 && pair.connector.activeStreams() == 0);
            assertThat(seen).isNotDone();
        }
    }
}
