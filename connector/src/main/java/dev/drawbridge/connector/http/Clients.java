package dev.drawbridge.connector.http;

import dev.drawbridge.model.http.LocalhostNames;
import dev.drawbridge.model.tls.TlsProfile;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.transport.HttpClientTransportOverHTTP;
import org.eclipse.jetty.http.HttpCookieStore;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ArrayByteBufferPool;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.SocketAddressResolver;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.Invocable.InvocationType;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import javax.net.ssl.SSLParameters;

/** Jetty HTTP clients as the connector needs them: RFC 6761 *.localhost resolution, no cookies, no redirects. */
public final class Clients {
    /** The largest buffer the tunnel client's pool keeps: a whole tunnel DATA frame as a WebSocket frame. */
    static final int TUNNEL_POOLED_MAX = 128 * 1024;
    /** The largest response head any client of the connector reads (the public listener sends at most 32 KiB of one on). */
    static final int MAX_RESPONSE_HEAD = 64 * 1024;

    private Clients() {
    }

    /**
     * TLS towards the Drawbridge server (registration and tunnels): the {@link TlsProfile} (TLS 1.2/1.3, ECDHE with AEAD
     * suites, x25519/secp256r1/secp384r1), which the server's listeners enforce too. Internal apps get the JVM's
     * defaults instead: they may be older than the profile.
     */
    public static SslContextFactory.Client serverTls() {
        SslContextFactory.Client tls = new SslContextFactory.Client() {
            @Override
            public SSLParameters customize(SSLParameters params) {
                return TlsProfile.restrict(super.customize(params));
            }
        };
        tls.setIncludeProtocols(TlsProfile.protocols());
        tls.setIncludeCipherSuites(TlsProfile.cipherSuites());
        return tls;
    }

    /**
     * A client of the Drawbridge server: through {@code proxy} when the connector has one. Its pool keeps buffers up to
     * {@link #TUNNEL_POOLED_MAX}: the WebSocket client copies each tunnel DATA frame (64 KiB and its header) into one buffer
     * to mask it, just over the default pool's 64 KiB limit, which allocated and zeroed a new buffer per frame.
     */
    public static HttpClient serverClient(SslContextFactory.Client tls, Optional<OutboundProxy> proxy) {
        HttpClient http = httpClient(tls);
        http.setByteBufferPool(new ArrayByteBufferPool(0, -1, TUNNEL_POOLED_MAX));
        proxy.ifPresent(p -> p.applyTo(http));
        return http;
    }

    public static HttpClient httpClient(SslContextFactory.Client tls) {
        ClientConnector cc = connector(tls, "connector-io");
        HttpClient http = configured(new HttpClient(new HttpClientTransportOverHTTP(cc)), cc);
        http.setMaxConnectionsPerDestination(1024);
        return http;
    }

    /**
     * The client of internal apps over HTTP/1.1 (and the upstream WebSocket client's): as {@link #httpClient}, with its
     * connections' reads run on the selector thread ({@link InvocationType#NON_BLOCKING}) instead of handed to a virtual
     * thread each time a response arrives. A small answer is then parsed and sent back through the tunnel on the thread
     * that read it, with no hand-off (one fewer thread start, park and wake-up per request); every listener of ours on
     * this client returns at once and moves anything that may wait (a streamed body, a full send budget, an upstream
     * WebSocket message) to a virtual thread of its own ({@code UpstreamExchange.AsyncResponse},
     * {@code CountingResponseListener}, {@code UpstreamWebSocket}). Blocking use stays allowed on the caller's side
     * ({@code send()}, {@code InputStreamResponseListener}'s stream).
     */
    public static HttpClient upstreamClient(SslContextFactory.Client tls) {
        HttpClient http = httpClient(tls);
        http.getTransport().setInvocationType(InvocationType.NON_BLOCKING);
        return http;
    }

    /**
     * A client that speaks only HTTP/2 to internal apps, for gRPC (which needs it): h2c with prior knowledge to
     * {@code http://} URLs, h2 negotiated by ALPN to {@code https://} ones; otherwise as {@link #httpClient}.
     */
    public static HttpClient http2Client(SslContextFactory.Client tls) {
        ClientConnector cc = connector(tls, "connector-h2");
        return configured(new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(cc))), cc);
    }

    /** A client connector with {@code tls} and its own pool of virtual threads named {@code name}. */
    private static ClientConnector connector(SslContextFactory.Client tls, String name) {
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls);
        QueuedThreadPool pool = new QueuedThreadPool();
        pool.setName(name);
        pool.setVirtualThreadsExecutor(Executors.newVirtualThreadPerTaskExecutor());
        cc.setExecutor(pool);
        return cc;
    }

    /** What every client to internal apps shares: no redirects, cookies, user agent or content decoding; DNS off the I/O threads. */
    private static HttpClient configured(HttpClient http, ClientConnector cc) {
        http.setExecutor(cc.getExecutor());
        // Jetty's client keeps no bound on a response head: an app (or the server, or an outbound proxy) could send header
        // lines for ever and have them kept.
        http.setMaxResponseHeadersSize(MAX_RESPONSE_HEAD);
        http.setFollowRedirects(false);
        http.setHttpCookieStore(new HttpCookieStore.Empty());
        http.setUserAgentField(null);
        http.getContentDecoderFactories().clear();
        http.setConnectTimeout(10_000);
        http.setSocketAddressResolver(resolver(Clients::resolveBlocking));
        return http;
    }

    /** System DNS on a virtual thread (the lookup blocks). */
    private static void resolveBlocking(String host, int port, Map<String, Object> ctx,
                                        Promise<List<InetSocketAddress>> promise) {
        Thread.startVirtualThread(() -> {
            try {
                promise.succeeded(Arrays.stream(InetAddress.getAllByName(host))
                        .map(a -> new InetSocketAddress(a, port)).toList());
            } catch (UnknownHostException e) {
                promise.failed(e);
            }
        });
    }

    static SocketAddressResolver resolver(SocketAddressResolver system) {
        return (host, port, context, promise) -> {
            Optional<InetAddress> loop = LocalhostNames.loopbackFor(host);
            if (loop.isPresent()) {
                promise.succeeded(List.of(new InetSocketAddress(loop.get(), port)));
            } else {
                system.resolve(host, port, context, promise);
            }
        };
    }
}
