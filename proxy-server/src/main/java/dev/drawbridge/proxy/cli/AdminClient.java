package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.drawbridge.model.http.LocalhostNames;
import dev.drawbridge.proxy.web.Json;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Request;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;

/**
 * The admin API over HTTPS for the CLI: the bearer credential, the server CA as trust anchor,
 * {@code *.localhost} resolved to loopback. Answers are JSON trees; a problem document becomes a
 * {@link ProblemException} (exit 1) and a server that cannot be reached a {@link CliException}
 * with exit 3.
 */
final class AdminClient implements AutoCloseable {
    /** The API answered with an error status; {@code problem} is its problem document (or a stand-in). */
    static final class ProblemException extends Exception {
        private final int status;
        private final JsonNode problem;

        ProblemException(int status, JsonNode problem) {
            super("HTTP " + status + " " + problem.path("title").asText(""));
            this.status = status;
            this.problem = problem;
        }

        int status() {
            return status;
        }

        JsonNode problem() {
            return problem;
        }
    }

    private final HttpClient http;
    private final URI base;
    private final Optional<String> token;

    AdminClient(Settings settings) throws CliException {
        this.base = settings.server();
        this.token = settings.token();
        SslContextFactory.Client tls = dev.drawbridge.proxy.pki.ListenerTls.newClientFactory();
        if (settings.caFile().isPresent()) {
            tls.setTrustStore(trustStore(settings.caFile().get()));
        }
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        cc.setConnectTimeout(java.time.Duration.ofSeconds(10));
        http = new HttpClient(new HttpClientTransportOverHTTP(cc));
        // A redirect could carry the credential to another host: never follow one, report it.
        http.setFollowRedirects(false);
        http.setUserAgentField(new org.eclipse.jetty.http.HttpField("User-Agent", "drawbridge-cli/0.1.0"));
        // The client's own resolver exists only once started: resolve other names with the system's, off the I/O threads.
        SocketAddressResolver system = (host, port, ctx, promise) -> Thread.startVirtualThread(() -> {
            try {
                promise.succeeded(java.util.Arrays.stream(java.net.InetAddress.getAllByName(host))
                        .map(a -> new InetSocketAddress(a, port)).toList());
            } catch (UnknownHostException e) {
                promise.failed(e);
            }
        });
        http.setSocketAddressResolver((host, port, ctx, promise) -> LocalhostNames.loopbackFor(host)
                .ifPresentOrElse(a -> promise.succeeded(List.of(new InetSocketAddress(a, port))),
                        () -> system.resolve(host, port, ctx, promise)));
        try {
            http.start();
        } catch (Exception e) {
            throw new CliException(CliException.UNREACHABLE, "cannot start the HTTP client: " + e.getMessage());
        }
    }

    private static KeyStore trustStore(Path caFile) throws CliException {
        try (InputStream in = Files.newInputStream(caFile)) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw CliException.usage("CA file " + caFile + " holds no certificate");
            }
            return ks;
        } catch (IOException | GeneralSecurityException e) {
            throw CliException.usage("CA file " + caFile + " is not a PEM certificate: " + e.getMessage());
        }
    }

    URI server() {
        return base;
    }

    JsonNode get(String path) throws ProblemException, CliException {
        return send("GET", path, Map.of(), null);
    }

    JsonNode get(String path, Map<String, String> query) throws ProblemException, CliException {
        return send("GET", path, query, null);
    }

    JsonNode send(String method, String path, Object body) throws ProblemException, CliException {
        return send(method, path, Map.of(), body);
    }

    /** A call whose body is not JSON (an image), sent as it is. */
    JsonNode sendBytes(String method, String path, String contentType, byte[] body) throws ProblemException, CliException {
        return send(method, path, Map.of(), new RawBody(contentType, body));
    }

    private record RawBody(String contentType, byte[] bytes) {
    }

    /** One call; {@code path} is relative to /api/v1/ and already encoded (see {@link #seg}). Null query values are left out. */
    JsonNode send(String method, String path, Map<String, String> query, Object body) throws ProblemException, CliException {
        return answer(exchange(method, path, query, body));
    }

    /** A GET whose answer is not JSON (an app's icon): its content type and bytes. */
    Binary getBytes(String path) throws ProblemException, CliException {
        ContentResponse r = exchange("GET", path, Map.of(), null);
        if (r.getStatus() >= 400) {
            answer(r);
        }
        return new Binary(r.getMediaType(), r.getContent());
    }

    /** A non-JSON answer. */
    record Binary(String contentType, byte[] bytes) {
    }

    private ContentResponse exchange(String method, String path, Map<String, String> query, Object body) throws CliException {
        Map<String, String> q = new LinkedHashMap<>();
        query.forEach((k, v) -> {
            if (v != null) {
                q.put(k, v);
            }
        });
        String qs = q.isEmpty() ? "" : "?" + q.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue()))
                .collect(Collectors.joining("&"));
        URI uri = base.resolve("/api/v1/" + path + qs);
        Request req = http.newRequest(uri).method(method).timeout(60, TimeUnit.SECONDS)
                .headers(h -> h.put("Accept", "application/json, application/problem+json"));
        token.ifPresent(t -> req.headers(h -> h.put("Authorization", "Bearer " + t)));
        if (body instanceof RawBody raw) {
            req.body(new org.eclipse.jetty.client.BytesRequestContent(raw.contentType(), raw.bytes()));
        } else if (body != null) {
            try {
                req.body(new StringRequestContent("application/json", body instanceof String s ? s : Json.MAPPER.writeValueAsString(body)));
            } catch (IOException e) {
                throw CliException.usage("cannot encode the request: " + e.getMessage());
            }
        }
        ContentResponse r;
        try {
            r = req.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CliException(CliException.UNREACHABLE, "interrupted while calling " + base);
        } catch (TimeoutException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach " + base + ": no answer within 60 s");
        } catch (ExecutionException e) {
            throw new CliException(CliException.UNREACHABLE, "cannot reach " + base + ": " + reason(e.getCause()));
        }
        if (r.getStatus() >= 300 && r.getStatus() < 400) {
            throw new CliException(CliException.USAGE, "the server answered " + r.getStatus() + " redirecting to "
                    + r.getHeaders().get("Location") + "; pass the admin URL itself as --server (the CLI does not follow redirects)");
        }
        return r;
    }

    private JsonNode answer(ContentResponse r) throws ProblemException, CliException {
        byte[] content = r.getContent();
        JsonNode json = NullNode.getInstance();
        if (content.length > 0) {
            try {
                json = Json.MAPPER.readTree(content);
            } catch (IOException e) {
                if (r.getStatus() < 400) {
                    throw new CliException(CliException.API, "the server answered " + r.getStatus() + " with a body that is not JSON; is "
                            + base + " the admin URL of a Drawbridge server?");
                }
            }
        }
        if (r.getStatus() >= 400) {
            if (!json.isObject() || !json.has("status")) {
                var p = Json.MAPPER.createObjectNode().put("title", r.getReason() == null ? "HTTP error" : r.getReason())
                        .put("status", r.getStatus())
                        .put("detail", "the server answered without a problem document; is " + base + " the admin URL?");
                json = p;
            }
            throw new ProblemException(r.getStatus(), json);
        }
        return json;
    }

    /** A readable reason for a transport failure, with a hint where one helps. */
    static String reason(Throwable t) {
        Throwable c = t;
        while (c != null) {
            if (c instanceof ConnectException) {
                return "connection refused (is the server running, and is the port right?)";
            }
            if (c instanceof UnknownHostException) {
                return "unknown host " + c.getMessage();
            }
            if (c instanceof SSLException) {
                String m = String.valueOf(c.getMessage());
                if (m.contains("PKIX") || m.contains("certificate")) {
                    return "its certificate is not signed by a CA you trust; pass the server's own CA with --ca-file <data dir>/pki/server-ca.pem";
                }
                return "TLS failed (" + m + "); if the server uses its own CA, pass --ca-file <data dir>/pki/server-ca.pem";
            }
            if (c instanceof java.net.SocketTimeoutException || c instanceof TimeoutException) {
                return "timed out";
            }
            if (c.getCause() == null || c.getCause() == c) {
                break;
            }
            c = c.getCause();
        }
        return t == null ? "unknown error" : t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage());
    }

    /** One path segment, percent-encoded. */
    static String seg(String s) {
        return enc(s).replace("+", "%20");
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception ignored) {
            // exiting anyway
        }
    }
}
