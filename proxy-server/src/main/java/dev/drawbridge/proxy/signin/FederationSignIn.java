package dev.drawbridge.proxy.signin;

import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.validation.IdentityProviderRules;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.federation.FederatedSessions;
import dev.drawbridge.proxy.federation.Federation;
import dev.drawbridge.proxy.federation.FederationException;
import dev.drawbridge.proxy.federation.OidcProvider;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.pki.ServerKeys;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import static dev.drawbridge.proxy.web.Responses.escape;

/**
 * The sign-in host's side of federation: {@code /federation/start?provider=<id>} sends the browser to that
 * external provider (after tying the attempt to this browser with a random {@code __Host-} cookie,
 * SameSite=Lax so it comes back on the provider's redirect), {@code POST /federation/discover} (home-realm
 * discovery) does the same for the provider whose email domains list the domain of the address typed, with the
 * address as {@code login_hint}, and {@code /federation/callback} completes it ({@link Federation}) and hands the
 * verified user to the normal flow: second factor if enrolled, then the sign-in session and a one-time code back
 * to the app. A provider the app does not offer ({@link dev.drawbridge.model.api.AccessSettings#identityProviders})
 * is refused at the start and again at the callback (the app's choice may have changed in between, and a callback
 * can be forged to name any app).
 */
final class FederationSignIn {
    private static final Logger LOG = LoggerFactory.getLogger(FederationSignIn.class);
    static final String START = "/federation/start";
    static final String CALLBACK = "/federation/callback";
    static final String DISCOVER = "/federation/discover";
    /** Binds a sign-in in flight to the browser that started it. */
    static final String BROWSER_COOKIE = "__Host-drawbridge_fed";

    /** What happens once the provider vouched for the user: the same as after a correct password. */
    interface Continuation {
        void firstFactorDone(Request request, Response response, Callback callback, DirectoryUser user, List<String> amr,
                             Optional<PublishedApp> app, String path, String method, Instant started);
    }

    private final Federation federation;
    private final SignInService service;
    private final Function<String, Optional<PublishedApp>> apps;

    FederationSignIn(Federation federation, SignInService service, Function<String, Optional<PublishedApp>> apps) {
        this.federation = federation;
        this.service = service;
        this.apps = apps;
    }

    /** The providers offered on the sign-in page of {@code app} (every provider on the sign-in host's own page). */
    List<OidcProvider> offered(Optional<PublishedApp> app) {
        return federation.providers().stream().filter(p -> allowed(app, p.id())).toList();
    }

    /**
     * The sign-in page's choices for {@code app}: a button per provider offered, the email field if any has domains, and the
     * password form when someone could use it (or nothing else is offered).
     */
    Pages.Choices choices(Optional<PublishedApp> app) {
        List<OidcProvider> offered = offered(app);
        return new Pages.Choices(offered.stream().map(p -> new Pages.ProviderButton(p.id(), p.displayName())).toList(),
                offered.stream().anyMatch(p -> !p.emailDomains().isEmpty()), offered.stream().map(p -> p.issuer())
                .filter(u -> "http".equals(u.getScheme())).map(u -> "http://" + u.getRawAuthority()).distinct().toList(),
                offered.isEmpty() || service.store().anyPasswordUser());
    }

    private static boolean allowed(Optional<PublishedApp> app, String providerId) {
        return app.map(a -> a.access().allowsIdentityProvider(providerId)).orElse(true);
    }

    void start(Request request, Response response, Callback callback) {
        Fields q = Request.extractQueryParameters(request);
        Optional<PublishedApp> app = apps.apply(value(q, "app"));
        String path = app.map(a -> SignInService.safeReturnPath(a, value(q, "p"))).orElse(SignInHandler.loginPath(value(q, "p")));
        String providerId = value(q, "provider").isEmpty() ? IdentityProviderRules.DEFAULT_ID : value(q, "provider");
        begin(request, response, callback, providerId, app, path, Optional.empty());
    }

    /**
     * Home-realm discovery, after the form's CSRF check: the provider whose domains list the address's domain, when the
     * app offers it; otherwise empty, and the caller shows the choices again. Users are never looked up: the answer is the
     * same for an address that has an account and one that does not.
     */
    boolean discover(Request request, Response response, Callback callback, String email, Optional<PublishedApp> app, String path) {
        Optional<OidcProvider> provider = federation.providerForEmail(email).filter(p -> allowed(app, p.id()));
        provider.ifPresent(p -> begin(request, response, callback, p.id(), app, path, Optional.of(email.strip())));
        return provider.isPresent();
    }

    private void begin(Request request, Response response, Callback callback, String providerId, Optional<PublishedApp> app, String path,
                       Optional<String> loginHint) {
        if (!IdentityProviderRules.isId(providerId) || federation.provider(providerId).isEmpty()) {
            Pages.write(response, callback, 404, "Not available", "<p>Sign-in with this identity provider is not set up. "
                    + "<a href=\"/signin\">Sign in</a></p>");
            return;
        }
        if (!allowed(app, providerId)) {
            LOG.info("federated sign-in with {} refused for app {}: not offered for it", providerId, app.map(PublishedApp::name).orElse(""));
            Pages.write(response, callback, 403, "Not available", "<p>This identity provider is not offered for "
                    + escape(app.map(PublishedApp::name).orElse("")) + ". <a href=\"/signin?app=" + escape(SignInService.enc(app.map(PublishedApp::signInRef)
                    .orElse(""))) + "\">Choose another way to sign in</a></p>");
            return;
        }
        String browserId = Cookies.get(request, BROWSER_COOKIE).filter(v -> v.length() >= 32 && v.length() <= 64)
                .orElseGet(() -> ServerKeys.randomToken(32));
        try {
            String target = federation.begin(providerId, browserId, app.map(PublishedApp::signInRef), path, loginHint).toString();
            Cookies.setHostCookie(response, BROWSER_COOKIE, browserId, HttpCookie.SameSite.LAX);
            Response.sendRedirect(request, response, callback, 302, target, false);
        } catch (FederationException e) {
            LOG.warn("federated sign-in cannot start: {}", e.getMessage());
            Pages.write(response, callback, 502, "Sign-in unavailable", "<p>The identity provider cannot be reached right now. "
                    + "Try again in a moment, or <a href=\"/signin\">sign in with a password</a>.</p>");
        }
    }

    void callback(Request request, Response response, Callback callback, Continuation next) {
        // The auth time of what follows: before the provider's answer and the user were read (see SignInHandler).
        Instant started = service.clock().instant();
        String browserId = Cookies.get(request, BROWSER_COOKIE).orElse("");
        String query = request.getHttpURI().getQuery();
        if (query != null && query.length() > 16 * 1024) {
            Pages.write(response, callback, 400, "Bad request", "<p>The response is too large.</p>");
            return;
        }
        Federation.Outcome completed = federation.complete(query, browserId);
        Optional<PublishedApp> app = completed.appId().flatMap(apps);
        Federation.Outcome outcome = completed instanceof Federation.Outcome.SignedIn ok && !allowed(app, ok.providerId())
                ? new Federation.Outcome.Refused("the identity provider " + ok.providerId() + " is not offered for this app",
                ok.user().upn(), ok.appId(), ok.returnPath(), ok.providerId()) : completed;
        String path = app.map(a -> SignInService.safeReturnPath(a, outcome.returnPath())).orElse(SignInHandler.loginPath(outcome.returnPath()));
        String ip = Request.getRemoteAddr(request);
        switch (outcome) {
            case Federation.Outcome.SignedIn ok -> {
                LOG.info("user {} signed in {} from {}", ok.user().upn(), ok.method(), ip);
                next.firstFactorDone(request, response, callback, ok.user(), FederatedSessions.amr(ok.providerId()), app, path, ok.method(),
                        started);
            }
            case Federation.Outcome.Refused refused -> {
                LOG.info("federated sign-in refused from {}: {}", ip, refused.reason());
                service.log(SignInRecord.signIn(SignInResult.FAILURE, "federated sign-in refused: " + refused.reason(), ip)
                        .upn(refused.upnTried()).app(app));
                String retry = "/signin" + app.map(a -> "?app=" + SignInService.enc(a.signInRef()) + "&p=" + SignInService.enc(path)).orElse("");
                Pages.write(response, callback, 403, "Sign-in failed", "<p>The sign-in with your organization's identity provider "
                        + "did not succeed: " + escape(refused.reason()) + ".</p><p><a id=\"retry\" href=\"" + escape(retry)
                        + "\">Start again</a></p>");
            }
        }
    }

    private static String value(Fields form, String name) {
        String v = form.getValue(name);
        return v == null ? "" : v;
    }
}
