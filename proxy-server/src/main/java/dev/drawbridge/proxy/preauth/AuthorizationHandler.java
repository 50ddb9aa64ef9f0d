package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.proxy.apps.PathAccess;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.Routed;
import dev.drawbridge.proxy.edge.ProxyFailure;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.signin.SignInService;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Authorization, after authentication in the app chain, for the caller of a {@code DIRECTORY} app:
 * the app must be assigned to the user when it requires assignment, the user must be among the users of the path's rule
 * when it names some ({@link PathAccess}), and conditional access (the app's policies and the path rule's) must
 * not block (403) or want a second factor the session lacks (a browser is sent to step up, a
 * bearer client gets 401). Denials and step-ups go to the sign-in log. A request let through
 * slides the session cookie and carries the user's {@link Identity} ({@link Authorized}).
 */
public final class AuthorizationHandler extends Handler.Wrapper {
    private static final Logger LOG = LoggerFactory.getLogger(AuthorizationHandler.class);

    private final Assignments directory;
    private final Supplier<ConditionalAccess> policies;
    private final AccessLog log;
    private final SignInPrompt prompt;
    private final Clock clock;

    public AuthorizationHandler(Assignments directory, Supplier<ConditionalAccess> policies, AccessLog log, SignInPrompt prompt,
                                Clock clock) {
        this.directory = directory;
        this.policies = policies;
        this.log = log;
        this.prompt = prompt;
        this.clock = clock;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        PublishedApp app = Routed.ATTRIBUTE.get(request).app();
        Authenticated caller = Authenticated.ATTRIBUTE.get(request);
        if (caller.caller().isEmpty()) {
            // Nobody signed in (a passthrough app or path); a Drawbridge token that came along still stays here.
            Authorized.ATTRIBUTE.set(request, new Authorized(Optional.empty(), caller.bearer()));
            return super.handle(request, response, callback);
        }
        SignInService.Valid v = caller.caller().get();
        DirectoryUser user = v.user();
        String ip = Request.getRemoteAddr(request);
        PathAccess path = PathAccess.of(request, app);
        AccessPolicy.ClientType clientType = caller.bearer() ? AccessPolicy.ClientType.NATIVE : AccessPolicy.ClientType.BROWSER;
        AccessCheck.Verdict verdict = AccessCheck.decide(directory, policies.get(), app, user,
                new AccessCheck.Origin(InetAddress.ofLiteral(ip), clientType, v.session().amr(), path), clock.instant());
        List<DirectoryStore.Group> groups;
        switch (verdict) {
            case AccessCheck.Verdict.ProviderNotOffered p -> {
                String why = "signed in with the identity provider " + p.providerId() + ", which the app does not offer"
                        + (caller.bearer() ? " (bearer token)" : "");
                log.record(SignInRecord.access(SignInResult.DENIED, why, ip).clientType(clientType).user(user).app(app));
                if (caller.bearer()) {
                    new ProxyFailure.TokenBlocked(List.of("sign-in with " + p.providerId() + ", an identity provider this app does not offer"))
                            .respond(response, callback);
                } else {
                    // The sign-in page does not take that session for this app: it offers the app's own providers.
                    prompt.challenge(app, request, response, callback, false);
                }
                return true;
            }
            case AccessCheck.Verdict.NotAssigned n -> {
                if (caller.bearer()) {
                    new ProxyFailure.TokenNotAssigned(user.upn()).respond(response, callback);
                    return true;
                }
                LOG.info("user {} denied on app {}: not assigned", user.upn(), app.name());
                log.record(SignInRecord.access(SignInResult.DENIED, "not assigned to the app", ip).user(user).app(app));
                new ProxyFailure.NotAssigned(app.name(), user.upn(), prompt.requestAccessUrl(app)).respond(response, callback);
                return true;
            }
            case AccessCheck.Verdict.PathNotAllowed p -> {
                LOG.info("user {} denied on app {}: not among the users of path rule {}", user.upn(), app.name(), p.rule());
                log.record(SignInRecord.access(SignInResult.DENIED, "not among the users of the path " + p.rule(), ip).user(user).app(app));
                new ProxyFailure.PathNotAllowed(app.name(), user.upn(), caller.bearer()).respond(response, callback);
                return true;
            }
            case AccessCheck.Verdict.Blocked b -> {
                String why = "blocked by conditional access" + (caller.bearer() ? " (bearer token)" : "");
                log.record(SignInRecord.access(SignInResult.DENIED, why, ip).clientType(clientType).user(user).app(app)
                        .policies(b.decision().summary()));
                (caller.bearer() ? new ProxyFailure.TokenBlocked(b.decision().applied())
                        : new ProxyFailure.Blocked(app.name(), user.upn(), b.decision().applied())).respond(response, callback);
                return true;
            }
            case AccessCheck.Verdict.NeedsStepUp s -> {
                if (caller.bearer()) {
                    new ProxyFailure.TokenNeedsStepUp().respond(response, callback);
                    return true;
                }
                // Step up: the sign-in host asks for the second factor, then comes back with a stronger session.
                log.record(SignInRecord.access(SignInResult.INTERRUPTED, "two-step verification required", ip)
                        .user(user).app(app).policies(s.decision().summary()));
                prompt.challenge(app, request, response, callback, true);
                return true;
            }
            case AccessCheck.Verdict.Allowed a -> groups = a.groups();
        }
        if (!caller.bearer()) {
            prompt.slide(app, response, v);
        }
        Identity identity = new Identity(user, groups.stream().map(DirectoryStore.Group::name).toList(), v.session().amr(),
                v.session().authTime());
        Authorized.ATTRIBUTE.set(request, new Authorized(Optional.of(identity), caller.bearer()));
        return super.handle(request, response, callback);
    }

    /** The conditional-access context of a request. */
    static ConditionalAccess.Context context(PublishedApp app, DirectoryUser user, List<DirectoryStore.Group> groups, Request request,
                                             AccessPolicy.ClientType clientType, Instant at) {
        return AccessCheck.context(app, user, groups, InetAddress.ofLiteral(Request.getRemoteAddr(request)), clientType, at);
    }
}
