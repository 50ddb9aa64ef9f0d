package dev.drawbridge.proxy.edge;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Request;

import java.util.List;

/**
 * What makes a request a WebSocket handshake, in one place for the handlers of the {@link PublicChain} that treat one
 * differently (authentication checks where it comes from, dispatch relays it), and where it comes from.
 */
public final class WebSocketUpgrade {
    private WebSocketUpgrade() {
    }

    /**
     * An HTTP/1.1 GET with {@code Upgrade: websocket} (any case; the first Upgrade header decides). On HTTP/2 an Upgrade
     * field is malformed (RFC 9113 §8.2.2) and never a handshake: the connector must not open a WebSocket to the app.
     */
    public static boolean is(Request request) {
        return request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_1 && HttpMethod.GET.is(request.getMethod())
                && "websocket".equalsIgnoreCase(request.getHeaders().get(HttpHeader.UPGRADE));
    }

    /**
     * Whether the handshake came from a page of {@code origin} ({@code https://host[:port]}, compared ignoring case), or
     * from no page at all: browsers always send one {@code Origin} with a WebSocket handshake, so none means no browser
     * and no other site's page behind it. Several Origin headers, or {@code null}, come from no page of {@code origin}.
     */
    public static boolean fromOriginOrNoBrowser(Request request, String origin) {
        List<String> origins = request.getHeaders().getValuesList(HttpHeader.ORIGIN);
        return origins.isEmpty() || (origins.size() == 1 && origins.getFirst().strip().equalsIgnoreCase(origin));
    }
}
