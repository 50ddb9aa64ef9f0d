package dev.drawbridge.proxy.edge;

import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.List;
import java.util.Optional;

/**
 * Everything that can keep a request on an app host from reaching its internal app, each mapped to
 * one status and one answer in {@link #respond}: a readable page for browsers, an RFC 9457 problem
 * (with {@code WWW-Authenticate} where it applies) for API and native clients. The only place the
 * public chain writes such answers; each carries {@value Responses#GENERATED_HEADER}.
 */
public sealed interface ProxyFailure {
    /** No app at this host and path; {@code host} is empty when the request named none. */
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

    /** The connector could not sign the user in to the app ({@code reason} names why; the app never got the request). */
    record SsoRefused(String appName, String reason) implements ProxyFailure {
    }

    /** The app has single sign-on and the connected connectors of its group predate it. */
    record ConnectorTooOld(String appName, String groupName) implements ProxyFailure {
    }

    record TunnelLost(String appName) implements ProxyFailure {
    }

    /**
     * The app's connector group is in maintenance mode: no new request goes to its connectors. {@code message} is what the
     * administrators wrote for users (absent: a general sentence).
     */
    record InMaintenance(String appName, Optional<String> message) implements ProxyFailure {
    }

    /**
     * A client that is not a browser's page navigation, on an app that signs in with the user's stored password: none is
     * stored, or the app refused it ({@code refused}), or it was stored for the app's former address ({@code moved}).
     * {@code url} is where the user stores it (My Apps).
     */
    record StoredPasswordNeeded(String appName, String url, boolean refused, boolean moved) implements ProxyFailure {
    }

    /** The app signs every user in with its shared password, which is not set or which it refused ({@code reason}). */
    record SharedPasswordFailed(String appName, String reason) implements ProxyFailure {
    }

    record Throttled(String appName, long retryAfterSeconds) implements ProxyFailure {
    }

    /** The sign-in callback's one-time code is unknown, used, expired, or for another app. */
    record SignInLinkExpired() implements ProxyFailure {
    }

    /** A client that is not a browser, without a session: it needs a bearer token ({@code stepUp}: one with a second factor). */
    record SignInRequired(String appName, boolean stepUp) implements ProxyFailure {
    }

    /** A WebSocket handshake with the app's session cookie from a page of another origin (cross-site WebSocket hijacking). */
    record CrossOriginWebSocket(String appName) implements ProxyFailure {
    }

    /** A signed-in browser user the app is not assigned to; {@code requestAccessUrl} files an access request. */
    record NotAssigned(String appName, String upn, String requestAccessUrl) implements ProxyFailure {
    }

    /** A signed-in user whom a path rule of the app does not let in ({@code bearer}: a bearer client, answered in JSON). */
    record PathNotAllowed(String appName, String upn, boolean bearer) implements ProxyFailure {
    }

    /** A signed-in browser user that conditional access blocks. */
    record Blocked(String appName, String upn, List<String> policies) implements ProxyFailure {
        public Blocked {
            policies = List.copyOf(policies);
        }
    }

    /** A bearer token that is invalid, expired, revoked or for another app. */
    record InvalidToken() implements ProxyFailure {
    }

    /** A valid bearer token of a user the app is not assigned to. */
    record TokenNotAssigned(String upn) implements ProxyFailure {
    }

    /** A valid bearer token that conditional access blocks. */
    record TokenBlocked(List<String> policies) implements ProxyFailure {
        public TokenBlocked {
            policies = List.copyOf(policies);
        }
    }

    /** A valid bearer token without the second factor that conditional access requires. */
    record TokenNeedsStepUp() implements ProxyFailure {
    }

    default void respond(Response response, Callback callback) {
        switch (this) {
            case NoSuchApp f -> Responses.page(response, callback, 404, "No app here",
                    "No application is published at " + (f.host().isEmpty() ? "this address" : "https://" + f.host() + f.path())
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
                response.getHeaders().put(HttpHeader.RETRY_AFTER, String.valueOf(f.retryAfterSeconds()));
                Responses.page(response, callback, 429, "Too many requests",
                        "The app '" + f.appName() + "' is receiving more requests than it allows. Try again in "
                                + f.retryAfterSeconds() + " second" + (f.retryAfterSeconds() == 1 ? "" : "s") + ".");
            }
            case SsoRefused f -> Responses.page(response, callback, 502, "Single sign-on to the app failed",
                    "Drawbridge could not sign you in to '" + f.appName() + "', so the app was not opened. Reason: " + f.reason()
                            + ". Try again; if it keeps failing, tell your administrator (it is in the sign-in log).");
            case InMaintenance f -> {
                response.getHeaders().put(HttpHeader.RETRY_AFTER, "300");
                Responses.page(response, callback, 503, "The app is under maintenance",
                        "The app '" + f.appName() + "' is unavailable while its administrators carry out maintenance. "
                                + f.message().map(m -> "They say: " + m).orElse("Try again later."));
            }
            case ConnectorTooOld f -> Responses.page(response, callback, 502, "The app's connectors need an update",
                    "The app '" + f.appName() + "' signs you in with single sign-on, which no connected connector of the group '"
                            + f.groupName() + "' supports yet. An administrator should update the group's connectors.");
            case StoredPasswordNeeded f -> Responses.problem(response, callback, 403,
                    f.refused() ? "Stored password refused" : "Stored password needed", (f.refused()
                            ? "the app '" + f.appName() + "' refused the user name and password stored for it"
                            : f.moved() ? "the app '" + f.appName() + "' moved, or its sign-in changed, since its password was stored"
                            : "the app '" + f.appName() + "' signs in with a user name and password stored in My Apps, and none is")
                            + "; store them at " + f.url());
            case SharedPasswordFailed f -> Responses.page(response, callback, 502, "The app's shared sign-in failed",
                    "Drawbridge signs everyone in to '" + f.appName() + "' with a user name and password an administrator sets, and "
                            + f.reason() + ". Only an administrator can fix this: tell them (it is in the sign-in log).");
            case TunnelLost f -> Responses.page(response, callback, 502, "The connection to the app was lost",
                    "The connector carrying this request to '" + f.appName() + "' went away. Try again.");
            case SignInLinkExpired f -> Responses.page(response, callback, 400, "Sign-in link expired",
                    "This sign-in link was already used, has expired, or belongs to another app. Open the app again to sign in.");
            case SignInRequired f -> {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"" + f.appName().replace("\"", "") + "\""
                        + (f.stepUp() ? ", error=\"insufficient_user_authentication\"" : ""));
                Responses.problem(response, callback, 401, "Sign-in required",
                        "this app requires signing in; open it in a browser or send a bearer token");
            }
            case CrossOriginWebSocket f -> Responses.page(response, callback, 403, "Connection refused",
                    "A page of another site tried to open a connection to '" + f.appName()
                            + "' with your session. Only the app's own pages may.");
            case NotAssigned f -> Responses.page(response, callback, 403, "You don't have access to " + f.appName(),
                    "You are signed in as " + f.upn() + ", but this app is not assigned to you. "
                            + "You can ask for access; an administrator will approve or deny it.",
                    f.requestAccessUrl(), "Request access");
            case PathNotAllowed f -> {
                if (f.bearer()) {
                    Responses.problem(response, callback, 403, "Forbidden", "this part of the app is not open to " + f.upn());
                } else {
                    Responses.page(response, callback, 403, "You don't have access to this part of " + f.appName(),
                            "You are signed in as " + f.upn() + ", but this part of the app is open to certain users only. "
                                    + "Ask the app's administrator if you need it.");
                }
            }
            case Blocked f -> Responses.page(response, callback, 403, "Access blocked",
                    "Your organization's policy does not allow " + f.upn() + " to open " + f.appName()
                            + " from here, or at this time. Policy: " + String.join(", ", f.policies()) + ".");
            case InvalidToken f -> {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
                Responses.problem(response, callback, 401, "Invalid token",
                        "the bearer token is invalid, expired, revoked, or for another app");
            }
            case TokenNotAssigned f -> Responses.problem(response, callback, 403, "Forbidden", "this app is not assigned to " + f.upn());
            case TokenBlocked f -> Responses.problem(response, callback, 403, "Access blocked",
                    "blocked by policy: " + String.join(", ", f.policies()));
            case TokenNeedsStepUp f -> {
                response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer error=\"insufficient_user_authentication\"");
                Responses.problem(response, callback, 401, "Two-step verification required", "sign in again with two-step verification");
            }
        }
    }
}
