package dev.drawbridge.proxy.signin;

import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.model.api.AuthMethod;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.proxy.apps.AppIcons;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.federation.FederatedSessions;
import dev.drawbridge.proxy.federation.Federation;
import dev.drawbridge.proxy.identity.AccessRequests;
import dev.drawbridge.proxy.identity.Directory;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.Mfa;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.SignInLimiter;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.vault.Vault;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The sign-in host ({@code login.<domain>}): {@code /signin} (form with CSRF protection, password
 * check with lockout, then a one-time code back to the app host), {@code /federation/*} (sign-in with
 * an external OIDC provider, or with the one home-realm discovery picks by email domain: {@link FederationSignIn}),
 * {@code /signout} (ends every session of the user), {@code /} (the user's apps, with {@code /icons/*};
 * {@code /passwords/*}: their passwords for apps that sign in with HTTP Basic, {@link PasswordPages}), and the JWKS that verifies identity assertions.
 */
public final class SignInHandler {
    private static final Logger LOG = LoggerFactory.getLogger(SignInHandler.class);
    private static final List<String> PASSWORD = AuthMethod.claims(AuthMethod.PASSWORD);
    private static final List<String> PASSWORD_AND_OTP = AuthMethod.claims(AuthMethod.PASSWORD, AuthMethod.ONE_TIME_CODE);
    /** App icons for My Apps: {@code /icons/<app id>}. */
    static final String ICONS = "/icons/";
    /** The state between a correct password and the second factor. */
    static final String MFA_AUDIENCE = "drawbridge:mfa-pending";
    static final String MFA_COOKIE = "__Host-drawbridge_mfa";
    /** How long a sign-in waits for its second factor (the MFA-pending marker's life). */
    public static final Duration MFA_WINDOW = Duration.ofMinutes(5);
    /** One answer for every refused password: an unknown, disabled or locked account looks like a wrong password. */
    static final String REFUSED = "The user name or password is incorrect, or the account is locked for a while after too many attempts.";

    private final SignInService service;
    private final Directory directory;
    private final Supplier<RouteTable> routes;
    private final Mfa mfa;

    private final AccessRequests requests;
    private final OAuthEndpoints issuer;
    private final AuditLog audit;
    private final FederationSignIn federation;
    private final AppIcons icons;
    private final SignInLimiter limiter;
    private final PasswordPages passwords;
    private final SamlEndpoints saml;

    public SignInHandler(SignInService service, Directory directory, Supplier<RouteTable> routes, Mfa mfa,
                         AccessRequests requests, OAuthEndpoints issuer, AuditLog audit, Federation federation, AppIcons icons,
                         SignInLimiter limiter, Vault vault) {
        this(service, directory, routes, mfa, requests, issuer, audit, federation, icons, limiter, vault, SamlEndpoints.NONE);
    }

    /** With {@code saml}, the identity provider of SAML apps under {@value SamlEndpoints#PREFIX}. */
    public SignInHandler(SignInService service, Directory directory, Supplier<RouteTable> routes, Mfa mfa,
                         AccessRequests requests, OAuthEndpoints issuer, AuditLog audit, Federation federation, AppIcons icons,
                         SignInLimiter limiter, Vault vault, SamlEndpoints saml) {
        this.passwords = new PasswordPages(this::loginSession, routes, service.store(), vault);
        this.saml = saml;
        this.limiter = limiter;
        this.audit = audit;
        this.federation = new FederationSignIn(federation, service, this::app);
        this.icons = icons;
        this.requests = requests;
        this.issuer = issuer;
        this.service = service;
        this.directory = directory;
        this.routes = routes;
        this.mfa = mfa;
    }

    public boolean handle(Request request, Response response, Callback callback) {
        String path = Request.getPathInContext(request);
        String method = request.getMethod();
        switch (path) {
            case "/signin" -> {
                if (method.equals("POST")) {
                    postSignIn(request, response, callback);
                } else {
                    getSignIn(request, response, callback);
                }
            }
            case "/signout" -> {
                if (method.equals("POST")) {
                    postSignOut(request, response, callback);
                } else {
                    getSignOut(request, response, callback);
                }
            }
            case "/mfa" -> {
                if (method.equals("POST")) {
                    postMfa(request, response, callback);
                } else {
                    Response.sendRedirect(request, response, callback, "/signin");
                }
            }
            case "/mfa/enroll" -> {
                if (method.equals("POST")) {
                    postEnroll(request, response, callback);
                } else {
                    getEnroll(request, response, callback);
                }
            }
            case "/request" -> accessRequest(request, response, callback, method.equals("POST"));
            case "/requests" -> ownerRequests(request, response, callback, method.equals("POST"));
            case "/authorize" -> issuer.authorize(request, response, callback, loginSession(request));
            case "/token" -> {
                if (method.equals("POST")) {
                    issuer.token(request, response, callback);
                } else {
                    Responses.problem(response, callback, 405, "Method not allowed", "use POST");
                }
            }
            case "/.well-known/openid-configuration" -> issuer.discovery(response, callback);
            case "/.well-known/jwks.json" -> Responses.write(response, callback, 200, "application/jwk-set+json",
                    service.tokens().publicKeys().toString().getBytes(StandardCharsets.UTF_8));
            case "/" -> portal(request, response, callback);
            case FederationSignIn.START -> federation.start(request, response, callback);
            case FederationSignIn.CALLBACK -> federation.callback(request, response, callback, this::firstFactorDone);
            case FederationSignIn.DISCOVER -> {
                if (method.equals("POST")) {
                    discover(request, response, callback);
                } else {
                    Response.sendRedirect(request, response, callback, "/signin");
                }
            }
            default -> {
                if (PasswordPages.handles(path)) {
                    passwords.handle(request, response, callback, path);
                    return true;
                }
                if (path.startsWith(SamlEndpoints.PREFIX)) {
                    saml.handle(request, response, callback, loginSession(request));
                    return true;
                }
                if (path.startsWith(ICONS)) {
                    IconResource.serve(icons, request, response, callback, path.substring(ICONS.length()), loginSession(request).isPresent());
                    return true;
                }
                Pages.write(response, callback, 404, "Not found", "<p>There is nothing here. <a href=\"/\">My Apps</a></p>");
            }
        }
        return true;
    }

    private Optional<SignInService.Valid> loginSession(Request request) {
        return Cookies.get(request, Cookies.LOGIN).flatMap(t -> service.check(t, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE));
    }

    private Optional<PublishedApp> app(String id) {
        // By id, or a wildcard app's instance by id@label (PublishedApp.signInRef): the user returns to the host they came from.
        return routes.get().bySignInRef(id).filter(a -> a.preAuthentication() == PreAuthentication.DIRECTORY);
    }

    /** A pre-authenticated app by id, a wildcard app as published (access requests are for the app, not one host). */
    private Optional<PublishedApp> byId(String id) {
        return routes.get().apps().stream().filter(a -> a.id().equals(id) && a.preAuthentication() == PreAuthentication.DIRECTORY)
                .findFirst();
    }

    private void getSignIn(Request request, Response response, Callback callback) {
        Fields q = Request.extractQueryParameters(request);
        Optional<PublishedApp> app = app(q.getValue("app") == null ? "" : q.getValue("app"));
        String path = app.map(a -> SignInService.safeReturnPath(a, q.getValue("p"))).orElse(loginPath(q.getValue("p")));
        // A session another provider vouched for is not taken by an app that does not offer it: the user signs in again.
        Optional<SignInService.Valid> session = loginSession(request)
                .filter(s -> app.isEmpty() || FederatedSessions.allowedFor(app.get().access(), s.session().amr()));
        boolean stepUp = "1".equals(q.getValue("mfa"));
        Optional<String> binding = BrowserBinding.parse(q.getValue("b"));
        if (app.isPresent() && binding.isPresent()
                && (session.isEmpty() || (stepUp && !session.get().session().amr().contains(AuthMethod.ONE_TIME_CODE.amr())))) {
            // The user signs in first (form, second factor, federation): the binding is kept until the code is issued.
            BrowserBinding.remember(response, app.get().id(), binding.get());
        }
        if (session.isPresent() && stepUp && !session.get().session().amr().contains(AuthMethod.ONE_TIME_CODE.amr())) {
            DirectoryUser user = session.get().user();
            if (!mfa.isEnrolled(user.id())) {
                Pages.write(response, callback, 403, "Two-step verification required",
                        "<p>Your organization requires two-step verification for " + Responses.escape(app.map(PublishedApp::name).orElse("this app"))
                                + ". <a id=\"enroll\" href=\"/mfa/enroll\">Set it up now</a>, then open the app again.</p>");
                return;
            }
            pendingSecondFactor(response, user.id(), session.get().session().amr());
            Pages.mfa(response, callback, 200, csrf(request, response), app.map(PublishedApp::signInRef).orElse(""), path, "");
            return;
        }
        if (session.isPresent()) {
            if (app.isEmpty()) {
                Response.sendRedirect(request, response, callback, path);
            } else {
                Response.sendRedirect(request, response, callback, service.returnUrl(app.get(), binding, session.get().user(),
                        session.get().session().amr(), session.get().session().authTime(), path));
            }
            return;
        }
        Pages.signIn(response, callback, 200, csrf(request, response), app.map(PublishedApp::signInRef).orElse(""), path,
                app.map(PublishedApp::name).orElse(""), "", "", federation.choices(app));
    }

    /**
     * Home-realm discovery ({@link FederationSignIn#discover}): straight to the provider of the address's domain, or the
     * sign-in page again with the address in the user name field and every choice, whatever account exists or not.
     */
    private void discover(Request request, Response response, Callback callback) {
        Optional<Fields> read = readForm(request, response, callback, 10, 4096);
        if (read.isEmpty()) {
            return;
        }
        Fields form = read.get();
        if (!csrfValid(request, form)) {
            Pages.write(response, callback, 403, "Session expired",
                    "<p>This sign-in form expired or did not come from this site. <a href=\"/signin\">Start again</a>.</p>");
            return;
        }
        Optional<PublishedApp> app = app(value(form, "app"));
        String path = app.map(a -> SignInService.safeReturnPath(a, value(form, "p"))).orElse(loginPath(value(form, "p")));
        String email = value(form, "email").strip();
        if (email.length() <= 320 && federation.discover(request, response, callback, email, app, path)) {
            return;
        }
        Pages.signIn(response, callback, 200, csrf(request, response), app.map(PublishedApp::signInRef).orElse(""), path,
                app.map(PublishedApp::name).orElse(""), email.length() <= 320 ? email : "",
                "Choose how to sign in.", federation.choices(app));
    }

    private void postSignIn(Request request, Response response, Callback callback) {
        Optional<Fields> read = readForm(request, response, callback, 20, 16 * 1024);
        if (read.isEmpty()) {
            return;
        }
        Fields form = read.get();
        if (!csrfValid(request, form)) {
            LOG.warn("sign-in form without a valid CSRF token from {}", Request.getRemoteAddr(request));
            Pages.write(response, callback, 403, "Session expired",
                    "<p>This sign-in form expired or did not come from this site. <a href=\"/signin\">Start again</a>.</p>");
            return;
        }
        Optional<PublishedApp> app = app(value(form, "app"));
        String path = app.map(a -> SignInService.safeReturnPath(a, value(form, "p"))).orElse(loginPath(value(form, "p")));
        String upn = value(form, "upn");
        String ip = Request.getRemoteAddr(request);
        // The session's auth time is when this attempt began, before anything about the user was read: a disable or
        // revocation that lands while the password is checked then ends the session too (it was issued "before").
        Instant started = service.clock().instant();
        SignInLimiter.Admission.Admitted admitted;
        switch (limiter.admit(ip, Optional.of(upn))) {
            case SignInLimiter.Admission.Limited l -> {
                String why = l.byAddress() ? "too many sign-in attempts from this address" : "too many sign-in attempts for this account";
                service.log(SignInRecord.signIn(SignInResult.FAILURE, why, ip).upn(upn).app(app));
                long seconds = Math.max(1, (l.retryAfter().toMillis() + 999) / 1000);
                response.getHeaders().put("Retry-After", String.valueOf(seconds));
                Pages.signIn(response, callback, 429, csrf(request, response), app.map(PublishedApp::signInRef).orElse(""), path,
                        app.map(PublishedApp::name).orElse(""), upn, "Too many sign-in attempts. Wait " + seconds
                                + " seconds, then try again.", federation.choices(app));
                return;
            }
            case SignInLimiter.Admission.Admitted a -> admitted = a;
        }
        Directory.SignIn result = directory.signIn(upn, value(form, "password"));
        switch (result) {
            case Directory.SignIn.Ok ok -> {
                // The password was right: it costs the address and the account nothing.
                admitted.succeeded();
                firstFactorDone(request, response, callback, ok.user(), PASSWORD, app, path, "password", started);
            }
            case Directory.SignIn.Refused refused -> {
                LOG.info("failed sign-in for '{}' from {}", upn, ip);
                service.log(SignInRecord.signIn(SignInResult.FAILURE, refused.reason(), ip).upn(upn).app(app));
                // The same status, page and message for an unknown, disabled or locked account and a wrong password.
                // 401 needs a challenge; a form-based one, which browsers do not act on.
                response.getHeaders().put("WWW-Authenticate", "Form realm=\"drawbridge\"");
                Pages.signIn(response, callback, 401, csrf(request, response), app.map(PublishedApp::signInRef).orElse(""), path,
                        app.map(PublishedApp::name).orElse(""), upn, REFUSED, federation.choices(app));
            }
            case Directory.SignIn.Busy busy -> {
                service.log(SignInRecord.signIn(SignInResult.FAILURE, "too many password checks at once", ip).upn(upn).app(app));
                response.getHeaders().put("Retry-After", "1");
                Pages.signIn(response, callback, 429, csrf(request, response), app.map(PublishedApp::signInRef).orElse(""), path,
                        app.map(PublishedApp::name).orElse(""), upn, "The sign-in service is busy. Try again in a moment.",
                        federation.choices(app));
            }
        }
    }

    /**
     * After the first factor (a password, or a federated sign-in whose {@code method} names the provider):
     * the second factor if the user has one, else the session (auth time {@code started}, when the attempt began)
     * and the way back.
     */
    private void firstFactorDone(Request request, Response response, Callback callback, DirectoryUser user, List<String> amr,
                                 Optional<PublishedApp> app, String path, String method, Instant started) {
        if (mfa.isEnrolled(user.id())) {
            // The first factor is right: the second decides. Nothing but this short-lived marker is set yet.
            pendingSecondFactor(response, user.id(), amr);
            Pages.mfa(response, callback, 200, csrf(request, response), app.map(PublishedApp::signInRef).orElse(""), path, "");
            return;
        }
        directory.signInComplete(user.id());
        LOG.info("user {} signed in ({}) from {}", user.upn(), method, Request.getRemoteAddr(request));
        service.log(SignInRecord.signIn(SignInResult.SUCCESS, method, Request.getRemoteAddr(request)).user(user).app(app));
        completeSignIn(request, response, callback, user, amr, app, path, started);
    }

    /**
     * Sets the short-lived marker between a first factor and the code: a token naming the user, whose id is a
     * pending state in the database ({@link dev.drawbridge.proxy.identity.MfaChallenges}) usable a few times only.
     */
    private void pendingSecondFactor(Response response, String userId, List<String> amr) {
        Instant now = service.clock().instant();
        String id = mfa.challenges().start(userId, now, now.plus(MFA_WINDOW));
        Cookies.setHostCookie(response, MFA_COOKIE, service.tokens().session(TokenKind.MFA_PENDING, MFA_AUDIENCE, userId, id, amr, now,
                now.plus(MFA_WINDOW), now),
                HttpCookie.SameSite.STRICT);
    }

    /**
     * Sets a fresh sign-in session and goes back to the app (or the portal). {@code authTime} is when the attempt that
     * completes here began, never later: every revocation from then on (a disable, "sign out everywhere", a password
     * reset racing this sign-in) has a later instant and ends this session as well.
     */
    private void completeSignIn(Request request, Response response, Callback callback, DirectoryUser user, List<String> amr,
                                Optional<PublishedApp> app, String path, Instant authTime) {
        // A fresh session token on every sign-in: nothing set before sign-in is ever trusted (no fixation).
        Cookies.setHostCookie(response, Cookies.LOGIN, service.newSession(TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE, user.id(), amr, authTime),
                HttpCookie.SameSite.LAX);
        Cookies.setHostCookie(response, Cookies.CSRF, ServerKeys.randomToken(24), HttpCookie.SameSite.STRICT);
        // Whatever app the form named: a session its provider vouched for gets no code for an app that does not offer that
        // provider (the second factor's form is the user's to edit), only the app's sign-in page with the app's choices.
        Optional<PublishedApp> refused = app.filter(a -> !FederatedSessions.allowedFor(a.access(), amr));
        if (refused.isPresent()) {
            LOG.info("no code for app {}: user {} signed in with {}, which it does not offer", refused.get().name(), user.upn(),
                    FederatedSessions.provider(amr).orElse(""));
            service.log(SignInRecord.access(SignInResult.DENIED, "signed in with an identity provider the app does not offer",
                    Request.getRemoteAddr(request)).user(user).app(refused));
        }
        String target = refused.isPresent()
                ? "/signin?app=" + SignInService.enc(refused.get().signInRef()) + "&p=" + SignInService.enc(path)
                : app.map(a -> service.returnUrl(a, BrowserBinding.take(request, response, a.id()), user, amr, authTime, path)).orElse(path);
        Response.sendRedirect(request, response, callback, 303, target, false);
    }

    private void postMfa(Request request, Response response, Callback callback) {
        Instant started = service.clock().instant();
        Optional<Fields> read = readForm(request, response, callback, 10, 4096);
        if (read.isEmpty()) {
            return;
        }
        Fields form = read.get();
        Optional<PublishedApp> app = app(value(form, "app"));
        String path = app.map(a -> SignInService.safeReturnPath(a, value(form, "p"))).orElse(loginPath(value(form, "p")));
        Optional<SessionTokens.Session> pending = Cookies.get(request, MFA_COOKIE).flatMap(t -> service.tokens().verify(t, TokenKind.MFA_PENDING,
                MFA_AUDIENCE));
        Optional<DirectoryUser> user = pending.flatMap(s -> service.store().user(s.userId())).filter(DirectoryUser::enabled);
        if (!csrfValid(request, form) || user.isEmpty()) {
            Pages.write(response, callback, 403, "Session expired",
                    "<p>This verification expired or did not come from this site. <a href=\"/signin\">Sign in again</a>.</p>");
            return;
        }
        DirectoryUser u = user.get();
        String ip = Request.getRemoteAddr(request);
        SignInLimiter.Admission.Admitted admitted;
        switch (limiter.admit(ip, Optional.of(u.upn()))) {
            case SignInLimiter.Admission.Limited l -> {
                service.log(SignInRecord.signIn(SignInResult.FAILURE, l.byAddress() ? "too many sign-in attempts from this address"
                        : "too many sign-in attempts for this account", ip).user(u).app(app));
                long seconds = Math.max(1, (l.retryAfter().toMillis() + 999) / 1000);
                response.getHeaders().put("Retry-After", String.valueOf(seconds));
                Pages.mfa(response, callback, 429, csrf(request, response), app.map(PublishedApp::signInRef).orElse(""), path,
                        "Too many attempts. Wait " + seconds + " seconds, then try again.");
                return;
            }
            case SignInLimiter.Admission.Admitted a -> admitted = a;
        }
        String challenge = pending.get().sessionId();
        if (!mfa.challenges().use(challenge, u.id(), service.clock().instant())) {
            // Used up, finished or replayed: the password comes first again.
            Cookies.clearHostCookie(response, MFA_COOKIE);
            service.log(SignInRecord.signIn(SignInResult.FAILURE, "second-factor step expired or used up", ip).user(u).app(app));
            Pages.write(response, callback, 403, "Session expired",
                    "<p>This verification expired or was used too often. <a href=\"/signin\">Sign in again</a>.</p>");
            return;
        }
        switch (directory.secondFactor(u.id(), () -> mfa.verify(u.id(), value(form, "code")))) {
            case Directory.SecondFactor.Ok ok -> {
                mfa.challenges().finish(challenge);
                admitted.succeeded();
                Cookies.clearHostCookie(response, MFA_COOKIE);
                LOG.info("user {} signed in with a second factor from {}", u.upn(), ip);
                boolean federated = pending.get().amr().contains(AuthMethod.FEDERATED.amr());
                String how = (federated ? "federated sign-in" : "password") + " and authenticator code";
                service.log(SignInRecord.signIn(SignInResult.SUCCESS, how, ip).user(u).app(app).mfaUsed(true));
                // A federated session keeps the provider it came from (FederatedSessions), with the code added.
                completeSignIn(request, response, callback, u, federated ? FederatedSessions.withOneTimeCode(pending.get().amr()) : PASSWORD_AND_OTP,
                        app, path, started);
            }
            case Directory.SecondFactor.Locked l -> locked(response, callback, challenge, u, app, ip, l.until(), "account locked");
            case Directory.SecondFactor.Wrong w when w.lockedUntil().isPresent() ->
                    locked(response, callback, challenge, u, app, ip, w.lockedUntil().get(), "wrong second factor; account locked");
            case Directory.SecondFactor.Wrong w -> {
                service.log(SignInRecord.signIn(SignInResult.FAILURE, "wrong second factor", ip).user(u).app(app));
                response.getHeaders().put("WWW-Authenticate", "Form realm=\"drawbridge\"");
                Pages.mfa(response, callback, 401, csrf(request, response), app.map(PublishedApp::signInRef).orElse(""), path,
                        "That code is not valid. Codes change every 30 seconds and work once.");
            }
        }
    }

    /** The account locked at the second factor: the pending state ends, and the page says when to come back. */
    private void locked(Response response, Callback callback, String challenge, DirectoryUser u, Optional<PublishedApp> app, String ip,
                        Instant until, String reason) {
        mfa.challenges().finish(challenge);
        service.log(SignInRecord.signIn(SignInResult.FAILURE, reason + " until " + until, ip).user(u).app(app));
        Cookies.clearHostCookie(response, MFA_COOKIE);
        response.getHeaders().put("Retry-After", String.valueOf(Math.max(1, until.getEpochSecond() - service.clock().instant().getEpochSecond())));
        Pages.write(response, callback, 429, "Account locked", "<p>Too many failed attempts. Try again later.</p>");
    }

    private void getEnroll(Request request, Response response, Callback callback) {
        Optional<SignInService.Valid> session = loginSession(request);
        if (session.isEmpty()) {
            Response.sendRedirect(request, response, callback, "/signin");
            return;
        }
        Mfa.Enrollment e = mfa.begin(session.get().user());
        Pages.enroll(response, callback, 200, csrf(request, response), e.secret(), e.qrPngDataUri(), "");
    }

    private void postEnroll(Request request, Response response, Callback callback) {
        Optional<Fields> read = readForm(request, response, callback, 5, 4096);
        if (read.isEmpty()) {
            return;
        }
        Fields form = read.get();
        Optional<SignInService.Valid> session = loginSession(request);
        if (!csrfValid(request, form) || session.isEmpty()) {
            Pages.write(response, callback, 403, "Session expired", "<p>Sign in again to set up two-step verification.</p>");
            return;
        }
        Optional<List<String>> recovery = mfa.confirm(session.get().user().id(), value(form, "code"));
        if (recovery.isEmpty()) {
            Mfa.Enrollment e = mfa.begin(session.get().user());
            Pages.enroll(response, callback, 400, csrf(request, response), e.secret(), e.qrPngDataUri(),
                    "That code did not match. Scan the new code below and try again.");
            return;
        }
        LOG.info("user {} turned on two-step verification", session.get().user().upn());
        Pages.recoveryCodes(response, callback, recovery.get());
    }

    private void getSignOut(Request request, Response response, Callback callback) {
        Optional<SignInService.Valid> session = loginSession(request);
        if (session.isEmpty()) {
            Cookies.clearHostCookie(response, Cookies.LOGIN);
            Pages.signedOut(response, callback);
            return;
        }
        Pages.signOutConfirm(response, callback, csrf(request, response), session.get().user().upn());
    }

    private void postSignOut(Request request, Response response, Callback callback) {
        Optional<Fields> read = readForm(request, response, callback, 5, 4096);
        if (read.isEmpty()) {
            return;
        }
        Fields form = read.get();
        if (!csrfValid(request, form)) {
            Pages.write(response, callback, 403, "Session expired", "<p>This form expired. <a href=\"/signout\">Try again</a>.</p>");
            return;
        }
        loginSession(request).ifPresent(s -> {
            // Every session of the user, on every app, was issued before now: all end here.
            service.store().revokeSessions(s.user().id(), service.clock().instant());
            LOG.info("user {} signed out everywhere", s.user().upn());
        });
        Cookies.clearHostCookie(response, Cookies.LOGIN);
        Pages.signedOut(response, callback);
    }

    private void portal(Request request, Response response, Callback callback) {
        Optional<SignInService.Valid> session = loginSession(request);
        if (session.isEmpty()) {
            Response.sendRedirect(request, response, callback, "/signin");
            return;
        }
        DirectoryUser user = session.get().user();
        List<Pages.PortalApp> apps = routes.get().apps().stream()
                .filter(a -> a.preAuthentication() == PreAuthentication.DIRECTORY)
                .filter(a -> !a.access().assignmentRequired() || service.store().isAssigned(a.id(), user.id()))
                .map(a -> new Pages.PortalApp(a.isWildcard() ? a.name() + " (" + a.externalUrl() + ")" : a.name(),
                        a.isWildcard() ? "" : SamlEndpoints.launchPath(a).orElse(a.externalUrl().toString()),
                        icons.version(a.id()).map(v -> ICONS + a.id() + "?v=" + v.substring(0, 16)).orElse(""))).toList();
        var pending = requests.forUser(user.id()).stream().filter(r -> r.status() == AccessRequestStatus.PENDING).toList();
        List<Pages.Requestable> requestable = routes.get().apps().stream()
                .filter(a -> a.preAuthentication() == PreAuthentication.DIRECTORY && a.access().assignmentRequired())
                .filter(a -> !service.store().isAssigned(a.id(), user.id()))
                .map(a -> new Pages.Requestable(a.id(), a.name(), pending.stream().filter(r -> r.appId().equals(a.id())).findFirst()
                        .map(r -> r.createdAt().toString()).orElse(""))).toList();
        Pages.portal(response, callback, user.displayName(), apps, mfa.isEnrolled(user.id()), requestable,
                requests.pendingForOwner(user.id()).size(), passwords.offers(user));
    }

    /** App owners: GET lists the pending requests for their apps; POST approves or denies one. */
    private void ownerRequests(Request request, Response response, Callback callback, boolean post) {
        Optional<SignInService.Valid> session = loginSession(request);
        if (session.isEmpty()) {
            Response.sendRedirect(request, response, callback, "/signin");
            return;
        }
        DirectoryUser owner = session.get().user();
        if (post) {
            Optional<Fields> read = readForm(request, response, callback, 5, 4096);
            if (read.isEmpty()) {
                return;
            }
            Fields form = read.get();
            Optional<AccessRequests.Request> r = requests.find(value(form, "id"))
                    .filter(x -> requests.ownedApps(owner.id()).contains(x.appId()));
            if (!csrfValid(request, form) || r.isEmpty()) {
                Pages.write(response, callback, 403, "Not allowed", "<p>This request is not yours to decide, or the form expired. "
                        + "<a href=\"/requests\">Back</a></p>");
                return;
            }
            boolean approve = value(form, "decision").equals("approve");
            if (requests.decide(r.get().id(), approve, owner.upn())) {
                audit.record(owner.upn(), "access-request." + (approve ? "approve" : "deny"), "access-request", r.get().id(),
                        Map.of("status", AccessRequestStatus.PENDING),
                        Map.of("status", approve ? AccessRequestStatus.APPROVED : AccessRequestStatus.DENIED));
                LOG.info("{} {} access request {}", owner.upn(), approve ? "approved" : "denied", r.get().id());
            }
            Response.sendRedirect(request, response, callback, 303, "/requests", false);
            return;
        }
        List<Pages.PendingRequest> pending = requests.pendingForOwner(owner.id()).stream().map(r -> new Pages.PendingRequest(r.id(),
                byId(r.appId()).map(PublishedApp::name).orElse("?"), service.store().user(r.userId()).map(DirectoryUser::upn).orElse("?"),
                r.reason(), r.createdAt().toString())).toList();
        Pages.ownerRequests(response, callback, csrf(request, response), pending);
    }

    /** GET: the request form for an app; POST: files the request. */
    private void accessRequest(Request request, Response response, Callback callback, boolean post) {
        Optional<SignInService.Valid> session = loginSession(request);
        if (session.isEmpty()) {
            Response.sendRedirect(request, response, callback, "/signin");
            return;
        }
        Optional<Fields> read = post ? readForm(request, response, callback, 5, 8192) : Optional.of(Request.extractQueryParameters(request));
        if (read.isEmpty()) {
            return;
        }
        Fields form = read.get();
        Optional<PublishedApp> app = byId(value(form, "app")).filter(a -> a.access().assignmentRequired());
        if (app.isEmpty()) {
            Pages.write(response, callback, 404, "No such app", "<p>There is no app to request here. <a href=\"/\">My Apps</a></p>");
            return;
        }
        DirectoryUser user = session.get().user();
        if (!post) {
            Pages.requestForm(response, callback, csrf(request, response), app.get().id(), app.get().name());
            return;
        }
        if (!csrfValid(request, form)) {
            Pages.write(response, callback, 403, "Session expired", "<p>This form expired. <a href=\"/\">My Apps</a></p>");
            return;
        }
        String reason = value(form, "reason").strip();
        var r = requests.request(app.get().id(), user.id(), reason.isEmpty() ? "(no reason given)" : reason);
        LOG.info("user {} requested access to {}", user.upn(), app.get().name());
        Pages.write(response, callback, 200, "Request sent", "<p>Your request for <strong>" + Responses.escape(app.get().name())
                + "</strong> is waiting for an administrator (request " + Responses.escape(r.id()) + ").</p><p><a href=\"/\">My Apps</a></p>");
    }

    /** A bounded urlencoded form, or empty after answering 400. */
    static Optional<Fields> readForm(Request request, Response response, Callback callback, int maxFields, int maxLength) {
        try {
            return Optional.of(FormFields.getFields(request, maxFields, maxLength));
        } catch (RuntimeException e) {
            Pages.write(response, callback, 400, "Bad request", "<p>The form could not be read.</p>");
            return Optional.empty();
        }
    }

    /**
     * Where to go after signing in on the sign-in host itself: back to an authorization request, a password page or a
     * SAML sign-in ({@link SamlEndpoints#RETURN_PATH}), or My Apps.
     */
    static String loginPath(String p) {
        if (p != null && SamlEndpoints.RETURN_PATH.matcher(p).matches()) {
            return p;
        }
        return p != null && (p.startsWith("/authorize?") || PasswordPages.isPage(p)) && !p.contains("//")
                && !p.contains("\\") && p.length() < 4096 && p.chars().noneMatch(c -> c < 0x20) ? p : "/";
    }

    /** The CSRF token for the form being rendered: the cookie's, or a new one set now. */
    static String csrf(Request request, Response response) {
        Optional<String> existing = Cookies.get(request, Cookies.CSRF).filter(v -> v.length() >= 32 && v.length() <= 64);
        if (existing.isPresent()) {
            return existing.get();
        }
        String token = ServerKeys.randomToken(24);
        Cookies.setHostCookie(response, Cookies.CSRF, token, HttpCookie.SameSite.STRICT);
        return token;
    }

    static boolean csrfValid(Request request, Fields form) {
        Optional<String> cookie = Cookies.get(request, Cookies.CSRF);
        String field = value(form, "csrf");
        return cookie.isPresent() && !field.isEmpty()
                && MessageDigest.isEqual(cookie.get().getBytes(StandardCharsets.UTF_8), field.getBytes(StandardCharsets.UTF_8));
    }

    static String value(Fields form, String name) {
        String v = form.getValue(name);
        return v == null ? "" : v;
    }
}
