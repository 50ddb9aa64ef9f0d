package dev.drawbridge.proxy.apps;

import dev.drawbridge.proxy.edge.ProxyFailure;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.function.Supplier;

/**
 * App routing, the first handler of the app chain: reads the request path raw and normalised
 * ({@link RequestPath}), finds the app for the host and path in the current {@link RouteTable}, and
 * puts it on the request ({@link Routed}) with the raw remainder that is forwarded byte for byte.
 * A path that cannot be read safely (dot segments, bad encoding, control characters) or that could
 * belong to another app read another way gets 400; a path of no app, or a request without a host, 404.
 */
public final class AppRouter extends Handler.Wrapper {
    private final Supplier<RouteTable> routes;

    public AppRouter(Supplier<RouteTable> routes) {
        this.routes = routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String raw = request.getHttpURI().getPath();
        if (request.getConnectionMetaData().getHttpVersion() == HttpVersion.HTTP_1_0 && !request.getHeaders().contains(HttpHeader.HOST)) {
            // HTTP/1.0 without Host (later versions require one): Jetty names the server by its own address, which routes
            // nowhere and is nobody's business outside.
            new ProxyFailure.NoSuchApp("", raw).respond(response, callback);
            return true;
        }
        String host = Request.getServerName(request);
        RequestPath path;
        try {
            path = RequestPath.parse(raw);
        } catch (RequestPath.BadPathException e) {
            new ProxyFailure.BadPath(e.getMessage()).respond(response, callback);
            return true;
        }
        switch (routes.get().route(host, path)) {
            case RouteTable.Route.NoApp n -> new ProxyFailure.NoSuchApp(host, path.raw()).respond(response, callback);
            case RouteTable.Route.Refused r -> new ProxyFailure.BadPath(r.reason()).respond(response, callback);
            case RouteTable.Route.To to -> {
                Routed.ATTRIBUTE.set(request, new Routed(to.app(), path, to.remainder()));
                return super.handle(request, response, callback);
            }
        }
        return true;
    }
}
