package dev.drawbridge.proxy.domains;

import dev.drawbridge.proxy.apps.WildcardHost;
import dev.drawbridge.proxy.pki.HostNames;

import java.net.IDN;
import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/**
 * Custom domain names: read in any spelling (case, one trailing dot, Unicode) into one canonical form (lower case,
 * punycode), and which app hosts a domain covers: the domain itself and every host under it ({@code hr.apps.contoso.com}
 * and {@code *.apps.contoso.com} for {@code apps.contoso.com}).
 */
public final class DomainNames {
    private static final int MAX_LENGTH = 253;

    private DomainNames() {
    }

    /** The canonical name, or why {@code value} is not a domain name (a sentence for the client). */
    public static Result read(String value) {
        if (value == null || value.isBlank()) {
            return new Result.Bad("name is required, for example apps.contoso.com");
        }
        String ascii;
        try {
            ascii = IDN.toASCII(HostNames.canonical(value), IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return new Result.Bad("'" + value + "' is not a domain name: " + e.getMessage());
        }
        String[] labels = ascii.split("\\.", -1);
        if (ascii.length() > MAX_LENGTH || labels.length < 2 || !Arrays.stream(labels).allMatch(WildcardHost::isLabel)) {
            return new Result.Bad("'" + value + "' is not a domain name of at least two labels, each of letters, digits and '-'"
                    + " (at most 63 characters, no '-' at either end), like apps.contoso.com");
        }
        return new Result.Good(ascii);
    }

    /** What {@link #read} made of a name. */
    public sealed interface Result {
        /** The canonical name. */
        record Good(String name) implements Result {
        }

        /** Why the name was refused. */
        record Bad(String reason) implements Result {
        }

        /** The canonical name, if the name was read. */
        default Optional<String> canonical() {
            return this instanceof Good g ? Optional.of(g.name()) : Optional.empty();
        }
    }

    /** Whether app host {@code host} (canonical, possibly a wildcard) lies on {@code domain} (canonical). */
    public static boolean covers(String domain, String host) {
        String h = HostNames.canonical(host);
        return h.equals(domain) || h.endsWith("." + domain);
    }
}
