package dev.drawbridge.tunnel.transport;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.LengthPrefixedFrames;
import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A {@link FrameConnection} on a real TLS connection: frames split anywhere, the largest frame, bad lengths, bytes that
 * came with the upgrade on either side, and {@code closed()} exactly once on every way a link ends.
 */
class FrameConnectionTest {
    private static final List<Frame> FRAMES = List.of(new Frame.Ping(1), new Frame.Data(1, "hello".getBytes(StandardCharsets.UTF_8)),
            new Frame.End(1), new Frame.Window(3, 65_536), new Frame.Config("sso-keys", List.of(new HeaderField("tunnel-id", "t"))),
            new Frame.GoAway("bye"));

    @Test
    void framesSplitAtEveryByteArriveWhole() throws Exception {
        try (TunnelFixture f = new TunnelFixture(); SSLSocket s = upgraded(f)) {
            byte[] wire = wire(FRAMES);
            OutputStream out = s.getOutputStream();
            for (byte b : wire) {
                // Each byte its own TLS record, so each its own read on the server.
                out.write(b);
                out.flush();
            }
            RecordingReceiver server = f.awaitServerLink();
            RecordingReceiver.await(() -> server.frames.size() == FRAMES.size(), "every frame");
            assertThat(encodings(server.frames)).containsExactlyElementsOf(encodings(FRAMES));
            assertThat(server.closed).isEmpty();
        }
    }

    @Test
    void framesSentWithTheUpgradeRequestAreDecoded() throws Exception {
        try (TunnelFixture f = new TunnelFixture(); SSLSocket s = f.rawSocket()) {
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(TunnelFixture.upgradeRequest());
            both.writeBytes(wire(FRAMES));
            TunnelFixture.writeAll(s.getOutputStream(), both.toByteArray());
            assertThat(TunnelFixture.readHead(s.getInputStream())).startsWith("HTTP/1.1 101");
            RecordingReceiver server = f.awaitServerLink();
            RecordingReceiver.await(() -> server.frames.size() == FRAMES.size(), "every frame");
            assertThat(encodings(server.frames)).containsExactlyElementsOf(encodings(FRAMES));
            assertThat(server.framesBeforeOpen).hasValue(0);
        }
    }

    /** A server that writes its first frames in the same TLS record as its 101: the client's link delivers them after opened(). */
    @Test
    void framesSentWithThe101AreDecoded() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(TunnelFixture.PKI.server(List.of("localhost")), TestPki.PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        try (TunnelFixture f = new TunnelFixture();
             SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serverThread = Thread.startVirtualThread(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    TunnelFixture.readHead(s.getInputStream());
                    ByteArrayOutputStream answer = new ByteArrayOutputStream();
                    answer.writeBytes(("HTTP/1.1 101 Switching Protocols\r\nUpgrade: drawbridge-tunnel/2\r\nConnection: Upgrade\r\n"
                            + "X-Drawbridge-Tunnel-Features: trailers1\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                    answer.writeBytes(wire(FRAMES));
                    TunnelFixture.writeAll(s.getOutputStream(), answer.toByteArray());
                    s.getInputStream().read(); // holds the connection until the client closes it
                } catch (IOException ignored) {
                    // the client closed
                }
            });
            RecordingReceiver client = new RecordingReceiver();
            URI uri = URI.create("https://localhost:" + listener.getLocalPort() + "/connector/v1/tunnel");
            List<String> featuresSeenByReceiverChoice = new ArrayList<>();
            DialedLink dialed = TunnelUpgradeClient.dial(f.client, uri, HttpFields.EMPTY, h -> {
                featuresSeenByReceiverChoice.add(h.get("X-Drawbridge-Tunnel-Features"));
                return client;
            }, Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS);
            RecordingReceiver.await(() -> client.frames.size() == FRAMES.size(), "every frame");
            assertThat(encodings(client.frames)).containsExactlyElementsOf(encodings(FRAMES));
            assertThat(client.framesBeforeOpen).hasValue(0);
            assertThat(featuresSeenByReceiverChoice).containsExactly("trailers1");
            assertThat(dialed.responseHeaders().get("X-Drawbridge-Tunnel-Features")).isEqualTo("trailers1");
            dialed.link().close(TunnelLink.CloseReason.NORMAL, "done");
            assertThat(serverThread.join(Duration.ofSeconds(20))).isTrue();
        }
    }

    /** As the proxy does: the server writes its first frame from opened(), right behind its 101. */
    @Test
    void theServersFirstFrameWrittenWhenOpenedReachesTheClient() throws Exception {
        try (TunnelFixture f = new TunnelFixture()) {
            Frame config = new Frame.Config("sso-keys", List.of(new HeaderField("tunnel-id", "t-1")));
            f.serverOnOpened = link -> {
                try {
                    link.write(FrameCodec.encode(config), () -> { }, t -> { });
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            };
            RecordingReceiver client = new RecordingReceiver();
            TunnelUpgradeClient.dial(f.client, f.uri(), HttpFields.EMPTY, client, Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS);
            RecordingReceiver.await(() -> client.frames.size() == 1, "the CONFIG");
            assertThat(encodings(client.frames)).containsExactlyElementsOf(encodings(List.of(config)));
            assertThat(client.framesBeforeOpen).hasValue(0);
        }
    }

    @Test
    void theLargestFrameCrossesBothWays() throws Exception {
        try (TunnelFixture f = new TunnelFixture()) {
            RecordingReceiver client = new RecordingReceiver();
            DialedLink dialed = TunnelUpgradeClient.dial(f.client, f.uri(), HttpFields.EMPTY, client, Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS);
            RecordingReceiver server = f.awaitServerLink();
            byte[] payload = new byte[FrameCodec.MAX_FRAME_SIZE - 5];
            payload[payload.length - 1] = 42;
            dialed.link().write(FrameCodec.encodeData(1, payload, 0, payload.length), () -> { }, t -> { });
            RecordingReceiver.await(() -> server.frames.size() == 1, "the frame at the server");
            server.link.get().writeData(1, payload, 0, payload.length, () -> { }, t -> { });
            RecordingReceiver.await(() -> client.frames.size() == 1, "the frame at the client");
            assertThat(server.frameSizes).containsExactly(FrameCodec.MAX_FRAME_SIZE);
            assertThat(((Frame.Data) client.frames.getFirst()).bytes()).isEqualTo(payload);
            assertThat(((Frame.Data) server.frames.getFirst()).bytes()).isEqualTo(payload);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 4, FrameCodec.MAX_FRAME_SIZE + 1, 1L << 31})
    void aLengthOutsideTheBoundsClosesTheLink(long length) throws Exception {
        try (TunnelFixture f = new TunnelFixture(); SSLSocket s = upgraded(f)) {
            RecordingReceiver server = f.awaitServerLink();
            ByteArrayOutputStream bad = new ByteArrayOutputStream();
            bad.writeBytes(wire(List.of(new Frame.Ping(1))));
            bad.writeBytes(ByteBuffer.allocate(4).putInt((int) length).array());
            bad.writeBytes(new byte[64]);
            TunnelFixture.writeAll(s.getOutputStream(), bad.toByteArray());
            assertThat(readToEnd(s.getInputStream())).as("the server closed the connection").isTrue();
            RecordingReceiver.await(() -> !server.closed.isEmpty(), "closed()");
            assertThat(server.frames).hasSize(1);
            assertThat(server.closed).singleElement().asString().contains("PROTOCOL").contains("malformed frame");
            RecordingReceiver.await(() -> f.serverPool.getLeaks().isEmpty(), "no leak");
        }
    }

    @Test
    void closedOnceWhenTheLocalSideClosesAndOnceAtThePeer() throws Exception {
        try (TunnelFixture f = new TunnelFixture()) {
            RecordingReceiver client = new RecordingReceiver();
            DialedLink dialed = TunnelUpgradeClient.dial(f.client, f.uri(), HttpFields.EMPTY, client, Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS);
            RecordingReceiver server = f.awaitServerLink();
            dialed.link().close(TunnelLink.CloseReason.POLICY, "revoked");
            dialed.link().close(TunnelLink.CloseReason.NORMAL, "again");
            RecordingReceiver.await(() -> !server.closed.isEmpty() && !client.closed.isEmpty(), "both ends closed");
            assertThat(dialed.link().isOpen()).isFalse();
            assertThat(client.closed).singleElement().asString().contains("POLICY: revoked");
            assertThat(server.closed).hasSize(1);
            assertThat(client.opened).hasValue(1);
            assertThatThrownBy(() -> dialed.link().write(FrameCodec.encode(new Frame.Ping(1)), () -> { }, t -> { }))
                    .isInstanceOf(IOException.class);
            assertNoLeaks(f);
            assertThat(client.closed).hasSize(1);
            assertThat(server.closed).hasSize(1);
        }
    }

    @Test
    void closedOnceAtTheEndOfTheStream() throws Exception {
        try (TunnelFixture f = new TunnelFixture()) {
            RecordingReceiver server;
            try (SSLSocket s = upgraded(f)) {
                server = f.awaitServerLink();
                TunnelFixture.writeAll(s.getOutputStream(), wire(List.of(new Frame.Ping(1))));
                RecordingReceiver.await(() -> server.frames.size() == 1, "the frame");
            }
            RecordingReceiver.await(() -> !server.closed.isEmpty(), "closed()");
            assertNoLeaks(f);
            assertThat(server.closed).hasSize(1);
        }
    }

    @Test
    void closedOnceAtTheIdleTimeoutOnBothEnds() throws Exception {
        try (TunnelFixture f = new TunnelFixture()) {
            f.serverIdleTimeout = Duration.ofMillis(300);
            RecordingReceiver client = new RecordingReceiver();
            TunnelUpgradeClient.dial(f.client, f.uri(), HttpFields.EMPTY, client, Duration.ofSeconds(30)).get(20, TimeUnit.SECONDS);
            RecordingReceiver server = f.awaitServerLink();
            RecordingReceiver.await(() -> !server.closed.isEmpty() && !client.closed.isEmpty(), "both ends closed");
            assertThat(server.closed).singleElement().asString().contains("idle for 300 ms");
            assertNoLeaks(f);
            assertThat(client.closed).hasSize(1);
            assertThat(server.closed).hasSize(1);
        }
    }

    /** A frame whose dispatch blocks (here 30 ms: a stand-in for a lock or I/O under Multiplexer.receive) is logged, once a minute. */
    @Test
    void aReadThatBlocksTheSelectorIsLogged() throws Exception {
        Logger logger = (Logger) LoggerFactory.getLogger(FrameConnection.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try (TunnelFixture f = new TunnelFixture(); SSLSocket s = upgraded(f)) {
            RecordingReceiver server = f.awaitServerLink();
            server.onFrame = frame -> {
                try {
                    Thread.sleep(30); // the blocking call under test, not a wait for an event
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                server.frameSizes.add(frame.remaining());
            };
            for (int i = 0; i < 3; i++) {
                TunnelFixture.writeAll(s.getOutputStream(), wire(List.of(new Frame.Ping(i))));
                int expected = i + 1;
                RecordingReceiver.await(() -> server.frameSizes.size() == expected, "frame " + expected);
            }
            assertThat(logged.list).singleElement().satisfies(e -> {
                assertThat(e.getLevel()).isEqualTo(Level.WARN);
                assertThat(e.getFormattedMessage()).contains("on the selector thread").contains("Multiplexer.receive blocks");
            });
        } finally {
            logger.detachAppender(logged);
        }
    }

    static void assertNoLeaks(TunnelFixture f) throws InterruptedException {
        RecordingReceiver.await(() -> f.serverPool.getLeaks().isEmpty() && f.clientPool.getLeaks().isEmpty(), "no pooled buffer leaked: server "
                + f.serverPool.getLeaks().size() + ", client " + f.clientPool.getLeaks().size());
    }

    /** A raw TLS socket that has sent the upgrade and read the 101. */
    static SSLSocket upgraded(TunnelFixture f) throws Exception {
        SSLSocket s = f.rawSocket();
        TunnelFixture.writeAll(s.getOutputStream(), TunnelFixture.upgradeRequest());
        assertThat(TunnelFixture.readHead(s.getInputStream())).startsWith("HTTP/1.1 101").containsIgnoringCase("upgrade: drawbridge-tunnel/2");
        return s;
    }

    /** Reads until the peer closes: true at the end of the stream (or a reset, which is how some closes end). */
    private static boolean readToEnd(InputStream in) {
        try {
            byte[] b = new byte[4096];
            while (in.read(b) >= 0) {
                continue;
            }
            return true;
        } catch (IOException e) {
            return !(e instanceof SocketTimeoutException);
        }
    }

    static byte[] wire(List<Frame> frames) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Frame fr : frames) {
            ByteBuffer enc = FrameCodec.encode(fr);
            ByteBuffer b = ByteBuffer.allocate(LengthPrefixedFrames.encodedSize(enc));
            LengthPrefixedFrames.putFrame(b, enc);
            out.writeBytes(b.array());
        }
        return out.toByteArray();
    }

    static List<String> encodings(List<Frame> frames) {
        List<String> out = new ArrayList<>();
        for (Frame fr : frames) {
            ByteBuffer b = FrameCodec.encode(fr);
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            out.add(HexFormat.of().formatHex(bytes));
        }
        return out;
    }
}
