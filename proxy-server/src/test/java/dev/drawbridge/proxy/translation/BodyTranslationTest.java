package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.tunnel.HeaderField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves {@link BodyTranslation}: which bodies are translated (by media type and coding), what happens to the headers,
 * decompression of gzip and both deflate forms, every way an encoding is declared, bodies built to hurt (a 64 KiB
 * attribute, an unterminated comment, binary data labelled HTML) streaming through with at most the lookahead held
 * back, and a broken compressed body failing as the app's.
 */
class BodyTranslationTest {
    private static final String B = "https://benefits.apps.example.com/";
    private static final String PAGE = "<a href=\"http://benefits/claims\">Claims</a> <a href=\"http://feedback/\">Feedback</a>";
    private static final String TRANSLATED = "<a href=\"" + B + "claims\">Claims</a> <a href=\"http://feedback/\">Feedback</a>";

    private static List<HeaderField> headers(String type, String... more) {
        List<HeaderField> h = new ArrayList<>(List.of(new HeaderField("Content-Type", type)));
        for (int i = 0; i < more.length; i += 2) {
            h.add(new HeaderField(more[i], more[i + 1]));
        }
        return h;
    }

    private static byte[] relay(List<HeaderField> headers, byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodyTranslation.of(headers).orElseThrow().relay(new ByteArrayInputStream(body), out, Apps.SEED_MAP, Apps.SEEDS.getFirst());
        return out.toByteArray();
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/html", "text/html; charset=utf-8", "TEXT/HTML;charset=\"ISO-8859-1\"", "application/xhtml+xml",
            "text/css", "text/css; charset=utf-8"})
    void htmlAndCssAreTranslated(String type) {
        assertThat(BodyTranslation.of(headers(type))).isPresent();
        assertThat(BodyTranslation.of(headers(type, "Content-Encoding", "gzip"))).isPresent();
        assertThat(BodyTranslation.of(headers(type, "content-encoding", "deflate"))).isPresent();
        assertThat(BodyTranslation.of(headers(type, "Content-Encoding", "identity"))).isPresent();
    }

    @ParameterizedTest
    @ValueSource(strings = {"application/json", "text/javascript", "image/png", "application/octet-stream", "text/plain",
            "text/html-sandboxed", "", "text/event-stream"})
    void otherTypesAreNot(String type) {
        assertThat(BodyTranslation.of(headers(type))).isEmpty();
        assertThat(BodyTranslation.of(List.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"zstd", "compress", "gzip, gzip", "gzip, br", "x-unknown"})
    void codingsThatCannotBeDecompressedAreNotTranslated(String coding) {
        assertThat(BodyTranslation.of(headers("text/html", "Content-Encoding", coding))).isEmpty();
        assertThat(BodyTranslation.of(headers("text/html", "Content-Encoding", "gzip", "Content-Encoding", "br"))).isEmpty();
    }

    @Test
    void theAppIsAskedOnlyForCodingsThatCanBeDecompressed() {
        assertThat(BodyTranslation.acceptEncoding("gzip, deflate, br, zstd")).isEqualTo("gzip, deflate, br");
        assertThat(BodyTranslation.acceptEncoding("zstd;q=1.0, GZIP;q=0.5")).isEqualTo("GZIP;q=0.5");
        assertThat(BodyTranslation.acceptEncoding("br")).isEqualTo("br");
        assertThat(BodyTranslation.acceptEncoding("zstd")).isEqualTo("identity");
        assertThat(BodyTranslation.acceptEncoding("*")).isEqualTo("identity");
    }

    @Test
    void headersOfATranslatedBody() {
        BodyTranslation gzip = BodyTranslation.of(headers("text/html", "Content-Encoding", "gzip")).orElseThrow();
        List<HeaderField> in = List.of(new HeaderField("Content-Type", "text/html"), new HeaderField("Content-Length", "120"),
                new HeaderField("Content-Encoding", "gzip"), new HeaderField("Accept-Ranges", "bytes"), new HeaderField("ETag", "\"v1\""),
                new HeaderField("Content-MD5", "x"), new HeaderField("Repr-Digest", "sha-256=:x:"), new HeaderField("Vary", "Accept-Encoding"));
        LinkMap map = LinkMap.empty();
        assertThat(gzip.headers(in, map)).containsExactly(new HeaderField("Content-Type", "text/html"),
                new HeaderField("ETag", "W/\"v1-ls" + map.tag() + "\""),
                new HeaderField("Vary", "Accept-Encoding"));
        BodyTranslation plain = BodyTranslation.of(headers("text/css")).orElseThrow();
        assertThat(plain.headers(List.of(new HeaderField("etag", "W/\"v2\""), new HeaderField("content-length", "3")), map))
                .containsExactly(new HeaderField("etag", "W/\"v2-lw" + map.tag() + "\""));
    }

    @Test
    void plainGzipAndBothDeflateFormsAreDecompressedAndTranslated() throws IOException {
        byte[] page = PAGE.getBytes(StandardCharsets.UTF_8);
        assertThat(text(relay(headers("text/html"), page))).isEqualTo(TRANSLATED);
        assertThat(text(relay(headers("text/html", "Content-Encoding", "gzip"), gzip(page)))).isEqualTo(TRANSLATED);
        assertThat(text(relay(headers("text/html", "Content-Encoding", "deflate"), deflate(page, false)))).isEqualTo(TRANSLATED);
        assertThat(text(relay(headers("text/html", "Content-Encoding", "deflate"), deflate(page, true)))).isEqualTo(TRANSLATED);
        assertThat(text(relay(headers("text/html", "Content-Encoding", "gzip"), new byte[0]))).isEmpty();
    }

    @Test
    void aCompressedBodyIsReadToTheEndOfTheStream() throws IOException {
        byte[] gz = gzip(PAGE.getBytes(StandardCharsets.UTF_8));
        byte[] deflated = deflate(PAGE.getBytes(StandardCharsets.UTF_8), false);
        for (byte[] compressed : List.of(gz, deflated)) {
            // Bytes after the compressed body's end, served 16 at a time as a network would: the decompressor stops at its end.
            byte[] withTrailer = Arrays.copyOf(compressed, compressed.length + 100);
            ByteArrayInputStream in = new ByteArrayInputStream(withTrailer);
            InputStream bySixteen = new FilterInputStream(in) {
                @Override
                public int read(byte[] b, int off, int len) throws IOException {
                    return super.read(b, off, Math.min(len, 16));
                }
            };
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            BodyTranslation.of(headers("text/html", "Content-Encoding", compressed == gz ? "gzip" : "deflate")).orElseThrow()
                    .relay(bySixteen, out, Apps.SEED_MAP, Apps.SEEDS.getFirst());
            assertThat(text(out.toByteArray())).isEqualTo(TRANSLATED);
            assertThat(in.available()).as("bytes left unread").isZero();
        }
    }

    @Test
    void aBrokenCompressedBodyIsTheAppsFailure() {
        byte[] gz = gzip(PAGE.getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> relay(headers("text/html", "Content-Encoding", "gzip"), Arrays.copyOf(gz, gz.length / 2)))
                .isInstanceOf(BodyTranslation.UnreadableBodyException.class);
        assertThatThrownBy(() -> relay(headers("text/html", "Content-Encoding", "gzip"), PAGE.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BodyTranslation.UnreadableBodyException.class);
        assertThatThrownBy(() -> relay(headers("text/html", "Content-Encoding", "deflate"), new byte[]{0x78, (byte) 0x9c, 1, 2, 3}))
                .isInstanceOf(BodyTranslation.UnreadableBodyException.class);
    }

    @Test
    void singleByteEncodingsComeOutByteForByte() throws IOException {
        String page = "<p>Caf\u00e9 \u00fcber \u00a3</p>" + PAGE;
        for (String cs : List.of("ISO-8859-1", "windows-1252", "ISO-8859-15")) {
            byte[] out = relay(headers("text/html; charset=" + cs), page.getBytes(Charset.forName(cs)));
            assertThat(new String(out, Charset.forName(cs))).isEqualTo("<p>Caf\u00e9 \u00fcber \u00a3</p>" + TRANSLATED);
        }
    }

    /** UTF-16 (from the header or a byte order mark) is not ASCII-safe: such a body is passed on untranslated, byte for byte. */
    @Test
    void utf16FromTheHeaderOrAByteOrderMarkPassesThroughUntranslated() throws IOException {
        byte[] le = ("\u00e9" + PAGE).getBytes(StandardCharsets.UTF_16LE);
        assertThat(relay(headers("text/html; charset=UTF-16LE"), le)).isEqualTo(le);
        byte[] bom = ("\ufeff" + PAGE).getBytes(StandardCharsets.UTF_16LE);
        assertThat(relay(headers("text/html"), bom)).isEqualTo(bom);
        byte[] css = "a{background:url(http://benefits/x)}".getBytes(StandardCharsets.UTF_16BE);
        assertThat(relay(headers("text/css; charset=utf-16be"), css)).isEqualTo(css);
    }

    @Test
    void aMetaCharsetIsHonouredWhenTheHeaderNamesNone() throws IOException {
        Charset sjis = Charset.forName("Shift_JIS");
        // 表 is 0x95 0x5C in Shift_JIS: its second byte is ASCII '\\'. Shift_JIS is not ASCII-safe: the page passes untranslated.
        byte[] page = "<meta charset=\"shift_jis\"><p>\u8868</p><a href='http://benefits/\u8868'>\u8868</a>".getBytes(sjis);
        assertThat(relay(headers("text/html"), page)).isEqualTo(page);
        byte[] eucKr = ("<meta charset=\"euc-kr\"><p>\ud55c</p>" + PAGE).getBytes(Charset.forName("EUC-KR"));
        assertThat(new String(relay(headers("text/html"), eucKr), Charset.forName("EUC-KR"))).isEqualTo("<meta charset=\"euc-kr\"><p>\ud55c</p>" + TRANSLATED);
        String httpEquiv = "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Shift_JIS\">" + PAGE;
        assertThat(relay(headers("text/html"), httpEquiv.getBytes(sjis))).isEqualTo(httpEquiv.getBytes(sjis));
        byte[] head = httpEquiv.getBytes(sjis);
        assertThat(BodyCharset.decide(head, head.length, Optional.empty(), LinkTranslator.Kind.HTML)).isEqualTo(sjis);
        assertThat(BodyCharset.decide(head, head.length, Optional.of(StandardCharsets.UTF_8), LinkTranslator.Kind.HTML))
                .isEqualTo(StandardCharsets.UTF_8);
    }

    @Test
    void aMetaThatSaysUtf16IsReadAsUtf8() {
        assertThat(BodyCharset.decide("<meta charset=utf-16>".getBytes(StandardCharsets.US_ASCII), 21, Optional.empty(),
                LinkTranslator.Kind.HTML)).isEqualTo(StandardCharsets.UTF_8);
        assertThat(BodyCharset.fromContentType("text/html; charset=no-such-charset")).isEmpty();
        assertThat(BodyCharset.decide("@charset \"ISO-8859-2\";".getBytes(StandardCharsets.US_ASCII), 22, Optional.empty(),
                LinkTranslator.Kind.CSS)).isEqualTo(Charset.forName("ISO-8859-2"));
    }

    @Test
    void invalidUtf8PassesThroughUnchanged() throws IOException {
        byte[] page = ("<p>\u00e9</p>" + PAGE).getBytes(StandardCharsets.UTF_8);
        byte[] body = new byte[page.length + 4];
        body[0] = (byte) 0xc3;
        body[1] = (byte) 0x28;
        body[2] = (byte) 0xff;
        body[3] = (byte) 0xfe;
        System.arraycopy(page, 0, body, 4, page.length);
        byte[] out = relay(headers("text/html; charset=utf-8"), body);
        assertThat(Arrays.copyOf(out, 4)).containsExactly(0xc3, 0x28, 0xff, 0xfe);
        assertThat(new String(out, 4, out.length - 4, StandardCharsets.UTF_8)).isEqualTo("<p>\u00e9</p>" + TRANSLATED);
    }

    @Test
    void binaryDataLabelledHtmlComesOutUnchanged() throws IOException {
        byte[] noise = new byte[4 << 20];
        new Random(12).nextBytes(noise);
        assertThat(relay(headers("text/html"), noise)).isEqualTo(noise);
        assertThat(relay(headers("text/css; charset=utf-8"), noise)).isEqualTo(noise);
    }

    @Test
    void aHugeAttributeAndAnUnterminatedCommentStreamWithOnlyTheLookaheadHeld() throws IOException {
        String attribute = "<a title=\"" + "x".repeat(64 * 1024) + "\" href=\"http://benefits/a\">";
        String comment = "<!-- " + "http://benefits/ - -> ".repeat(50_000);
        String page = attribute + comment;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Pieces in = new Pieces(page.getBytes(StandardCharsets.UTF_8), 997, out, Apps.SEED_MAP.lookahead());
        BodyTranslation.of(headers("text/html; charset=utf-8")).orElseThrow().relay(in, out, Apps.SEED_MAP, Apps.SEEDS.getFirst());
        assertThat(text(out.toByteArray())).isEqualTo(attribute.replace("http://benefits/", B) + comment);
        assertThat(in.checked).isGreaterThan(1000);
    }

    /**
     * A body served in pieces; before each piece after the first it checks that everything read so far is out but for
     * at most {@code held} bytes (the translator's lookahead; the links here grow by the same amount at most).
     */
    private static final class Pieces extends InputStream {
        private final byte[] body;
        private final int piece;
        private final ByteArrayOutputStream out;
        private final int held;
        private int pos;
        int checked;

        Pieces(byte[] body, int piece, ByteArrayOutputStream out, int held) {
            this.body = body;
            this.piece = piece;
            this.out = out;
            this.held = held;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException();
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (pos > 0) {
                assertThat(out.size()).as("written after %d bytes read", pos).isGreaterThanOrEqualTo(pos - held);
                checked++;
            }
            if (pos == body.length) {
                return -1;
            }
            int n = Math.min(Math.min(len, piece), body.length - pos);
            System.arraycopy(body, pos, b, off, n);
            pos += n;
            return n;
        }
    }

    private static String text(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }

    static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] b, boolean raw) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream d = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION, raw))) {
            d.write(b);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toByteArray();
    }
}
