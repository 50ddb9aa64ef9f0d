package dev.drawbridge.proxy.edge;

import org.eclipse.jetty.alpn.server.ALPNServerConnectionFactory;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http2.server.HTTP2ServerConnectionFactory;
import org.eclipse.jetty.io.WindowRateControl;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * HTTP/2 on the public listener: ALPN offers {@code h2} then {@code http/1.1} (a client that offers neither, or no ALPN
 * at all, gets HTTP/1.1), over the same TLS profile (TLS 1.2 suites are all ECDHE with AEAD ciphers, none on RFC 7540
 * appendix A's list). Requests go through the same {@link PublicChain} as HTTP/1.1 ones: Jetty hands handlers the same
 * {@code Request} (pseudo-headers become its method, URI and authority; header names compare case-insensitively).
 *
 * <p>Limits against the HTTP/2 floods: at most {@value #MAX_CONCURRENT_STREAMS} streams at once per connection; at most
 * {@value #MAX_EVENTS_PER_SECOND} "suspicious" frames per second per connection (Jetty counts stream resets, as in the
 * rapid-reset attack, empty DATA and CONTINUATION frames, PINGs, SETTINGS and PRIORITY frames) before it closes the
 * connection; a header block (HEADERS plus CONTINUATIONs) no larger than the HTTP/1.1 header limit, so a CONTINUATION
 * flood is cut off early; the HPACK dynamic table at 4 KiB. Extended CONNECT (RFC 8441, WebSockets over HTTP/2) is
 * not offered: browsers then open their WebSockets over HTTP/1.1, where {@link WebSocketUpgrade} and the chain's checks
 * apply; a request that tries {@code :protocol} anyway is refused by Jetty.
 */
public final class PublicHttp2 {
    /**
     * Streams one client connection may have open at once. Each stream may park up to a tunnel window (512 KiB) of an
     * answer its client does not read, so this bounds what one connection can hold (16 MiB, as much as 32 HTTP/1.1
     * connections) rather than letting one TCP connection hold a hundred windows.
     */
    public static final int MAX_CONCURRENT_STREAMS = 32;
    /** Suspicious frames per second per connection before Jetty closes it (its rate control). */
    public static final int MAX_EVENTS_PER_SECOND = 128;
    /** The HPACK dynamic table size both ways. */
    public static final int HPACK_TABLE = 4096;

    private PublicHttp2() {
    }

    /** The HTTP/2 connection factory, with the listener's HTTP configuration (customizers, header limits). */
    public static HTTP2ServerConnectionFactory connectionFactory(HttpConfiguration http) {
        HTTP2ServerConnectionFactory h2 = new HTTP2ServerConnectionFactory(http);
        h2.setMaxConcurrentStreams(MAX_CONCURRENT_STREAMS);
        h2.setRateControlFactory(new WindowRateControl.Factory(MAX_EVENTS_PER_SECOND));
        h2.setMaxDecoderTableCapacity(HPACK_TABLE);
        h2.setMaxEncoderTableCapacity(HPACK_TABLE);
        h2.setMaxHeaderBlockFragment(http.getRequestHeaderSize());
        h2.setConnectProtocolEnabled(false);
        return h2;
    }

    /** Fields that are malformed in an HTTP/2 request (RFC 9113 section 8.2.2), in lower case; Jetty refuses only some. */
    static final Set<String> CONNECTION_SPECIFIC = Set.of("connection", "keep-alive", "proxy-connection", "transfer-encoding", "upgrade");

    /**
     * The first connection-specific field of an HTTP/2 (or HTTP/3) request, which makes it malformed: such a request is
     * refused, never relayed (an app behind HTTP/1.1 would read the field as meant for its own hop). Empty for HTTP/1.x.
     */
    public static Optional<String> connectionSpecificField(Request request) {
        HttpVersion version = request.getConnectionMetaData().getHttpVersion();
        if (version != HttpVersion.HTTP_2 && version != HttpVersion.HTTP_3) {
            return Optional.empty();
        }
        for (HttpField f : request.getHeaders()) {
            String name = f.getLowerCaseName();
            if (CONNECTION_SPECIFIC.contains(name) || name.equals("te") && !f.getValue().trim().toLowerCase(Locale.ROOT).equals("trailers")) {
                return Optional.of(name);
            }
        }
        return Optional.empty();
    }

    /** ALPN: {@code h2} first, then {@code http/1.1}, the default for clients that name neither. */
    public static ALPNServerConnectionFactory alpn() {
        ALPNServerConnectionFactory alpn = new ALPNServerConnectionFactory("h2", "http/1.1");
        alpn.setDefaultProtocol("http/1.1");
        return alpn;
    }
}
