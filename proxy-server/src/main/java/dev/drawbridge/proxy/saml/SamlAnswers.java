package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AuthMethod;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.edge.ProxyFailure;
import dev.drawbridge.proxy.federation.FederatedSessions;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.preauth.Assignments;
import dev.drawbridge.proxy.signin.SignInService;
import dev.drawbridge.proxy.sso.IdentityTokens;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Answers an app's AuthnRequest (or an IdP-initiated sign-in) for the browser's user, exactly as the app itself would let
 * them in: nobody signed in is sent to sign in first (and comes back, {@code /saml/<id>/continue?r=}), except for a
 * passive request, which gets {@code NoPassive}; the app must be assigned to the user when it requires assignment;
 * conditional access may block (403 page) or want a second factor (the sign-in host steps up, then comes back). Then the
 * request is marked answered (once: a second tab or a reload gets a page, not a second response), the response is built
 * and signed ({@link SamlResponses}), recorded for the app host ({@link SamlStore#issued}) and posted by the browser
 * ({@link AutoPost}). Each decision goes to the sign-in log.
 */
public final class SamlAnswers {
    private static final Logger LOG = LoggerFactory.getLogger(SamlAnswers.class);

    /** A received AuthnRequest: the handle that finds it again and what was remembered of it. */
    record Waiting(String handle, SamlStore.Pending pending) {
    }

    private final SignInService service;
    private final Assignments assignments;
    private final Supplier<ConditionalAccess> policies;
    private final IdpKeys keys;
    private final SamlStore store;

    public SamlAnswers(SignInService service, Assignments assignments, Supplier<ConditionalAccess> policies, IdpKeys keys, SamlStore store) {
        this.service = service;
        this.assignments = assignments;
        this.policies = policies;
        this.keys = keys;
        this.store = store;
    }

    void answer(Request request, Response response, Callback callback, PublishedApp app, IdpUrls urls,
                Optional<Waiting> authn, Optional<SignInService.Valid> session) throws SamlRefusal {
        SamlSso saml = app.sso().saml();
        String here = authn.map(r -> urls.path("/continue?r=" + r.handle())).orElse(urls.path("/start"));
        String ip = Request.getRemoteAddr(request);
        Instant now = service.clock().instant();
        if (session.isEmpty()) {
            if (authn.isPresent() && authn.get().pending().passive()) {
                if (store.answer(authn.get().handle(), now)) {
                    String xml = SamlResponses.noPassive(saml, urls.entityId(), authn.get().pending().requestId(), keys.forApp(app.id(), "drawbridge"), now);
                    AutoPost.write(response, callback, saml.acsUrl(), app.name(), base64(xml), authn.get().pending().relayState());
                    return;
                }
                throw new SamlRefusal("this sign-in request was already answered");
            }
            Response.sendRedirect(request, response, callback, "/signin?p=" + enc(here));
            return;
        }
        DirectoryUser user = session.get().user();
        if (!assignments.lets(app, user.id())) {
            LOG.info("user {} denied SAML sign-in to {}: not assigned", user.upn(), app.name());
            service.log(SignInRecord.access(SignInResult.DENIED, "not assigned to the app (SAML)", ip).user(user).app(app));
            new ProxyFailure.NotAssigned(app.name(), user.upn(), service.loginOrigin() + "/request?app=" + app.id()).respond(response, callback);
            return;
        }
        List<DirectoryStore.Group> groups = assignments.groupsOf(user.id());
        List<String> amr = session.get().session().amr();
        if (!FederatedSessions.allowedFor(app.access(), amr)) {
            service.log(SignInRecord.access(SignInResult.DENIED, "signed in with an identity provider the app does not offer (SAML)", ip)
                    .user(user).app(app));
            new ProxyFailure.Blocked(app.name(), user.upn(), List.of("sign-in with " + FederatedSessions.provider(amr).orElse("")
                    + ", an identity provider this app does not offer: sign out, then sign in with one it offers")).respond(response, callback);
            return;
        }
        ConditionalAccess.Decision d = policies.get().evaluate(new ConditionalAccess.Context(user.id(), user.upn(),
                groups.stream().map(DirectoryStore.Group::id).collect(Collectors.toSet()),
                groups.stream().map(DirectoryStore.Group::name).collect(Collectors.toSet()), app.id(), InetAddress.ofLiteral(ip),
                AccessPolicy.ClientType.BROWSER, now));
        if (d.outcome() == ConditionalAccess.Decision.Outcome.BLOCK) {
            service.log(SignInRecord.access(SignInResult.DENIED, "blocked by conditional access (SAML)", ip).user(user).app(app)
                    .policies(d.summary()));
            new ProxyFailure.Blocked(app.name(), user.upn(), d.applied()).respond(response, callback);
            return;
        }
        if (d.outcome() == ConditionalAccess.Decision.Outcome.REQUIRE_MFA && !amr.contains(AuthMethod.ONE_TIME_CODE.amr())) {
            service.log(SignInRecord.access(SignInResult.INTERRUPTED, "two-step verification required (SAML)", ip).user(user).app(app)
                    .policies(d.summary()));
            Response.sendRedirect(request, response, callback, "/signin?mfa=1&p=" + enc(here));
            return;
        }
        SsoIdentity identity = IdentityTokens.identityOf(user, groups.stream().map(DirectoryStore.Group::name).toList());
        Optional<String> nameId = UserValues.nameId(saml, identity);
        if (nameId.isEmpty()) {
            service.log(SignInRecord.access(SignInResult.FAILURE, "no " + saml.nameIdSource() + " to send as the SAML NameID", ip)
                    .user(user).app(app));
            Responses.page(response, callback, 403, "Single sign-on not possible", "The app " + app.name() + " signs you in with your "
                    + saml.nameIdSource().name().toLowerCase(Locale.ROOT).replace('_', ' ') + ", and your account has none."
                    + " Ask your administrator to add it.");
            return;
        }
        if (authn.isPresent() && !store.answer(authn.get().handle(), now)) {
            throw new SamlRefusal("this sign-in request was already answered (in another tab, or the page was reloaded): go back to the app");
        }
        SamlResponses.Success success = new SamlResponses.Success(saml, urls.entityId(), authn.map(r -> r.pending().requestId()),
                identity, nameId.get(), amr, session.get().session().authTime(), session.get().session().expiresAt());
        String samlResponse = base64(SamlResponses.success(success, keys.forApp(app.id(), "drawbridge"), now));
        store.issued(samlResponse, app.id(), user.id(), amr, session.get().session().authTime(), now.plus(SamlResponses.TTL));
        service.log(SignInRecord.access(SignInResult.SUCCESS, "SAML response issued (" + (authn.isPresent() ? "SP" : "IdP") + "-initiated)", ip)
                .user(user).app(app).policies(d.summary()));
        AutoPost.write(response, callback, saml.acsUrl(), app.name(),
                samlResponse, authn.isPresent() ? authn.get().pending().relayState() : Optional.ofNullable(saml.relayState()));
    }

    private static String base64(String xml) {
        return Base64.getEncoder().encodeToString(xml.getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
