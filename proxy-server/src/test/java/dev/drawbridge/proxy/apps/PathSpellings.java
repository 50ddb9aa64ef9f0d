package dev.drawbridge.proxy.apps;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Test data: every spelling class of a path under a prefix segment (e.g. "hr" of "/hr/"), and an oracle independent of
 * {@link RequestPath}: how the most lenient common backend reads a path.
 */
public final class PathSpellings {
    private static final String UNRESERVED_MARKS = "-._~";

    private PathSpellings() {
    }

    /** Request-targets that name {@code /<segment>/salaries} (or {@code /<segment>}) in every spelling class, and a few that do not. */
    public static List<String> of(String segment) {
        Set<String> s = new LinkedHashSet<>();
        String rest = "/salaries";
        s.add("/" + segment + rest);
        s.add("/" + segment);
        s.add("/" + segment + "/");
        // each character percent-encoded, upper and lower hex, then all of them
        for (int i = 0; i < segment.length(); i++) {
            for (boolean upper : new boolean[]{true, false}) {
                s.add("/" + segment.substring(0, i) + pct(segment.charAt(i), upper) + segment.substring(i + 1) + rest);
            }
        }
        s.add("/" + allEncoded(segment, true) + rest);
        s.add("/" + allEncoded(segment, false));
        // letter case: every combination (up to 64)
        for (String c : caseVariants(segment)) {
            s.add("/" + c + rest);
            s.add("/" + c);
        }
        // ; path parameters on each segment
        for (String p : List.of(";", ";x", ";jsessionid=ABC", ";a=b;c")) {
            s.add("/" + segment + p + rest);
            s.add("/" + segment + p);
            s.add("/" + p + "/" + segment + rest);
            s.add("/" + segment + "/salaries" + p);
        }
        // separators
        for (String sep : List.of("%2F", "%2f", "%5C", "%5c", "\\", "%252F", "%255C")) {
            s.add("/" + segment + sep + "salaries");
            s.add("/" + segment + sep);
            s.add(sep + segment + rest);
        }
        s.add("//" + segment + rest);
        s.add("///" + segment + rest);
        s.add("/" + segment + "//salaries");
        // double and deeper encoding
        s.add("/" + pct('%', true) + hex(segment.charAt(0), true) + segment.substring(1) + rest);
        s.add("/%2525" + hex(segment.charAt(0), true) + segment.substring(1) + rest);
        s.add("/%25%3" + hex(segment.charAt(0), true).charAt(0) + "%3" + hex(segment.charAt(0), true).charAt(1) + segment.substring(1) + rest);
        // dot segments before the prefix
        for (String dots : List.of("/..", "/%2e%2e", "/%2E%2E", "/x/..", "/x/..;", "/x/%2e%2e;", "/.", "/x/..%2F..", "/x/.%2e")) {
            s.add(dots + "/" + segment + rest);
        }
        // Windows trailing dots and spaces
        for (String t : List.of(".", "..", "%2e", "%20", ". ", "%2E%20")) {
            s.add("/" + segment + t + rest);
        }
        // mixes
        s.add("/" + caseVariants(segment).getLast() + ";x" + "%2F" + "salaries");
        s.add("/" + pct(segment.charAt(0), true).toLowerCase(Locale.ROOT) + segment.substring(1).toUpperCase(Locale.ROOT) + ";x" + rest);
        s.add("/" + segment + "%3Bx" + rest);
        // Unicode compatibility forms: full-width letters
        s.add("/" + fullWidth(segment) + rest);
        s.add("/" + utf8Encoded(fullWidth(segment)) + rest);
        // Compatibility forms of path syntax, which NFKC (and Windows' best-fit mapping) turns into ASCII: full-width and
        // small solidus, reverse solidus, semicolon and full stop, one- and two-dot leaders, the ideographic space.
        for (String slash : List.of("%EF%BC%8F", "%EF%BC%BC", "%EF%B9%A8")) {
            s.add("/" + segment + slash + "salaries");
            s.add("/" + slash + segment + rest);
        }
        for (String param : List.of("%EF%BC%9B", "%EF%B9%94")) {
            s.add("/" + segment + param + "x" + rest);
        }
        for (String trailing : List.of("%EF%BC%8E", "%EF%B9%92", "%E2%80%A4", "%E3%80%80", ".%E3%80%80")) {
            s.add("/" + segment + trailing + rest);
        }
        for (String dots : List.of("%E2%80%A5", "%EF%BC%8E%EF%BC%8E", "%E2%80%A4%E2%80%A4", ".%EF%BC%8E", "%E2%80%A6")) {
            s.add("/x/" + dots + "/" + segment + rest);
        }
        // '?' and '#' encoded: a backend that decodes, then reads the URL again, takes them for the end of the path
        for (String cut : List.of("%3F", "%3f", "%23", "%253F", "%2523", "%EF%BC%9F", "%EF%B9%96", "%EF%BC%83", "%EF%B9%9F")) {
            s.add("/" + segment + cut + rest);
            s.add("/" + segment + cut);
            s.add("/" + segment + cut + "x");
        }
        // NUL, controls, overlong UTF-8
        s.add("/" + segment + "%00" + rest);
        s.add("/" + segment + "%C0%AF" + "salaries");
        s.add("/" + segment + "%09" + rest);
        // not under the prefix
        s.add(rest);
        s.add("/" + segment + "x" + rest);
        s.add("/x" + segment + rest);
        s.add("/x/" + segment + rest);
        return new ArrayList<>(s);
    }

    /** The lenient reading: decoded until stable, NFKC, backslashes as slashes, parameters and trailing dots dropped, dot segments resolved, lower case. */
    static String asBackendsRead(String raw) {
        return read(raw, false);
    }

    /**
     * The lenient reading of a backend that also takes a decoded '?' or '#' for the end of the path (Apache httpd's
     * mod_rewrite substitutions, servers and proxies that decode, then parse the URL again).
     */
    static String asTruncatingBackendsRead(String raw) {
        return read(raw, true);
    }

    /** Both readings. */
    public static List<String> readings(String raw) {
        return List.of(asBackendsRead(raw), asTruncatingBackendsRead(raw));
    }

    private static String read(String raw, boolean truncate) {
        String s = raw;
        for (int i = 0; i < 6; i++) {
            s = decodeOnce(s);
        }
        s = Normalizer.normalize(s, Normalizer.Form.NFKC).replace('\\', '/');
        if (truncate) {
            s = s.split("[?#]", -1)[0];
        }
        Deque<String> out = new ArrayDeque<>();
        for (String seg : s.split("/")) {
            int semi = seg.indexOf(';');
            String name = semi < 0 ? seg : seg.substring(0, semi);
            if (name.equals("..")) {
                out.pollLast();
                continue;
            }
            name = name.replaceAll("[. ]+$", "");
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return "/" + String.join("/", out).toLowerCase(Locale.ROOT);
    }

    /** Whether the lenient reading is under {@code prefix} ("/hr/"), or is the prefix without its slash. */
    public static boolean under(String read, String prefix) {
        String p = prefix.toLowerCase(Locale.ROOT);
        return p.equals("/") || read.startsWith(p) || read.equals(p.substring(0, p.length() - 1));
    }

    private static String decodeOnce(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && Character.digit(in[i + 1], 16) >= 0 && Character.digit(in[i + 2], 16) >= 0) {
                b.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                b.write(in[i]);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    static String hex(char c, boolean upper) {
        String h = String.format("%02x", (int) c);
        return upper ? h.toUpperCase(Locale.ROOT) : h;
    }

    static String pct(char c, boolean upper) {
        return "%" + hex(c, upper);
    }

    private static String allEncoded(String s, boolean upper) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(pct((char) c, upper)));
        return b.toString();
    }

    static List<String> caseVariants(String s) {
        List<Integer> letters = new ArrayList<>();
        for (int i = 0; i < s.length(); i++) {
            if (Character.isLetter(s.charAt(i))) {
                letters.add(i);
            }
        }
        int n = Math.min(letters.size(), 6);
        List<String> out = new ArrayList<>();
        for (int mask = 1; mask < (1 << n); mask++) {
            char[] c = s.toCharArray();
            for (int b = 0; b < n; b++) {
                if ((mask & (1 << b)) != 0) {
                    int i = letters.get(b);
                    c[i] = Character.isUpperCase(c[i]) ? Character.toLowerCase(c[i]) : Character.toUpperCase(c[i]);
                }
            }
            out.add(new String(c));
        }
        return out;
    }

    private static String fullWidth(String s) {
        StringBuilder b = new StringBuilder();
        s.chars().forEach(c -> b.append(c >= 0x21 && c <= 0x7e ? (char) (c - 0x21 + 0xFF01) : (char) c));
        return b.toString();
    }

    private static String utf8Encoded(String s) {
        StringBuilder b = new StringBuilder();
        for (byte x : s.getBytes(StandardCharsets.UTF_8)) {
            b.append(String.format("%%%02X", x & 0xff));
        }
        return b.toString();
    }

    /** Every unreserved mark, for prefixes that use them. */
    static String marks() {
        return UNRESERVED_MARKS;
    }
}
