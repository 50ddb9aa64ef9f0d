package dev.drawbridge.proxy.forwarding;

import dev.drawbridge.model.http.RequestIds;
import dev.drawbridge.proxy.edge.RequestId;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

import java.net.InetSocketAddress;
import java.util.List;

/**
 * Gives every request on the public listener its {@link RequestId} before any handler runs. A request from a trusted
 * proxy ({@code --trusted-proxy}: the socket's peer, looked at before {@link ClientAddressCustomizer} replaces it with
 * the client) keeps the one {@code X-Request-Id} it carries when that is well formed ({@link RequestIds#isWellFormed}),
 * so a load balancer's logs line up with Drawbridge's; every other request gets a new random one, whatever it sent.
 * The id only correlates logs: nothing is decided on it, so the worst a lying load balancer can do is confuse its own
 * logs.
 */
public final class RequestIdCustomizer implements HttpConfiguration.Customizer {
    private final TrustedProxies trusted;

    public RequestIdCustomizer(TrustedProxies trusted) {
        this.trusted = trusted;
    }

    @Override
    public Request customize(Request request, HttpFields.Mutable responseHeaders) {
        RequestId.ATTRIBUTE.set(request, idFor(request));
        return request;
    }

    private RequestId idFor(Request request) {
        if (!trusted.isEmpty() && request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress peer
                && peer.getAddress() != null && trusted.contains(peer.getAddress())) {
            List<String> sent = request.getHeaders().getValuesList(RequestIds.HEADER);
            if (sent.size() == 1 && RequestIds.isWellFormed(sent.getFirst())) {
                return new RequestId(sent.getFirst());
            }
        }
        return RequestId.generate();
    }
}
