package dev.drawbridge.adminclient;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.model.api.Problem;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/** Sends {@link OperationRequest}s over the JDK's {@link HttpClient} and reads their answers as an operation's type. */
final class Transport {
    private final HttpClient http;
    private final URI server;
    private final Supplier<String> token;
    private final Duration timeout;
    private final String userAgent;
    private final ObjectMapper json = JsonMapping.mapper();

    Transport(HttpClient http, URI server, Supplier<String> token, Duration timeout, String userAgent) {
        this.http = http;
        this.server = server;
        this.token = token;
        this.timeout = timeout;
        this.userAgent = userAgent;
    }

    /** Sends {@code r}; answers its body as {@code answer} ({@code void}: nothing; {@link RawContent}: the raw body). */
    Object exchange(OperationRequest r, Type answer) throws AdminClientException {
        boolean raw = answer instanceof Class<?> c && RawContent.class.isAssignableFrom(c);
        HttpResponse<byte[]> response = send(r, raw);
        int status = response.statusCode();
        if (status >= 300 && status < 400) {
            String location = response.headers().firstValue("Location").orElse(null);
            throw new UnexpectedAnswerException(status, location, "the server answered " + status + " redirecting to " + location
                    + "; use the admin URL itself (redirects are not followed: they could take the credential elsewhere)", null);
        }
        if (status >= 400) {
            throw problem(status, response.body());
        }
        if (answer == void.class || answer == Void.class) {
            return null;
        }
        if (raw) {
            return RawContent.read((Class<?>) answer, response.headers().firstValue("Content-Type").orElse("application/octet-stream"),
                    response.body());
        }
        try {
            Object value = json.readValue(response.body(), json.getTypeFactory().constructType(answer));
            if (value == null) {
                throw new IOException("no body");
            }
            return value;
        } catch (IOException | RuntimeException e) {
            throw new UnexpectedAnswerException(status, null, "the server answered " + status + " with a body that is not the admin API's "
                    + "JSON (" + firstLine(e) + "); is " + server + " the admin URL of a Drawbridge server?", e);
        }
    }

    /**
     * One exchange under one deadline: connecting, the headers and the whole body within {@link #deadline} (the JDK's
     * request timeout ends when the headers arrive), the body read by a {@link BoundedBody}.
     */
    private HttpResponse<byte[]> send(OperationRequest r, boolean raw) throws ServerUnreachableException, UnexpectedAnswerException {
        Duration deadline = deadline(r);
        HttpRequest.Builder b = HttpRequest.newBuilder(server.resolve("/api/v1/" + r.target())).timeout(deadline)
                .header("Accept", "application/json, application/problem+json").header("User-Agent", userAgent);
        if (!r.anonymous()) {
            String t = token.get();
            if (t != null && !t.isBlank()) {
                b.header("Authorization", "Bearer " + t);
            }
        }
        HttpRequest.BodyPublisher body = HttpRequest.BodyPublishers.noBody();
        if (r.raw().isPresent()) {
            b.header("Content-Type", r.raw().get().contentType());
            body = publisher(r.raw().get());
        } else if (r.json().isPresent()) {
            b.header("Content-Type", "application/json");
            try {
                body = HttpRequest.BodyPublishers.ofByteArray(json.writeValueAsBytes(r.json().get()));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException("cannot encode the request body: " + firstLine(e), e);
            }
        }
        BoundedBody reader = new BoundedBody(raw);
        CompletableFuture<HttpResponse<byte[]>> call = http.sendAsync(b.method(r.method(), body).build(), reader);
        try {
            return call.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            call.cancel(true);
            throw Unreachable.timedOut(server, deadline, reader.status(), reader.received(), e);
        } catch (InterruptedException e) {
            call.cancel(true);
            Thread.currentThread().interrupt();
            throw Unreachable.interrupted(server, e);
        } catch (ExecutionException e) {
            for (Throwable c = e.getCause(); c != null; c = c.getCause() == c ? null : c.getCause()) {
                if (c instanceof BoundedBody.TooLarge big) {
                    throw new UnexpectedAnswerException(big.status, null, big.getMessage() + "; is " + server
                            + " the admin URL of a Drawbridge server?", big);
                }
            }
            throw Unreachable.of(server, deadline, e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        }
    }

    /**
     * How long the exchange may take: the client's timeout, plus, for a file sent from disk, one second per
     * {@value #SLOWEST_UPLOAD} bytes (a 256 MiB bundle may take 17 minutes more on a slow link; a stalled one still ends).
     */
    Duration deadline(OperationRequest r) {
        if (r.raw().isPresent() && r.raw().get() instanceof BundleFile f) {
            return timeout.plusSeconds(f.size() / SLOWEST_UPLOAD);
        }
        return timeout;
    }

    /** The slowest upload, in bytes per second, that an exchange's deadline allows for. */
    static final long SLOWEST_UPLOAD = 256L << 10;

    private static HttpRequest.BodyPublisher publisher(RawContent raw) {
        return switch (raw) {
            case Icon i -> HttpRequest.BodyPublishers.ofByteArray(i.bytes());
            case SamlMetadata m -> HttpRequest.BodyPublishers.ofByteArray(m.bytes());
            case BundleFile f -> {
                try {
                    // Streamed from disk: the JDK reads it as the connection takes it.
                    yield HttpRequest.BodyPublishers.ofFile(f.path());
                } catch (FileNotFoundException e) {
                    throw new IllegalArgumentException("Cannot read " + f.path().getFileName() + ": no such file.", e);
                }
            }
        };
    }

    /** The problem document of an error answer, or a stand-in naming the status when it carries none. */
    private AdminApiException problem(int status, byte[] body) {
        try {
            JsonNode tree = json.readTree(body);
            if (tree != null && tree.isObject() && tree.has("status")) {
                return new AdminApiException(status, json.treeToValue(tree, Problem.class), true);
            }
        } catch (IOException | RuntimeException ignored) {
            // not a problem document: described by its status below
        }
        return new AdminApiException(status, new Problem("about:blank", StatusPhrases.of(status), status,
                "the server answered without a problem document; is " + server + " the admin URL?", List.of()), false);
    }

    private static String firstLine(Exception e) {
        String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
