package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.VirtualThreadPool;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

/**
 * One internal app of the link translation example (Entra's Benefits, Expenses, Travel and Feedback, each one of these
 * on its own loopback port): pages with hard-coded absolute links to itself and to the other apps, in every form a
 * page holds them. Paths:
 * <ul>
 *   <li>{@code /}: the page: for each app linked, {@code <a id="to-NAME" href="ABSOLUTE/page">}, an image by a
 *       scheme-relative URL, a {@code srcset}, an inline {@code style}, a {@code <style>} with {@code @import}, and a
 *       link to {@code /style.css}; {@code /gzip}, {@code /deflate} and {@code /br} are the same page compressed;</li>
 *   <li>{@code /page}: "This is NAME" (where the links land);</li>
 *   <li>{@code /style.css}: {@code url()} and {@code @import} of every app linked;</li>
 *   <li>{@code /app.js} (gzip), {@code /data.json}, {@code /scripted}: the links in a script's string literals and
 *       comments, in JSON with escaped slashes, and a page whose inline script sets its links' targets;</li>
 *   <li>{@code /latin1}: the page in ISO-8859-1, with "Café";</li>
 *   <li>{@code /refresh}: a {@code meta refresh} to the first app linked;</li>
 *   <li>{@code /split}: the page cut in the middle of a link: the first part is flushed, and the rest is written only
 *       once {@link #releaseSplit()} is called (so the cut surely lies between two network reads);</li>
 *   <li>{@code /logo.png}: bytes holding a link, labelled {@code image/png} (never translated);</li>
 *   <li>{@code /big?lines=N}: N times {@link #bigLine()}, streamed (for memory tests).</li>
 * </ul>
 */
public final class LinkedApp implements AutoCloseable {
    private final String name;
    private final Server server;
    private final ServerConnector connector;
    private volatile Map<String, URI> links = Map.of();
    private final CountDownLatch split = new CountDownLatch(1);
    private volatile String lastAcceptEncoding = "";

    private LinkedApp(String name) {
        this.name = name;
        server = new Server(new VirtualThreadPool());
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Pages());
    }

    /** Starts the app named {@code name} on an ephemeral loopback port. */
    public static LinkedApp start(String name) throws Exception {
        LinkedApp app = new LinkedApp(name);
        app.server.start();
        return app;
    }

    /** {@code http://127.0.0.1:<port>/}. */
    public URI baseUri() {
        return URI.create("http://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    /** The apps its pages link to, by name (their internal base URLs), in this order. */
    public void linkTo(Map<String, URI> apps) {
        this.links = new LinkedHashMap<>(apps);
    }

    /** Lets {@code /split} write the rest of its page. */
    public void releaseSplit() {
        split.countDown();
    }

    /** The {@code Accept-Encoding} of the last request (empty when none). */
    public String lastAcceptEncoding() {
        return lastAcceptEncoding;
    }

    /** The page {@code /} (its first part, to the middle of the first link, is {@link #splitHead}). */
    public String page() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html><head><title>").append(name).append("</title>\n<style>\n");
        links.forEach((n, u) -> b.append("@import \"").append(u).append("print.css\";\n"));
        b.append("</style><link rel=stylesheet href=\"").append(baseUri()).append("style.css\"></head><body>\n<h1>").append(name)
                .append("</h1>\n");
        links.forEach((n, u) -> b.append("<p><a id=\"to-").append(n).append("\" href=\"").append(u).append("page\">").append(n)
                .append("</a>\n<img alt=\"\" src=\"//").append(u.getRawAuthority()).append(u.getRawPath()).append("logo.png\" srcset=\"")
                .append(u).append("logo.png 1x, ").append(u).append("logo@2.png 2x\">\n<span style=\"background:url('").append(u)
                .append("bg.png')\">").append(n).append("</span></p>\n"));
        return b.append("</body></html>\n").toString();
    }

    /** What {@code /split} sends before it waits: the page up to the middle of its first link's host. */
    public String splitHead() {
        String page = page();
        int at = page.indexOf("<a id=");
        int host = page.indexOf("://", at) + 5;
        return page.substring(0, host);
    }

    /** One line of {@code /big}: a link to this app and one to nowhere published. */
    public String bigLine() {
        return "<p><a href=\"" + baseUri() + "x\">x</a> <a href='http://feedback.invalid/'>f</a></p>\n";
    }

    /**
     * The script {@code /app.js}: for each app linked, its page's URL in a string literal (named {@code NAME}) and in a
     * comment; and a lookalike that is code.
     */
    public String script() {
        StringBuilder b = new StringBuilder("var links = {};\n");
        links.forEach((n, u) -> b.append("links['").append(n).append("'] = \"").append(u).append("page\"; // ").append(u).append("page\n"));
        return b.append("var page = 1 /2; var host = {page: page};\n").toString();
    }

    /** The JSON of {@code /data.json}: each app linked, its page's URL with slashes escaped, as JSON writers do. */
    public String json() {
        StringBuilder b = new StringBuilder("{");
        links.forEach((n, u) -> b.append(b.length() > 1 ? "," : "").append('"').append(n).append("\":\"")
                .append((u + "page").replace("/", "\\/")).append('"'));
        return b.append("}").toString();
    }

    /** The page {@code /scripted}: the script inline, then a link to each app's {@code /page} set by script. */
    public String scriptedPage() {
        StringBuilder b = new StringBuilder("<!DOCTYPE html><html><head><title>").append(name).append("</title></head><body>\n<h1>")
                .append(name).append("</h1>\n");
        links.forEach((n, u) -> b.append("<p><a id=\"script-to-").append(n).append("\">").append(n).append("</a></p>\n"));
        b.append("<script>\n").append(script());
        b.append("for (var n in links) { document.getElementById('script-to-' + n).href = links[n]; }\n</script></body></html>\n");
        return b.toString();
    }

    private String css() {
        StringBuilder b = new StringBuilder();
        links.forEach((n, u) -> b.append("@import url(").append(u).append("theme.css);\n.").append(n.toLowerCase())
                .append(" { background: url(\"").append(u).append("bg.png\") }\n"));
        return b.toString();
    }

    private final class Pages extends Handler.Abstract {
        @Override
        public boolean handle(Request request, Response response, Callback callback) throws IOException {
            String accept = request.getHeaders().get(HttpHeader.ACCEPT_ENCODING);
            lastAcceptEncoding = accept == null ? "" : accept;
            String path = Request.getPathInContext(request);
            String html = "text/html; charset=utf-8";
            switch (path) {
                case "/", "/index.html" -> send(response, callback, html, page().getBytes(StandardCharsets.UTF_8), null);
                case "/gzip" -> send(response, callback, html, compress(page(), true), "gzip");
                case "/deflate" -> send(response, callback, html, compress(page(), false), "deflate");
                case "/br" -> send(response, callback, html, brotli(page().getBytes(StandardCharsets.UTF_8)), "br");
                case "/page" -> send(response, callback, html, ("<p>This is " + name + "</p>").getBytes(StandardCharsets.UTF_8), null);
                case "/style.css" -> send(response, callback, "text/css", css().getBytes(StandardCharsets.UTF_8), null);
                case "/app.js" -> send(response, callback, "text/javascript", compress(script(), true), "gzip");
                case "/data.json" -> send(response, callback, "application/json", json().getBytes(StandardCharsets.UTF_8), null);
                case "/scripted" -> send(response, callback, html, scriptedPage().getBytes(StandardCharsets.UTF_8), null);
                case "/latin1" -> send(response, callback, "text/html; charset=ISO-8859-1",
                        ("<p>Caf\u00e9</p>" + page()).getBytes(Charset.forName("ISO-8859-1")), null);
                case "/refresh" -> send(response, callback, html, ("<meta http-equiv=\"refresh\" content=\"0; url="
                        + links.values().iterator().next() + "page\">").getBytes(StandardCharsets.UTF_8), null);
                case "/split" -> split(response, callback);
                case "/big" -> big(response, callback, Long.parseLong(Request.extractQueryParameters(request).getValue("lines")));
                case "/logo.png" -> send(response, callback, "image/png", ("PNG " + links.values().iterator().next())
                        .getBytes(StandardCharsets.US_ASCII), null);
                default -> Response.writeError(request, response, callback, 404);
            }
            return true;
        }

        private void split(Response response, Callback callback) throws IOException {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            String head = splitHead();
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                out.write(head.getBytes(StandardCharsets.UTF_8));
                out.flush();
                if (!split.await(30, TimeUnit.SECONDS)) {
                    throw new IOException("the test never released the rest of the page");
                }
                out.write(page().substring(head.length()).getBytes(StandardCharsets.UTF_8));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException(e);
            }
            callback.succeeded();
        }

        private void big(Response response, Callback callback, long lines) throws IOException {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/html; charset=utf-8");
            byte[] line = bigLine().getBytes(StandardCharsets.UTF_8);
            byte[] chunk = new byte[line.length * 512];
            for (int i = 0; i < 512; i++) {
                System.arraycopy(line, 0, chunk, i * line.length, line.length);
            }
            try (OutputStream out = Content.Sink.asOutputStream(response)) {
                long left = lines;
                while (left > 0) {
                    int n = (int) Math.min(512, left);
                    out.write(chunk, 0, n * line.length);
                    left -= n;
                }
            }
            callback.succeeded();
        }

        private static void send(Response response, Callback callback, String type, byte[] body, String coding) {
            response.getHeaders().put(HttpHeader.CONTENT_TYPE, type);
            if (coding != null) {
                response.getHeaders().put(HttpHeader.CONTENT_ENCODING, coding);
            }
            response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
            response.write(true, ByteBuffer.wrap(body), callback);
        }
    }

    private static byte[] compress(String text, boolean gzip) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream out = gzip ? new GZIPOutputStream(bytes) : new DeflaterOutputStream(bytes)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return bytes.toByteArray();
    }

    /**
     * {@code data} as a brotli stream of uncompressed meta-blocks (RFC 7932 §9.2): valid brotli any decoder reads, written
     * without an encoder (none is on the classpath; proxy-server's BrotliAndRecompressionTest writes its own alike).
     */
    static byte[] brotli(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        // WBITS 16 (one 0 bit); each meta-block: ISLAST 0, MNIBBLES 4 (00), MLEN-1 in 16 bits, ISUNCOMPRESSED 1, then
        // byte-aligned data; the end: ISLAST 1, ISLASTEMPTY 1. Bits are packed from the least significant one.
        long bits = 0;
        int n = 1;
        for (int off = 0; off < data.length; off += 65536) {
            int len = Math.min(65536, data.length - off);
            bits |= ((long) (len - 1) << (n + 3)) | (1L << (n + 19));
            n += 20;
            while (n > 0) {
                out.write((int) (bits & 0xff));
                bits >>>= 8;
                n -= 8;
            }
            bits = 0;
            n = 0;
            out.write(data, off, len);
        }
        out.write(n == 1 ? 0b110 : 0b11);
        return out.toByteArray();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    /** Runs the four apps of the example until stopped, printing where each one is. */
    public static void main(String[] args) throws Exception {
        Map<String, LinkedApp> apps = new LinkedHashMap<>();
        for (String n : new String[]{"Benefits", "Expenses", "Travel", "Feedback"}) {
            apps.put(n, start(n));
        }
        Map<String, URI> bases = new LinkedHashMap<>();
        apps.forEach((n, a) -> bases.put(n, a.baseUri()));
        apps.forEach((n, a) -> {
            a.linkTo(bases);
            System.out.println(n + ": " + a.baseUri());
        });
        Thread.currentThread().join();
    }
}
