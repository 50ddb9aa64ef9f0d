package dev.drawbridge.connector.sso;

import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpField;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The connector's own requests to the app while it signs the user in with a login form: the stream's forwarding and
 * identity headers, the cookies of this exchange ({@link CookieJar}), no redirects followed, bodies read up to a limit.
 */
final class FormsExchange {
    private final HttpClient http;
    private final RequestHead head;
    private final CookieJar cookies;

    FormsExchange(HttpClient http, RequestHead head) {
        this.http = http;
        this.head = head;
        this.cookies = CookieJar.of(head.headers());
    }

    CookieJar cookies() {
        return cookies;
    }

    /** GETs the login page. */
    Fetched get(URI url) throws IOException {
        return send(http.newRequest(url).method("GET"), url, FormsLogin.MAX_PAGE);
    }

    /** Posts the filled-in form. */
    Fetched post(LoginForm.Submission.Post post) throws IOException {
        Request request = http.newRequest(post.url()).method("POST")
                .body(new StringRequestContent("application/x-www-form-urlencoded", post.body(), StandardCharsets.UTF_8));
        return send(request, post.url(), FormsLogin.MAX_ANSWER);
    }

    private Fetched send(Request request, URI url, int limit) throws IOException {
        request.idleTimeout(head.timeout().toMillis(), TimeUnit.MILLISECONDS);
        request.headers(h -> {
            for (HeaderField f : FormsLogin.copied(head)) {
                h.add(new HttpField(f.name(), f.value()));
            }
            h.put("Accept", "text/html,application/xhtml+xml");
            cookies.header().ifPresent(v -> h.put("Cookie", v));
        });
        InputStreamResponseListener listener = new InputStreamResponseListener();
        request.send(listener);
        Response response;
        try {
            response = listener.get(head.timeout().toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException e) {
            request.abort(e);
            throw new IOException("no answer from the app's login form: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            request.abort(e);
            throw new IOException("interrupted", e);
        }
        byte[] body;
        boolean truncated;
        try (InputStream in = listener.getInputStream()) {
            body = in.readNBytes(limit + 1);
            truncated = body.length > limit;
            if (truncated) {
                request.abort(new IOException("answer too large"));
            }
        }
        Fetched fetched = new Fetched(url, response.getStatus(), FormsLogin.headers(response),
                truncated ? Arrays.copyOf(body, limit) : body, truncated);
        cookies.take(fetched.headers());
        return fetched;
    }
}
