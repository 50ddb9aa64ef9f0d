package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.tunnel.HeaderField;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Review finding (medium, denial of service): a brotli body's header chooses its window (up to 16 MiB, WBITS 24), and
 * the decoder holds a buffer that large for the whole body when its first meta-block is not the last. An app (or whoever
 * controls its bytes) that sends such bodies slowly, asked by many clients at once, made the proxy hold 16 MiB per
 * request without bound: every app on the server went down with the heap. The windows of the brotli bodies being
 * translated at once now share a fixed budget ({@code BodyTranslation.BROTLI_BUDGET}); a body that finds no room in it
 * within a short wait fails as the app's (502), and room comes back when a body ends.
 */
class BrotliWindowBudgetTest {
    private static final long WINDOW = 1L << 24;

    /** A brotli stream with the largest window (WBITS 24) and one uncompressed, not-last meta-block of {@code data}. */
    private static byte[][] largeWindowBrotli(byte[] data) {
        long bits = 0;
        int n = 0;
        // WBITS 24: a 1, then 3 bits of 7 (17 + 7); ISLAST 0; MNIBBLES 4 (2 bits of 0); MLEN-1 (16 bits); ISUNCOMPRESSED 1.
        long[][] fields = {{1, 1}, {7, 3}, {0, 1}, {0, 2}, {data.length - 1, 16}, {1, 1}};
        for (long[] f : fields) {
            bits |= f[0] << n;
            n += (int) f[1];
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < n; i += 8) {
            out.write((int) (bits >> i) & 0xff);
        }
        out.write(data, 0, data.length);
        // ISLAST 1, ISLASTEMPTY 1.
        return new byte[][] {out.toByteArray(), {0x03}};
    }

    /** Gives {@code first}, then waits for {@code release} (the app sends the rest slowly), then gives {@code last}. */
    private static final class SlowBody extends InputStream {
        private final List<byte[]> parts = new ArrayList<>();
        private final CountDownLatch waiting;
        private final CountDownLatch release;
        private byte[] current = new byte[0];
        private int at;

        SlowBody(byte[][] body, CountDownLatch waiting, CountDownLatch release) {
            parts.addAll(Arrays.asList(body));
            this.waiting = waiting;
            this.release = release;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (at == current.length) {
                if (parts.isEmpty()) {
                    return -1;
                }
                if (parts.size() == 1) {
                    waiting.countDown();
                    try {
                        if (!release.await(60, TimeUnit.SECONDS)) {
                            throw new IOException("never released");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
                current = parts.removeFirst();
                at = 0;
            }
            int n = Math.min(len, current.length - at);
            System.arraycopy(current, at, b, off, n);
            at += n;
            return n;
        }
    }

    private static BodyTranslation translation() {
        return BodyTranslation.of(List.of(new HeaderField("Content-Type", "text/html; charset=utf-8"), new HeaderField("Content-Encoding", "br")))
                .orElseThrow().forClient("identity");
    }

    private static String relay(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        translation().relay(in, out, Apps.SEED_MAP, Apps.SEEDS.getFirst());
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void theWindowsOfBrotliBodiesInFlightAreBounded() throws Exception {
        byte[] page = "<a href=\"http://benefits/claims\">Claims</a>".getBytes(StandardCharsets.UTF_8);
        String translated = "<a href=\"https://benefits.apps.example.com/claims\">Claims</a>";
        int fit = (int) (BodyTranslation.BROTLI_BUDGET / WINDOW);
        CountDownLatch waiting = new CountDownLatch(fit);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
        try {
            List<Future<String>> held = new ArrayList<>();
            for (int i = 0; i < fit; i++) {
                held.add(pool.submit(() -> relay(new SlowBody(largeWindowBrotli(page), waiting, release))));
            }
            assertThat(waiting.await(30, TimeUnit.SECONDS)).as("every held body is being decoded").isTrue();

            // One more large window does not fit while the others are held: the app's failure, not one more 16 MiB.
            CountDownLatch open = new CountDownLatch(0);
            assertThatThrownBy(() -> relay(new SlowBody(largeWindowBrotli(page), new CountDownLatch(1), open)))
                    .isInstanceOf(BodyTranslation.UnreadableBodyException.class).hasMessageContaining("brotli");

            release.countDown();
            for (Future<String> f : held) {
                assertThat(f.get(30, TimeUnit.SECONDS)).isEqualTo(translated);
            }
            // Their room is given back: the next body is translated.
            assertThat(relay(new SlowBody(largeWindowBrotli(page), new CountDownLatch(1), open))).isEqualTo(translated);
        } finally {
            release.countDown();
            pool.shutdownNow();
        }
    }

    /** The window is read from the stream's first byte (RFC 7932 §9.1), every spelling of WBITS. */
    @Test
    void theWindowIsTheOneTheStreamDeclares() {
        assertThat(BrotliWindows.window(0x00)).isEqualTo(1L << 16);
        assertThat(BrotliWindows.window(0x01)).isEqualTo(1L << 17);
        assertThat(BrotliWindows.window(0x01 | 2 << 4)).isEqualTo(1L << 10);
        assertThat(BrotliWindows.window(0x01 | 7 << 4)).isEqualTo(1L << 15);
        for (int n = 1; n <= 7; n++) {
            assertThat(BrotliWindows.window(0x01 | n << 1)).isEqualTo(1L << (17 + n));
        }
        // A large-window stream (not standard brotli) is larger than any budget: refused at once, without waiting.
        BrotliWindows budget = new BrotliWindows(BodyTranslation.BROTLI_BUDGET, Duration.ofHours(1));
        assertThatThrownBy(() -> budget.take(BrotliWindows.window(0x01 | 1 << 4))).isInstanceOf(IOException.class)
                .hasMessageContaining("larger than the server lets");
    }
}
