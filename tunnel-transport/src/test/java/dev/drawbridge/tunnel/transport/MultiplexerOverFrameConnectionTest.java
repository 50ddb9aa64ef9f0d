package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two {@link Multiplexer}s (the proxy's, which opens streams, and the connector's, which echoes each request body back as
 * its response) talking over a {@link FrameConnection} pair on real TLS: a 10 MiB body both ways, many small exchanges
 * interleaved, and no pooled buffer leaked once the tunnel closes.
 */
class MultiplexerOverFrameConnectionTest {
    private TunnelFixture fixture;
    private MuxEnd proxy;
    private MuxEnd connector;
    private TunnelLink connectorLink;

    @BeforeEach
    void connect(TestInfo test) throws Exception {
        // One test on pools of Jetty's default size (64 KiB): smaller input buffers, full DATA frames unpooled.
        fixture = new TunnelFixture(null, test.getTags().contains("default-pool") ? 64 * 1024 : TunnelFixture.TUNNEL_POOL_MAX);
        connector = new MuxEnd(MultiplexerOverFrameConnectionTest::echo);
        connectorLink = TunnelUpgradeClient.dial(fixture.client, fixture.uri(), HttpFields.EMPTY, connector, Duration.ofSeconds(30))
                .get(20, TimeUnit.SECONDS).link();
        RecordingReceiver.await(() -> !fixture.serverReceivers.isEmpty(), "the server's link");
        proxy = new MuxEnd(null);
        // The fixture's server receiver records; hand its link to a multiplexer end instead.
        TunnelLink serverLink = fixture.awaitServerLink().link.get();
        proxy.opened(serverLink);
        fixture.serverReceivers.getLast().onClosed = proxy::closed;
        fixture.serverReceivers.getLast().forward = proxy;
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void aTenMebibyteBodyGoesBothWays() throws Exception {
        byte[] body = new byte[10 * 1024 * 1024];
        new Random(1).nextBytes(body);
        byte[] echoed = exchange(body);
        assertThat(MessageDigest.getInstance("SHA-256").digest(echoed)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(body));
    }

    @Test
    @Tag("default-pool")
    void aTenMebibyteBodyGoesBothWaysWithJettysDefaultPoolAndLeaksNothing() throws Exception {
        byte[] body = new byte[10 * 1024 * 1024];
        new Random(2).nextBytes(body);
        assertThat(exchange(body)).isEqualTo(body);
        connectorLink.close(TunnelLink.CloseReason.NORMAL, "done");
        FrameConnectionTest.assertNoLeaks(fixture);
    }

    @Test
    void manySmallExchangesInterleaved() throws Exception {
        List<CompletableFuture<Boolean>> all = new ArrayList<>();
        for (int i = 0; i < 300; i++) {
            byte[] body = ("request " + i + " ").repeat(1 + i % 40).getBytes();
            CompletableFuture<Boolean> done = new CompletableFuture<>();
            Thread.startVirtualThread(() -> {
                try {
                    done.complete(Arrays.equals(exchange(body), body));
                } catch (Exception e) {
                    done.completeExceptionally(e);
                }
            });
            all.add(done);
        }
        for (CompletableFuture<Boolean> f : all) {
            assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(proxy.mux.get().activeStreams()).isZero();
    }

    @Test
    void closingTheTunnelFailsItsStreamsAndLeaksNoBuffer() throws Exception {
        exchange(new byte[200_000]);
        TunnelStream open = proxy.mux.get().open(head(true));
        connectorLink.close(TunnelLink.CloseReason.GOING_AWAY, "shutting down");
        RecordingReceiver.await(() -> open.isReset() && !proxy.mux.get().isOpen() && !connector.closed.isEmpty(),
                "the stream failed with the tunnel");
        assertThat(connector.closed).hasSize(1);
        FrameConnectionTest.assertNoLeaks(fixture);
    }

    private byte[] exchange(byte[] body) throws IOException {
        TunnelStream s = proxy.mux.get().open(head(true));
        Thread writer = Thread.startVirtualThread(() -> {
            try (OutputStream out = s.outputStream()) {
                out.write(body);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            ResponseHead head = s.awaitHead(Duration.ofSeconds(30));
            assertThat(head.status()).isEqualTo(200);
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            s.inputStream().transferTo(got);
            writer.join(Duration.ofSeconds(30));
            return got.toByteArray();
        } catch (TimeoutException | InterruptedException e) {
            throw new IOException(e);
        }
    }

    private static RequestHead head(boolean body) {
        return new RequestHead("app", "POST", "http://intranet/echo", List.of(new HeaderField("Host", "intranet")), Duration.ofSeconds(30),
                false, body);
    }

    /** The connector's side: answer 200 and stream the request body back (on a thread of its own, as StreamHandler does). */
    private static void echo(TunnelStream stream) {
        Thread.startVirtualThread(() -> {
            try {
                stream.sendHead(new ResponseHead(200, List.of()));
                InputStream in = stream.inputStream();
                OutputStream out = stream.outputStream();
                in.transferTo(out);
                out.close();
            } catch (IOException e) {
                stream.reset(ResetCode.UPSTREAM_ERROR, e.getMessage());
            }
        });
    }
}
