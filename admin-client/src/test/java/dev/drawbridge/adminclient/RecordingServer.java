package dev.drawbridge.adminclient;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.BufferUtil;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTPS server on a loopback port 0 that records each request and answers what the test set: the admin API's
 * side of the component tests.
 */
final class RecordingServer implements AutoCloseable {
    /** One request as it arrived: method, raw path and query, headers of interest, body. */
    record Seen(String method, String rawPath, String rawQuery, String authorization, String host, String contentType, byte[] body) {
        String bodyText() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    /** What to answer. */
    record Answer(int status, String contentType, byte[] body, Map<String, String> headers) {
        static Answer json(int status, String json) {
            return new Answer(status, "application/json", json.getBytes(StandardCharsets.UTF_8), Map.of());
        }
    }

    private final Server server = new Server();
    private final ServerConnector connector;
    final List<Seen> seen = new CopyOnWriteArrayList<>();
    volatile Answer answer = Answer.json(200, "{}");

    RecordingServer(KeyStore keyStore) throws Exception {
        this(keyStore, new SslContextFactory.Server());
    }

    /** With TLS settings of its own (a test narrows the protocols or suites). */
    RecordingServer(KeyStore keyStore, SslContextFactory.Server tls) throws Exception {
        tls.setKeyStore(keyStore);
        tls.setKeyStorePassword(new String(TestPki.PASSWORD));
        tls.setSniRequired(false);
        HttpConfiguration config = new HttpConfiguration();
        // Record paths as they came, encoded slashes and all: what the client sent is what the tests check.
        config.setUriCompliance(UriCompliance.UNSAFE);
        SecureRequestCustomizer src = new SecureRequestCustomizer();
        src.setSniHostCheck(false);
        config.addCustomizer(src);
        connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(config));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                byte[] body = BufferUtil.toArray(Content.Source.asByteBuffer(request));
                seen.add(new Seen(request.getMethod(), request.getHttpURI().getPath(), request.getHttpURI().getQuery(),
                        request.getHeaders().get(HttpHeader.AUTHORIZATION), request.getHeaders().get(HttpHeader.HOST),
                        request.getHeaders().get(HttpHeader.CONTENT_TYPE), body));
                Answer a = answer;
                response.setStatus(a.status());
                if (a.contentType() != null) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, a.contentType());
                }
                a.headers().forEach((k, v) -> response.getHeaders().put(k, v));
                response.write(true, ByteBuffer.wrap(a.body()), callback);
                return true;
            }
        });
        server.start();
    }

    int port() {
        return connector.getLocalPort();
    }

    /** https://{host}:{port} */
    URI url(String host) {
        return URI.create("https://" + host + ":" + port());
    }

    Seen last() {
        return seen.getLast();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
