package dev.drawbridge.proxy.apps;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A request path read two ways: <b>raw</b>, exactly as the client sent it (what is forwarded, byte
 * for byte), and <b>normalised</b>, as the most lenient common backend would understand it. Routing
 * decides on both ({@link RouteTable#route}); a path whose two readings belong to different apps is
 * refused, so no request reaches a backend under a path that another app owns.
 *
 * <p>Normalisation, in order, with the backends that motivate each step:
 * <ol>
 *   <li><b>Percent-decoding, repeated until nothing changes</b> (at most {@value #MAX_DECODING_ROUNDS}
 *       rounds, else refused): every {@code %XX}, reserved or not, so {@code %68r} is {@code hr}
 *       (all of them), {@code %2F}/{@code %5C} are separators (nginx, Apache with
 *       {@code AllowEncodedSlashes}, WSGI, static file servers) and {@code %2568r} is {@code hr}
 *       (servers or chained proxies that decode twice; IIS's {@code allowDoubleEscaping}). Decoding
 *       more than any backend does only ever adds refusals, never routes a request elsewhere.</li>
 *   <li><b>Strict UTF-8</b>: overlong forms ({@code %C0%AF}), surrogates and malformed sequences are
 *       refused, as are NUL and every other control character (C0, DEL, C1) once decoded.</li>
 *   <li><b>Unicode compatibility forms are folded (NFKC) after each decoding round</b>, before the path
 *       is split: {@code ／} and {@code ＼} are separators, {@code ；} starts a parameter, {@code ．．} and
 *       {@code ‥} are dot segments, {@code ｈｒ} is {@code hr} (backends and frameworks that normalise
 *       Unicode, and Windows' best-fit conversion to ANSI code pages, read them so).</li>
 *   <li><b>Backslash is a separator</b> (IIS, ASP.NET, anything on Windows).</li>
 *   <li><b>{@code ;} path parameters are dropped from each segment</b> (Tomcat, Jetty, Spring:
 *       {@code /hr;x/} is {@code /hr/}, {@code /x/..;/hr/} is {@code /x/../hr/}).</li>
 *   <li><b>Dot segments are refused</b>: a segment made only of dots and spaces ({@code .},
 *       {@code ..}, {@code ...}, {@code ..;x}), which backends resolve to a parent or the same folder.</li>
 *   <li><b>Trailing dots and spaces of a segment are dropped</b> (Windows: {@code hr.} and
 *       {@code hr%20} name the folder {@code hr}).</li>
 *   <li><b>Empty segments are dropped</b>: repeated slashes collapse (nginx {@code merge_slashes},
 *       Apache {@code MergeSlashes}, most frameworks).</li>
 * </ol>
 * A third reading, {@link #truncatedSegments}, ends the normalised path at a decoded {@code ?} or {@code #}.
 * Letter case and Windows 8.3 short names are not normalised here: they are how an app's prefix may be
 * <em>matched</em> ({@link PathPrefix}).
 */
public final class RequestPath {
    static final int MAX_DECODING_ROUNDS = 4;

    private final String raw;
    private final List<String> rawSegments;
    private final List<String> segments;
    private final List<String> truncatedSegments;

    private RequestPath(String raw, List<String> rawSegments, List<String> segments, List<String> truncatedSegments) {
        this.raw = raw;
        this.rawSegments = List.copyOf(rawSegments);
        this.segments = List.copyOf(segments);
        this.truncatedSegments = List.copyOf(truncatedSegments);
    }

    /** A path that cannot be read safely; {@code reason} is a sentence for the client. */
    public static final class BadPathException extends Exception {
        public BadPathException(String reason) {
            super(reason);
        }
    }

    /** Reads a raw request path (origin form, starting with "/"; empty means "/"; none, as in CONNECT, is refused). */
    public static RequestPath parse(String raw) throws BadPathException {
        String r = raw != null && raw.isEmpty() ? "/" : raw;
        if (r == null || !r.startsWith("/")) {
            throw new BadPathException("The request path must start with '/'.");
        }
        List<String> rawSegments = Arrays.asList(r.substring(1).split("/", -1));
        String decoded = decodeFully(r);
        List<String> segments = segmentsOf(decoded);
        int end = endOfTruncatedPath(decoded);
        return new RequestPath(r, rawSegments, segments, end < 0 ? segments : segmentsOf(decoded.substring(0, end)));
    }

    /** The segments of a decoded path: backslashes as separators, parameters and trailing dots dropped, dot segments refused. */
    private static List<String> segmentsOf(String decoded) throws BadPathException {
        List<String> segments = new ArrayList<>();
        for (String s : decoded.replace('\\', '/').split("/", -1)) {
            int semicolon = s.indexOf(';');
            String name = semicolon < 0 ? s : s.substring(0, semicolon);
            if (!name.isEmpty() && name.chars().allMatch(c -> c == '.' || c == ' ')) {
                throw new BadPathException("The path contains '.' or '..' segments, which are not allowed.");
            }
            name = stripTrailingDotsAndSpaces(name);
            if (!name.isEmpty()) {
                segments.add(name);
            }
        }
        return segments;
    }

    private static int endOfTruncatedPath(String decoded) {
        int q = decoded.indexOf('?');
        int h = decoded.indexOf('#');
        return q < 0 ? h : h < 0 ? q : Math.min(q, h);
    }

    /** The path as the client sent it. */
    public String raw() {
        return raw;
    }

    /** The raw path split on "/" (after the leading one), nothing decoded, empty segments kept. */
    public List<String> rawSegments() {
        return rawSegments;
    }

    /** The normalised path's segments: decoded, no parameters, no empty or dot segments. */
    public List<String> segments() {
        return segments;
    }

    /**
     * The normalised path's segments up to the first decoded {@code ?} or {@code #} ({@code %3F}, {@code %23}, or their
     * compatibility forms), which a backend that decodes and then reads the URL again takes for the end of the path
     * (Apache httpd's mod_rewrite substitutions, proxies that decode before forwarding); the same as {@link #segments}
     * when there is none.
     */
    public List<String> truncatedSegments() {
        return truncatedSegments;
    }

    /** The normalised path, e.g. "/hr/salaries" (no trailing slash). */
    public String normalised() {
        return "/" + String.join("/", segments);
    }

    @Override
    public String toString() {
        return raw + " (" + normalised() + ")";
    }

    private static String decodeFully(String raw) throws BadPathException {
        String current = raw;
        for (int round = 0; round <= MAX_DECODING_ROUNDS; round++) {
            // NFKC may make path syntax ('／' is '/', '．．' is '..', '％' is '%'): fold before judging or splitting.
            String next = Normalizer.normalize(decodeOnce(current), Normalizer.Form.NFKC);
            if (next.equals(current)) {
                return current;
            }
            current = next;
        }
        throw new BadPathException("The path is percent-encoded more than " + MAX_DECODING_ROUNDS + " times over.");
    }

    /** One round of percent-decoding into strict UTF-8; '%' not followed by two hex digits stays as it is. */
    private static String decodeOnce(String s) throws BadPathException {
        if (s.indexOf('%') < 0) {
            checkCharacters(s);
            return s;
        }
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(in.length);
        for (int i = 0; i < in.length; i++) {
            int hi = i + 2 < in.length ? Character.digit(in[i + 1], 16) : -1;
            int lo = i + 2 < in.length ? Character.digit(in[i + 2], 16) : -1;
            if (in[i] == '%' && hi >= 0 && lo >= 0) {
                out.write(hi * 16 + lo);
                i += 2;
            } else {
                out.write(in[i]);
            }
        }
        String decoded;
        try {
            decoded = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            throw new BadPathException("The path is not valid UTF-8 once decoded (overlong or malformed percent-encoding).");
        }
        checkCharacters(decoded);
        return decoded;
    }

    private static void checkCharacters(String s) throws BadPathException {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) {
                throw new BadPathException("The path contains a control character (such as %00), which is not allowed.");
            }
        }
    }

    private static String stripTrailingDotsAndSpaces(String s) {
        int end = s.length();
        while (end > 0 && (s.charAt(end - 1) == '.' || s.charAt(end - 1) == ' ')) {
            end--;
        }
        return s.substring(0, end);
    }
}
