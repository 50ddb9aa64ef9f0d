package dev.drawbridge.proxy.routing;

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
 *       ({@code PAYROL~1} for {@code payroll-admin}). Routing refuses a path that may be under an
 *       app it did not choose.</li>
 * </ul>
 * A path equal to the prefix without its trailing slash ({@code /hr}) is under it.
 */
final class PathPrefix {
    /** A Windows 8.3 short name: up to six characters, '~', a number, an optional extension. */
    private static final Pattern SHORT_NAME = Pattern.compile("([^~.]{1,6})~[0-9]+(\\.[^.]{0,3})?");

    private final List<String> segments;
    private final boolean caseInsensitive;

    PathPrefix(String externalPath, boolean caseInsensitive) {
        String inner = externalPath.length() <= 2 ? externalPath.substring(1).replace("/", "") : externalPath.substring(1, externalPath.length() - 1);
        this.segments = inner.isEmpty() ? List.of() : Arrays.asList(inner.split("/"));
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

    /** Whether {@code segment} has the form of the 8.3 short name Windows gives a folder named {@code longName}. */
    static boolean shortNameOf(String segment, String longName) {
        Matcher m = SHORT_NAME.matcher(segment);
        if (!m.matches() || isShortName(longName)) {
            return false;
        }
        String stem = fold(m.group(1));
        String base = fold(longName.replace(" ", "").replace(".", ""));
        return base.startsWith(stem);
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
