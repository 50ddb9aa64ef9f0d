package dev.drawbridge.proxy.pki;

import java.util.Locale;

/**
 * DNS names as certificates and SNI carry them: one canonical spelling (lower case, no trailing dot), the
 * wildcard match TLS clients apply ({@code *.example.com} covers exactly one label), and a looser match that
 * refusals use, so that no client's reading of a wildcard can reach a host the server keeps for itself.
 */
public final class HostNames {
    private HostNames() {
    }

    /** Lower case (ASCII rules), without one trailing dot: {@code Admin.Example.COM.} is {@code admin.example.com}. */
    public static String canonical(String name) {
        String n = name.strip().toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Whether certificate name {@code pattern} covers {@code host} as a TLS client checks it (RFC 6125: whole leftmost label). */
    public static boolean covers(String pattern, String host) {
        String p = canonical(pattern);
        String h = canonical(host);
        if (p.startsWith("*.")) {
            int dot = h.indexOf('.');
            return dot > 0 && h.substring(dot).equals(p.substring(1));
        }
        return p.equals(h);
    }

    /**
     * Whether some client could take certificate name {@code pattern} to cover {@code host}: like {@link #covers}, but a
     * {@code *} anywhere in a label matches any run of characters of that label ({@code a*.example.com},
     * {@code *min.example.com}), as some clients accept.
     */
    public static boolean mayCover(String pattern, String host) {
        String[] p = canonical(pattern).split("\\.", -1);
        String[] h = canonical(host).split("\\.", -1);
        if (p.length != h.length) {
            return false;
        }
        for (int i = 0; i < p.length; i++) {
            if (!labelMayMatch(p[i], h[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean labelMayMatch(String pattern, String label) {
        int star = pattern.indexOf('*');
        if (star < 0) {
            return pattern.equals(label);
        }
        // Every fixed piece in order; the stars between them match anything.
        String[] pieces = pattern.split("\\*", -1);
        if (!label.startsWith(pieces[0]) || !label.endsWith(pieces[pieces.length - 1])
                || label.length() < pieces[0].length() + pieces[pieces.length - 1].length()) {
            return false;
        }
        int at = pieces[0].length();
        int end = label.length() - pieces[pieces.length - 1].length();
        for (int i = 1; i < pieces.length - 1; i++) {
            int found = label.indexOf(pieces[i], at);
            if (found < 0 || found + pieces[i].length() > end) {
                return false;
            }
            at = found + pieces[i].length();
        }
        return true;
    }
}
