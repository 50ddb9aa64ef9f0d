package dev.drawbridge.proxy.translation;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The character encoding a body is read and written back in: a byte order mark first, then the {@code charset} of the
 * {@code Content-Type} header, then (HTML) a {@code <meta>} charset or (CSS) an {@code @charset} rule in the first
 * {@link #PRESCAN} bytes, as browsers decide it.
 *
 * <p>Links are ASCII. In an encoding where an ASCII byte always is that ASCII character (UTF-8, the ISO 8859 and
 * Windows code pages, EUC), the body is read as ISO 8859-1, one character per byte: every byte, valid in the declared
 * encoding or not (binary data labelled text), comes out exactly as it went in. A body in any other encoding (UTF-16,
 * Shift_JIS, Big5, GBK, ISO-2022, whose multi-byte characters may hold ASCII bytes), or in one this class cannot tell,
 * is passed on untranslated, byte for byte: it is never decoded and encoded again, since re-encoding in an encoding the
 * page's own text chose (a {@code <meta>} the prescan misreads, a stateful ISO-2022 or a label browsers read otherwise)
 * could write quotes and angle brackets the page never had.
 */
final class BodyCharset {
    /** How much of an HTML body's start is searched for a {@code <meta>} charset (the HTML standard's prescan). */
    static final int PRESCAN = 1024;

    private static final Pattern META = Pattern.compile("<meta\\s[^>]*?charset\\s*=\\s*[\"']?\\s*([-\\w.:]+)", Pattern.CASE_INSENSITIVE);
    private static final Pattern CSS_CHARSET = Pattern.compile("^@charset \"([-\\w.:]+)\";");

    private BodyCharset() {
    }

    /** The {@code charset} parameter of a {@code Content-Type} value, when it names one this runtime knows. */
    static Optional<Charset> fromContentType(String contentType) {
        for (String param : contentType.split(";")) {
            int eq = param.indexOf('=');
            if (eq > 0 && param.substring(0, eq).strip().equalsIgnoreCase("charset")) {
                return named(param.substring(eq + 1).strip().replace("\"", ""));
            }
        }
        return Optional.empty();
    }

    /**
     * The encoding of a body that starts with {@code head[0, len)}: its byte order mark, else {@code declared} (the
     * header's), else UTF-16 when the start holds a NUL byte, else what the start of the document says, else UTF-8 for
     * CSS and windows-1252 for HTML (what browsers assume; read byte for byte like UTF-8).
     */
    static Charset decide(byte[] head, int len, Optional<Charset> declared, LinkTranslator.Kind kind) {
        if (len >= 3 && (head[0] & 0xff) == 0xef && (head[1] & 0xff) == 0xbb && (head[2] & 0xff) == 0xbf) {
            return StandardCharsets.UTF_8;
        }
        if (len >= 2 && (head[0] & 0xff) == 0xfe && (head[1] & 0xff) == 0xff) {
            return StandardCharsets.UTF_16BE;
        }
        if (len >= 2 && (head[0] & 0xff) == 0xff && (head[1] & 0xff) == 0xfe) {
            return StandardCharsets.UTF_16LE;
        }
        if (declared.isPresent()) {
            return declared.get();
        }
        for (int i = 0; i < len; i++) {
            if (head[i] == 0) {
                // A NUL byte: UTF-16 (or UTF-32) without a byte order mark, as a browser may read it untold (an XML
                // declaration's bytes 3C 00 3F 00; a script in the encoding of the page that loads it). Translated byte for
                // byte, a replacement of odd length would shift every later byte by one: text the app never escaped (CJK
                // characters) would come out as markup or code. Passed on untranslated (not ASCII-safe).
                return i % 2 == 0 ? StandardCharsets.UTF_16BE : StandardCharsets.UTF_16LE;
            }
        }
        if (kind == LinkTranslator.Kind.SCRIPT) {
            // JSON is UTF-8 (RFC 8259); a script without a charset is read so too.
            return StandardCharsets.UTF_8;
        }
        String start = new String(head, 0, Math.min(len, PRESCAN), StandardCharsets.ISO_8859_1);
        Matcher m = (kind == LinkTranslator.Kind.HTML ? META : CSS_CHARSET).matcher(start);
        Optional<Charset> found = m.find() ? named(m.group(1)) : Optional.empty();
        // A document that could be read as ASCII to find its declaration is not UTF-16 (the HTML standard says UTF-8).
        return found.map(cs -> cs.name().startsWith("UTF-16") ? StandardCharsets.UTF_8 : cs)
                .orElse(kind == LinkTranslator.Kind.CSS ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
    }

    /**
     * The encoding a body in {@code cs} is read and written in, byte for byte: ISO 8859-1 for every ASCII-safe encoding;
     * empty for any other, whose body is passed on untranslated.
     */
    static Optional<Charset> working(Charset cs) {
        String n = cs.name().toUpperCase(Locale.ROOT);
        boolean asciiSafe = n.equals("UTF-8") || n.equals("US-ASCII") || n.startsWith("ISO-8859-") || n.startsWith("WINDOWS-125")
                || n.startsWith("KOI8-") || n.equals("EUC-JP") || n.equals("EUC-KR") || n.equals("GB2312");
        return asciiSafe ? Optional.of(StandardCharsets.ISO_8859_1) : Optional.empty();
    }

    private static Optional<Charset> named(String name) {
        try {
            return Optional.of(Charset.forName(name));
        } catch (IllegalArgumentException e) {
            // An unknown or malformed name: as if none were given.
            return Optional.empty();
        }
    }
}
