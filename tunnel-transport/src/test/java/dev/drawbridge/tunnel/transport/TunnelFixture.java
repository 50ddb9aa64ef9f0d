package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A real TLS Jetty server on port 0 whose handler upgrades {@code drawbridge-tunnel/2} requests to a link with the
 * test's receiver (or answers as the test says), and a real {@link HttpClient} trusting it with a client certificate;
 * both on tracking buffer pools, so a test can check that no pooled buffer leaked.
 */
final class TunnelFixture implements AutoCloseable {
    /** What the server does with a request: true when it handled it. */
    @FunctionalInterface
    interface Behaviour {
        boolean handle(Request request, Response response, Callback callback) throws Exception;
    }

    static final TestPki PKI = pki();
    /** Pools keeping buffers up to 128 KiB, as the tunnel's should (a DATA frame with its prefix is 65,549 bytes). */
    static final int TUNNEL_POOL_MAX = 128 * 1024;
    final ArrayByteBufferPool.Tracking serverPool;
    final ArrayByteBufferPool.Tracking clientPool;
    final Server server;
    final ServerConnector connector;
    final HttpClient client;
    final List<RecordingReceiver> serverReceivers = new CopyOnWriteArrayList<>();
    final List<Request> requestsSeen = new CopyOnWriteArrayList<>();
    volatile Duration serverIdleTimeout = Duration.ofSeconds(30);
    volatile HttpFields serverExtraHeaders = HttpFields.build().add("X-Drawbridge-Tunnel-Features", "trailers1");
    /** What the server's link does once open (the proxy sends its CONFIG then). */
    volatile Consumer<TunnelLink> serverOnOpened = l -> { };
    volatile Behaviour behaviour = (request, response, callback) -> false;
    /** The cap on input buffers the server's links let retained slices pin (a retaining one; the real server copies by default). */
    volatile PinnedInput serverPinned = new PinnedInput(PinnedInput.CONNECTOR_DEFAULT);

    TunnelFixture() throws Exception {
        this(null);
    }

    TunnelFixture(Function<Server, Handler> extraFor) throws Exception {
        this(extraFor, TUNNEL_POOL_MAX);
    }

    /**
     * @param extraFor        makes a handler tried after the upgrade (e.g. WebSocket) for the server, or null
     * @param poolMaxCapacity the largest buffer both pools keep (Jetty's default is 64 KiB)
     */
    TunnelFixture(Function<Server, Handler> extraFor, int poolMaxCapacity) throws Exception {
        serverPool = new ArrayByteBufferPool.Tracking(0, -1, poolMaxCapacity);
        clientPool = new ArrayByteBufferPool.Tracking(0, -1, poolMaxCapacity);
        QueuedThreadPool threads = new QueuedThreadPool();
        threads.setName("server");
        server = new Server(threads, null, serverPool);
        Handler extra = extraFor == null ? null : extraFor.apply(server);
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(PKI.server(List.of("localhost")));
        tls.setKeyStorePassword(new String(TestPki.PASSWORD));
        tls.setTrustStore(PKI.trust());
        tls.setWantClientAuth(true);
        // One selector: every link shares its thread, as the tunnel listener's do on a small machine (HostilePeerTest).
        connector = new ServerConnector(server, 1, 1, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(new HttpConfiguration()));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                requestsSeen.add(request);
                if (behaviour.handle(request, response, callback)) {
                    return true;
                }
                if (TunnelUpgrade.requested(request)) {
                    RecordingReceiver r = new RecordingReceiver();
                    r.onOpened = serverOnOpened;
                    serverReceivers.add(r);
                    TunnelUpgrade.accept(request, response, callback, r, serverExtraHeaders, serverIdleTimeout, serverPinned);
                    return true;
                }
                if (extra != null) {
                    return extra.handle(request, response, callback);
                }
                Response.writeError(request, response, callback, 400, "drawbridge-tunnel/2 or WebSocket upgrade required");
                return true;
            }
        });
        if (extra != null) {
            extra.setServer(server);
            server.addBean(extra);
        }
        server.start();

        SslContextFactory.Client clientTls = new SslContextFactory.Client();
        clientTls.setTrustStore(PKI.trust());
        clientTls.setKeyStore(PKI.client("connector-1"));
        clientTls.setKeyStorePassword(new String(TestPki.PASSWORD));
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(clientTls);
        client = new HttpClient(new HttpClientTransportOverHTTP(cc));
        client.setByteBufferPool(clientPool);
        client.start();
    }

    URI uri() {
        return URI.create("https://localhost:" + connector.getLocalPort() + "/connector/v1/tunnel");
    }

    /** A plain TLS socket to the server, for writing the upgrade and frames by hand. */
    SSLSocket rawSocket() throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(PKI.trust());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", connector.getLocalPort());
        s.setSoTimeout(20_000);
        s.startHandshake();
        return s;
    }

    static byte[] upgradeRequest() {
        return ("GET /connector/v1/tunnel HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: drawbridge-tunnel/2\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Reads an HTTP response head (to the blank line) from {@code in}, byte by byte so nothing after it is consumed. */
    static String readHead(InputStream in) throws IOException {
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream in the response head: " + head);
            }
            head.append((char) b);
        }
        return head.toString();
    }

    static void writeAll(OutputStream out, byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    RecordingReceiver awaitServerLink() throws InterruptedException {
        RecordingReceiver.await(() -> !serverReceivers.isEmpty() && serverReceivers.getLast().opened.get() == 1, "the server's link");
        return serverReceivers.getLast();
    }

    private static TestPki pki() {
        try {
            return new TestPki("test-ca");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        client.stop();
        server.stop();
    }
}
