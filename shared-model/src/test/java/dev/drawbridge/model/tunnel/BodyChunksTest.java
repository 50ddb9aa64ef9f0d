package dev.drawbridge.model.tunnel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link BodyChunks#readAvailable}: a burst of bytes that have already arrived leaves as one large DATA frame, a trickle
 * (SSE-like) leaves as soon as each piece arrives, never waiting to fill a frame.
 */
@Timeout(30)
class BodyChunksTest {
    private final MuxPair pair = new MuxPair();

    @AfterEach
    void tearDown() {
        pair.close();
    }

    /** Like Jetty's response stream: chunks arrive one by one, a read returns at most the current chunk. */
    static final class ChunkQueueStream extends InputStream {
        private static final byte[] EOF = new byte[0];
        private final BlockingQueue<byte[]> queue = new LinkedBlockingQueue<>();
        private byte[] current;
        private int pos;
        private long queued;

        synchronized void offer(byte[] chunk) {
            queued += chunk.length;
            queue.add(chunk);
        }

        void end() {
            queue.add(EOF);
        }

        @Override
        public int read() throws IOException {
            byte[] b = new byte[1];
            return read(b, 0, 1) < 0 ? -1 : b[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (current == null || pos == current.length) {
                try {
                    current = queue.take();
                } catch (InterruptedException e) {
                    throw new InterruptedIOException();
                }
                pos = 0;
                if (current == EOF) {
                    queue.add(EOF);
                    return -1;
                }
            }
            int n = Math.min(len, current.length - pos);
            System.arraycopy(current, pos, b, off, n);
            pos += n;
            synchronized (this) {
                queued -= n;
            }
            return n;
        }

        @Override
        public synchronized int available() {
            return (int) queued;
        }
    }

    private static byte[] bytes(int size, int seed) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }

    /** What the connector's response pump does: one readAvailable, one write, per frame. */
    private static void pump(InputStream in, TunnelStream out) throws IOException {
        byte[] buf = new byte[FrameCodec.MAX_DATA_PAYLOAD];
        int n;
        while ((n = BodyChunks.readAvailable(in, buf, 0, buf.length)) >= 0) {
            out.write(buf, 0, n);
        }
        out.endOutput();
    }

    @Test
    void aBurstOfAvailableBytesLeavesAsOneLargeFrame() throws Exception {
        TunnelStream proxySide = pair.proxy.open(MuxPair.head("download"));
        TunnelStream connectorSide = pair.accept();
        connectorSide.sendHead(new ResponseHead(200, List.of()));
        ChunkQueueStream app = new ChunkQueueStream();
        byte[] body = bytes(200 * 1024, 7);
        for (int off = 0; off < body.length; off += 10 * 1024) { // ~10 KiB chunks, as Jetty's HTTP client hands them over
            app.offer(Arrays.copyOfRange(body, off, Math.min(body.length, off + 10 * 1024)));
        }
        app.end();
        pump(app, connectorSide);

        List<Integer> frames = new ArrayList<>();
        ByteArrayOutputStream received = new ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = proxySide.read()) != null) {
            frames.add(chunk.length);
            received.write(chunk);
        }
        assertThat(received.toByteArray()).isEqualTo(body);
        // 200 KiB in 64 KiB frames, not twenty 10 KiB ones (and never above the window or the frame limit).
        assertThat(frames).containsExactly(65536, 65536, 65536, 8192);
    }

    @Test
    void aTrickleIsSentAsSoonAsItArrives() throws Exception {
        TunnelStream proxySide = pair.proxy.open(MuxPair.head("events"));
        TunnelStream connectorSide = pair.accept();
        connectorSide.sendHead(new ResponseHead(200, List.of()));
        ChunkQueueStream app = new ChunkQueueStream();
        CompletableFuture<Void> pumping = CompletableFuture.runAsync(() -> {
            try {
                pump(app, connectorSide);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        for (int i = 0; i < 3; i++) {
            byte[] event = ("data: " + i + "\n\n").getBytes(StandardCharsets.UTF_8);
            long started = System.nanoTime();
            app.offer(event);
            // The event arrives on its own while the app's stream stays open: nothing waits to fill a frame.
            byte[] got = proxySide.read(Duration.ofSeconds(5));
            assertThat(got).isEqualTo(event);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(2));
        }
        app.end();
        pumping.get(5, TimeUnit.SECONDS);
        assertThat(proxySide.read()).isNull();
    }

    @Test
    void readAvailableNeverReadsMoreThanAsked() throws Exception {
        ChunkQueueStream app = new ChunkQueueStream();
        app.offer(bytes(10_000, 1));
        app.offer(bytes(10_000, 2));
        app.end();
        byte[] buf = new byte[15_000];
        assertThat(BodyChunks.readAvailable(app, buf, 0, 15_000)).isEqualTo(15_000);
        assertThat(BodyChunks.readAvailable(app, buf, 0, 15_000)).isEqualTo(5_000);
        assertThat(BodyChunks.readAvailable(app, buf, 0, 15_000)).isEqualTo(-1);
    }
}
