package dev.drawbridge.proxy.saml;

import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.validation.SamlRules;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.identity.SignInLimiter;
import dev.drawbridge.proxy.signin.SamlEndpoints;
import dev.drawbridge.proxy.signin.SignInService;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The identity provider of SAML apps, on the sign-in host ({@link SamlEndpoints}), per app under {@code /saml/<app id>/}:
 * <ul>
 *   <li>{@code metadata}: the identity provider's metadata ({@link IdpMetadata});</li>
 *   <li>{@code sso}: an AuthnRequest by the HTTP-Redirect binding ({@link RedirectBinding}), signature checked when the app
 *   has the service provider's certificate (required then), read ({@link AuthnRequest}) and checked against the app
 *   ({@link RequestChecks}), its ID remembered ({@link SamlStore}); then answered ({@link SamlAnswers});</li>
 *   <li>{@code continue?r=}: the same request, back from signing in;</li>
 *   <li>{@code start}: IdP-initiated sign-in, from My Apps (no request; the app's RelayState).</li>
 * </ul>
 * Only apps pre-authenticated by the directory whose single sign-on method is SAML have one; anything refused gets a
 * readable 400 page naming why, and nothing is ever sent to an address a request names.
 */
public final class SamlIdp implements SamlEndpoints {
    private static final Logger LOG = LoggerFactory.getLogger(SamlIdp.class);

    private final SignInService service;
    private final Supplier<RouteTable> routes;
    private final IdpKeys keys;
    private final SamlStore store;
    private final SamlAnswers answers;
    private final SignInLimiter limiter;

    /**
     * The SAML requests one client address may send (its single sign-on service is anonymous and each request is
     * remembered): a burst of {@value #BURST}, then one per second.
     */
    static final int BURST = 30;

    public SamlIdp(SignInService service, Supplier<RouteTable> routes, IdpKeys keys, SamlStore store, SamlAnswers answers) {
        this(service, routes, keys, store, answers, new SignInLimiter(new SignInLimiter.Limits(
                new SignInLimiter.Limit(BURST, Duration.ofSeconds(1)), new SignInLimiter.Limit(1, Duration.ofSeconds(1)), 50_000),
                service.clock()));
    }

    /** With {@code limiter} counting each client address's SAML requests (its per-account limit unused). */
    public SamlIdp(SignInService service, Supplier<RouteTable> routes, IdpKeys keys, SamlStore store, SamlAnswers answers,
                   SignInLimiter limiter) {
        this.limiter = limiter;
        this.service = service;
        this.routes = routes;
        this.keys = keys;
        this.store = store;
        this.answers = answers;
    }

    @Override
    public void handle(Request request, Response response, Callback callback, Optional<SignInService.Valid> session) {
        String[] parts = Request.getPathInContext(request).substring(PREFIX.length()).split("/", -1);
        Optional<PublishedApp> app = parts.length == 2 ? samlApp(routes.get(), parts[0]) : Optional.empty();
        if (app.isEmpty()) {
            Responses.page(response, callback, 404, "No such app", "No app signs users in with SAML at this address. "
                    + "Check the identity provider URL in the app's settings, or ask your administrator.");
            return;
        }
        if (!request.getMethod().equals("GET") && !request.getMethod().equals("HEAD")) {
            response.getHeaders().put("Allow", "GET, HEAD");
            Responses.page(response, callback, 405, "Method not allowed", "Use GET: the SAML requests Drawbridge answers come by HTTP-Redirect.");
            return;
        }
        PublishedApp a = app.get();
        IdpUrls urls = new IdpUrls(service.loginOrigin(), a.id());
        try {
            switch (parts[1]) {
                case "metadata" -> Responses.write(response, callback, 200, IdpMetadata.MEDIA_TYPE + ";charset=utf-8",
                        IdpMetadata.xml(urls, a.sso().saml(), keys.forApp(a.id(), "drawbridge")).getBytes(StandardCharsets.UTF_8));
                case "sso" -> {
                    if (limiter.admit(Request.getRemoteAddr(request), Optional.empty()) instanceof SignInLimiter.Admission.Limited l) {
                        long wait = Math.max(1, l.retryAfter().toSeconds() + 1);
                        response.getHeaders().put("Retry-After", String.valueOf(wait));
                        Responses.page(response, callback, 429, "Too many sign-in requests",
                                "This browser sent more SAML sign-in requests than Drawbridge answers. Try again in " + wait + " s.");
                        return;
                    }
                    sso(request, response, callback, a, urls, session);
                }
                case "continue" -> {
                    String handle = Request.extractQueryParameters(request).getValue("r");
                    Optional<SamlStore.Pending> pending = store.find(handle, a.id(), service.clock().instant());
                    if (pending.isEmpty()) {
                        throw new SamlRefusal("this sign-in request has expired or was already answered: go back to the app and open it again");
                    }
                    answers.answer(request, response, callback, a, urls, Optional.of(new SamlAnswers.Waiting(handle, pending.get())), session);
                }
                case "start" -> answers.answer(request, response, callback, a, urls, Optional.empty(), session);
                default -> Responses.page(response, callback, 404, "Not found", "There is nothing here.");
            }
        } catch (SamlRefusal e) {
            LOG.info("SAML request for app {} refused: {}", a.name(), e.getMessage());
            refused(response, callback, a, e.getMessage());
        }
    }

    /** {@code GET sso}: reads, verifies and checks the AuthnRequest, remembers it, and answers it. */
    private void sso(Request request, Response response, Callback callback, PublishedApp app, IdpUrls urls,
                     Optional<SignInService.Valid> session) throws SamlRefusal {
        SamlSso saml = app.sso().saml();
        RedirectBinding.Received received = RedirectBinding.read(request.getHttpURI().getQuery());
        AuthnRequest authn = AuthnRequest.parse(received.xml());
        boolean verified = false;
        if (saml.spCertificate() != null) {
            RedirectBinding.Signed signature = received.signature().orElseThrow(() -> new SamlRefusal(
                    "the request is not signed, and this app's service provider must sign its requests"));
            X509Certificate cert = SamlRules.certificate(saml.spCertificate())
                    .orElseThrow(() -> new IllegalStateException("stored SP certificate unreadable"));
            RedirectBinding.verify(signature, cert);
            verified = true;
        }
        Instant now = service.clock().instant();
        RequestChecks.check(authn, saml, urls.sso(), verified, now);
        if (authn.forceAuthn()) {
            LOG.debug("AuthnRequest {} for app {} asks ForceAuthn; answered from the current sign-in", authn.id(), app.name());
        }
        String handle = store.remember(app.id(), authn, received.relayState(), now).orElseThrow(() -> new SamlRefusal(
                "this sign-in request was already received once (a replay, or the page was reloaded): go back to the app and open it again"));
        SamlStore.Pending pending = store.find(handle, app.id(), now).orElseThrow();
        answers.answer(request, response, callback, app, urls, Optional.of(new SamlAnswers.Waiting(handle, pending)), session);
    }

    /** The app with this id, if it is pre-authenticated and signs users in with SAML. */
    static Optional<PublishedApp> samlApp(RouteTable table, String id) {
        return table.apps().stream().filter(a -> a.id().equals(id) && a.preAuthentication() == PreAuthentication.DIRECTORY
                && a.sso().method() == SsoMethod.SAML && a.sso().saml() != null).findFirst();
    }

    static void refused(Response response, Callback callback, PublishedApp app, String reason) {
        Responses.page(response, callback, 400, "Single sign-on request refused", "Drawbridge did not sign you in to " + app.name()
                + " because " + reason + ". If this keeps happening, tell your administrator.");
    }
}
