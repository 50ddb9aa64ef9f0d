package dev.drawbridge.connector.sso;

import dev.drawbridge.model.tunnel.HeaderField;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One answer of the app read whole during password vaulting for login forms.
 *
 * @param url       where it came from
 * @param truncated the body was longer than the limit read (then {@code body} is the first part only)
 */
record Fetched(URI url, int status, List<HeaderField> headers, byte[] body, boolean truncated) {
    Fetched(URI url, int status, List<HeaderField> headers, byte[] body) {
        this(url, status, headers, body, false);
    }

    Fetched {
        headers = List.copyOf(headers);
    }

    Optional<String> header(String name) {
        return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HeaderField::value).findFirst();
    }

    Optional<String> location() {
        return header("Location");
    }

    /** An uncompressed HTML page. */
    boolean html() {
        return header("Content-Type").orElse("").toLowerCase(Locale.ROOT).startsWith("text/html")
                && header("Content-Encoding").orElse("identity").equalsIgnoreCase("identity");
    }

    /** The body as text (UTF-8; login pages of other charsets still show their ASCII field names). */
    String text() {
        return new String(body, StandardCharsets.UTF_8);
    }
}
