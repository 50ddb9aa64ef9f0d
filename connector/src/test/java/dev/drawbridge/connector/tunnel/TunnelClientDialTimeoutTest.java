package dev.drawbridge.connector.tunnel;

import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A dial that takes longer than the dial timeout is given up: the link it opens later (a relay that answers the upgrade
 * late) is closed by the connector at once, not left open with nobody reading it while the server counts a tunnel and
 * sends it requests until its idle timeout. Driven by a dialler whose dial the test completes (no timing but the short
 * dial timeout itself).
 */
class TunnelClientDialTimeoutTest {
    private static final String URL = "wss://admin.example.com:8444/connector/v1/tunnel";

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("timed out waiting for " + what).isLessThan(deadline);
            new CountDownLatch(1).await(10, TimeUnit.MILLISECONDS);
        }
    }

    @Test
    void aLinkThatOpensAfterTheDialTimedOutIsClosedAtOnce() throws Exception {
        TunnelClientStopTest.HeldDialer dialer = new TunnelClientStopTest.HeldDialer();
        TunnelAddress address = new TunnelAddress(URI.create(URL), () -> URL, u -> {
        }, Clock.systemUTC(), Duration.ofSeconds(5));
        TunnelClient t = new TunnelClient(0, dialer, address, "test", Duration.ofSeconds(10), (s, u) -> {
        }, why -> {
        }, true, Clock.systemUTC());
        t.dialTimeout(Duration.ofMillis(200));
        t.start();
        try {
            assertThat(dialer.dialled.await(10, TimeUnit.SECONDS)).as("dialling").isTrue();
            // The next dials fail at once: the first one stays the only held one.
            dialer.fail = true;
            await("the dial given up and dialled again", () -> dialer.dials.get() >= 2);

            // The relay answers the first upgrade now, long after the timeout.
            dialer.succeed();

            // Before: the late link stayed open, unread, until the server's idle timeout.
            await("the late link closed by the connector", () -> !dialer.link.isOpen());
            assertThat(dialer.link.closedBy).isEqualTo("dial timed out");
            assertThat(t.isConnected()).isFalse();
        } finally {
            t.abort();
        }
    }
}
