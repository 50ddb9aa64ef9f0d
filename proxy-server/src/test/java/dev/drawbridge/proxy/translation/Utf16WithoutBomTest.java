package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.tunnel.HeaderField;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review finding (medium: script injection from page text, on an app whose bodies are UTF-16 without a byte order mark
 * or charset). A browser reads such a body as UTF-16 without being told: an XHTML page by the XML declaration's bytes
 * ({@code 3C 00 3F 00}), a script by the encoding of the page that loads it. The proxy, told nothing, read it byte for
 * byte as an ASCII-safe encoding and translated any ASCII-looking run: text a user wrote in CJK characters whose bytes
 * spell {@code http://expenses.corp.local/} became a link, and the replacement, 7 bytes longer (an odd number), moved
 * every following byte by one: the user's next characters (U+3C00, U+7300, ...: text no app escapes) came out as
 * {@code <script>} (or {@code ";alert(…)//} in a script, a new member in JSON) in the browser's reading. A body with
 * a NUL byte in its first bytes, and no charset to say otherwise, is now passed on untranslated.
 */
class Utf16WithoutBomTest {

    private static byte[] relay(String contentType, byte[] body) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        BodyTranslation.of(List.of(new HeaderField("Content-Type", contentType)), true).orElseThrow()
                .relay(new ByteArrayInputStream(body), out, Apps.SEED_MAP, Apps.SEEDS.getFirst());
        return out.toByteArray();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "application/xhtml+xml|<?xml version=\"1.0\"?><html xmlns=\"http://www.w3.org/1999/xhtml\"><body><p>|<a href=\""
            + "|<script>alert(document.domain)</script>|</p></body></html>",
        "application/javascript|var comment = \"|' '|\";alert(document.domain)//|\";",
        "application/json|{\"comment\": \"|' '|\",\"admin\":true,\"x\":\"|\"}"})
    void aUtf16BodyWithoutBomIsNotTranslated(String type, String before, String lead, String payload, String after) throws IOException {
        ByteArrayOutputStream in = new ByteArrayOutputStream();
        in.writeBytes(before.getBytes(StandardCharsets.UTF_16LE));
        // The user's text: CJK characters the app writes as they are (no escaper touches them), whose bytes are ASCII
        // (each pair one character): a link where the proxy looks for links (an attribute, a string literal)...
        in.writeBytes((lead + "http://expenses.corp.local/").getBytes(StandardCharsets.US_ASCII));
        // ...then U+3C00, U+7300, ... (for "<script>"): the payload one byte off.
        in.write(0);
        in.writeBytes(payload.getBytes(StandardCharsets.UTF_16LE));
        in.write(0);
        in.writeBytes(after.getBytes(StandardCharsets.UTF_16LE));
        byte[] body = in.toByteArray();
        assertThat(new String(body, StandardCharsets.UTF_16LE)).doesNotContain(payload);

        byte[] out = relay(type, body);
        assertThat(new String(out, StandardCharsets.UTF_16LE)).as("the body as the browser reads it").doesNotContain(payload);
        assertThat(out).isEqualTo(body);
    }
}
