package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.tunnel.HeaderField;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Brotli bodies are decompressed and translated; a compressed body is compressed again with gzip for a client that
 * takes it, flushed piece by piece; a body that decompresses past the bomb limit fails as unreadable.
 */
class BrotliAndRecompressionTest {
    private static final String PAGE = "<a href=\"http://benefits/claims\">Claims</a>";
    private static final String TRANSLATED = "<a href=\"https://benefits.apps.example.com/claims\">Claims</a>";

    /** A brotli stream of {@code data} in uncompressed meta-blocks (RFC 7932 §9.2), as a minimal encoder writes it. */
    static byte[] brotli(byte[] data) {
        Bits bits = new Bits();
        bits.write(0, 1); // WBITS 16
        for (int off = 0; off < data.length; off += 65536) {
            int len = Math.min(65536, data.length - off);
            bits.write(0, 1); // ISLAST 0
            bits.write(0, 2); // MNIBBLES 4
            bits.write(len - 1, 16);
            bits.write(1, 1); // ISUNCOMPRESSED
            bits.align();
            bits.out.write(data, off, len);
        }
        bits.write(1, 1); // ISLAST
        bits.write(1, 1); // ISLASTEMPTY
        bits.align();
        return bits.out.toByteArray();
    }

    private static final class Bits {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        int acc;
        int n;

        void write(int value, int count) {
            for (int i = 0; i < count; i++) {
                acc |= ((value >> i) & 1) << n++;
                if (n == 8) {
                    align();
                }
            }
        }

        void align() {
            if (n > 0) {
                out.write(acc);
                acc = 0;
                n = 0;
            }
        }
    }

    private static BodyTranslation translation(String coding, String clientAcceptEncoding) {
        return BodyTranslation.of(List.of(new HeaderField("Content-Type", "text/html"), new HeaderField("Content-Encoding", coding)))
                .orElseThrow().forClient(clientAcceptEncoding);
    }

    private static byte[] relay(BodyTranslation t, byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        t.relay(new ByteArrayInputStream(body), out, Apps.SEED_MAP, Apps.SEEDS.getFirst());
        return out.toByteArray();
    }

    @Test
    void aBrotliPageIsDecompressedAndTranslated() throws IOException {
        byte[] page = (PAGE + "x".repeat(100_000)).getBytes(StandardCharsets.UTF_8);
        String out = new String(relay(translation("br", "identity"), brotli(page)), StandardCharsets.UTF_8);
        assertThat(out).isEqualTo(TRANSLATED + "x".repeat(100_000));
    }

    @Test
    void aBrokenBrotliBodyIsTheAppsFailure() {
        byte[] broken = {(byte) 0xff, (byte) 0xff, 0x11, 0x22};
        assertThatThrownBy(() -> relay(translation("br", "identity"), broken)).isInstanceOf(BodyTranslation.UnreadableBodyException.class);
    }

    @Test
    void aCompressedPageIsCompressedAgainWithGzipForAClientThatTakesIt() throws IOException {
        BodyTranslation t = translation("br", "gzip, deflate, br");
        assertThat(t.gzipped()).isTrue();
        List<HeaderField> headers = t.headers(List.of(new HeaderField("Content-Encoding", "br"), new HeaderField("Content-Length", "9")),
                Apps.SEED_MAP);
        assertThat(headers).extracting(HeaderField::value).containsExactly("gzip", "Accept-Encoding");
        byte[] gz = relay(t, brotli(PAGE.getBytes(StandardCharsets.UTF_8)));
        try (InputStream in = new GZIPInputStream(new ByteArrayInputStream(gz))) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(TRANSLATED);
        }
        // A plain page stays plain (the app chose not to compress it), whatever the client takes.
        assertThat(BodyTranslation.of(List.of(new HeaderField("Content-Type", "text/html"))).orElseThrow().forClient("gzip").gzipped())
                .isFalse();
        assertThat(translation("gzip", "gzip;q=0").gzipped()).isFalse();
        assertThat(translation("gzip", "*").gzipped()).isTrue();
        assertThat(translation("deflate", "br").gzipped()).isFalse();
    }

    /**
     * A translated page without an ETag loses its Last-Modified: revalidated by that date, a copy would keep the links of
     * an old link map; with an ETag (which names the map) it stays.
     */
    @Test
    void lastModifiedGoesWhenNoEtagNamesTheLinkMap() {
        BodyTranslation t = BodyTranslation.of(List.of(new HeaderField("Content-Type", "text/html"))).orElseThrow();
        HeaderField date = new HeaderField("Last-Modified", "Wed, 21 Oct 2026 07:28:00 GMT");
        assertThat(t.headers(List.of(new HeaderField("Content-Type", "text/html"), date), Apps.SEED_MAP)).doesNotContain(date);
        assertThat(t.headers(List.of(new HeaderField("Content-Type", "text/html"), date, new HeaderField("ETag", "\"v1\"")), Apps.SEED_MAP))
                .contains(date);
    }

    @Test
    void aBodyThatDecompressesPastTheRatioFails() throws IOException {
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write(new byte[8 << 20]);
        }
        BodyStreams.Counted compressed = new BodyStreams.Counted(new ByteArrayInputStream(gz.toByteArray()));
        InputStream limited = new BodyStreams.BombLimit(new GZIPInputStream(compressed), compressed, 100, 1 << 20);
        assertThatThrownBy(() -> limited.transferTo(OutputStream.nullOutputStream())).isInstanceOf(IOException.class)
                .hasMessageContaining("more than 100 times");
        // Within the ratio, the same body passes.
        BodyStreams.Counted again = new BodyStreams.Counted(new ByteArrayInputStream(gz.toByteArray()));
        assertThat(new BodyStreams.BombLimit(new GZIPInputStream(again), again, 2000, 1 << 20).transferTo(OutputStream.nullOutputStream()))
                .isEqualTo(8 << 20);
    }

}
