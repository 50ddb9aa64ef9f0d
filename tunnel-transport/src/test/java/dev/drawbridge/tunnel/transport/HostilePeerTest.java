package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.LengthPrefixedFrames;
import dev.drawbridge.model.tunnel.TunnelLink;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * A compromised connector (authenticated, then sending whatever it likes after the 101) against the server's
 * {@link FrameConnection}, on real TLS with every link on one selector thread: it must not starve the other links of that
 * selector, nor make this side queue frames that pin far more memory than their bytes, nor receive frames after closing.
 */
class HostilePeerTest {
    private static final Frame END = new Frame.End(1);

    @Test
    void aPeerKeepingTheSocketFullDoesNotStarveTheOtherLinksOfItsSelector() throws Exception {
        try (TunnelFixture f = new TunnelFixture(); SSLSocket victim = FrameConnectionTest.upgraded(f)) {
            RecordingReceiver victimEnd = f.awaitServerLink();
            victimEnd.answerPings = true;
            try (SSLSocket flooder = FrameConnectionTest.upgraded(f)) {
                RecordingReceiver.await(() -> f.serverReceivers.size() == 2 && f.serverReceivers.get(1).opened.get() == 1, "the flooder's link");
                AtomicLong flooded = new AtomicLong();
                f.serverReceivers.get(1).onFrame = frame -> {
                    FrameCodec.decode(frame);
                    flooded.incrementAndGet();
                };
                // Tiny frames cost the reader more per byte than the writer: the socket stays full.
                byte[] chunk = FrameConnectionTest.wire(Collections.nCopies(16 * 1024 / 9, END));
                AtomicBoolean stop = new AtomicBoolean();
                Thread flood = Thread.ofPlatform().name("flood").start(() -> {
                    try {
                        OutputStream out = flooder.getOutputStream();
                        while (!stop.get()) {
                            out.write(chunk);
                        }
                    } catch (IOException closed) {
                        // the test is over
                    }
                });
                try {
                    RecordingReceiver.await(() -> flooded.get() > 100_000, "the flood under way");
                    victim.setSoTimeout(5_000);
                    TunnelFixture.writeAll(victim.getOutputStream(), FrameConnectionTest.wire(List.of(new Frame.Ping(42))));
                    byte[] answer = new byte[4 + 13];
                    try {
                        new DataInputStream(victim.getInputStream()).readFully(answer);
                    } catch (SocketTimeoutException e) {
                        fail("no PONG within 5 s: the flooding link holds the selector thread (" + flooded.get() + " frames read)");
                    }
                    assertThat(FrameCodec.decode(ByteBuffer.wrap(answer, 4, 13))).isEqualTo(new Frame.Pong(42));
                } finally {
                    stop.set(true);
                    flooder.close();
                    flood.join();
                }
            }
        }
    }

    /**
     * The write side of the same: a peer that takes this side's bytes as fast as they come (reading the TCP stream, not
     * decrypting it) while this side has always more to send (e.g. an upload it grants huge windows for) must not keep the
     * selector thread in the flusher's write loop once a write completed there.
     */
    @Test
    void aPeerReadingAsFastAsThisSideWritesDoesNotHoldTheSelectorInTheWriteLoop() throws Exception {
        try (TunnelFixture f = new TunnelFixture(); SSLSocket victim = FrameConnectionTest.upgraded(f)) {
            RecordingReceiver victimEnd = f.awaitServerLink();
            victimEnd.answerPings = true;
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(TunnelFixture.PKI.trust());
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            try (Socket plain = new Socket(InetAddress.getLoopbackAddress(), f.connector.getLocalPort());
                 SSLSocket sink = (SSLSocket) ctx.getSocketFactory().createSocket(plain, "localhost", f.connector.getLocalPort(), true)) {
                sink.startHandshake();
                TunnelFixture.writeAll(sink.getOutputStream(), TunnelFixture.upgradeRequest());
                assertThat(TunnelFixture.readHead(sink.getInputStream())).startsWith("HTTP/1.1 101");
                RecordingReceiver.await(() -> f.serverReceivers.size() == 2 && f.serverReceivers.get(1).opened.get() == 1, "the sink's link");
                FrameConnection link = (FrameConnection) f.serverReceivers.get(1).link.get();
                AtomicBoolean stop = new AtomicBoolean();
                AtomicLong written = new AtomicLong();
                Thread drain = Thread.ofPlatform().name("drain").start(() -> {
                    byte[] b = new byte[256 * 1024];
                    try {
                        InputStream raw = plain.getInputStream();
                        while (!stop.get() && raw.read(b) >= 0) {
                            continue;
                        }
                    } catch (IOException closed) {
                        // the test is over
                    }
                });
                Thread producer = Thread.ofPlatform().name("producer").start(() -> {
                    byte[] data = new byte[FrameCodec.MAX_DATA_PAYLOAD];
                    try {
                        while (!stop.get()) {
                            if (link.queuedFrames() < 64) {
                                link.writeData(1, data, 0, data.length, written::incrementAndGet, t -> { });
                            } else {
                                Thread.onSpinWait();
                            }
                        }
                    } catch (IOException closed) {
                        // the test is over
                    }
                });
                try {
                    RecordingReceiver.await(() -> written.get() > 2_000, "the upload under way");
                    victim.setSoTimeout(5_000);
                    TunnelFixture.writeAll(victim.getOutputStream(), FrameConnectionTest.wire(List.of(new Frame.Ping(43))));
                    byte[] answer = new byte[4 + 13];
                    try {
                        new DataInputStream(victim.getInputStream()).readFully(answer);
                    } catch (SocketTimeoutException e) {
                        fail("no PONG within 5 s: the writing link holds the selector thread (" + written.get() + " frames written)");
                    }
                    assertThat(FrameCodec.decode(ByteBuffer.wrap(answer, 4, 13))).isEqualTo(new Frame.Pong(43));
                } finally {
                    stop.set(true);
                    producer.join();
                    plain.close();
                    drain.join();
                }
            }
        }
    }

    @Test
    void smallFramesQueuedForAPeerThatDoesNotReadHoldAboutTheirOwnSize() throws Exception {
        try (TunnelFixture f = new TunnelFixture(); SSLSocket stalled = FrameConnectionTest.upgraded(f)) {
            FrameConnection link = (FrameConnection) f.awaitServerLink().link.get();
            fillThePipe(link);
            long before = link.queuedCapacity();
            int queuedBefore = link.queuedFrames();
            int ends = 10_000;
            for (int i = 0; i < ends; i++) {
                link.write(FrameCodec.encode(new Frame.End(1 + 2 * i)), () -> { }, t -> { });
            }
            assertThat(link.queuedFrames() - queuedBefore).as("ENDs waiting").isGreaterThan(ends - 100);
            // 9 bytes each with the prefix: a 4 KiB pooled buffer each would be 40 MiB for 90 KB of frames.
            assertThat(link.queuedCapacity() - before).as("capacity the ENDs hold").isLessThanOrEqualTo(ends * 64L);
        }
    }

    @Test
    void windowsQueuedForAPeerThatDoesNotReadCoalesceAndKeepTheirCredit() throws Exception {
        try (TunnelFixture f = new TunnelFixture(); SSLSocket stalled = FrameConnectionTest.upgraded(f)) {
            FrameConnection link = (FrameConnection) f.awaitServerLink().link.get();
            fillThePipe(link);
            int queuedBefore = link.queuedFrames();
            int windows = 10_000;
            AtomicInteger written = new AtomicInteger();
            for (int i = 0; i < windows; i++) {
                link.write(FrameCodec.encode(new Frame.Window(3, 1_000)), written::incrementAndGet, t -> { });
                link.write(FrameCodec.encode(new Frame.Window(5, 7)), written::incrementAndGet, t -> { });
            }
            assertThat(link.queuedFrames() - queuedBefore).as("WINDOWs waiting").isLessThanOrEqualTo(4);

            // The peer reads at last: every byte of credit arrives.
            long[] credit = new long[6];
            LengthPrefixedFrames decoder = new LengthPrefixedFrames();
            InputStream in = stalled.getInputStream();
            byte[] b = new byte[64 * 1024];
            while (credit[3] < windows * 1_000L || credit[5] < windows * 7L) {
                int n = in.read(b);
                assertThat(n).as("the stream goes on").isPositive();
                decoder.feed(ByteBuffer.wrap(b, 0, n), frame -> {
                    if (FrameCodec.decode(frame) instanceof Frame.Window w) {
                        credit[w.streamId()] += w.increment();
                    }
                });
            }
            assertThat(credit[3]).isEqualTo(windows * 1_000L);
            assertThat(credit[5]).isEqualTo(windows * 7L);
            RecordingReceiver.await(() -> written.get() == 2 * windows, "every WINDOW reported written");
        }
    }

    @Test
    void noFrameReachesTheReceiverAfterItClosedTheLink() throws Exception {
        try (TunnelFixture f = new TunnelFixture(); SSLSocket s = FrameConnectionTest.upgraded(f)) {
            RecordingReceiver end = f.awaitServerLink();
            AtomicBoolean closing = new AtomicBoolean();
            AtomicInteger afterClose = new AtomicInteger();
            end.onFrame = frame -> {
                if (closing.getAndSet(true)) {
                    afterClose.incrementAndGet();
                } else {
                    // e.g. the connector was revoked while its frames were being read
                    end.link.get().close(TunnelLink.CloseReason.POLICY, "revoked");
                }
            };
            // One write, one TLS record, one read: the frames are decoded in one go.
            TunnelFixture.writeAll(s.getOutputStream(), FrameConnectionTest.wire(List.of(new Frame.Ping(1), new Frame.Ping(2),
                    new Frame.Ping(3), new Frame.Ping(4))));
            RecordingReceiver.await(() -> end.closed.size() == 1, "the link closed");
            assertThat(afterClose).as("frames delivered after the receiver closed the link").hasValue(0);
            FrameConnectionTest.assertNoLeaks(f);
        }
    }

    /** Writes DATA until the peer, which reads nothing, has its socket full and frames wait in the flusher. */
    private static void fillThePipe(FrameConnection link) throws IOException {
        byte[] b = new byte[60_000];
        int sent = 0;
        while (sent < 2_000 && link.queuedFrames() < 4) {
            link.writeData(1, b, 0, b.length, () -> { }, t -> { });
            sent++;
        }
        assertThat(link.queuedFrames()).as("frames waiting behind a full socket after " + sent + " DATA frames")
                .isGreaterThanOrEqualTo(4);
    }
}
