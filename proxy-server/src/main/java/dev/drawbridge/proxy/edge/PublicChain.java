package dev.drawbridge.proxy.edge;

import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;

/**
 * Assembles the inbound path, the one place where the order of the handlers is decided:
 * <pre>
 *  HostRouter ─┬─ tunnel listener ─────▶ TunnelHandler (connector WebSockets)
 *              ├─ admin.&lt;domain&gt; ───────▶ ManagementHandler (admin API, registration, health)
 *              ├─ login.&lt;domain&gt; ───────▶ SignInHandler (sign-in, My Apps, federation, tokens)
 *              └─ any other host: the app chain
 *                   AppRouter               host + normalised path → app; refuses paths that read differently raw
 *                      │                    and normalised, dot segments, bad encodings          sets Routed
 *                   ThrottleHandler         global and per-app token buckets → 429
 *                      │
 *                   PathPolicyHandler       the app's path rule for the path's every reading (stricter wins, else
 *                      │                    400): pre-authentication, users, policies               sets PathAccess
 *                   AuthenticationHandler   passthrough apps pass; the sign-in callback and sign-out are answered
 *                      │                    here; session cookie or bearer token → the caller     sets Authenticated
 *                   AuthorizationHandler    assignment, conditional access (block, step-up), sign-in log,
 *                      │                    sliding session                                        sets Authorized
 *                   DispatchHandler         a stream on a connector's tunnel (ConnectorPicker), the exchange or
 *                                           the WebSocket relay
 * </pre>
 * Each handler answers what stops a request with a {@link ProxyFailure} and otherwise hands the request on with a
 * typed {@link RequestAttribute}. Every handler runs on a virtual thread.
 */
public final class PublicChain {
    /**
     * What the listeners let through to the chain. Jetty's default refuses ambiguous forms first ({@code %2e} and
     * {@code ..;} segments, empty segments, {@code %u} encodings, bad UTF-8, raw backslashes); encoded slashes and
     * backslashes and {@code %25} reach app routing, which judges every spelling itself.
     */
    public static final UriCompliance URI_COMPLIANCE = UriCompliance.DEFAULT.with("drawbridge",
            UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
            UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS);

    private PublicChain() {
    }

    /** The app hosts' chain without path rules (each app's own settings apply to all its paths). */
    public static Handler apps(Handler.Wrapper routing, Handler.Wrapper throttling, Handler.Wrapper authentication,
                               Handler.Wrapper authorization, Handler dispatch) {
        routing.setHandler(throttling);
        throttling.setHandler(authentication);
        authentication.setHandler(authorization);
        authorization.setHandler(dispatch);
        return routing;
    }

    /** The app hosts' chain, linked in order; returns its first handler. */
    public static Handler apps(Handler.Wrapper routing, Handler.Wrapper throttling, Handler.Wrapper paths, Handler.Wrapper authentication,
                               Handler.Wrapper authorization, Handler dispatch) {
        routing.setHandler(throttling);
        throttling.setHandler(paths);
        paths.setHandler(authentication);
        authentication.setHandler(authorization);
        authorization.setHandler(dispatch);
        return routing;
    }

    /** The whole public chain: host routing first, then the tunnel endpoint, the admin host, the sign-in host or {@code apps}. */
    public static Handler.Wrapper assemble(Connector tunnelListener, String adminHost, String loginHost, Request.Handler tunnel,
                                           Request.Handler management, Request.Handler signIn, Handler apps) {
        return new HostRouter(tunnelListener, adminHost, loginHost, tunnel, management, signIn, apps);
    }
}
