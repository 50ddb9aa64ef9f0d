package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import java.net.InetAddress;
import java.util.List;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.routing.PublishedApp;
import dev.drawbridge.proxy.signin.Cookies;
import dev.drawbridge.proxy.signin.SignInService;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * Pre-authentication on an app host, between routing and dispatch. For a {@code DIRECTORY} app:
 * the sign-in callback ({@code <app path>/.drawbridge/callback}) turns a one-time code into the
 * app-scoped session cookie; every other request needs that cookie (audience = this app), a user
 * still allowed in, and (when required) an assignment. Browsers without a session are sent to the
 * sign-in host; other clients get 401. Passthrough apps pass untouched.
 */
public final class PreAuthenticator {
    private static final Logger LOG = LoggerFactory.getLogger(PreAuthenticator.class);
    private static final Duration REFRESH_AFTER = Duration.ofMinutes(1);

    /** The outcome: either the request was answered here, or it goes on (with an identity for DIRECTORY apps). */
    public sealed interface Outcome {
        record Answered() implements Outcome {
        }

        /** @param bearer the identity came from an {@code Authorization: Bearer} token, which is not forwarded */
        record Proceed(Optional<Identity> identity, boolean bearer) implements Outcome {
            public Proceed(Optional<Identity> identity) {
                this(identity, false);
            }
        }
    }

    private final SignInService service;
    private final Supplier<ConditionalAccess> policies;

    public PreAuthenticator(SignInService service, Supplier<ConditionalAccess> policies) {
        this.service = service;
        this.policies = policies;
    }

    public Outcome check(PublishedApp app, Request request, Response response, Callback callback) {
        if (app.preAuthentication() == PreAuthentication.PASSTHROUGH) {
            return new Outcome.Proceed(Optional.empty());
        }
        String path = request.getHttpURI().getPath();
        if (path.equals(app.externalPath() + SignInService.CALLBACK)) {
            callback(app, request, response, callback);
            return new Outcome.Answered();
        }
        if (path.equals(app.externalPath() + SignInService.SIGNOUT)) {
            Cookies.clearAppCookie(response, app.externalPath(), app.access().cookieSecure());
            Response.sendRedirect(request, response, callback, service.loginOrigin() + "/signout");
            return new Outcome.Answered();
        }
        String authorization = request.getHeaders().get(HttpHeader.AUTHORIZATION);
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return bearer(app, authorization.substring(7).strip(), request, response, callback);
        }
        String audience = SessionTokens.appAudience(app.id());
        Optional<SignInService.Valid> valid = Cookies.get(request, Cookies.APP).flatMap(t -> service.check(t, audience));
        if (valid.isEmpty()) {
            unauthenticated(app, request, response, callback, false);
            return new Outcome.Answered();
        }
        SignInService.Valid v = valid.get();
        if (app.access().assignmentRequired() && !service.store().isAssigned(app.id(), v.user().id())) {
            LOG.info("user {} denied on app {}: not assigned", v.user().upn(), app.name());
            service.logEvent("ACCESS", "DENIED", "not assigned to the app", Optional.of(v.user()), null, Optional.of(app),
                    Request.getRemoteAddr(request), "");
            Responses.page(response, callback, 403, "You don't have access to " + app.name(),
                    "You are signed in as " + v.user().upn() + ", but this app is not assigned to you. "
                            + "You can ask for access; an administrator will approve or deny it.",
                    service.loginOrigin() + "/request?app=" + app.id(), "Request access");
            return new Outcome.Answered();
        }
        List<DirectoryStore.Group> groups = service.store().groupsOf(v.user().id());
        ConditionalAccess.Decision decision = policies.get().evaluate(context(app, v.user(), groups, request));
        if (decision.outcome() == ConditionalAccess.Decision.Outcome.BLOCK) {
            service.logEvent("ACCESS", "DENIED", "blocked by conditional access", Optional.of(v.user()), null, Optional.of(app),
                    Request.getRemoteAddr(request), decision.summary());
            Responses.page(response, callback, 403, "Access blocked",
                    "Your organization's policy does not allow " + v.user().upn() + " to open " + app.name()
                            + " from here, or at this time. Policy: " + String.join(", ", decision.applied()) + ".");
            return new Outcome.Answered();
        }
        if (decision.outcome() == ConditionalAccess.Decision.Outcome.REQUIRE_MFA && !v.session().amr().contains("otp")) {
            // Step up: the sign-in host asks for the second factor, then comes back with a stronger session.
            service.logEvent("ACCESS", "INTERRUPTED", "two-step verification required", Optional.of(v.user()), null, Optional.of(app),
                    Request.getRemoteAddr(request), decision.summary());
            unauthenticated(app, request, response, callback, true);
            return new Outcome.Answered();
        }
        if (v.staleAfter(REFRESH_AFTER, service.clock().instant())) {
            setCookie(app, response, service.refreshed(audience, v.session()), v.session());
        }
        return new Outcome.Proceed(Optional.of(new Identity(v.user(), groups.stream().map(DirectoryStore.Group::name).toList(),
                v.session().amr(), v.session().authTime())));
    }

    private void callback(PublishedApp app, Request request, Response response, Callback callback) {
        Fields q = Request.extractQueryParameters(request);
        Optional<DirectoryStore.CodeGrant> grant = service.redeem(q.getValue("code")).filter(g -> g.appId().equals(app.id()));
        if (grant.isEmpty()) {
            Responses.page(response, callback, 400, "Sign-in link expired",
                    "This sign-in link was already used, has expired, or belongs to another app. Open the app again to sign in.");
            return;
        }
        DirectoryStore.CodeGrant g = grant.get();
        Optional<DirectoryUser> user = service.store().user(g.userId());
        if (user.isPresent() && (!app.access().assignmentRequired() || service.store().isAssigned(app.id(), g.userId()))) {
            ConditionalAccess.Decision d = policies.get().evaluate(context(app, user.get(), service.store().groupsOf(g.userId()), request));
            // A denial or step-up is logged by the request that follows, which enforces it; report-only matches show here.
            if (d.outcome() == ConditionalAccess.Decision.Outcome.ALLOW
                    || (d.outcome() == ConditionalAccess.Decision.Outcome.REQUIRE_MFA && g.amr().contains("otp"))) {
                service.logEvent("ACCESS", "SUCCESS", "session started for the app", user, null, Optional.of(app),
                        Request.getRemoteAddr(request), d.summary());
            }
        }
        String token = service.newSession(SessionTokens.appAudience(app.id()), g.userId(), g.amr(), g.authTime());
        SessionTokens.Session s = service.tokens().verify(token, SessionTokens.appAudience(app.id())).orElseThrow();
        setCookie(app, response, token, s);
        Response.sendRedirect(request, response, callback, 303,
                app.externalOrigin() + SignInService.safeReturnPath(app, q.getValue("p")), false);
    }

    private void setCookie(PublishedApp app, Response response, String token, SessionTokens.Session s) {
        Optional<Duration> maxAge = app.access().cookiePersistent()
                ? Optional.of(Duration.between(service.clock().instant(), s.expiresAt())) : Optional.empty();
        Cookies.setAppCookie(response, token, app.externalPath(), app.access().cookieSecure(), app.access().cookieHttpOnly(), maxAge);
    }

    /** A native or API client with an access token from the token issuer: audience = this app's URL. */
    private Outcome bearer(PublishedApp app, String token, Request request, Response response, Callback callback) {
        Optional<SignInService.Valid> valid = service.check(token, app.externalUrl().toString());
        if (valid.isEmpty()) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer error=\"invalid_token\"");
            Responses.problem(response, callback, 401, "Invalid token", "the bearer token is invalid, expired, revoked, or for another app");
            return new Outcome.Answered();
        }
        SignInService.Valid v = valid.get();
        if (app.access().assignmentRequired() && !service.store().isAssigned(app.id(), v.user().id())) {
            Responses.problem(response, callback, 403, "Forbidden", "this app is not assigned to " + v.user().upn());
            return new Outcome.Answered();
        }
        List<DirectoryStore.Group> groups = service.store().groupsOf(v.user().id());
        ConditionalAccess.Decision d = policies.get().evaluate(new ConditionalAccess.Context(v.user().id(), v.user().upn(),
                groups.stream().map(DirectoryStore.Group::id).collect(Collectors.toSet()),
                groups.stream().map(DirectoryStore.Group::name).collect(Collectors.toSet()), app.id(),
                InetAddress.ofLiteral(Request.getRemoteAddr(request)), AccessPolicy.ClientType.NATIVE, service.clock().instant()));
        if (d.outcome() == ConditionalAccess.Decision.Outcome.BLOCK) {
            service.logEvent("ACCESS", "DENIED", "blocked by conditional access (bearer token)", Optional.of(v.user()), null,
                    Optional.of(app), Request.getRemoteAddr(request), d.summary());
            Responses.problem(response, callback, 403, "Access blocked", "blocked by policy: " + String.join(", ", d.applied()));
            return new Outcome.Answered();
        }
        if (d.outcome() == ConditionalAccess.Decision.Outcome.REQUIRE_MFA && !v.session().amr().contains("otp")) {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer error=\"insufficient_user_authentication\"");
            Responses.problem(response, callback, 401, "Two-step verification required", "sign in again with two-step verification");
            return new Outcome.Answered();
        }
        return new Outcome.Proceed(Optional.of(new Identity(v.user(), groups.stream().map(DirectoryStore.Group::name).toList(),
                v.session().amr(), v.session().authTime())), true);
    }

    /** The conditional-access context of a browser request. */
    private ConditionalAccess.Context context(PublishedApp app, DirectoryUser user, List<DirectoryStore.Group> groups, Request request) {
        return new ConditionalAccess.Context(user.id(), user.upn(),
                groups.stream().map(DirectoryStore.Group::id).collect(Collectors.toSet()),
                groups.stream().map(DirectoryStore.Group::name).collect(Collectors.toSet()), app.id(),
                InetAddress.ofLiteral(Request.getRemoteAddr(request)), AccessPolicy.ClientType.BROWSER, service.clock().instant());
    }

    private void unauthenticated(PublishedApp app, Request request, Response response, Callback callback, boolean stepUp) {
        String accept = request.getHeaders().get(HttpHeader.ACCEPT);
        boolean browser = (request.getMethod().equals("GET") || request.getMethod().equals("HEAD"))
                && accept != null && accept.contains("text/html");
        if (browser) {
            String path = request.getHttpURI().getPath();
            String query = request.getHttpURI().getQuery();
            String target = service.signInUrl(app, query == null ? path : path + "?" + query) + (stepUp ? "&mfa=1" : "");
            Response.sendRedirect(request, response, callback, target);
        } else {
            response.getHeaders().put(HttpHeader.WWW_AUTHENTICATE, "Bearer realm=\"" + app.name().replace("\"", "") + "\""
                    + (stepUp ? ", error=\"insufficient_user_authentication\"" : ""));
            Responses.problem(response, callback, 401, "Sign-in required",
                    "this app requires signing in; open it in a browser or send a bearer token");
        }
    }
}
