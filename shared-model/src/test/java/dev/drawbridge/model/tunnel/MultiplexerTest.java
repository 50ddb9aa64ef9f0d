package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.drawbridge.model.tunnel.MuxPair.await;
import static dev.drawbridge.model.tunnel.MuxPair.head;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves the {@link Multiplexer}/{@link TunnelStream} pair over an in-memory transport: request/response
 * exchange, large bodies both ways, per-stream flow control that blocks one writer without stalling other
 * streams, reset propagation, tunnel close, go-away, ping/pong, and protection against a sender that
 * ignores the flow-control window.
 */
@Timeout(60)
class MultiplexerTest {
    private final MuxPair pair = new MuxPair();
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void tearDown() {
        threads.shutdownNow();
        pair.close();
    }

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] sha256(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }

    /** Writes in uneven chunks, then half-closes. */
    private static void writeAll(TunnelStream s, byte[] body) throws IOException {
        OutputStream out = s.outputStream();
        Random r = new Random(body.length);
        for (int off = 0; off < body.length; ) {
            int n = Math.min(body.length - off, 1 + r.nextInt(100_000));
            out.write(body, off, n);
            off += n;
        }
        out.close();
    }

    private static byte[] readAll(TunnelStream s) throws IOException {
        try (InputStream in = s.inputStream()) {
            return in.readAllBytes();
        }
    }

    @Test
    void aTimedReadTimesOutAndLeavesTheStreamUsable() throws Exception {
        TunnelStream client = pair.proxy.open(RequestHead.tcp("ldap", "dc1.corp.example", 389, Duration.ofSeconds(5)));
        TunnelStream server = pair.accept();
        assertThat(server.request().isTcp()).isTrue();
        assertThat(server.request().upstreamUri()).isEqualTo("tcp://dc1.corp.example:389");
        long started = System.nanoTime();
        assertThatThrownBy(() -> client.read(Duration.ofMillis(50))).isInstanceOf(SocketTimeoutException.class);
        assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        // A raw TCP stream's OPEN does not end the request direction: bytes may follow.
        client.write("ping".getBytes(StandardCharsets.UTF_8), 0, 4);
        assertThat(new String(server.read(Duration.ofSeconds(5)), StandardCharsets.UTF_8)).isEqualTo("ping");
        server.write("pong".getBytes(StandardCharsets.UTF_8), 0, 4);
        assertThat(new String(client.read(Duration.ofSeconds(5)), StandardCharsets.UTF_8)).isEqualTo("pong");
        server.endOutput();
        assertThat(client.read(Duration.ofSeconds(5))).isNull();
    }

    @Test
    void requestAndResponseWithHeadAndBodyRoundTrip() throws Exception {
        RequestHead request = new RequestHead("hr", "POST", "http://intranet:8080/hr/a%2Fb?q=1",
                List.of(new HeaderField("Content-Type", "text/plain"), new HeaderField("X-A", "1"), new HeaderField("X-A", "2")),
                Duration.ofSeconds(85), false);
        TunnelStream client = pair.proxy.open(request);
        writeAll(client, "hello upstream".getBytes(StandardCharsets.UTF_8));

        TunnelStream upstream = pair.accept();
        assertThat(upstream.id()).isEqualTo(client.id()).isOdd();
        assertThat(upstream.request()).isEqualTo(request);
        assertThat(new String(readAll(upstream), StandardCharsets.UTF_8)).isEqualTo("hello upstream");

        ResponseHead response = new ResponseHead(201, List.of(new HeaderField("Set-Cookie", "a=1"), new HeaderField("Set-Cookie", "b=2")));
        upstream.sendHead(response);
        writeAll(upstream, "created".getBytes(StandardCharsets.UTF_8));

        assertThat(client.awaitHead(Duration.ofSeconds(10))).isEqualTo(response);
        assertThat(new String(readAll(client), StandardCharsets.UTF_8)).isEqualTo("created");
        assertThat(client.bytesSent()).isEqualTo("hello upstream".length());
        await("both sides forget the finished stream", () -> pair.proxy.activeStreams() == 0 && pair.connector.activeStreams() == 0);

        TunnelStream second = pair.proxy.open(head("next"));
        assertThat(second.id()).isEqualTo(client.id() + 2);
    }

    @Test
    void fiveMegabytesInBothDirectionsArriveIntact() throws Exception {
        byte[] up = random(5 * 1024 * 1024, 1);
        byte[] down = random(5 * 1024 * 1024, 2);
        TunnelStream client = pair.proxy.open(head("big"));
        CompletableFuture<Void> upload = CompletableFuture.runAsync(() -> run(() -> writeAll(client, up)), threads);
        TunnelStream upstream = pair.accept();
        CompletableFuture<byte[]> received = CompletableFuture.supplyAsync(() -> call(() -> readAll(upstream)), threads);
        upstream.sendHead(new ResponseHead(200, List.of()));
        CompletableFuture<Void> download = CompletableFuture.runAsync(() -> run(() -> writeAll(upstream, down)), threads);

        assertThat(client.awaitHead(Duration.ofSeconds(10)).status()).isEqualTo(200);
        byte[] got = readAll(client);
        upload.get(30, TimeUnit.SECONDS);
        download.get(30, TimeUnit.SECONDS);
        assertThat(sha256(received.get(30, TimeUnit.SECONDS))).isEqualTo(sha256(up));
        assertThat(sha256(got)).isEqualTo(sha256(down));
    }

    @Test
    void unreadStreamBlocksItsWriterAtTheWindowWhileAnotherStreamFlows() throws Exception {
        TunnelStream a = pair.proxy.open(head("a"));
        TunnelStream peerA = pair.accept();
        TunnelStream b = pair.proxy.open(head("b"));
        TunnelStream peerB = pair.accept();

        byte[] bodyA = random(Multiplexer.INITIAL_WINDOW * 2, 3);
        AtomicReference<Throwable> writerFailure = new AtomicReference<>();
        Thread writer = new Thread(() -> {
            try {
                writeAll(a, bodyA);
            } catch (Throwable t) {
                writerFailure.set(t);
            }
        }, "writer-a");
        writer.start();

        await("stream A's receiver holds a full window", () -> peerA.bufferedInbound() == Multiplexer.INITIAL_WINDOW);
        await("stream A's writer blocks", () -> writer.getState() == Thread.State.WAITING);
        assertThat(a.bytesSent()).isEqualTo(Multiplexer.INITIAL_WINDOW);

        byte[] bodyB = random(2 * 1024 * 1024, 4);
        CompletableFuture<Void> writeB = CompletableFuture.runAsync(() -> run(() -> writeAll(b, bodyB)), threads);
        assertThat(sha256(readAll(peerB))).isEqualTo(sha256(bodyB));
        writeB.get(10, TimeUnit.SECONDS);

        assertThat(writer.isAlive()).isTrue();
        assertThat(writer.getState()).isEqualTo(Thread.State.WAITING);
        assertThat(a.bytesSent()).isEqualTo(Multiplexer.INITIAL_WINDOW);
        assertThat(peerA.bufferedInbound()).isEqualTo(Multiplexer.INITIAL_WINDOW);

        // Reading stream A grants credit back and lets its writer finish.
        assertThat(sha256(readAll(peerA))).isEqualTo(sha256(bodyA));
        writer.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(writer.isAlive()).isFalse();
        assertThat(writerFailure.get()).isNull();
    }

    @ParameterizedTest
    @EnumSource(ResetCode.class)
    void resetReachesTheOtherSideWithItsCode(ResetCode code) throws Exception {
        TunnelStream client = pair.proxy.open(head("r"));
        TunnelStream upstream = pair.accept();
        upstream.reset(code, "upstream says no");

        assertThatThrownBy(() -> client.awaitHead(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(StreamResetException.class, e -> {
                    assertThat(e.code()).isEqualTo(code);
                    assertThat(e.getMessage()).contains("upstream says no");
                });
        assertThatThrownBy(client::read).isInstanceOfSatisfying(StreamResetException.class, e -> assertThat(e.code()).isEqualTo(code));
        assertThatThrownBy(() -> client.write(new byte[1], 0, 1)).isInstanceOf(StreamResetException.class);
        assertThat(client.isReset()).isTrue();
        await("both sides drop the reset stream", () -> pair.proxy.activeStreams() == 0 && pair.connector.activeStreams() == 0);
    }

    @Test
    void resetByTheProxyWakesABlockedReaderOnTheConnector() throws Exception {
        TunnelStream client = pair.proxy.open(head("r"));
        TunnelStream upstream = pair.accept();
        CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> call(upstream::read), threads);
        client.reset(ResetCode.CANCEL, "client went away");
        assertThat(reading).failsWithin(Duration.ofSeconds(10)).withThrowableThat()
                .havingRootCause().isInstanceOfSatisfying(StreamResetException.class, e -> assertThat(e.code()).isEqualTo(ResetCode.CANCEL));
    }

    @Test
    void closeFailsInFlightStreamsAndRefusesNewOnes() throws Exception {
        TunnelStream client = pair.proxy.open(head("c"));
        pair.accept();
        CompletableFuture<byte[]> reading = CompletableFuture.supplyAsync(() -> call(client::read), threads);

        pair.proxy.close("connector vanished");

        assertThat(reading).failsWithin(Duration.ofSeconds(10)).withThrowableThat().havingRootCause()
                .isInstanceOfSatisfying(StreamResetException.class, e -> {
                    assertThat(e.code()).isEqualTo(ResetCode.TUNNEL_CLOSED);
                    assertThat(e.getMessage()).contains("connector vanished");
                });
        assertThatThrownBy(() -> client.awaitHead(Duration.ofSeconds(1)))
                .isInstanceOfSatisfying(StreamResetException.class, e -> assertThat(e.code()).isEqualTo(ResetCode.TUNNEL_CLOSED));
        assertThatThrownBy(() -> pair.proxy.open(head("late"))).isInstanceOf(IOException.class).hasMessageContaining("connector vanished");
        assertThatThrownBy(pair.proxy::ping).isInstanceOfSatisfying(StreamResetException.class,
                e -> assertThat(e.code()).isEqualTo(ResetCode.TUNNEL_CLOSED));
        assertThat(pair.proxy.isOpen()).isFalse();
        assertThat(pair.proxy.activeStreams()).isZero();
    }

    @Test
    void goAwayMakesThePeerRefuseNewStreamsButInFlightOnesFinish() throws Exception {
        TunnelStream inFlight = pair.proxy.open(head("before"));
        TunnelStream upstream = pair.accept();
        assertThat(pair.proxy.peerDraining()).isFalse();

        pair.connector.goAway("maintenance");
        await("the proxy learns the connector drains", pair.proxy::peerDraining);

        assertThatThrownBy(() -> pair.proxy.open(head("after"))).isInstanceOf(IOException.class);
        assertThat(pair.connector.peerDraining()).isFalse();
        upstream.sendHead(new ResponseHead(200, List.of()));
        writeAll(upstream, new byte[]{42});
        assertThat(inFlight.awaitHead(Duration.ofSeconds(10)).status()).isEqualTo(200);
        assertThat(readAll(inFlight)).containsExactly(42);
    }

    @Test
    void pongUpdatesTimeSinceLastPong() throws Exception {
        long staleNanos = TimeUnit.MILLISECONDS.toNanos(50);
        await("some time passes without a pong", () -> pair.proxy.nanosSinceLastPong() > staleNanos);
        long mark = System.nanoTime();
        pair.proxy.ping();
        // Once the pong arrived after mark, the time since it is at most the time since mark.
        await("the pong arrives", () -> {
            long since = pair.proxy.nanosSinceLastPong();
            return since <= System.nanoTime() - mark;
        });
        assertThat(pair.sentByConnector).anyMatch(f -> f instanceof Frame.Pong);
    }

    /**
     * A connector never opens streams: a compromised one sending OPENs without reading must not make the proxy start a
     * background send (a virtual thread, in production) per OPEN, each then waiting for a send budget never freed.
     */
    @Test
    void openFloodFromThePeerStartsBoundedWork() {
        List<Runnable> started = new ArrayList<>();
        List<Frame> sent = new ArrayList<>();
        Multiplexer proxySide = new Multiplexer(sent::add, null, started::add);
        for (int i = 0; i < 100_000; i++) {
            proxySide.receive(new Frame.Open(2 * i + 2, head("x")));
        }
        assertThat(started).as("background sends started, none finished").hasSize(Multiplexer.MAX_PENDING_ANSWERS);
        started.forEach(Runnable::run);
        assertThat(sent).hasSize(Multiplexer.MAX_PENDING_ANSWERS).allMatch(f -> f instanceof Frame.Reset);
        proxySide.receive(new Frame.Open(1_000_002, head("x")));
        assertThat(started).as("answered again once those went").hasSize(Multiplexer.MAX_PENDING_ANSWERS + 1);
    }

    /** A PING flood likewise: at most so many PONGs are being sent at once, the rest go unanswered. */
    @Test
    void pingFloodFromThePeerStartsBoundedWork() {
        List<Runnable> started = new ArrayList<>();
        List<Frame> sent = new ArrayList<>();
        Multiplexer side = new Multiplexer(sent::add, null, started::add);
        for (int i = 0; i < 100_000; i++) {
            side.receive(new Frame.Ping(i));
        }
        assertThat(started).as("background sends started, none finished").hasSize(Multiplexer.MAX_PENDING_ANSWERS);
        started.forEach(Runnable::run);
        assertThat(sent).hasSize(Multiplexer.MAX_PENDING_ANSWERS).allMatch(f -> f instanceof Frame.Pong);
        side.receive(new Frame.Ping(-1));
        assertThat(started).as("answered again once those went").hasSize(Multiplexer.MAX_PENDING_ANSWERS + 1);
    }

    /**
     * A peer that never reads (so never sees a ping) must not keep its tunnel alive with pongs it made up: the heartbeat
     * would never close it while this side's frames and the streams waiting to send them pile up.
     */
    @Test
    void aPongAnsweringNoPingSentIsNoSignOfLife() throws Exception {
        long staleNanos = TimeUnit.MILLISECONDS.toNanos(50);
        await("some time passes without a pong", () -> pair.proxy.nanosSinceLastPong() > staleNanos);
        for (long payload : new long[]{0, 1, -1, Long.MIN_VALUE, Long.MAX_VALUE, System.nanoTime(), System.nanoTime() - staleNanos}) {
            pair.connectorWire.send(new Frame.Pong(payload));
        }
        // The wire keeps its order: once the GOAWAY behind them arrived, so had the pongs.
        pair.connectorWire.send(new Frame.GoAway("marker"));
        await("the frames arrive", pair.proxy::peerDraining);
        assertThat(pair.proxy.nanosSinceLastPong()).as("made-up pongs do not count").isGreaterThan(staleNanos);
    }

    /** On a slow link pongs come late, answering pings sent long before: they still count. */
    @Test
    void aLatePongAnsweringAnEarlierPingCounts() throws Exception {
        List<Frame> sent = new ArrayList<>();
        Multiplexer side = new Multiplexer(sent::add, null, Runnable::run);
        long staleNanos = TimeUnit.MILLISECONDS.toNanos(50);
        await("some time passes without a pong", () -> side.nanosSinceLastPong() > staleNanos);
        for (int i = 0; i < 200; i++) {
            side.ping();
        }
        long mark = System.nanoTime();
        side.receive(new Frame.Pong(((Frame.Ping) sent.getFirst()).payload()));
        assertThat(side.nanosSinceLastPong()).isLessThanOrEqualTo(System.nanoTime() - mark);
    }

    @Test
    void dataBeyondTheWindowFromAMisbehavingSenderResetsWithProtocolError() throws Exception {
        TunnelStream client = pair.proxy.open(head("greedy"));
        TunnelStream upstream = pair.accept();
        int chunk = FrameCodec.MAX_DATA_PAYLOAD;
        for (int sent = 0; sent < Multiplexer.INITIAL_WINDOW; sent += chunk) {
            pair.proxyWire.send(new Frame.Data(client.id(), new byte[chunk]));
        }
        await("a full window arrives", () -> upstream.bufferedInbound() == Multiplexer.INITIAL_WINDOW);
        assertThat(upstream.isReset()).as("exactly the window is allowed").isFalse();

        pair.proxyWire.send(new Frame.Data(client.id(), new byte[1]));

        await("the receiver resets the stream", upstream::isReset);
        assertThatThrownBy(upstream::read).isInstanceOfSatisfying(StreamResetException.class,
                e -> assertThat(e.code()).isEqualTo(ResetCode.PROTOCOL_ERROR));
        assertThatThrownBy(() -> client.awaitHead(Duration.ofSeconds(10))).isInstanceOfSatisfying(StreamResetException.class,
                e -> assertThat(e.code()).isEqualTo(ResetCode.PROTOCOL_ERROR));
    }

    @Test
    void dataAfterEndResetsWithProtocolError() throws Exception {
        TunnelStream client = pair.proxy.open(head("late-data"));
        TunnelStream upstream = pair.accept();
        pair.proxyWire.send(new Frame.Data(client.id(), new byte[]{1}));
        pair.proxyWire.send(new Frame.End(client.id()));
        pair.proxyWire.send(new Frame.Data(client.id(), new byte[]{2}));
        assertThatThrownBy(() -> client.awaitHead(Duration.ofSeconds(10))).isInstanceOfSatisfying(StreamResetException.class,
                e -> assertThat(e.code()).isEqualTo(ResetCode.PROTOCOL_ERROR));
        assertThat(upstream.isReset()).isTrue();
    }

    @Test
    void theProxyRefusesStreamsOpenedByTheConnector() throws Exception {
        pair.connectorWire.send(new Frame.Open(2, head("reverse")));
        await("the proxy answers with a reset", () -> pair.sentByProxy.stream()
                .anyMatch(f -> f instanceof Frame.Reset r && r.streamId() == 2 && r.code() == ResetCode.PROTOCOL_ERROR));
        assertThat(pair.proxy.activeStreams()).isZero();
    }

    private interface IoCall<T> {
        T call() throws IOException;
    }

    private interface IoRun {
        void run() throws IOException;
    }

    private static <T> T call(IoCall<T> c) {
        try {
            return c.call();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void run(IoRun r) {
        call(() -> {
            r.run();
            return null;
        });
    }
}
