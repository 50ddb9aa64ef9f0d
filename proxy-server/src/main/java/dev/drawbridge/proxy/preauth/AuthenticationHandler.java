package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.PathAccess;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.Routed;
import dev.drawbridge.proxy.edge.ProxyFailure;
import dev.drawbridge.proxy.edge.WebSocketUpgrade;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.signin.Cookies;
import dev.drawbridge.proxy.signin.SignInService;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.util.Optional;

/**
 * Authentication, after path rules in the app chain. Passthrough apps, and passthrough paths of an app ({@link PathAccess}),
 * pass with nobody authenticated. For a {@code DIRECTORY} app: the sign-in callback and sign-out are answered here
 * ({@link AppSignIn}; matched on the normalised path by the app's case rule, and nothing else under
 * {@code <prefix>.drawbridge/} reaches the app); an {@code Authorization: Bearer} access token (kind {@code ACCESS_TOKEN},
 * audience = the app's URL) or the app session cookie (kind {@code APP_SESSION}; the {@code __Host-} cookie named for the
 * app, {@link Cookies#appCookie}; audience = the app) must verify ({@link SessionCheck}: signature, expiry,
 * user enabled, not revoked, not idle). At a SAML app's ACS URL, a SAML response the identity provider issued for the app
 * stands for the session cookie once ({@link AcsSignIn}). Without one a browser is sent to sign in and other clients
 * get 401; an invalid bearer token gets 401. A WebSocket handshake authenticated by the cookie must come from the app's
 * own origin (403 otherwise: the cookie comes with handshakes from every page of the same site, and WebSockets have no
 * CORS). The caller goes on the request ({@link Authenticated}).
 */
public final class AuthenticationHandler extends Handler.Wrapper {
    private final SessionCheck sessions;
    private final AppSignIn signIn;
    private final Optional<AcsSignIn> acs;

    public AuthenticationHandler(SessionCheck sessions, AppSignIn signIn) {
        this(sessions, signIn, Optional.empty());
    }

    /** With {@code acs}, a SAML app's ACS URL also admits a browser that posts a response the identity provider issued. */
    public AuthenticationHandler(SessionCheck sessions, AppSignIn signIn, Optional<AcsSignIn> acs) {
        this.sessions = sessions;
        this.signIn = signIn;
        this.acs = acs;
    }

    /** Whether the request carries an access token Drawbridge issued for {@code app}, valid now. */
    private boolean carriesAccessToken(Request request, PublishedApp app) {
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        return authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                && sessions.check(authorization.substring(7).strip(), TokenKind.ACCESS_TOKEN, app.externalUrl().toString()).isPresent();
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        Routed routed = Routed.ATTRIBUTE.get(request);
        PublishedApp app = routed.app();
        // The path's pre-authentication: a path rule may open a path of a pre-authenticated app (PathAccess).
        if (PathAccess.of(request, app).preAuthentication() == PreAuthentication.PASSTHROUGH) {
            // On an open path of a pre-authenticated app, the client's Drawbridge access token (sent to every path of the app)
            // is still Drawbridge's: marked so, it is not forwarded to the backend, which could replay it.
            Authenticated.ATTRIBUTE.set(request, app.preAuthentication() != PreAuthentication.PASSTHROUGH && carriesAccessToken(request, app)
                    ? new Authenticated(Optional.empty(), true) : Authenticated.passthrough());
            return super.handle(request, response, callback);
        }
        if (routed.isEndpoint(SignInService.CALLBACK)) {
            signIn.callback(app, request, response, callback);
            return true;
        }
        if (routed.isEndpoint(SignInService.SIGNOUT)) {
            signIn.signOut(app, request, response, callback);
            return true;
        }
        if (routed.inReservedNamespace()) {
            // <prefix>.drawbridge/ is the proxy's, in every spelling: nothing under it reaches the app.
            new ProxyFailure.NoSuchApp(Request.getServerName(request), routed.path().raw()).respond(response, callback);
            return true;
        }
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            Optional<SignInService.Valid> valid = sessions.check(authorization.substring(7).strip(), TokenKind.ACCESS_TOKEN, app.externalUrl().toString());
            if (valid.isEmpty()) {
                new ProxyFailure.InvalidToken().respond(response, callback);
                return true;
            }
            Authenticated.ATTRIBUTE.set(request, new Authenticated(valid, true));
            return super.handle(request, response, callback);
        }
        Optional<SignInService.Valid> valid = Cookies.get(request, Cookies.appCookie(app.id()))
                .flatMap(t -> sessions.check(t, TokenKind.APP_SESSION, SessionTokens.appAudience(app.signInRef())));
        if (valid.isEmpty() && acs.isPresent() && acs.get().applies(routed, request)) {
            Optional<AcsSignIn.Admitted> admitted = acs.get().admit(routed, request, response);
            if (admitted.isPresent()) {
                Authenticated.ATTRIBUTE.set(admitted.get().request(), new Authenticated(Optional.of(admitted.get().caller()), false));
                return super.handle(admitted.get().request(), response, callback);
            }
        }
        if (valid.isEmpty()) {
            signIn.challenge(app, request, response, callback, false);
            return true;
        }
        if (acs.isPresent() && acs.get().applies(routed, request)) {
            switch (acs.get().spend(routed, request, valid.get())) {
                case AcsSignIn.Spent.Forward f -> {
                    Authenticated.ATTRIBUTE.set(f.request(), new Authenticated(valid, false));
                    return super.handle(f.request(), response, callback);
                }
                case AcsSignIn.Spent.TooLarge t -> Responses.page(response, callback, 413, "Request too large",
                        "A SAML response is never this large.");
                case AcsSignIn.Spent.OtherUsers o -> Responses.page(response, callback, 403, "Sign-in refused",
                        "This sign-in response was issued to another user than the one signed in here, so it was not passed to "
                                + app.name() + ". Open the app from My Apps to sign in as yourself.");
            }
            return true;
        }
        if (WebSocketUpgrade.is(request) && !WebSocketUpgrade.fromOriginOrNoBrowser(request, app.externalOrigin())) {
            // The cookie comes with a handshake from any page of the same site, and WebSockets have no CORS.
            new ProxyFailure.CrossOriginWebSocket(app.name()).respond(response, callback);
            return true;
        }
        Authenticated.ATTRIBUTE.set(request, new Authenticated(valid, false));
        return super.handle(request, response, callback);
    }
}
