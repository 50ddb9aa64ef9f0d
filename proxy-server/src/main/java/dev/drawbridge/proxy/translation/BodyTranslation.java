package dev.drawbridge.proxy.translation;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.proxy.apps.PublishedApp;
import org.brotli.dec.BrotliInputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PushbackInputStream;
import java.io.Writer;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.zip.GZIPInputStream;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * One response body whose links are translated: an HTML or CSS body ({@code text/html}, {@code application/xhtml+xml},
 * {@code text/css}), and for an app that asked for it a JavaScript or JSON one ({@code application/javascript},
 * {@code text/javascript}, {@code application/json}, {@code …+json}), plain or compressed with gzip or deflate, which is decompressed, translated by a
 * {@link LinkTranslator} in the body's encoding ({@link BodyCharset}) and sent on uncompressed. It streams: each piece
 * read from the app is written out (and flushed) before the next is read, and only a few kilobytes are held at any
 * time (one buffer, the translator's lookahead). A body whose header names no charset is held until its first
 * {@link BodyCharset#PRESCAN} bytes are in (or it ends), to find a {@code <meta>} charset, as browsers do, or the NUL
 * bytes of UTF-16 without a byte order mark (passed on untranslated).
 * Any other body, and one in an encoding Drawbridge cannot decompress ({@code br}, {@code zstd}, several codings), is
 * not translated ({@link #of} is empty).
 */
public final class BodyTranslation {
    private static final int BUFFER = 8192;
    /**
     * What the windows of the brotli bodies decoded at once may add up to ({@link BrotliWindows}): eight of the largest
     * (16 MiB), 32 of brotli's usual 4 MiB.
     */
    static final long BROTLI_BUDGET = 128L << 20;
    /** How long a brotli body waits for room in {@link #BROTLI_BUDGET} before it is refused. */
    static final Duration BROTLI_WAIT = Duration.ofSeconds(2);
    private static final BrotliWindows BROTLI_WINDOWS = new BrotliWindows(BROTLI_BUDGET, BROTLI_WAIT);
    /** How the body is compressed. */
    private enum Coding { IDENTITY, GZIP, DEFLATE, BROTLI }

    private final LinkTranslator.Kind kind;
    private final Coding coding;
    private final Optional<Charset> declared;
    private final boolean scripts;
    private final boolean gzipOut;

    private BodyTranslation(LinkTranslator.Kind kind, Coding coding, Optional<Charset> declared, boolean scripts, boolean gzipOut) {
        this.kind = kind;
        this.coding = coding;
        this.declared = declared;
        this.scripts = scripts;
        this.gzipOut = gzipOut;
    }

    /**
     * This translation for a client whose {@code Accept-Encoding} is {@code clientAcceptEncoding}: a body the app sent
     * compressed is sent on compressed again with gzip when the client takes gzip, else uncompressed.
     */
    public BodyTranslation forClient(String clientAcceptEncoding) {
        boolean gzip = coding != Coding.IDENTITY && acceptsGzip(clientAcceptEncoding);
        return new BodyTranslation(kind, coding, declared, scripts, gzip);
    }

    /** Whether the translated body is sent compressed with gzip. */
    public boolean gzipped() {
        return gzipOut;
    }

    /** Whether an {@code Accept-Encoding} value takes gzip: {@code gzip} or {@code x-gzip}, else {@code *}, with a q above 0. */
    static boolean acceptsGzip(String acceptEncoding) {
        Boolean gzip = null;
        boolean any = false;
        for (String item : acceptEncoding.split(",")) {
            String[] parts = item.split(";");
            String coding = parts[0].strip().toLowerCase(Locale.ROOT);
            boolean wanted = true;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].strip().toLowerCase(Locale.ROOT);
                if (p.startsWith("q=")) {
                    wanted = !p.substring(2).strip().matches("0(\\.0*)?");
                }
            }
            if (coding.equals("gzip") || coding.equals("x-gzip")) {
                gzip = gzip == null ? wanted : gzip || wanted;
            } else if (coding.equals("*")) {
                any = wanted;
            }
        }
        return gzip != null ? gzip : any;
    }

    /** A body that cannot be read: its compression is broken. */
    public static final class UnreadableBodyException extends IOException {
        UnreadableBodyException(IOException cause) {
            super("the app's response body cannot be decompressed: " + cause.getMessage(), cause);
        }
    }

    /** The translation of a body with these response headers, or empty when the body is not one to translate. */
    public static Optional<BodyTranslation> of(List<HeaderField> headers) {
        return of(headers, false);
    }

    /**
     * As above; with {@code scripts}, JavaScript and JSON bodies are translated too ({@link LinkTranslator.Kind#SCRIPT}),
     * and the inline scripts of HTML ones.
     */
    public static Optional<BodyTranslation> of(List<HeaderField> headers, boolean scripts) {
        String type = null;
        String encoding = null;
        for (HeaderField h : headers) {
            if (h.name().equalsIgnoreCase("content-type")) {
                type = type == null ? h.value() : type;
            } else if (h.name().equalsIgnoreCase("content-encoding")) {
                encoding = encoding == null ? h.value() : encoding + "," + h.value();
            }
        }
        if (type == null) {
            return Optional.empty();
        }
        String media = type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        LinkTranslator.Kind kind = switch (media) {
            case "text/html", "application/xhtml+xml" -> LinkTranslator.Kind.HTML;
            case "text/css" -> LinkTranslator.Kind.CSS;
            case "application/javascript", "text/javascript", "application/x-javascript", "application/ecmascript", "text/ecmascript",
                 "application/json", "text/json" -> scripts ? LinkTranslator.Kind.SCRIPT : null;
            default -> scripts && media.endsWith("+json") ? LinkTranslator.Kind.SCRIPT : null;
        };
        Optional<Coding> coding = coding(encoding);
        if (kind == null || coding.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new BodyTranslation(kind, coding.get(), BodyCharset.fromContentType(type), scripts, false));
    }

    /**
     * What an app that translates links is asked for in {@code Accept-Encoding}: of the client's value, only the codings
     * Drawbridge can decompress (so an HTML or CSS answer is not sent in one it cannot read, and passed on
     * untranslated), {@code identity} when none is left.
     */
    public static String acceptEncoding(String clientValue) {
        StringBuilder b = new StringBuilder();
        for (String item : clientValue.split(",")) {
            String coding = item.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
            if (coding.equals("gzip") || coding.equals("x-gzip") || coding.equals("deflate") || coding.equals("br") || coding.equals("identity")) {
                b.append(b.isEmpty() ? "" : ", ").append(item.strip());
            }
        }
        return b.isEmpty() ? "identity" : b.toString();
    }

    private static Optional<Coding> coding(String encoding) {
        if (encoding == null || encoding.isBlank()) {
            return Optional.of(Coding.IDENTITY);
        }
        return switch (encoding.strip().toLowerCase(Locale.ROOT)) {
            case "identity" -> Optional.of(Coding.IDENTITY);
            case "gzip", "x-gzip" -> Optional.of(Coding.GZIP);
            case "deflate" -> Optional.of(Coding.DEFLATE);
            case "br" -> Optional.of(Coding.BROTLI);
            default -> Optional.empty();
        };
    }

    /**
     * The response headers for the translated body: its length and compression are gone ({@code Content-Length},
     * {@code Content-Encoding}, digests of the representation), it cannot be served in ranges ({@code Accept-Ranges}),
     * and the {@code ETag} names the page translated with {@code map} ({@link TranslatedEtag#sent}). Without an
     * {@code ETag}, {@code Last-Modified} goes too: a date cannot name the link map, so a copy revalidated by
     * {@code If-Modified-Since} (or kept fresh by a cache's heuristic from that date) would keep links to where apps
     * used to be, and an {@code If-Range} by that date would match a translated copy.
     */
    public List<HeaderField> headers(List<HeaderField> headers, LinkMap map) {
        List<HeaderField> out = new ArrayList<>(headers.size());
        boolean varies = false;
        boolean tagged = headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("etag"));
        for (HeaderField h : headers) {
            String n = h.name().toLowerCase(Locale.ROOT);
            switch (n) {
                case "content-length", "accept-ranges", "content-md5", "digest", "content-digest", "repr-digest" -> {
                }
                case "content-encoding" -> {
                    if (coding == Coding.IDENTITY) {
                        out.add(h);
                    }
                }
                case "etag" -> out.add(new HeaderField(h.name(), TranslatedEtag.sent(h.value(), map)));
                case "last-modified" -> {
                    if (tagged) {
                        out.add(h);
                    }
                }
                case "vary" -> {
                    String v = h.value().toLowerCase(Locale.ROOT);
                    varies |= v.contains("accept-encoding") || v.strip().equals("*");
                    out.add(h);
                }
                default -> out.add(h);
            }
        }
        if (gzipOut) {
            out.add(new HeaderField("Content-Encoding", "gzip"));
        }
        if (coding != Coding.IDENTITY && !varies) {
            // Compressed again or not as the client's Accept-Encoding says.
            out.add(new HeaderField("Vary", "Accept-Encoding"));
        }
        return out;
    }

    /**
     * Reads the body from {@code in} to its end and writes it, translated by {@code map}, to {@code out}, flushing after
     * each piece. A failure to read or decompress the body is an {@link UnreadableBodyException} (or the
     * {@link StreamResetException} of the tunnel stream); any other {@link IOException} is {@code out}'s.
     *
     * @param page the app that answered
     */
    public void relay(InputStream in, OutputStream out, LinkMap map, PublishedApp page) throws IOException {
        Inflater inflater = null;
        BrotliWindows.Lease window = null;
        InputStream body = in;
        BodyStreams.Recompressed gzip = gzipOut ? new BodyStreams.Recompressed(out) : null;
        boolean done = false;
        try {
            BodyStreams.Counted compressed = new BodyStreams.Counted(new BodyStreams.Unclosed(in));
            PushbackInputStream p = new PushbackInputStream(compressed, 2);
            byte[] start = new byte[2];
            int n = coding == Coding.IDENTITY ? 0 : fill(p, start, 2);
            if (n > 0) {
                p.unread(start, 0, n);
            }
            // An empty body is empty in any coding (browsers read it so).
            if (n > 0 && coding == Coding.GZIP) {
                body = read(() -> new GZIPInputStream(p, BUFFER));
            } else if (n > 0 && coding == Coding.DEFLATE) {
                inflater = new Inflater(!zlibHeader(start, n));
                body = new InflaterInputStream(p, inflater, BUFFER);
            } else if (n > 0 && coding == Coding.BROTLI) {
                window = read(() -> BROTLI_WINDOWS.take(BrotliWindows.window(start[0] & 0xff)));
                body = read(() -> new BrotliInputStream(p));
            } else if (n < 0) {
                body = InputStream.nullInputStream();
            }
            InputStream decompressed = body == in ? in : new BodyStreams.BombLimit(body, compressed, BodyStreams.BOMB_RATIO, BodyStreams.BOMB_FLOOR);
            pump(decompressed, gzip == null ? out : gzip.stream(), map, page.id(), page.internalUrl().getScheme());
            // What follows a compressed body's end (trailing bytes) is read and dropped, so the stream ends as it should.
            read(() -> in.transferTo(OutputStream.nullOutputStream()));
            if (gzip != null) {
                gzip.finish();
            }
            done = true;
        } finally {
            if (window != null) {
                // The decoder's buffer goes with the body (heap memory): its room in the budget is given back.
                window.close();
            }
            if (gzip != null && !done) {
                gzip.abandon();
            }
            if (body != in) {
                // Ends the decompressor's native memory; the tunnel's stream itself stays open (Unclosed).
                body.close();
            }
            if (inflater != null) {
                inflater.end();
            }
        }
    }

    private void pump(InputStream body, OutputStream out, LinkMap map, String pageApp, String pageScheme) throws IOException {
        byte[] bytes = new byte[BUFFER];
        // A body whose header names no charset waits for its first bytes, to find a <meta> charset (HTML) or the NUL bytes
        // of UTF-16 without a byte order mark in them (BodyCharset.decide).
        int n = declared.isEmpty() ? fill(body, bytes, BodyCharset.PRESCAN) : read(() -> body.read(bytes));
        Optional<Charset> asciiSafe = BodyCharset.working(BodyCharset.decide(bytes, Math.max(n, 0), declared, kind));
        if (asciiSafe.isEmpty()) {
            // Not an encoding whose ASCII bytes are always ASCII: passed on as it came (see BodyCharset).
            while (n >= 0) {
                out.write(bytes, 0, n);
                n = read(() -> body.read(bytes));
            }
            return;
        }
        Charset working = asciiSafe.get();
        Writer writer = new OutputStreamWriter(out, working);
        LinkTranslator translator = new LinkTranslator(kind, map, pageApp, pageScheme, writer, scripts);
        CharsetDecoder decoder = working.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                .onUnmappableCharacter(CodingErrorAction.REPLACE);
        ByteBuffer pending = ByteBuffer.allocate(2 * BUFFER);
        CharBuffer chars = CharBuffer.allocate(BUFFER);
        while (n >= 0) {
            pending.put(bytes, 0, n);
            decode(decoder, pending, chars, translator, false);
            writer.flush();
            n = read(() -> body.read(bytes));
        }
        decode(decoder, pending, chars, translator, true);
        translator.finish();
        writer.flush();
    }

    private static void decode(CharsetDecoder decoder, ByteBuffer pending, CharBuffer chars, LinkTranslator translator, boolean last)
            throws IOException {
        pending.flip();
        CoderResult r;
        do {
            r = decoder.decode(pending, chars, last);
            if (last && r.isUnderflow()) {
                r = decoder.flush(chars);
            }
            chars.flip();
            translator.write(chars.array(), chars.arrayOffset() + chars.position(), chars.remaining());
            chars.clear();
        } while (r.isOverflow());
        // An incomplete character stays for the next piece (a few bytes at most).
        pending.compact();
    }

    /** Reads until {@code want} bytes or the end; -1 for an empty body. */
    private static int fill(InputStream body, byte[] bytes, int want) throws IOException {
        int n = 0;
        while (n < want) {
            int off = n;
            int r = read(() -> body.read(bytes, off, want - off));
            if (r < 0) {
                return n == 0 ? -1 : n;
            }
            n += r;
        }
        return n;
    }

    /** Whether a deflate body starts with a zlib header (as the standard says) rather than raw deflate (as some apps send). */
    private static boolean zlibHeader(byte[] start, int n) {
        return n == 2 && (start[0] & 0x0f) == 8 && (((start[0] & 0xff) << 8) | (start[1] & 0xff)) % 31 == 0;
    }

    private interface Read<T> {
        T get() throws IOException;
    }

    /** A read of the body: its failures are the app's ({@link UnreadableBodyException}), a reset stays a reset. */
    private static <T> T read(Read<T> read) throws IOException {
        try {
            return read.get();
        } catch (StreamResetException | UnreadableBodyException e) {
            throw e;
        } catch (IOException e) {
            throw new UnreadableBodyException(e);
        }
    }
}
