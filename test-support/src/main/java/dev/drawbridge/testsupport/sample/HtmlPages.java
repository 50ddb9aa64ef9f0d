package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.net.URI;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The sample app's HTML endpoints: the home page ({@code GET /}), {@code GET /page2} and the form result
 * ({@code POST /form}).
 *
 * <p>Every link and form action is an <em>absolute internal</em> URL built from the request's scheme and its
 * {@code Host} header (see {@link SampleHandler#internalBase(Request)}), as a typical internal app written without a
 * proxy in mind would do; a proxy publishing the app has to cope with them.
 */
final class HtmlPages {

    /** The home page's title (and {@code <h1>}). */
    static final String TITLE = "Sample internal app";

    private HtmlPages() {
    }

    /**
     * {@code GET /}: who the app sees (the request's {@link SignInFacts}), links to every endpoint, a form posting to
     * {@code /form}, an upload form and a WebSocket test.
     */
    static void home(Request request, Response response, Callback callback) {
        home(request, response, callback, Map.of());
    }

    /** As above, with a section linking to {@code others} (other internal apps, by name) by their internal URLs. */
    static void home(Request request, Response response, Callback callback, Map<String, URI> others) {
        String base = escape(SampleHandler.internalBase(request));
        String body = """
                <h1>%2$s</h1>
                <p>This page is served by the internal app at <code>%1$s/</code>.
                All the links below are absolute internal URLs.</p>
                %3$s
                <h2>Endpoints</h2>
                <ul>
                  <li><a href="%1$s/">Home</a></li>
                  <li><a href="%1$s/page2">Page 2</a></li>
                  <li><a href="%1$s/echo/hello?x=1">Echo the request as JSON</a></li>
                  <li><a href="%1$s/headers">Request headers as JSON</a></li>
                  <li><a href="%1$s/download?size=1048576">Download 1 MiB</a>
                    (<a href="%1$s/download?size=1048576&amp;chunked=true">chunked</a>)</li>
                  <li><a href="%1$s/slow?ms=2000">Slow response (2 s)</a></li>
                  <li><a href="%1$s/sse?count=5&amp;intervalMs=200">Server-sent events</a></li>
                  <li><a href="%1$s/redirect">Redirect to page 2</a></li>
                  <li><a href="%1$s/cookie">Cookies</a></li>
                  <li><a href="%1$s/ws">WebSocket echo endpoint</a> (use the button below)</li>
                </ul>
                <h2>Form</h2>
                <form method="post" action="%1$s/form">
                  <input type="text" name="message" value="hello">
                  <button type="submit">Send</button>
                </form>
                <h2>Upload</h2>
                <form method="post" action="%1$s/upload" enctype="multipart/form-data">
                  <input type="file" name="file">
                  <button type="submit">Upload</button>
                </form>
                <h2>WebSocket</h2>
                <p><button type="button" id="ws-send">Send "hello" over a WebSocket</button>
                <span id="ws-result"></span></p>
                <script>
                document.getElementById('ws-send').onclick = function () {
                  var out = document.getElementById('ws-result');
                  var url = new URL('ws', location.href);
                  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
                  var ws = new WebSocket(url.href);
                  ws.onopen = function () { ws.send('hello'); };
                  ws.onmessage = function (e) { out.textContent = 'echoed: ' + e.data; ws.close(); };
                  ws.onerror = function () { out.textContent = 'WebSocket error'; };
                };
                </script>
                """.formatted(base, TITLE, whoTheAppSees(SignInFacts.of(request)) + otherApps(others));
        sendPage(response, callback, HttpStatus.OK_200, TITLE, body);
    }

    /** The "Other apps" section: a link to each, by its internal URL (which link translation makes external). */
    static String otherApps(Map<String, URI> others) {
        if (others.isEmpty()) {
            return "";
        }
        StringBuilder html = new StringBuilder("<h2>Other apps</h2>\n<p>Hard-coded internal URLs of other internal apps:</p>\n<ul>\n");
        others.forEach((name, url) -> html.append("  <li><a id=\"other-").append(escape(name.toLowerCase(Locale.ROOT))).append("\" href=\"")
                .append(escape(url.toString())).append("\">").append(escape(name)).append("</a> (<code>").append(escape(url.toString()))
                .append("</code>)</li>\n"));
        return html.append("</ul>\n").toString();
    }

    /** The "Who the app sees" section: one table row per sign-in fact, or a sentence saying there is none. */
    static String whoTheAppSees(List<SignInFacts.Fact> facts) {
        StringBuilder html = new StringBuilder("""
                <h2>Who the app sees</h2>
                """);
        if (facts.isEmpty()) {
            return html.append("""
                    <p id="who">No sign-in facts: this request carried no user header and no <code>Authorization</code>
                    (a passthrough app, or the app reached directly).</p>
                    """).toString();
        }
        html.append("""
                <p>The sign-in facts this request carried, as the app received them (each single sign-on method adds its own):</p>
                <table id="who">
                  <tr><th>Header</th><th>Value</th></tr>
                """);
        for (SignInFacts.Fact fact : facts) {
            html.append("  <tr><td><code>").append(escape(fact.name())).append("</code></td><td>").append(escape(fact.value()))
                    .append("</td></tr>\n");
        }
        return html.append("</table>\n").toString();
    }

    /** {@code GET /page2}: a second page linking back to the home page with absolute internal URLs. */
    static void page2(Request request, Response response, Callback callback) {
        String base = escape(SampleHandler.internalBase(request));
        String body = """
                <h1>Page 2</h1>
                <p>The second page of the sample internal app.</p>
                <ul>
                  <li><a href="%1$s/">Back to the home page</a></li>
                  <li><a href="%1$s/echo/from-page2">Echo the request as JSON</a></li>
                </ul>
                """.formatted(base);
        sendPage(response, callback, HttpStatus.OK_200, TITLE + " - page 2", body);
    }

    /** {@code POST /form}: reads the url-encoded {@code message} field and answers "You sent: message". */
    static void formResult(Request request, Response response, Callback callback) {
        Fields fields = FormFields.getFields(request);
        String message = fields == null ? null : fields.getValue("message");
        String base = escape(SampleHandler.internalBase(request));
        String body = """
                <h1>Form received</h1>
                <p id="result">You sent: %2$s</p>
                <p><a href="%1$s/">Back to the home page</a></p>
                """.formatted(base, escape(message == null ? "" : message));
        sendPage(response, callback, HttpStatus.OK_200, TITLE + " - form", body);
    }

    private static void sendPage(Response response, Callback callback, int status, String title, String body) {
        String page = """
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <title>%s</title>
                </head>
                <body>
                %s</body>
                </html>
                """.formatted(escape(title), body);
        SampleHandler.send(response, callback, status, SampleHandler.HTML, page);
    }

    /** Escapes text for HTML element content and double-quoted attribute values. */
    static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
