package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * Everything that can keep a request from reaching its internal app, each mapped to one status
 * and one readable page in {@link #respond}. The only place these pages are written.
 */
public sealed interface ProxyFailure {
    record NoSuchApp(String host, String path) implements ProxyFailure {
    }

    record BadPath(String reason) implements ProxyFailure {
    }

    record ConnectorOffline(String appName, String groupName) implements ProxyFailure {
    }

    record UpstreamUnreachable(String appName, String detail) implements ProxyFailure {
    }

    /**
     * The internal app (or the connector's client for it) failed to give a complete answer: the connection closed before or
     * during the answer, or the request could not be sent; nothing has been sent to the client yet.
     */
    record UpstreamFailed(String appName, String detail) implements ProxyFailure {
    }

    record UpstreamTimeout(String appName, long seconds) implements ProxyFailure {
    }

    record TunnelLost(String appName) implements ProxyFailure {
    }

    record Throttled(String appName, long retryAfterSeconds) implements ProxyFailure {
    }

    default void respond(Response response, Callback callback) {
        switch (this) {
            case NoSuchApp f -> Responses.page(response, callback, 404, "No app here",
                    "No application is published at https://" + f.host() + f.path()
                            + ". Check the address, or ask your administrator for the right link.");
            case BadPath f -> Responses.page(response, callback, 400, "Bad request path", f.reason());
            case ConnectorOffline f -> Responses.page(response, callback, 502, "The app is unreachable right now",
                    "No connector of the connector group '" + f.groupName() + "' is connected, so the app '"
                            + f.appName() + "' cannot be reached. An administrator should check that the group's connectors are running.");
            case UpstreamUnreachable f -> Responses.page(response, callback, 502, "The app did not accept the connection",
                    "The connector could not connect to the internal app '" + f.appName() + "': " + f.detail());
            case UpstreamFailed f -> Responses.page(response, callback, 502, "The app failed to answer",
                    "The internal app '" + f.appName() + "' did not give a complete answer: " + f.detail());
            case UpstreamTimeout f -> Responses.page(response, callback, 504, "The app took too long",
                    "The internal app '" + f.appName() + "' did not answer within " + f.seconds() + " seconds.");
            case Throttled f -> {
                response.getHeaders().put("Retry-After", String.valueOf(f.retryAfterSeconds()));
                Responses.page(response, callback, 429, "Too many requests",
                        "The app '" + f.appName() + "' is receiving more requests than it allows. Try again in "
                                + f.retryAfterSeconds() + " second" + (f.retryAfterSeconds() == 1 ? "" : "s") + ".");
            }
            case TunnelLost f -> Responses.page(response, callback, 502, "The connection to the app was lost",
                    "The connector carrying this request to '" + f.appName() + "' went away. Try again.");
        }
    }
}
