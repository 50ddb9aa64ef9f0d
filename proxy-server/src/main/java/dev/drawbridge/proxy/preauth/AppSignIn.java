package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AuthMethod;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.edge.ProxyFailure;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.signin.BrowserBinding;
import dev.drawbridge.proxy.signin.Cookies;
import dev.drawbridge.proxy.signin.SignInService;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The app host's side of signing in: sending a browser to the sign-in host (with a nonce cookie that
 * binds the sign-in to this browser, {@link BrowserBinding}), the sign-in callback
 * ({@code <app path>.drawbridge/callback}, a one-time code from the sign-in host turned into the
 * app-scoped session cookie, in the browser that started the sign-in only), sign-out
 * ({@code <app path>.drawbridge/signout}), and the sliding session cookie.
 */
public final class AppSignIn implements SignInPrompt {
    private static final Logger LOG = LoggerFactory.getLogger(AppSignIn.class);
    private static final Duration REFRESH_AFTER = Duration.ofMinutes(1);

    private final SignInService service;
    private final Assignments directory;
    private final Supplier<ConditionalAccess> policies;

    public AppSignIn(SignInService service, Assignments directory, Supplier<ConditionalAccess> policies) {
        this.service = service;
        this.directory = directory;
        this.policies = policies;
    }

    /**
     * The callback: redeems the one-time code (spending it whatever happens next) and accepts it only for this app and in
     * the browser that started the sign-in ({@link BrowserBinding}); then sets the app session cookie and returns to the
     * app. Anything else (unknown, used or expired code, another app's, another browser's) is the same 400 page.
     */
    void callback(PublishedApp app, Request request, Response response, Callback callback) {
        Fields q = Request.extractQueryParameters(request);
        Optional<DirectoryStore.CodeGrant> grant = service.redeem(q.getValue("code")).filter(g -> g.appId().equals(app.id()));
        if (grant.isEmpty()) {
            new ProxyFailure.SignInLinkExpired().respond(response, callback);
            return;
        }
        DirectoryStore.CodeGrant g = grant.get();
        Optional<DirectoryUser> user = service.store().user(g.userId());
        if (!BrowserBinding.matches(request, response, g.binding())) {
            LOG.warn("a sign-in code for app {} was opened in a browser that did not start the sign-in; refused", app.name());
            service.log(SignInRecord.access(SignInResult.DENIED, "sign-in link opened in a browser that did not start the sign-in",
                    Request.getRemoteAddr(request)).user(user).app(app));
            new ProxyFailure.SignInLinkExpired().respond(response, callback);
            return;
        }
        if (user.isPresent() && (!app.access().assignmentRequired() || directory.isAssigned(app.id(), g.userId()))) {
            ConditionalAccess.Decision d = policies.get().evaluate(AuthorizationHandler.context(app, user.get(),
                    directory.groupsOf(g.userId()), request, AccessPolicy.ClientType.BROWSER, service.clock().instant()));
            // A denial or step-up is logged by the request that follows, which enforces it; report-only matches show here.
            if (d.outcome() == ConditionalAccess.Decision.Outcome.ALLOW
                    || (d.outcome() == ConditionalAccess.Decision.Outcome.REQUIRE_MFA && g.amr().contains(AuthMethod.ONE_TIME_CODE.amr()))) {
                service.log(SignInRecord.access(SignInResult.SUCCESS, "session started for the app", Request.getRemoteAddr(request))
                        .user(user).app(app).policies(d.summary()));
            }
        }
        String token = service.newSession(TokenKind.APP_SESSION, SessionTokens.appAudience(app.signInRef()), g.userId(), g.amr(), g.authTime());
        SessionTokens.Session s = service.tokens().verify(token, TokenKind.APP_SESSION, SessionTokens.appAudience(app.signInRef())).orElseThrow();
        setCookie(app, response, token, s);
        Response.sendRedirect(request, response, callback, 303,
                app.externalOrigin() + SignInService.safeReturnPath(app, q.getValue("p")), false);
    }

    /**
     * Starts {@code user}'s session for {@code app} (the cookie set on {@code response}) from a sign-in made elsewhere
     * ({@link AcsSignIn}): {@code amr} and {@code authTime} are that sign-in's.
     */
    SignInService.Valid startSession(PublishedApp app, Response response, DirectoryUser user, List<String> amr, Instant authTime) {
        String token = service.newSession(TokenKind.APP_SESSION, SessionTokens.appAudience(app.signInRef()), user.id(), amr, authTime);
        SessionTokens.Session s = service.tokens().verify(token, TokenKind.APP_SESSION, SessionTokens.appAudience(app.signInRef())).orElseThrow();
        setCookie(app, response, token, s);
        return new SignInService.Valid(s, user);
    }

    /** Sign-out on the app host: drops the app cookie and ends every session on the sign-in host. */
    void signOut(PublishedApp app, Request request, Response response, Callback callback) {
        Cookies.clearAppCookie(response, app.id());
        Response.sendRedirect(request, response, callback, service.loginOrigin() + "/signout");
    }

    @Override
    public void challenge(PublishedApp app, Request request, Response response, Callback callback, boolean stepUp) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        boolean browser = (request.getMethod().equals("GET") || request.getMethod().equals("HEAD"))
                && accept != null && accept.contains("text/html");
        if (browser) {
            String path = request.getHttpURI().getPath();
            String query = request.getHttpURI().getQuery();
            String binding = BrowserBinding.start(request, response);
            Response.sendRedirect(request, response, callback, service.signInUrl(app, query == null ? path : path + "?" + query,
                    binding, stepUp));
        } else {
            new ProxyFailure.SignInRequired(app.name(), stepUp).respond(response, callback);
        }
    }

    @Override
    public String requestAccessUrl(PublishedApp app) {
        return service.loginOrigin() + "/request?app=" + app.id();
    }

    @Override
    public void slide(PublishedApp app, Response response, SignInService.Valid v) {
        if (v.staleAfter(REFRESH_AFTER, service.clock().instant())) {
            setCookie(app, response, service.refreshed(TokenKind.APP_SESSION, SessionTokens.appAudience(app.signInRef()), v.session()), v.session());
        }
    }

    private void setCookie(PublishedApp app, Response response, String token, SessionTokens.Session s) {
        Optional<Duration> maxAge = app.access().cookiePersistent()
                ? Optional.of(Duration.between(service.clock().instant(), s.expiresAt())) : Optional.empty();
        // Always Secure, whatever the app's cookieSecure: a __Host- cookie must be (Cookies.APP_PREFIX).
        Cookies.setAppCookie(response, app.id(), token, app.access().cookieHttpOnly(), maxAge);
    }
}
