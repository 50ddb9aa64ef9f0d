package dev.drawbridge.tunnel.transport;

import dev.drawbridge.model.tunnel.TunnelLink;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.ConnectionMetaData;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpStream;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.time.Duration;
import java.util.List;

/**
 * The server's side of the {@code drawbridge-tunnel/2} upgrade: a handler that has checked the connector (as it does for
 * the WebSocket upgrade) calls {@link #requested} and, for a request that asks for this protocol, {@link #accept}, which
 * answers {@code 101 Switching Protocols} and hands the TLS endpoint to a {@link FrameConnection} once the 101 is written
 * (Jetty's {@link HttpStream#UPGRADE_CONNECTION_ATTRIBUTE}, as WebSocket's handshaker does). Jetty's HTTP/1.1 connection
 * passes an {@code Upgrade} it has no connection factory for on to the handlers (tested: {@code UpgradeSpikeTest}).
 */
public final class TunnelUpgrade {
    private TunnelUpgrade() {
    }

    /**
     * Whether {@code request} asks for {@code drawbridge-tunnel/2}: an HTTP/1.1 {@code GET} without a body whose
     * {@code Connection} header lists the token {@code upgrade} and whose {@code Upgrade} header is exactly
     * {@code drawbridge-tunnel/2} (one protocol, no other offered), both compared case-insensitively as RFC 9110 tokens.
     */
    public static boolean requested(Request request) {
        if (request.getConnectionMetaData().getHttpVersion() != HttpVersion.HTTP_1_1 || !HttpMethod.GET.is(request.getMethod())) {
            return false;
        }
        HttpFields h = request.getHeaders();
        if (h.contains(HttpHeader.TRANSFER_ENCODING) || h.getLongField(HttpHeader.CONTENT_LENGTH) > 0) {
            return false;
        }
        boolean connectionUpgrade = h.getCSV(HttpHeader.CONNECTION, false).stream().anyMatch("upgrade"::equalsIgnoreCase);
        List<String> upgrade = h.getCSV(HttpHeader.UPGRADE, false);
        return connectionUpgrade && upgrade.size() == 1 && FrameConnection.PROTOCOL.equalsIgnoreCase(upgrade.getFirst());
    }

    /**
     * Answers {@code 101} with {@code Upgrade: drawbridge-tunnel/2}, {@code Connection: Upgrade} and
     * {@code extraHeaders} (e.g. {@code X-Drawbridge-Tunnel-Features}), and installs a {@link FrameConnection} over the
     * request's endpoint with {@code receiver}; its {@link TunnelLink.Receiver#opened} follows once the 101 is written.
     * Completes {@code callback} as a handler must.
     *
     * @param idleTimeout the link's idle timeout (heartbeat × 6)
     * @param pinned      the cap on input buffers its retained slices pin ({@link PinnedInput}: the connector's share of
     *                    the server's)
     * @throws IllegalStateException if the request did not ask for the protocol ({@link #requested})
     */
    public static void accept(Request request, Response response, Callback callback, TunnelLink.Receiver receiver,
                              HttpFields extraHeaders, Duration idleTimeout, PinnedInput pinned) {
        if (!requested(request)) {
            throw new IllegalStateException("not a " + FrameConnection.PROTOCOL + " upgrade request");
        }
        ConnectionMetaData meta = request.getConnectionMetaData();
        Connector connector = meta.getConnector();
        FrameConnection connection = new FrameConnection(meta.getConnection().getEndPoint(), connector.getExecutor(),
                connector.getByteBufferPool(), receiver, idleTimeout, pinned);
        response.setStatus(HttpStatus.SWITCHING_PROTOCOLS_101);
        HttpFields.Mutable headers = response.getHeaders();
        headers.put(HttpHeader.UPGRADE, FrameConnection.PROTOCOL);
        headers.put(HttpHeader.CONNECTION, "Upgrade");
        extraHeaders.forEach(headers::add);
        request.setAttribute(HttpStream.UPGRADE_CONNECTION_ATTRIBUTE, connection);
        response.write(true, null, callback);
    }
}
