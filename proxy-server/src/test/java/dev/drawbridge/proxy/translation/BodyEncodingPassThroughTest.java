package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.tunnel.HeaderField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A body is never decoded and encoded again (found by the review12 review of issue 12): page text cannot pick an encoding
 * whose re-encoding writes bytes the browser reads as markup, and a body in an encoding whose ASCII bytes are not always
 * ASCII (UTF-16, Shift_JIS, ISO-2022, ...) passes through untranslated, byte for byte.
 */
class BodyEncodingPassThroughTest {
    private static byte[] relay(String contentType, byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodyTranslation.of(List.of(new HeaderField("Content-Type", contentType))).orElseThrow()
                .relay(new ByteArrayInputStream(body), out, Apps.SEED_MAP, Apps.SEEDS.getFirst());
        return out.toByteArray();
    }

    private static long quotes(byte[] b) {
        long n = 0;
        for (byte c : b) {
            n += c == '"' || c == '<' || c == '>' ? 1 : 0;
        }
        return n;
    }

    /**
     * A browser's prescan takes a charset from {@code <meta charset>} or from {@code content} only with
     * {@code http-equiv="content-type"}; the proxy's regex takes it from any attribute of any {@code <meta>}, e.g. a
     * description a user wrote ("charset=iso-2022-kr" is plain, escaped-safe text). The browser reads the page as UTF-8,
     * the proxy decodes it as ISO-2022-KR and encodes it back: the UTF-8 bytes of "á" come out as {@code SO " .}, a
     * double quote the browser sees, closing the attribute: {@code onmouseover} becomes an event handler (stored XSS
     * on the app's external origin, from text the app escaped correctly).
     */
    @ParameterizedTest
    @ValueSource(strings = {"iso-2022-kr", "windows-iso2022jp"})
    void textInAnotherMetaAttributeCannotPickTheEncodingAndInjectMarkup(String label) throws IOException {
        String page = "<!doctype html><html><head><meta name=\"description\" content=\"Notes on charset=" + label + " pages\">"
                + "<meta charset=\"utf-8\"><title>Notes</title></head><body>"
                + "<p title=\"\u00e1\u00e4\u00ae onmouseover=alert(document.domain) x=\u00e1\u00e4\u00ae\">"
                + "\u001b$B-p-q\u001b(B</p></body></html>";
        byte[] in = page.getBytes(StandardCharsets.UTF_8);
        byte[] out = relay("text/html", in);
        assertThat(quotes(out)).as("quotes and angle brackets in the page").isEqualTo(quotes(in));
        // No link to translate: not one byte may change.
        assertThat(out).isEqualTo(in);
    }

    /**
     * The label {@code utf-16} means UTF-16LE to a browser (the Encoding standard); Java's UTF-16 decodes big-endian without
     * a BOM and its encoder writes a big-endian BOM: a page without links gets FE FF prepended, and the browser then reads
     * the whole page big-endian (garbage; content reinterpreted).
     */
    @Test
    void aUtf16LabelledPageWithoutBomIsNotReinterpreted() throws IOException {
        byte[] in = "<p><a href=\"/local\">x</a></p>".getBytes(StandardCharsets.UTF_16LE);
        assertThat(relay("text/html; charset=utf-16", in)).isEqualTo(in);
    }

    /**
     * Same for a stylesheet with a link in it: UTF-16 is not an encoding whose ASCII bytes are always ASCII, so the body
     * is never decoded and re-encoded (that is what let page text inject markup): it passes untranslated, byte for byte.
     */
    @Test
    void aUtf16LabelledStylesheetWithoutBomPassesThroughUntranslated() throws IOException {
        byte[] in = "a{background:url(http://benefits/x.png)}".getBytes(StandardCharsets.UTF_16LE);
        assertThat(relay("text/css; charset=utf-16", in)).isEqualTo(in);
    }
}
