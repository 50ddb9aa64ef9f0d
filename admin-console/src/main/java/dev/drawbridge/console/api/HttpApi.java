package dev.drawbridge.console.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.http.LocalhostNames;
import dev.drawbridge.model.tls.TlsProfile;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import javax.net.ssl.SSLHandshakeException;
import java.io.IOException;
import java.lang.reflect.Type;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

/**
 * {@link Api} over Jetty's HTTP client: trusts only the given key store (the server's CA), resolves
 * {@code *.localhost} to loopback (keeping the name for SNI and Host), and sends the bearer token of the session.
 */
public final class HttpApi implements Api, AutoCloseable {
    private final HttpClient http;
    private final URI server;
    private final Supplier<String> token;
    private final ObjectMapper json = Json.mapper();

    /**
     * @param trust the CAs to trust; the JDK's default trust store when null
     * @param token the bearer credential of each call (may change after a new sign-in); none when it gives null
     */
    public HttpApi(URI server, KeyStore trust, Supplier<String> token) {
        this.server = server;
        this.token = token;
        // Mozilla's intermediate profile, as the server's listeners, the connector and the CLI: the admin's password and
        // bearer credential go over this connection, whatever terminates TLS in front of the admin host.
        SslContextFactory.Client tls = new SslContextFactory.Client() {
            @Override
            public javax.net.ssl.SSLParameters customize(javax.net.ssl.SSLParameters params) {
                return TlsProfile.restrict(super.customize(params));
            }
        };
        tls.setIncludeProtocols(TlsProfile.protocols());
        tls.setIncludeCipherSuites(TlsProfile.cipherSuites());
        if (trust != null) {
            tls.setTrustStore(trust);
        }
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        http = new HttpClient(new HttpClientTransportOverHTTP(cc));
        http.setConnectTimeout(10_000);
        // The client's own resolver exists only once it is started (null here): other names than *.localhost are
        // resolved by the system, on a virtual thread since the lookup blocks.
        SocketAddressResolver system = (host, port, ctx, promise) -> Thread.startVirtualThread(() -> {
            try {
                promise.succeeded(java.util.Arrays.stream(java.net.InetAddress.getAllByName(host))
                        .map(a -> new InetSocketAddress(a, port)).toList());
            } catch (java.net.UnknownHostException e) {
                promise.failed(e);
            }
        });
        http.setSocketAddressResolver((host, port, ctx, promise) -> LocalhostNames.loopbackFor(host)
                .ifPresentOrElse(a -> promise.succeeded(List.of(new InetSocketAddress(a, port))),
                        () -> system.resolve(host, port, ctx, promise)));
        try {
            http.start();
        } catch (Exception e) {
            throw new IllegalStateException("cannot start the HTTP client", e);
        }
    }

    @Override
    public URI server() {
        return server;
    }

    @Override
    public <T> T call(String method, String path, Object body, Type type) throws ApiException {
        var req = http.newRequest(server.resolve("/api/v1/" + path)).method(method).timeout(30, TimeUnit.SECONDS)
                .headers(h -> h.put("Accept", "application/json"));
        String t = token.get();
        if (t != null) {
            req.headers(h -> h.put("Authorization", "Bearer " + t));
        }
        ContentResponse r;
        try {
            if (body != null) {
                req.body(new StringRequestContent("application/json", json.writeValueAsString(body)));
            }
            r = req.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, null, path, "Interrupted while calling " + server.getHost(), e);
        } catch (ExecutionException | TimeoutException | IOException e) {
            throw unreachable(path, e);
        }
        try {
            if (r.getStatus() >= 400) {
                Problem p = problem(r);
                throw new ApiException(r.getStatus(), p, path, describe(r.getStatus(), p), null);
            }
            if (r.getStatus() == 204 || type == Void.class || r.getContent().length == 0) {
                return null;
            }
            return json.readValue(r.getContent(), json.constructType(type));
        } catch (IOException e) {
            throw new ApiException(r.getStatus(), null, path, "The server's answer to " + path + " could not be read: "
                    + e.getMessage(), e);
        }
    }

    @Override
    public Binary exchange(String method, String path, String contentType, byte[] body) throws ApiException {
        var req = http.newRequest(server.resolve("/api/v1/" + path)).method(method).timeout(30, TimeUnit.SECONDS);
        String t = token.get();
        if (t != null) {
            req.headers(h -> h.put("Authorization", "Bearer " + t));
        }
        if (body != null) {
            req.body(new BytesRequestContent(contentType, body));
        }
        ContentResponse r;
        try {
            r = req.send();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ApiException(0, null, path, "Interrupted while calling " + server.getHost(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw unreachable(path, e);
        }
        if (r.getStatus() >= 400) {
            Problem p = problem(r);
            throw new ApiException(r.getStatus(), p, path, describe(r.getStatus(), p), null);
        }
        return new Binary(r.getMediaType(), r.getContent());
    }

    private Problem problem(ContentResponse r) {
        try {
            Problem p = json.readValue(r.getContent(), Problem.class);
            if (p != null) {
                return p;
            }
        } catch (IOException ignored) {
            // not a problem document: describe by status
        }
        return new Problem("about:blank", r.getReason(), r.getStatus(), null, List.of());
    }

    private static String describe(int status, Problem p) {
        StringBuilder m = new StringBuilder();
        m.append(p.title() == null || p.title().isBlank() ? "HTTP " + status : p.title());
        if (p.detail() != null && !p.detail().isBlank()) {
            m.append(": ").append(p.detail());
        }
        for (Problem.FieldError e : p.errors()) {
            if (p.detail() == null || !p.detail().contains(e.message())) {
                m.append("\n• ").append(e.message());
            }
        }
        return m.toString();
    }

    private ApiException unreachable(String path, Exception e) {
        Throwable c = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        String why;
        if (c instanceof SSLHandshakeException || c.getCause() instanceof SSLHandshakeException) {
            why = "its TLS certificate is not trusted (sign in again to review it)";
        } else if (c instanceof ConnectException) {
            why = "nothing answers on " + server.getHost() + ":" + port();
        } else if (c instanceof TimeoutException) {
            why = "it did not answer within 30 seconds";
        } else {
            why = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        }
        return new ApiException(0, null, path, "Cannot reach " + server.getHost() + ": " + why, e);
    }

    private int port() {
        return server.getPort() > 0 ? server.getPort() : 443;
    }

    @Override
    public void close() {
        try {
            http.stop();
        } catch (Exception ignored) {
            // closing: nothing left to do
        }
    }
}
