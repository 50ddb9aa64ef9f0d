package dev.drawbridge.proxy.web;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.drawbridge.model.api.Problem;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Responses the server writes itself: JSON bodies, RFC 9457 problem documents, and branded HTML
 * pages. Every one carries {@value #GENERATED_HEADER} so users and tests can tell them from an
 * internal app's answers.
 */
public final class Responses {
    public static final String GENERATED_HEADER = "X-Drawbridge-Generated";

    private Responses() {
    }

    public static void json(Response response, Callback callback, int status, Object body) {
        byte[] bytes;
        try {
            bytes = Json.MAPPER.writeValueAsBytes(body);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize response", e);
        }
        write(response, callback, status, "application/json", bytes);
    }

    public static void problem(Response response, Callback callback, int status, String title, String detail) {
        problem(response, callback, new Problem("about:blank", title, status, detail, List.of()));
    }

    public static void problem(Response response, Callback callback, Problem problem) {
        try {
            write(response, callback, problem.status(), "application/problem+json", Json.MAPPER.writeValueAsBytes(problem));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A readable HTML page for browsers: what happened, and what the user can do. */
    public static void page(Response response, Callback callback, int status, String title, String message) {
        page(response, callback, status, title, message, "", "");
    }

    /** A page with one action link under the message (e.g. "Request access"). */
    public static void page(Response response, Callback callback, int status, String title, String message, String actionUrl,
                            String actionLabel) {
        String action = actionUrl.isEmpty() ? "" : "<p><a id=\"action\" href=\"" + escape(actionUrl) + "\">" + escape(actionLabel) + "</a></p>";
        String html = """
                <!DOCTYPE html>
                <html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
                <title>%1$s · Drawbridge</title>
                <style>body{font-family:system-ui,sans-serif;margin:0;background:#f4f5f7;color:#1d2330}
                main{max-width:40rem;margin:4rem auto;background:#fff;padding:2rem 2.5rem;border-radius:8px;box-shadow:0 1px 4px #0002}
                h1{font-size:1.4rem;margin-top:0}.code{color:#6b7280;font-size:.9rem}</style></head>
                <body><main><p class="code">Drawbridge · %2$d</p><h1>%1$s</h1><p>%3$s</p>%4$s</main></body></html>
                """.formatted(escape(title), status, escape(message), action);
        write(response, callback, status, "text/html;charset=utf-8", html.getBytes(StandardCharsets.UTF_8));
    }

    public static void write(Response response, Callback callback, int status, String contentType, byte[] body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        response.getHeaders().put(GENERATED_HEADER, "true");
        response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    public static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
