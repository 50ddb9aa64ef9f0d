package dev.drawbridge.proxy.edge;

import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Optional;

/**
 * The first handler of the {@link PublicChain}: requests on the tunnel listener go to the tunnel
 * endpoint whatever their host; on the public listener the host name (case-insensitive, without
 * port) picks the admin host, the sign-in host, or else the app chain (the wrapped handler). Before that, an HTTP/2
 * request carrying a connection-specific field (malformed, RFC 9113 section 8.2.2) is answered 400 on every host.
 */
public final class HostRouter extends Handler.Wrapper {
    private final Connector tunnelListener;
    private final String adminHost;
    private final String loginHost;
    private final Request.Handler tunnel;
    private final Request.Handler management;
    private final Request.Handler signIn;

    public HostRouter(Connector tunnelListener, String adminHost, String loginHost, Request.Handler tunnel,
                      Request.Handler management, Request.Handler signIn, Handler apps) {
        super(apps);
        this.tunnelListener = tunnelListener;
        this.adminHost = adminHost;
        this.loginHost = loginHost;
        this.tunnel = tunnel;
        this.management = management;
        this.signIn = signIn;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (request.getConnectionMetaData().getConnector() == tunnelListener) {
            return tunnel.handle(request, response, callback);
        }
        Optional<String> malformed = PublicHttp2.connectionSpecificField(request);
        if (malformed.isPresent()) {
            Responses.page(response, callback, 400, "Bad request",
                    "An HTTP/2 request may not carry the connection-specific field '" + malformed.get() + "'.");
            return true;
        }
        String host = Request.getServerName(request);
        if (adminHost.equalsIgnoreCase(host)) {
            return management.handle(request, response, callback);
        }
        if (loginHost.equalsIgnoreCase(host)) {
            return signIn.handle(request, response, callback);
        }
        return super.handle(request, response, callback);
    }
}
