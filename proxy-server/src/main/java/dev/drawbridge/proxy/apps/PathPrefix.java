package dev.drawbridge.proxy.apps;

import java.text.Normalizer;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An app's external path prefix as segments ({@code /hr/admin/} is {@code [hr, admin]}, {@code /}
 * is none), and the two ways a path's segments can be under it:
 * <ul>
 *   <li>{@link #matches}: by the app's own rule, segment by segment, exactly, or ignoring letter
 *       case when the app's paths are case-insensitive (IIS, ASP.NET, Express by default);</li>
 *   <li>{@link #mayMatch}: as <em>some</em> backend could read it: letters in any case (simple case
 *       folding both ways, so {@code ı} and {@code ſ} count as {@code i} and {@code s}), Unicode
 *       compatibility forms (NFKC: full-width {@code ｈｒ} is {@code hr}), and Windows 8.3 short names
 *       ({@code PAYROL~1} or {@code PA3F2A~1} for {@code payroll-admin}, {@code A_B~1} for {@code a+b}).
 *       Routing refuses a path that may be under an app it did not choose.</li>
 * </ul>
 * A path equal to the prefix without its trailing slash ({@code /hr}) is under it.
 */
final class PathPrefix {
    /** A Windows 8.3 short name: up to six characters, '~', a number, an optional extension. */
    private static final Pattern SHORT_NAME = Pattern.compile("([^~.]{1,6})~[0-9]+(\\.[^.]{0,3})?");
    /** The hash part of a short name Windows makes after four collisions. */
    private static final Pattern HASH = Pattern.compile("[0-9a-f]{4}");

    private final List<String> segments;
    private final boolean caseInsensitive;

    PathPrefix(String externalPath, boolean caseInsensitive) {
        String inner = externalPath.length() <= 2 ? externalPath.substring(1).replace("/", "") : externalPath.substring(1, externalPath.length() - 1);
        this.segments = inner.isEmpty() ? List.of() : Arrays.asList(inner.split("/"));
        this.caseInsensitive = caseInsensitive;
    }

    /** A prefix given as its segments (an internal path as {@link RequestPath} reads it). */
    PathPrefix(List<String> segments, boolean caseInsensitive) {
        this.segments = List.copyOf(segments);
        this.caseInsensitive = caseInsensitive;
    }

    /** How many segments the prefix has (longer prefixes are more specific). */
    int length() {
        return segments.size();
    }

    /** Whether {@code path} is under the prefix by the app's own rule. */
    boolean matches(List<String> path) {
        if (path.size() < segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            String p = segments.get(i);
            String s = path.get(i);
            if (!(caseInsensitive ? p.equalsIgnoreCase(s) : p.equals(s))) {
                return false;
            }
        }
        return true;
    }

    /** Whether some backend could read {@code path} as under the prefix. */
    boolean mayMatch(List<String> path) {
        if (path.size() < segments.size()) {
            return false;
        }
        for (int i = 0; i < segments.size(); i++) {
            if (!mayBe(path.get(i), segments.get(i))) {
                return false;
            }
        }
        return true;
    }

    private static boolean mayBe(String segment, String prefixSegment) {
        return fold(segment).equals(fold(prefixSegment)) || shortNameOf(segment, prefixSegment);
    }

    /** NFKC, then each code point upper- and lower-cased (Java's and .NET's case-insensitive comparison). */
    static String fold(String s) {
        StringBuilder b = new StringBuilder(s.length());
        Normalizer.normalize(s, Normalizer.Form.NFKC).codePoints()
                .forEach(c -> b.appendCodePoint(Character.toLowerCase(Character.toUpperCase(c))));
        return b.toString();
    }

    /**
     * Whether {@code segment} has the form of an 8.3 short name Windows may give a folder named {@code longName}: the
     * start of its base ({@link #shortNameBase}) and {@code ~n}, or, once four such names exist, the base's first two
     * characters, a 4-hex-digit hash and {@code ~n}.
     */
    static boolean shortNameOf(String segment, String longName) {
        Matcher m = SHORT_NAME.matcher(segment);
        if (!m.matches() || isShortName(longName)) {
            return false;
        }
        String stem = fold(m.group(1));
        String base = shortNameBase(longName);
        return base.startsWith(stem)
                || (stem.length() == 6 && stem.startsWith(base.substring(0, Math.min(2, base.length())))
                && HASH.matcher(stem.substring(2)).matches());
    }

    /** What Windows builds a short name from: spaces and dots dropped, characters an 8.3 name may not hold as '_', folded. */
    static String shortNameBase(String longName) {
        StringBuilder b = new StringBuilder(longName.length());
        longName.codePoints().filter(c -> c != ' ' && c != '.')
                .forEach(c -> b.appendCodePoint(c >= 0x80 || "+,;=[]".indexOf(c) >= 0 ? '_' : c));
        return fold(b.toString());
    }

    /** Whether a name is already a valid 8.3 name (which Windows gives no other short name). */
    private static boolean isShortName(String name) {
        int dot = name.indexOf('.');
        String base = dot < 0 ? name : name.substring(0, dot);
        String ext = dot < 0 ? "" : name.substring(dot + 1);
        return base.length() <= 8 && ext.length() <= 3 && !ext.contains(".")
                && name.chars().allMatch(c -> c < 0x80 && (Character.isLetterOrDigit(c) || "!#$%&'()-@^_`{}~.".indexOf(c) >= 0));
    }

    @Override
    public String toString() {
        return "/" + String.join("/", segments) + (segments.isEmpty() ? "" : "/") + (caseInsensitive ? " (any case)" : "");
    }
}
