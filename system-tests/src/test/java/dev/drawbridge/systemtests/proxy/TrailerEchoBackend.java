package dev.drawbridge.systemtests.proxy;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.Trailers;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * An h2c (prior knowledge) app that answers a request with its body and, as trailers, every request trailer it got
 * (named {@code echo-<name>}) plus {@code grpc-status: 0}; it records the {@code te} header each request carried.
 */
final class TrailerEchoBackend implements AutoCloseable {
    final ConcurrentLinkedQueue<String> seenTe = new ConcurrentLinkedQueue<>();
    private final Server server = new Server();
    private final ServerConnector connector;

    private TrailerEchoBackend() throws Exception {
        connector = new ServerConnector(server, new HTTP2CServerConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                seenTe.add(String.valueOf(request.getHeaders().get("te")));
                ByteArrayOutputStream body = new ByteArrayOutputStream();
                HttpFields.Mutable echoed = HttpFields.build();
                readAll(request, body, echoed, () -> {
                    echoed.add("grpc-status", "0");
                    response.getHeaders().put("content-type", "application/grpc");
                    response.setTrailersSupplier(() -> echoed);
                    response.write(true, ByteBuffer.wrap(body.toByteArray()), callback);
                });
                return true;
            }
        });
        server.start();
    }

    /** Reads the body and trailers without blocking, then runs {@code done}. */
    private static void readAll(Request request, ByteArrayOutputStream body, HttpFields.Mutable echoed, Runnable done) {
        while (true) {
            Content.Chunk c = request.read();
            if (c == null) {
                request.demand(() -> readAll(request, body, echoed, done));
                return;
            }
            if (c instanceof Trailers t) {
                for (HttpField f : t.getTrailers()) {
                    echoed.add("echo-" + f.getLowerCaseName(), f.getValue());
                }
            }
            ByteBuffer b = c.getByteBuffer();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            body.writeBytes(bytes);
            c.release();
            if (c.isLast()) {
                done.run();
                return;
            }
        }
    }

    static TrailerEchoBackend start() throws Exception {
        return new TrailerEchoBackend();
    }

    int port() {
        return connector.getLocalPort();
    }

    /** A Jetty HTTP/2-only client trusting {@code ca}, sending every name to loopback. */
    static HttpClient h2Client(X509Certificate ca) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(trust);
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        HttpClient http = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(cc)));
        http.setFollowRedirects(false);
        http.setSocketAddressResolver((host, port, ctx, promise) -> promise.succeeded(List.of(new InetSocketAddress("127.0.0.1", port))));
        http.start();
        return http;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
