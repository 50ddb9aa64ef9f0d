package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link TunnelClient#stopReconnecting()} (the node this tunnel dials left the list) never breaks a connection: one whose
 * dial completes just after it stays up and serves until the node closes it, then the tunnel ends without redialling.
 * Driven by a dialler whose dial the test completes (no timing).
 */
class TunnelClientStopTest {
    private static final String URL = "wss://admin.example.com:8444/connector/v1/tunnel";

    /** A link the test closes as the node would; records whether the connector closed it. */
    static final class FakeLink implements TunnelLink {
        volatile boolean open = true;
        volatile String closedBy;
        volatile Receiver receiver;

        @Override
        public String protocol() {
            return "fake";
        }

        @Override
        public boolean isOpen() {
            return open;
        }

        @Override
        public void close(CloseReason reason, String text) {
            if (open) {
                open = false;
                closedBy = text;
                receiver.closed(text);
            }
        }

        @Override
        public void write(ByteBuffer frame, Runnable written, Consumer<Throwable> failed) {
            written.run();
        }

        /** The node closes it (draining done). */
        void closeFromNode() {
            open = false;
            receiver.closed("node stopped");
        }
    }

    /** Dials the test completes: each dial's future and link, and a latch per dial made. */
    static final class HeldDialer implements LinkDialer {
        final AtomicInteger dials = new AtomicInteger();
        final CountDownLatch dialled = new CountDownLatch(1);
        final FakeLink link = new FakeLink();
        final CompletableFuture<Dialed> answer = new CompletableFuture<>();
        volatile boolean fail;

        @Override
        public String protocol() {
            return "fake";
        }

        @Override
        public CompletableFuture<Dialed> dial(URI url, HttpFields headers, TunnelLink.Receiver receiver) {
            dials.incrementAndGet();
            if (fail) {
                return CompletableFuture.failedFuture(new IOException("connection refused"));
            }
            link.receiver = receiver;
            dialled.countDown();
            return answer;
        }

        /** The upgrade succeeds: the link opens (the server counts the tunnel from here), then the dial completes. */
        void succeed() {
            link.receiver.opened(link);
            answer.complete(new Dialed(link, HttpFields.EMPTY));
        }
    }

    private static TunnelClient tunnel(LinkDialer dialer) {
        TunnelAddress address = new TunnelAddress(URI.create(URL), () -> URL, u -> {
        }, Clock.systemUTC(), Duration.ofSeconds(5));
        return new TunnelClient(0, dialer, address, "test", Duration.ofSeconds(10), (s, u) -> {
        }, why -> {
        }, true, Clock.systemUTC());
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aDialThatSucceedsJustAfterStopReconnectingKeepsItsConnectionUntilTheNodeClosesIt() throws Exception {
        HeldDialer dialer = new HeldDialer();
        TunnelClient t = tunnel(dialer);
        t.start();
        assertThat(dialer.dialled.await(10, TimeUnit.SECONDS)).as("dialling").isTrue();

        // The node leaves the list while the dial is in flight; the dial then succeeds.
        t.stopReconnecting();
        dialer.succeed();

        // Before: stopReconnecting interrupted the loop, which left the opened link to the server unserved and ended.
        t.connected().get(10, TimeUnit.SECONDS);
        await("the connection held", t::isConnected);
        assertThat(t.isOpen()).isTrue();
        assertThat(dialer.link.closedBy).as("the connector did not close the link").isNull();
        assertThat(t.loopDied()).isFalse();

        dialer.link.closeFromNode();
        await("the tunnel ended", () -> !t.isOpen());
        assertThat(dialer.dials.get()).as("no redial of a node that left").isEqualTo(1);
    }
}
