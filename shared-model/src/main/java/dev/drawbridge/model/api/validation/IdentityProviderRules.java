package dev.drawbridge.model.api.validation;

import java.net.IDN;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The names that pick an external identity provider: its id (a slug in URLs and in an app's list of allowed providers)
 * and the email domains of home-realm discovery. A domain is compared in one spelling only: IDNA ASCII (punycode),
 * lower case, without a trailing dot (in any of the forms IDNA maps to '.', such as U+3002), so {@code Bücher.Example.} and
 * {@code xn--bcher-kva.example} are the same domain.
 */
public final class IdentityProviderRules {
    /** The id of the provider that {@code /identity-providers/oidc} names (the single provider of earlier versions). */
    public static final String DEFAULT_ID = "oidc";
    public static final int MAX_DOMAINS = 100;
    private static final Pattern ID = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?");

    private IdentityProviderRules() {
    }

    /** 1 to 40 lower-case letters, digits and inner hyphens, e.g. {@code partner-sso}. */
    public static boolean isId(String id) {
        return id != null && ID.matcher(id).matches();
    }

    /**
     * The domain in its one spelling, or nothing when it is not a domain name of at least two labels (a bare {@code com}
     * or an address with {@code @} is not).
     */
    public static Optional<String> domain(String value) {
        if (value == null || value.isBlank() || value.length() > 253) {
            return Optional.empty();
        }
        String d = value.strip();
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        try {
            d = IDN.toASCII(d, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // IDNA maps the ideographic, fullwidth and halfwidth full stops to '.': a trailing one is the same trailing dot.
        if (d.endsWith(".")) {
            d = d.substring(0, d.length() - 1);
        }
        String[] labels = d.split("\\.", -1);
        if (labels.length < 2 || d.length() > 253) {
            return Optional.empty();
        }
        for (String label : labels) {
            if (!LABEL.matcher(label).matches()) {
                return Optional.empty();
            }
        }
        return Optional.of(d);
    }

    /** The domain of an email address in its one spelling, or nothing when {@code email} is not {@code local@domain}. */
    public static Optional<String> domainOfEmail(String email) {
        if (email == null) {
            return Optional.empty();
        }
        String e = email.strip();
        int at = e.lastIndexOf('@');
        if (at <= 0 || at == e.length() - 1 || e.length() > 320) {
            return Optional.empty();
        }
        return domain(e.substring(at + 1));
    }
}
