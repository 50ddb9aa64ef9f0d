package dev.drawbridge.connector.upstream;

import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Raw TCP streams served by {@link UpstreamTcp} over an in-memory tunnel (a proxy-side and a
 * connector-side {@link Multiplexer}, frames encoded and decoded in order) to real loopback sockets:
 * bytes both ways, half-close both ways, a transfer far larger than the flow-control window, an
 * unreachable target answered by a reset, and a reset that closes the upstream connection.
 */
@Timeout(30)
class UpstreamTcpTest {
    private final TunnelPair pair = new TunnelPair(s -> Thread.ofVirtual().start(() -> UpstreamTcp.run(s)));
    private final Multiplexer proxy = pair.proxy;
    private final ExecutorService background = pair.background();
    private final ServerSocket server;

    UpstreamTcpTest() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    }

    @AfterEach
    void tearDown() throws IOException {
        pair.close();
        server.close();
    }

    /** Echoes every connection: what comes in goes back; EOF in is EOF out. */
    private void echo() {
        Thread.ofVirtual().start(() -> {
            while (!server.isClosed()) {
                try {
                    Socket s = server.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            s.getInputStream().transferTo(s.getOutputStream());
                            s.shutdownOutput();
                        } catch (IOException ignored) {
                            // connection aborted
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private TunnelStream open(int port) throws Exception {
        TunnelStream s = proxy.open(RequestHead.tcp("test", "127.0.0.1", port, Duration.ofSeconds(5)));
        assertThat(s.awaitHead(Duration.ofSeconds(10)).status()).isEqualTo(200);
        return s;
    }

    @Test
    void bytesFlowBothWaysAndHalfCloseEndsTheEcho() throws Exception {
        echo();
        TunnelStream s = open(server.getLocalPort());
        OutputStream out = s.outputStream();
        InputStream in = s.inputStream();
        out.write("hello".getBytes(StandardCharsets.UTF_8));
        assertThat(new String(in.readNBytes(5), StandardCharsets.UTF_8)).isEqualTo("hello");
        out.write(" again".getBytes(StandardCharsets.UTF_8));
        out.close(); // END: the connector shuts the socket's output; the echo server answers EOF with EOF
        assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(" again");
        assertThat(s.isReset()).isFalse();
        await(() -> proxy.activeStreams() == 0);
    }

    @Test
    void aTransferFarLargerThanTheWindowArrivesIntact() throws Exception {
        echo();
        TunnelStream s = open(server.getLocalPort());
        byte[] body = new byte[24 * Multiplexer.INITIAL_WINDOW];
        new Random(7).nextBytes(body);
        CompletableFuture<byte[]> echoed = CompletableFuture.supplyAsync(() -> {
            try {
                return s.inputStream().readAllBytes();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, background);
        try (OutputStream out = s.outputStream()) {
            for (int off = 0; off < body.length; off += 100_000) {
                out.write(body, off, Math.min(100_000, body.length - off));
            }
        }
        byte[] back = echoed.get(20, TimeUnit.SECONDS);
        assertThat(back.length).isEqualTo(body.length);
        assertThat(MessageDigest.getInstance("SHA-256").digest(back)).isEqualTo(MessageDigest.getInstance("SHA-256").digest(body));
    }

    @Test
    void theUpstreamClosingFirstEndsTheStreamAfterItsBytes() throws Exception {
        Thread.ofVirtual().start(() -> {
            try (Socket c = server.accept()) {
                c.getOutputStream().write("bye".getBytes(StandardCharsets.UTF_8));
            } catch (IOException ignored) {
                // test over
            }
        });
        TunnelStream s = open(server.getLocalPort());
        assertThat(new String(s.inputStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("bye");
        s.endOutput();
        await(() -> proxy.activeStreams() == 0);
    }

    @Test
    void anUnreachableTargetIsReset() throws Exception {
        int closedPort;
        try (ServerSocket gone = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = gone.getLocalPort();
        }
        TunnelStream s = proxy.open(RequestHead.tcp("test", "127.0.0.1", closedPort, Duration.ofSeconds(5)));
        assertThatThrownBy(() -> s.awaitHead(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(StreamResetException.class, e -> {
                    assertThat(e.code()).isEqualTo(ResetCode.UPSTREAM_UNREACHABLE);
                    assertThat(e.getMessage()).contains("127.0.0.1:" + closedPort);
                });
    }

    @Test
    void aResetFromTheProxyClosesTheUpstreamConnection() throws Exception {
        CompletableFuture<Integer> upstreamRead = new CompletableFuture<>();
        Thread.ofVirtual().start(() -> {
            try (Socket c = server.accept()) {
                upstreamRead.complete(c.getInputStream().read());
            } catch (IOException e) {
                upstreamRead.complete(-2);
            }
        });
        TunnelStream s = open(server.getLocalPort());
        s.reset(ResetCode.CANCEL, "caller gave up");
        // EOF or a connection reset: either way the connector let go of the socket.
        assertThat(upstreamRead.get(10, TimeUnit.SECONDS)).isLessThan(0);
    }

    @Test
    void targetsAreWrittenAsTcpUris() {
        assertThat(RequestHead.tcp("ldap", "dc1.corp.example", 636, Duration.ofSeconds(5)).upstreamUri()).isEqualTo("tcp://dc1.corp.example:636");
        assertThat(RequestHead.tcp("ldap", "::1", 389, Duration.ofSeconds(5)).upstreamUri()).isEqualTo("tcp://[::1]:389");
        assertThat(RequestHead.tcp("ldap", "dc1", 389, Duration.ofSeconds(5)).isTcp()).isTrue();
        assertThatThrownBy(() -> RequestHead.tcp("ldap", "a/b", 389, Duration.ofSeconds(5))).isInstanceOf(IllegalArgumentException.class);
        assertThat(UpstreamTcp.connectTimeout(Duration.ofMinutes(5))).isEqualTo(UpstreamTcp.MAX_CONNECT_TIMEOUT);
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met in time");
            }
            Thread.sleep(5);
        }
    }
}
