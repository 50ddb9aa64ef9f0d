package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.StreamChunk;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Large DATA payloads reach the proxy's streams as retained slices of its link's pooled input buffer
 * (docs/design/tunnel-transport.md §3), over a real {@link FrameConnection} pair on TLS: the bytes of a slice stay intact
 * while later frames arrive (its buffer is never reused while it lives), every retention is released exactly once (on
 * the reader's release, a reset, the tunnel's close), what waits counts against the window as before, a stalled reader
 * stalls only its stream, and no pooled buffer leaks ({@code ArrayByteBufferPool.Tracking}).
 */
class RetainedSlicesTest {
    private TunnelFixture fixture;
    private MuxEnd proxy;
    private MuxEnd connector;
    private TunnelLink connectorLink;

    @BeforeEach
    void connect() throws Exception {
        fixture = new TunnelFixture();
        connector = new MuxEnd(RetainedSlicesTest::download);
        connectorLink = TunnelUpgradeClient.dial(fixture.client, fixture.uri(), HttpFields.EMPTY, connector, Duration.ofSeconds(30))
                .get(20, TimeUnit.SECONDS).link();
        proxy = new MuxEnd(null);
        RecordingReceiver server = fixture.awaitServerLink();
        proxy.opened(server.link.get());
        server.onClosed = proxy::closed;
        server.forward = proxy;
    }

    @AfterEach
    void close() throws Exception {
        fixture.close();
    }

    @Test
    void heldSlicesKeepTheirBytesWhileLaterFramesArrive() throws Exception {
        int size = 6 * 1024 * 1024;
        TunnelStream s = open(size);
        List<StreamChunk> held = new ArrayList<>();
        StreamChunk c;
        while ((c = s.readChunk()) != null) {
            held.add(c);
        }
        // Checked only once everything arrived: a reused input buffer would have overwritten earlier slices by now.
        ByteBuffer all = ByteBuffer.allocate(size);
        for (StreamChunk chunk : held) {
            all.put(chunk.buffer());
        }
        assertThat(Arrays.equals(all.array(), expected(s.id(), size))).as("the bytes of every slice held").isTrue();
        assertThat(held.stream().filter(StreamChunk::isRetained).count()).as("bulk frames arrive as slices").isGreaterThan(size / (128 * 1024));
        assertThat(proxy.released.get()).as("nothing released while held").isZero();
        held.forEach(StreamChunk::release);
        held.forEach(StreamChunk::release); // a second release does nothing
        assertThat(proxy.released.get()).isEqualTo(proxy.retained.get());
        closeAndAssertNoLeaks();
    }

    @Test
    void readCopiesASliceAndReleasesIt() throws Exception {
        int size = 2 * 1024 * 1024;
        TunnelStream s = open(size);
        byte[] got = s.inputStream().readAllBytes();
        assertThat(got).isEqualTo(expected(s.id(), size));
        assertThat(proxy.retained.get()).isPositive();
        assertThat(proxy.released.get()).isEqualTo(proxy.retained.get());
        closeAndAssertNoLeaks();
    }

    @Test
    void parkedSlicesCountAgainstTheWindowAsBefore() throws Exception {
        TunnelStream s = open(8 * 1024 * 1024);
        // Nothing read: the sender stops exactly at the credit granted (the initial window), all of it parked as slices.
        RecordingReceiver.await(() -> s.bufferedInbound() == Multiplexer.INITIAL_WINDOW, "the window filled");
        assertThat(proxy.retained.get()).isPositive();
        assertThat(s.bytesReceived()).isEqualTo(Multiplexer.INITIAL_WINDOW);
        assertThat(s.receiveWindow()).isEqualTo(Multiplexer.INITIAL_WINDOW);
        s.reset(ResetCode.CANCEL, "done");
        awaitAllReleased();
        closeAndAssertNoLeaks();
    }

    @Test
    void aResetMidBodyReleasesEverySliceQueuedAndTheTunnelGoesOn() throws Exception {
        TunnelStream s = open(8 * 1024 * 1024);
        StreamChunk taken = s.readChunk();
        RecordingReceiver.await(() -> s.bufferedInbound() >= Multiplexer.INITIAL_WINDOW / 2, "slices parked");
        s.reset(ResetCode.CANCEL, "client disconnected");
        assertThat(taken.isRetained()).isTrue();
        RecordingReceiver.await(() -> proxy.released.get() == proxy.retained.get() - 1, "all released but the chunk the reader holds");
        assertThat(s.bufferedInbound()).isZero();
        taken.release();
        awaitAllReleased();
        assertThat(s.bufferedInbound()).isZero();
        // The tunnel still serves.
        TunnelStream next = open(1024 * 1024);
        assertThat(next.inputStream().readAllBytes()).isEqualTo(expected(next.id(), 1024 * 1024));
        awaitAllReleased();
        closeAndAssertNoLeaks();
    }

    @Test
    void theTunnelDroppedMidBodyReleasesEverySlice() throws Exception {
        TunnelStream s = open(8 * 1024 * 1024);
        TunnelStream other = open(8 * 1024 * 1024);
        StreamChunk taken = s.readChunk();
        RecordingReceiver.await(() -> s.bufferedInbound() >= Multiplexer.INITIAL_WINDOW / 2
                && other.bufferedInbound() >= Multiplexer.INITIAL_WINDOW / 2, "slices parked on both streams");
        connectorLink.close(TunnelLink.CloseReason.GOING_AWAY, "shutting down");
        RecordingReceiver.await(() -> !proxy.mux.get().isOpen(), "the proxy's end closed");
        assertThatThrownBy(s::readChunk).isInstanceOf(StreamResetException.class);
        assertThatThrownBy(other::readChunk).isInstanceOf(StreamResetException.class);
        // The reader still holds one; its bytes are intact until it lets go.
        assertThat(toArray(taken)).isEqualTo(Arrays.copyOf(expected(s.id(), 8 * 1024 * 1024), taken.length()));
        taken.release();
        awaitAllReleased();
        FrameConnectionTest.assertNoLeaks(fixture);
    }

    @Test
    void aConsumerThatFailsMidBodyReleasesEverything() throws Exception {
        // As DispatchHandler and the connector's body pump do: release the chunk in finally, reset on the write's failure.
        TunnelStream s = open(8 * 1024 * 1024);
        OutputStream failingClient = new OutputStream() {
            private long written;

            @Override
            public void write(int b) {
                throw new UnsupportedOperationException();
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                written += len;
                if (written > 1024 * 1024) {
                    throw new IOException("client went away");
                }
            }
        };
        assertThatThrownBy(() -> {
            try {
                StreamChunk c;
                while ((c = s.readChunk()) != null) {
                    try {
                        byte[] b = toArray(c);
                        failingClient.write(b, 0, b.length);
                    } finally {
                        c.release();
                    }
                }
            } catch (IOException e) {
                s.reset(ResetCode.CANCEL, "client disconnected");
                throw e;
            }
        }).hasMessage("client went away");
        awaitAllReleased();
        closeAndAssertNoLeaks();
    }

    @Test
    void manyStreamsAtOnceEachGetTheirOwnBytes() throws Exception {
        List<CompletableFuture<Boolean>> all = new ArrayList<>();
        int size = 768 * 1024;
        for (int i = 0; i < 24; i++) {
            TunnelStream s = open(size);
            CompletableFuture<Boolean> ok = new CompletableFuture<>();
            Thread.startVirtualThread(() -> {
                try {
                    ByteBuffer got = ByteBuffer.allocate(size);
                    StreamChunk c;
                    while ((c = s.readChunk()) != null) {
                        try {
                            got.put(c.buffer());
                        } finally {
                            c.release();
                        }
                    }
                    ok.complete(Arrays.equals(got.array(), expected(s.id(), size)));
                } catch (Exception e) {
                    ok.completeExceptionally(e);
                }
            });
            all.add(ok);
        }
        for (CompletableFuture<Boolean> f : all) {
            assertThat(f.get(60, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(proxy.retained.get()).isPositive();
        awaitAllReleased();
        closeAndAssertNoLeaks();
    }

    @Test
    void aStalledReaderHoldingSlicesStallsOnlyItsOwnStream() throws Exception {
        TunnelStream stalled = open(64 * 1024 * 1024);
        RecordingReceiver.await(() -> stalled.bufferedInbound() == Multiplexer.INITIAL_WINDOW, "the stalled stream's window full");
        int size = 4 * 1024 * 1024;
        TunnelStream s = open(size);
        assertThat(s.inputStream().readAllBytes()).isEqualTo(expected(s.id(), size));
        assertThat(stalled.bufferedInbound()).isEqualTo(Multiplexer.INITIAL_WINDOW);
        stalled.reset(ResetCode.CANCEL, "done");
        awaitAllReleased();
        closeAndAssertNoLeaks();
    }

    /**
     * A cross-stream leak hunt: many streams at once, each with its own byte pattern, read as slices by readers that hold
     * some chunks across later frames, reset some streams mid-body (with a chunk still held), while the connector resets
     * others mid-body too. Every byte a reader gets is checked against its own stream's pattern, when taken and again when
     * released: a slice whose buffer went back to the pool and was refilled with another stream's bytes would fail it.
     */
    @Test
    void concurrentStreamsWithResetsNeverSeeAnotherStreamsBytes() throws Exception {
        int streams = 24;
        List<CompletableFuture<String>> all = new ArrayList<>();
        for (int i = 0; i < streams; i++) {
            int size = (1 + i % 3) * 1024 * 1024 + 4099 * i;
            // Every 4th stream the connector resets after 600 KiB; every 3rd the reader resets after 700 KiB.
            int peerResetAt = i % 4 == 1 ? 600 * 1024 : -1;
            boolean readerResets = i % 3 == 2;
            TunnelStream s = open(size + "," + (peerResetAt < 0 ? Integer.MAX_VALUE : peerResetAt) + ",vary");
            Random random = new Random(i);
            CompletableFuture<String> done = new CompletableFuture<>();
            Thread.startVirtualThread(() -> {
                byte[] want = expected(s.id(), size);
                List<StreamChunk> held = new ArrayList<>();
                List<Integer> heldAt = new ArrayList<>();
                int at = 0;
                try {
                    try {
                        StreamChunk c;
                        while ((c = s.readChunk()) != null) {
                            if (!matches(c, want, at)) {
                                done.complete("stream " + s.id() + ": wrong bytes at " + at + " when taken");
                                c.release();
                                return;
                            }
                            held.add(c);
                            heldAt.add(at);
                            at += c.length();
                            // Hold a few chunks across later frames, release the rest at once (each re-checked first).
                            if (held.size() > random.nextInt(4)) {
                                String bad = releaseChecked(held, heldAt, want, s.id());
                                if (bad != null) {
                                    done.complete(bad);
                                    return;
                                }
                            }
                            if (readerResets && at > 700 * 1024) {
                                s.reset(ResetCode.CANCEL, "reader went away");
                                break;
                            }
                        }
                    } catch (StreamResetException e) {
                        if (peerResetAt < 0) {
                            done.complete("stream " + s.id() + " reset unexpectedly: " + e.getMessage());
                            return;
                        }
                    }
                    // Still held across the reset (and everything the other streams did meanwhile): intact.
                    String bad = releaseChecked(held, heldAt, want, s.id());
                    if (bad != null) {
                        done.complete(bad);
                    } else if (!readerResets && peerResetAt < 0 && at != size) {
                        done.complete("stream " + s.id() + ": " + at + " of " + size + " bytes");
                    } else {
                        done.complete("ok");
                    }
                } catch (Throwable e) {
                    held.forEach(StreamChunk::release);
                    done.complete("stream " + s.id() + " failed: " + e);
                }
            });
            all.add(done);
        }
        for (CompletableFuture<String> f : all) {
            assertThat(f.get(60, TimeUnit.SECONDS)).isEqualTo("ok");
        }
        assertThat(proxy.retained.get()).as("bulk frames arrived as slices").isGreaterThan(streams * 4);
        awaitAllReleased();
        closeAndAssertNoLeaks();
    }

    /**
     * A writer interrupted while the sink still holds the chunk's bytes (a response write not yet flushed, a request body
     * chunk the HTTP client has not sent) must not release the slice: its buffer would go back to the pool and the sink
     * would later send whatever another stream's bytes refilled it with. It is released when the sink is done.
     */
    @Test
    void aWriterInterruptedWhileTheSinkHoldsTheBytesDoesNotReleaseThem() throws Exception {
        TunnelStream s = open(2 * 1024 * 1024);
        StreamChunk chunk = s.readChunk();
        assertThat(chunk.isRetained()).isTrue();
        CompletableFuture<Callback> held = new CompletableFuture<>();
        Content.Sink slowClient = (last, bytes, callback) -> held.complete(callback);
        CompletableFuture<Throwable> outcome = new CompletableFuture<>();
        int releasedBefore = proxy.released.get();
        Thread writer = Thread.startVirtualThread(() -> {
            try {
                ChunkWrites.writeAndRelease(slowClient, chunk);
                outcome.complete(null);
            } catch (Throwable e) {
                outcome.complete(e);
            }
        });
        Callback pending = held.get(10, TimeUnit.SECONDS);
        writer.interrupt();
        assertThat(outcome.get(10, TimeUnit.SECONDS)).isInstanceOf(InterruptedIOException.class);
        assertThat(proxy.released.get()).as("not released while the sink holds the bytes").isEqualTo(releasedBefore);
        pending.failed(new IOException("client went away"));
        RecordingReceiver.await(() -> proxy.released.get() == releasedBefore + 1, "released once the sink let go");
        s.reset(ResetCode.CANCEL, "done");
        awaitAllReleased();
        closeAndAssertNoLeaks();
    }

    /** Releases every chunk held, each checked once more first; what went wrong, or null. */
    private static String releaseChecked(List<StreamChunk> held, List<Integer> heldAt, byte[] want, int id) {
        String bad = null;
        for (int k = 0; k < held.size(); k++) {
            if (bad == null && !matches(held.get(k), want, heldAt.get(k))) {
                bad = "stream " + id + ": bytes at " + heldAt.get(k) + " changed while held";
            }
            held.get(k).release();
        }
        held.clear();
        heldAt.clear();
        return bad;
    }

    private static boolean matches(StreamChunk c, byte[] want, int at) {
        byte[] got = toArray(c);
        return at + got.length <= want.length && Arrays.equals(got, 0, got.length, want, at, at + got.length);
    }

    private void awaitAllReleased() throws InterruptedException {
        RecordingReceiver.await(() -> proxy.released.get() == proxy.retained.get(), "every retention released: retained "
                + proxy.retained.get() + ", released " + proxy.released.get());
        assertThat(proxy.released.get()).isEqualTo(proxy.retained.get());
    }

    private void closeAndAssertNoLeaks() throws InterruptedException {
        connectorLink.close(TunnelLink.CloseReason.NORMAL, "done");
        RecordingReceiver.await(() -> !proxy.mux.get().isOpen(), "the proxy's end closed");
        awaitAllReleased();
        FrameConnectionTest.assertNoLeaks(fixture);
    }

    private TunnelStream open(int size) throws IOException {
        return open(String.valueOf(size));
    }

    /**
     * {@code size}, or {@code size,resetAt}: the connector resets the stream once it sent that many bytes; {@code
     * size,resetAt,vary}: written in pieces of varying sizes, not 64 KiB.
     */
    private TunnelStream open(String query) throws IOException {
        return proxy.mux.get().open(new RequestHead("app", "GET", "http://intranet/bytes?" + query,
                List.of(new HeaderField("Host", "intranet")), Duration.ofSeconds(30), false, false));
    }

    private static byte[] toArray(StreamChunk c) {
        ByteBuffer b = c.buffer();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    static byte[] expected(int streamId, int size) {
        byte[] b = new byte[size];
        new Random(streamId).nextBytes(b);
        return b;
    }

    /** The connector's side: answer 200 and send the number of bytes the query asks for, seeded by the stream id. */
    static void download(TunnelStream stream) {
        Thread.startVirtualThread(() -> {
            try {
                String[] query = URI.create(stream.request().upstreamUri()).getQuery().split(",");
                int size = Integer.parseInt(query[0]);
                int resetAt = query.length > 1 ? Integer.parseInt(query[1]) : Integer.MAX_VALUE;
                boolean vary = query.length > 2;
                stream.sendHead(new ResponseHead(200, List.of()));
                byte[] body = expected(stream.id(), size);
                // Writes of 64 KiB, or of sizes that vary (seeded by the stream): frames of every length, retained or
                // copied, split across TLS records and fills at every offset.
                Random sizes = new Random(-stream.id());
                int n;
                for (int at = 0; at < size; at += n) {
                    if (at >= resetAt) {
                        stream.reset(ResetCode.UPSTREAM_ERROR, "the app failed mid-body");
                        return;
                    }
                    n = Math.min(!vary ? 64 * 1024 : 1 + sizes.nextInt(96 * 1024), size - at);
                    stream.write(body, at, n);
                }
                stream.endOutput();
            } catch (IOException e) {
                stream.reset(ResetCode.UPSTREAM_ERROR, String.valueOf(e.getMessage()));
            }
        });
    }
}
