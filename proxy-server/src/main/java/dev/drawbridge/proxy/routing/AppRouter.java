package dev.drawbridge.proxy.routing;

import dev.drawbridge.proxy.edge.ProxyFailure;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * App routing, the first handler of the app chain: finds the published app for the request's host
 * and path in the current {@link RouteTable} and puts it on the request ({@link Routed}); a request
 * for no app gets 404, one with dot segments 400.
 */
public final class AppRouter extends Handler.Wrapper {
    private final Supplier<RouteTable> routes;

    public AppRouter(Supplier<RouteTable> routes) {
        this.routes = routes;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        String host = Request.getServerName(request);
        String rawPath = Optional.ofNullable(request.getHttpURI().getPath()).orElse("/");
        Optional<PublishedApp> routed = routes.get().route(host, rawPath);
        if (routed.isEmpty()) {
            new ProxyFailure.NoSuchApp(host, rawPath).respond(response, callback);
            return true;
        }
        PublishedApp app = routed.get();
        if (hasDotSegments(rawPath)) {
            new ProxyFailure.BadPath("The path contains '.' or '..' segments, which are not allowed.").respond(response, callback);
            return true;
        }
        Routed.ATTRIBUTE.set(request, new Routed(app, rawPath, app.remainder(rawPath).orElse("")));
        return super.handle(request, response, callback);
    }

    /**
     * True when a path segment, once percent-decoded, is "." or "..", counting encoded slashes and
     * backslashes as separators (a backend that decodes them before normalising must not be walked
     * out of its base path). Refused with 400.
     */
    static boolean hasDotSegments(String rawPath) {
        String p = rawPath.toLowerCase(Locale.ROOT).replace("%2f", "/").replace("%5c", "/").replace("\\", "/")
                .replace("%2e", ".");
        for (String seg : p.split("/", -1)) {
            if (seg.equals(".") || seg.equals("..")) {
                return true;
            }
        }
        return false;
    }
}
