package dev.drawbridge.proxy.apps;

import java.net.URI;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Wildcard app hosts ({@code *.apps.example.com} published as {@code *.corp.local}, as Entra's wildcard apps): the
 * {@code *} is the whole leftmost label on both sides and stands for exactly one DNS label, as a TLS wildcard
 * certificate does ({@code a.b.apps.example.com} is not matched). The label matched on the outside becomes the leftmost
 * label of the internal host, so it is held to the strictest form: letters, digits and '-' (LDH, lower case), 1 to 63
 * characters, no leading or trailing '-', and '--' in the third and fourth place only for punycode ({@code xn--}). A host
 * header outside this form (a dot, '%', '@', ':', non-ASCII, an empty label) never matches a wildcard app.
 */
public final class WildcardHost {
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private WildcardHost() {
    }

    /** Whether {@code host} is a wildcard host: {@code *.} followed by the rest of the name. */
    public static boolean isWildcard(String host) {
        return host != null && host.startsWith("*.");
    }

    /** Whether {@code label} is one DNS label that may replace the {@code *} (already in lower case). */
    public static boolean isLabel(String label) {
        return LABEL.matcher(label).matches() && (label.length() < 4 || !label.startsWith("--", 2) || label.startsWith("xn--"));
    }

    /**
     * The label of {@code host} that wildcard host {@code pattern} matches ({@code a} for {@code A.apps.example.com} and
     * {@code *.apps.example.com}); empty when the host is deeper or shallower, or its first label is not a plain label.
     */
    public static Optional<String> match(String pattern, String host) {
        if (!isWildcard(pattern) || host == null) {
            return Optional.empty();
        }
        String h = host.toLowerCase(Locale.ROOT);
        int dot = h.indexOf('.');
        if (dot <= 0 || !h.substring(dot).equals(pattern.substring(1).toLowerCase(Locale.ROOT))) {
            return Optional.empty();
        }
        String label = h.substring(0, dot);
        return isLabel(label) ? Optional.of(label) : Optional.empty();
    }

    /** The suffix a wildcard host covers, with its dot: {@code .apps.example.com} for {@code *.apps.example.com}. */
    public static String suffix(String pattern) {
        return pattern.substring(1).toLowerCase(Locale.ROOT);
    }

    /**
     * {@code url} (whose authority starts with {@code *.}) with the {@code *} replaced by {@code label}; the label is
     * checked again here, so that nothing but a plain label ever reaches an internal URL.
     */
    public static URI substitute(URI url, String label) {
        if (!isLabel(label)) {
            throw new IllegalArgumentException("not a DNS label");
        }
        String authority = url.getRawAuthority();
        if (authority == null || !authority.startsWith("*.")) {
            throw new IllegalArgumentException("not a wildcard URL");
        }
        URI u = URI.create(url.getScheme() + "://" + label + authority.substring(1) + (url.getRawPath() == null ? "" : url.getRawPath()));
        if (u.getHost() == null || !u.getHost().startsWith(label + ".")) {
            throw new IllegalArgumentException("not a wildcard URL");
        }
        return u;
    }
}
