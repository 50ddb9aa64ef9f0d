package dev.drawbridge.proxy.forwarding;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/**
 * Sets the address Drawbridge decides on for a request from a trusted proxy: on a listener whose
 * {@link TrustedProxies} are not empty, a request whose peer is one of them gets the client address that
 * {@link TrustedProxies#client} reads from its {@code X-Forwarded-For} lines as its remote address. Every
 * {@link Request#getRemoteAddr} caller (conditional access, throttling, the sign-in and audit logs, the
 * admin sign-in limiter, the {@code X-Forwarded-For} entry forwarded to the app) then sees that address.
 * Requests from any other peer are left alone: their socket address is the client, whatever they send.
 *
 * <p>With the PROXY protocol ({@link ProxyProtocolGate}) the connection's remote address is already the one
 * the load balancer reported; when that address is itself trusted, the walk continues through
 * {@code X-Forwarded-For} the same way. Like Jetty's {@code ForwardedRequestCustomizer}, it runs before any
 * handler; only the canonical {@code X-Forwarded-For} spelling counts ({@code X_Forwarded_For} is a different
 * header to Jetty, and is stripped before the backend by {@link ClientHeaders}).
 */
public final class ClientAddressCustomizer implements HttpConfiguration.Customizer {
    private final TrustedProxies trusted;

    public ClientAddressCustomizer(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        if (!(request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress peer)
                || peer.getAddress() == null || !trusted.contains(peer.getAddress())) {
            return request;
        }
        InetAddress client = trusted.client(peer.getAddress(), request.getHeaders().getValuesList(HttpHeader.X_FORWARDED_FOR));
        if (client.equals(peer.getAddress())) {
            return request;
        }
        SocketAddress reported = new InetSocketAddress(client, 0);
        ConnectionMetaData metaData = new ConnectionMetaData.Wrapper(request.getConnectionMetaData()) {
            @Override
            public SocketAddress getRemoteSocketAddress() {
                return reported;
            }
        };
        return new Request.Wrapper(request) {
            @Override
            public ConnectionMetaData getConnectionMetaData() {
                return metaData;
            }
        };
    }
}
