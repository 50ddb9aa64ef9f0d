package dev.drawbridge.connector.sso;

import dev.drawbridge.model.tunnel.HeaderField;

import java.net.HttpCookie;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The cookies of one login-form exchange: those the browser sent with the stream, updated by every {@code Set-Cookie}
 * the app answers meanwhile (a session cookie set with the form, the one it sets after the post), and the
 * {@code Set-Cookie} values to pass on to the browser, in order. Lives for one stream; never logged.
 */
final class CookieJar {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final List<String> setCookies = new ArrayList<>();

    private CookieJar() {
    }

    /** The jar holding the {@code Cookie} headers (any case) among {@code headers}. */
    static CookieJar of(List<HeaderField> headers) {
        CookieJar jar = new CookieJar();
        for (HeaderField h : headers) {
            if (h.name().equalsIgnoreCase("Cookie")) {
                for (String pair : h.value().split(";")) {
                    int eq = pair.indexOf('=');
                    if (eq > 0) {
                        jar.values.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
                    }
                }
            }
        }
        return jar;
    }

    /** Takes the {@code Set-Cookie} headers of an answer. */
    void take(List<HeaderField> headers) {
        for (HeaderField h : headers) {
            if (!h.name().equalsIgnoreCase("Set-Cookie")) {
                continue;
            }
            setCookies.add(h.value());
            try {
                for (HttpCookie c : HttpCookie.parse(h.value())) {
                    if (c.getMaxAge() == 0) {
                        values.remove(c.getName());
                    } else {
                        values.put(c.getName(), c.getValue());
                    }
                }
            } catch (IllegalArgumentException e) {
                // A cookie the JDK cannot read is passed on to the browser, not sent back here.
            }
        }
    }

    /** The {@code Cookie} header to send, if any. */
    Optional<String> header() {
        if (values.isEmpty()) {
            return Optional.empty();
        }
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(b.isEmpty() ? "" : "; ").append(k).append('=').append(v));
        return Optional.of(b.toString());
    }

    /** Every {@code Set-Cookie} value the app answered during the exchange, in order. */
    List<String> setCookies() {
        return List.copyOf(setCookies);
    }
}
