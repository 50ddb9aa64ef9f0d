package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A connection's stream ids run out: the opening side starts retiring at half its id space (once), refuses ids past
 * the end for good, tells the peer with GOAWAY, and can close itself once idle without ever dropping a stream it
 * opened (closing as idle is atomic with opening).
 */
class RetirementTest {
    /** Ids 1, 3, 5, 7, 9: five streams; retiring from id 5 (half of 9, rounded up). */
    private static final int LAST_ID = 9;

    /** Records what a lifecycle was told. */
    static final class Recorder implements Multiplexer.Lifecycle {
        final AtomicInteger retiring = new AtomicInteger();
        final List<String> goAways = new CopyOnWriteArrayList<>();

        @Override
        public void peerGoingAway(String reason) {
            goAways.add(reason);
        }

        @Override
        public void retiring() {
            retiring.incrementAndGet();
        }
    }

    @Test
    void retiringStartsOnceAtHalfTheIdSpaceAndIdsPastTheEndAreRefusedForGood() throws Exception {
        Recorder proxy = new Recorder();
        try (MuxPair pair = new MuxPair(LAST_ID, proxy, new Recorder())) {
            pair.proxy.open(MuxPair.head("a"));
            pair.proxy.open(MuxPair.head("b"));
            assertThat(pair.proxy.isRetiring()).isFalse();
            assertThat(proxy.retiring).hasValue(0);

            TunnelStream third = pair.proxy.open(MuxPair.head("c"));
            assertThat(third.id()).isEqualTo(5);
            assertThat(pair.proxy.isRetiring()).isTrue();
            assertThat(proxy.retiring).hasValue(1);

            // Past half, a retiring connection still opens streams (when it is the only one), up to the last id.
            assertThat(pair.proxy.open(MuxPair.head("d")).id()).isEqualTo(7);
            assertThat(pair.proxy.open(MuxPair.head("e")).id()).isEqualTo(LAST_ID);
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> pair.proxy.open(MuxPair.head("late"))).isInstanceOf(IOException.class)
                        .hasMessageContaining("stream ids exhausted");
            }
            assertThat(proxy.retiring).hasValue(1);
            MuxPair.await("the connector side to accept the five streams", () -> pair.accepted.size() == 5);
        }
    }

    @Test
    void goAwayReachesThePeersLifecycle() throws Exception {
        Recorder connector = new Recorder();
        try (MuxPair pair = new MuxPair(LAST_ID, new Recorder(), connector)) {
            pair.proxy.goAway("open a replacement");
            MuxPair.await("the connector to hear GOAWAY", () -> connector.goAways.contains("open a replacement"));
            assertThat(pair.connector.peerDraining()).isTrue();
        }
    }

    @Test
    void closeIfIdleWaitsForStreamsInFlight() throws Exception {
        try (MuxPair pair = new MuxPair(LAST_ID, new Recorder(), new Recorder())) {
            TunnelStream s = pair.proxy.open(new RequestHead("a", "GET", "http://intranet/", List.of(),
                    Duration.ofSeconds(5), false, false));
            s.endOutputWithoutFrame();
            TunnelStream upstream = pair.accept();
            assertThat(pair.proxy.closeIfIdle("retired")).as("with a stream in flight").isFalse();

            upstream.sendWhole(new ResponseHead(200, List.of()), new byte[]{1});
            assertThat(s.awaitHead(Duration.ofSeconds(5)).status()).isEqualTo(200);
            assertThat(s.takeWholeBody()).containsExactly(1);
            MuxPair.await("the stream to finish", () -> pair.proxy.activeStreams() == 0);

            assertThat(pair.proxy.closeIfIdle("retired")).isTrue();
            assertThat(pair.proxy.isOpen()).isFalse();
            assertThatThrownBy(() -> pair.proxy.open(MuxPair.head("after"))).isInstanceOf(IOException.class)
                    .hasMessageContaining("retired");
        }
    }

    @Test
    void aStreamIsNeverOpenedOnAConnectionClosedAsIdle() throws Exception {
        for (int round = 0; round < 2_000; round++) {
            Multiplexer mux = new Multiplexer(frame -> { }, null, Runnable::run, Multiplexer.LAST_STREAM_ID, Multiplexer.Lifecycle.NONE);
            CountDownLatch go = new CountDownLatch(1);
            TunnelStream[] opened = new TunnelStream[1];
            Thread opener = Thread.startVirtualThread(() -> {
                try {
                    go.await();
                    opened[0] = mux.open(MuxPair.head("race"));
                } catch (IOException | InterruptedException refused) {
                    // closed first: refused, which the caller retries elsewhere
                }
            });
            go.countDown();
            boolean closed = mux.closeIfIdle("retired");
            opener.join();
            if (opened[0] != null) {
                assertThat(closed).as("round %d: closed with a stream just opened", round).isFalse();
                assertThat(opened[0].isReset()).isFalse();
            } else {
                assertThat(closed).as("round %d: refused an open without closing", round).isTrue();
            }
        }
    }
}
