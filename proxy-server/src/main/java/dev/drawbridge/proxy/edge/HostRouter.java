package dev.drawbridge.proxy.edge;

import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The first handler of the {@link PublicChain}: requests on the tunnel listener go to the tunnel
 * endpoint whatever their host; on the public listener the host name (case-insensitive, without
 * port) picks the admin host, the sign-in host, or else the app chain (the wrapped handler).
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
