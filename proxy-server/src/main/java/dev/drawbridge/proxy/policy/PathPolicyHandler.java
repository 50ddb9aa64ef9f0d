package dev.drawbridge.proxy.policy;

import dev.drawbridge.proxy.apps.PathAccess;
import dev.drawbridge.proxy.apps.PathRules;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.Routed;
import dev.drawbridge.proxy.edge.ProxyFailure;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.function.Function;

/**
 * Path rules, after throttling in the app chain: decides which of the app's path rules applies to the request
 * ({@link PathRules}, on the same readings of the path as app routing) and puts it on the request ({@link PathAccess}),
 * for authentication (the pre-authentication) and authorization (who may use the path, which policies apply). A path
 * whose readings fall under rules of which none is the strictest gets 400. The proxy's own {@code <prefix>.drawbridge/}
 * (sign-in callback, sign-out) always takes the app's own settings.
 */
public final class PathPolicyHandler extends Handler.Wrapper {
    private final Function<PublishedApp, PathRules> rules;

    /** @param rules an app's current path rules */
    public PathPolicyHandler(Function<PublishedApp, PathRules> rules) {
        this.rules = rules;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Routed routed = Routed.ATTRIBUTE.get(request);
        if (routed.inReservedNamespace()) {
            PathAccess.ATTRIBUTE.set(request, PathAccess.of(routed.app()));
            return super.handle(request, response, callback);
        }
        switch (rules.apply(routed.app()).decide(routed.path())) {
            case PathRules.Decision.Refused r -> {
                new ProxyFailure.BadPath(r.reason()).respond(response, callback);
                return true;
            }
            case PathRules.Decision.Apply a -> {
                PathAccess.ATTRIBUTE.set(request, a.access());
                return super.handle(request, response, callback);
            }
        }
    }
}
