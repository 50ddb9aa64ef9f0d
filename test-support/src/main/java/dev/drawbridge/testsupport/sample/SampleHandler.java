package dev.drawbridge.testsupport.sample;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The sample app's request router, plus the small endpoints ({@code /redirect}, {@code /cookie}, {@code /slow},
 * the plain-GET answer of {@code /ws}, and the 404). It is a blocking handler: with the server's
 * {@code VirtualThreadPool} every request runs on its own virtual thread, so endpoints may block on I/O and sleep.
 *
 * <p>Also holds the helpers shared by {@link HtmlPages}, {@link EchoJson} and {@link StreamingEndpoints}.
 */
final class SampleHandler extends Handler.Abstract {

    static final String TEXT = "text/plain; charset=utf-8";
    static final String HTML = "text/html; charset=utf-8";
    static final String JSON = "application/json";

    /** Longest wait {@code /slow} accepts, so a typo cannot park a request for days. */
    private static final long MAX_SLOW_MS = 10 * 60 * 1000L;

    /** Other internal apps the home page links to, by name. */
    private volatile Map<String, URI> others = Map.of();

    SampleHandler() {
        super(InvocationType.BLOCKING);
    }

    void linkTo(Map<String, URI> apps) {
        this.others = new LinkedHashMap<>(apps);
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) {
        try {
            route(request, response, callback);
        } catch (Throwable failure) {
            callback.failed(failure);
        }
        return true;
    }

    private void route(Request request, Response response, Callback callback) throws Exception {
        // Jetty's canonical path is normalized (dot segments resolved) but still percent-encoded. The echo
        // endpoints also match on the raw path, so "/echo/%2e%2e/x" or "/echo/../x" is echoed as it arrived.
        String rawPath = request.getHttpURI().getPath();
        String path = request.getHttpURI().getCanonicalPath();
        if (path == null) {
            path = rawPath;
        }
        String method = request.getMethod();
        boolean get = HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method);
        boolean postOrPut = HttpMethod.POST.is(method) || HttpMethod.PUT.is(method);

        if (isEcho(path) || isEcho(rawPath)) {
            EchoJson.echo(request, response, callback);
        } else if (get && path.equals("/")) {
            HtmlPages.home(request, response, callback, others);
        } else if (get && path.equals("/page2")) {
            HtmlPages.page2(request, response, callback);
        } else if (HttpMethod.POST.is(method) && path.equals("/form")) {
            HtmlPages.formResult(request, response, callback);
        } else if (get && path.equals("/download")) {
            StreamingEndpoints.download(request, response, callback);
        } else if (postOrPut && path.equals("/upload")) {
            EchoJson.upload(request, response, callback);
        } else if (get && path.equals("/slow")) {
            slow(request, response, callback);
        } else if (get && path.equals("/sse")) {
            StreamingEndpoints.sse(request, response, callback);
        } else if (get && path.equals("/ws")) {
            // Upgrade requests were taken by the WebSocketUpgradeHandler; this is a plain GET.
            response.getHeaders().put(HttpHeader.UPGRADE, "websocket");
            send(response, callback, HttpStatus.UPGRADE_REQUIRED_426, TEXT,
                    "This is the sample app's WebSocket echo endpoint: connect to it with a WebSocket client.\n");
        } else if (get && path.equals("/redirect")) {
            redirect(request, response, callback);
        } else if (get && path.equals("/cookie")) {
            cookie(request, response, callback);
        } else if (get && path.equals("/styled")) {
            StyledPage.page(response, callback);
        } else if (get && path.startsWith("/assets/") && StyledPage.asset(path, response, callback)) {
            return;
        } else {
            send(response, callback, HttpStatus.NOT_FOUND_404, TEXT, "not found in sample app\n");
        }
    }

    private static boolean isEcho(String path) {
        return path != null && (path.equals("/echo") || path.startsWith("/echo/") || path.equals("/headers"));
    }

    /** {@code GET /slow?ms=N}: sleeps N ms (default 2000) then answers "slow done after N ms". */
    /** {@code /slow} requests being served right now (tests wait for a request to really be in the app). */
    final AtomicInteger slowInFlight = new AtomicInteger();

    private void slow(Request request, Response response, Callback callback) throws InterruptedException {
        Long ms = longParam(request, "ms", 2000, 0, MAX_SLOW_MS);
        if (ms == null) {
            badRequest(response, callback, "ms must be a number of milliseconds between 0 and " + MAX_SLOW_MS);
            return;
        }
        slowInFlight.incrementAndGet();
        try {
            Thread.sleep(ms);
        } finally {
            slowInFlight.decrementAndGet();
        }
        send(response, callback, HttpStatus.OK_200, TEXT, "slow done after " + ms + " ms\n");
    }

    /** {@code GET /redirect}: 302 to the absolute internal {@code /page2}, with a cookie for the request's host. */
    private static void redirect(Request request, Response response, Callback callback) {
        response.getHeaders().put(HttpHeader.LOCATION, internalBase(request) + "/page2");
        response.getHeaders().add(HttpHeader.SET_COOKIE, "sample=1; Domain=" + Request.getServerName(request) + "; Path=/");
        send(response, callback, HttpStatus.FOUND_302, TEXT, "redirecting to /page2\n");
    }

    /** {@code GET /cookie}: sets {@code session=abc} and echoes the request's Cookie header(s) in the body. */
    private static void cookie(Request request, Response response, Callback callback) {
        List<String> cookies = request.getHeaders().getValuesList(HttpHeader.COOKIE);
        response.getHeaders().add(HttpHeader.SET_COOKIE, "session=abc; Path=/; HttpOnly");
        send(response, callback, HttpStatus.OK_200, TEXT, "Cookie: " + String.join("; ", cookies) + "\n");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Helpers shared by the endpoint classes.

    /** Answers a complete body in one write (Jetty sets Content-Length) and completes the callback. */
    static void send(Response response, Callback callback, int status, String contentType, String body) {
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, contentType);
        response.write(true, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)), callback);
    }

    static void badRequest(Response response, Callback callback, String message) {
        send(response, callback, HttpStatus.BAD_REQUEST_400, TEXT, message + "\n");
    }

    /**
     * The app's own base URL as the client addressed it, without a trailing slash: the request's scheme and its
     * {@code Host} header verbatim (e.g. {@code http://127.0.0.1:8080}).
     */
    static String internalBase(Request request) {
        String scheme = request.getHttpURI().getScheme();
        if (scheme == null) {
            scheme = request.isSecure() ? "https" : "http";
        }
        String authority = request.getHeaders().get(HttpHeader.HOST);
        if (authority == null || authority.isBlank()) {
            authority = request.getHttpURI().getAuthority();
        }
        if (authority == null || authority.isBlank()) {
            authority = Request.getServerName(request) + ":" + Request.getServerPort(request);
        }
        return scheme + "://" + authority;
    }

    /**
     * The first value of a query parameter, decoded leniently from the raw query (a malformed escape leaves the
     * value as it is), or {@code null} if absent.
     */
    static String queryParam(Request request, String name) {
        String query = request.getHttpURI().getQuery();
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = decode(eq < 0 ? pair : pair.substring(0, eq));
            if (key.equals(name)) {
                return eq < 0 ? "" : decode(pair.substring(eq + 1));
            }
        }
        return null;
    }

    /**
     * A numeric query parameter within {@code [min, max]}: the default when absent or empty, {@code null} when it
     * is not a number or out of range (the caller answers 400).
     */
    static Long longParam(Request request, String name, long defaultValue, long min, long max) {
        String raw = queryParam(request, name);
        if (raw == null || raw.isEmpty()) {
            return defaultValue;
        }
        try {
            long value = Long.parseLong(raw.trim());
            return value < min || value > max ? null : value;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String decode(String s) {
        try {
            return URLDecoder.decode(s, StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return s;
        }
    }
}
