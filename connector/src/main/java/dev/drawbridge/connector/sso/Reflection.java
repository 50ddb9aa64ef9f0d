package dev.drawbridge.connector.sso;

import org.jsoup.nodes.Entities;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Whether an answer of the app (body or header values) repeats a password: as it is, percent-encoded (both spellings of
 * space) or HTML-escaped. Such an answer is never relayed to the browser.
 */
final class Reflection {
    private Reflection() {
    }

    /** Passwords shorter than this are not looked for (they would match ordinary text). */
    static final int MIN_LENGTH = 4;

    static boolean repeats(Fetched answer, String password) {
        if (password.length() < MIN_LENGTH) {
            return false;
        }
        String form = URLEncoder.encode(password, StandardCharsets.UTF_8);
        List<String> spellings = List.of(password, form, form.replace("+", "%20"), Entities.escape(password));
        String body = answer.text();
        return spellings.stream().anyMatch(s -> body.contains(s)
                || answer.headers().stream().anyMatch(h -> h.value().contains(s)));
    }
}
