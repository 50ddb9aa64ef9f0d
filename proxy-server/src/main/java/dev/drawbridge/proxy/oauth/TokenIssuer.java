package dev.drawbridge.proxy.oauth;

import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AuthMethod;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.validation.OAuthClientRules;
import dev.drawbridge.model.api.validation.RedirectUris;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.federation.FederatedSessions;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.signin.OAuthEndpoints;
import dev.drawbridge.proxy.signin.SignInService;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.server.FormFields;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;

import java.net.InetAddress;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The OAuth 2.0 / OpenID Connect token issuer for registered native clients (on the sign-in host):
 * authorization code with PKCE (S256 only) and a redirect URI registered for the client (loopback or
 * private-use scheme, RFC 8252), rotating refresh tokens for clients allowed them, and access tokens
 * (JWT, ES256) whose audience is one published app's URL ({@code resource} parameter, RFC 8707), for the
 * apps the client may reach. The app host accepts them as {@code Authorization: Bearer}. Every request
 * reads the client's registration ({@link OAuthClientStore}): a change applies to the next request.
 */
public final class TokenIssuer implements OAuthEndpoints {
    public static final Duration ACCESS_TTL = Duration.ofMinutes(10);
    public static final Duration REFRESH_TTL = Duration.ofDays(14);
    private static final Duration CODE_TTL = Duration.ofSeconds(60);
    private static final List<String> AUTHORIZE_PARAMETERS = List.of("client_id", "redirect_uri", "response_type", "code_challenge",
            "code_challenge_method", "resource", "state");
    private static final List<String> TOKEN_PARAMETERS = List.of("grant_type", "client_id", "code", "redirect_uri", "code_verifier",
            "refresh_token");

    private final SignInService service;
    private final Supplier<RouteTable> routes;
    private final Supplier<ConditionalAccess> policies;
    private final OAuthStore store;
    private final OAuthClientStore clients;

    public TokenIssuer(SignInService service, Supplier<RouteTable> routes, Supplier<ConditionalAccess> policies, Database db) {
        this.service = service;
        this.routes = routes;
        this.policies = policies;
        this.store = new OAuthStore(db);
        this.clients = new OAuthClientStore(db);
    }

    /** The OIDC discovery document. */
    @Override
    public void discovery(Response response, Callback callback) {
        String iss = service.loginOrigin();
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("issuer", iss);
        doc.put("authorization_endpoint", iss + "/authorize");
        doc.put("token_endpoint", iss + "/token");
        doc.put("jwks_uri", iss + "/.well-known/jwks.json");
        doc.put("response_types_supported", List.of("code"));
        doc.put("grant_types_supported", List.of("authorization_code", "refresh_token"));
        doc.put("code_challenge_methods_supported", List.of("S256"));
        doc.put("token_endpoint_auth_methods_supported", List.of("none"));
        doc.put("subject_types_supported", List.of("public"));
        doc.put("id_token_signing_alg_values_supported", List.of("ES256"));
        doc.put("scopes_supported", List.of("openid", "profile", "email", "offline_access"));
        Responses.json(response, callback, 200, doc);
    }

    /**
     * {@code GET /authorize}. An unknown client, or a redirect URI that is not one of the client's, is answered with a
     * page here: nothing is ever sent to a redirect URI before it is known to be the client's (RFC 6749 §4.1.2.1).
     * Every other error goes back to the client's redirect URI. Without a session the user signs in (or steps up) first.
     */
    @Override
    public void authorize(Request request, Response response, Callback callback, Optional<SignInService.Valid> session) {
        Fields q = Request.extractQueryParameters(request);
        String clientId = v(q, "client_id"), redirect = v(q, "redirect_uri"), state = v(q, "state");
        if (repeated(q, AUTHORIZE_PARAMETERS)) {
            Responses.page(response, callback, 400, "Invalid sign-in request", "A parameter of the request is repeated (RFC 6749 §3.1).");
            return;
        }
        Optional<OAuthClientStore.Registration> registration = OAuthClientRules.isClientId(clientId) ? clients.registration(clientId)
                : Optional.empty();
        Optional<OAuthClientView> client = registration.map(OAuthClientStore.Registration::client);
        if (client.isEmpty()) {
            Responses.page(response, callback, 400, "Unknown application",
                    "The application that sent you here is not registered with this sign-in service (unknown client_id)."
                            + " Ask your administrator to register it.");
            return;
        }
        if (client.get().redirectUris().stream().noneMatch(r -> RedirectUris.matches(r, redirect))) {
            Responses.page(response, callback, 400, "Invalid sign-in request",
                    "The application asked to be answered at an address that is not registered for it (redirect_uri).");
            return;
        }
        Optional<PublishedApp> app = routes.get().apps().stream().filter(a -> a.preAuthentication() == PreAuthentication.DIRECTORY)
                .filter(a -> a.externalUrl().toString().equals(v(q, "resource"))).findFirst();
        String error = !"code".equals(v(q, "response_type")) ? "unsupported_response_type"
                : !client.get().allows(OAuthGrant.AUTHORIZATION_CODE) ? "unauthorized_client"
                : !"S256".equals(v(q, "code_challenge_method")) || !v(q, "code_challenge").matches("[A-Za-z0-9._~-]{43,128}") ? "invalid_request"
                : app.isEmpty() || !client.get().mayReach(app.get().id()) ? "invalid_target" : "";
        if (!error.isEmpty()) {
            redirectError(request, response, callback, redirect, state, error);
            return;
        }
        String here = "/authorize?" + request.getHttpURI().getQuery();
        if (session.isEmpty()) {
            Response.sendRedirect(request, response, callback, "/signin?p=" + enc(here));
            return;
        }
        DirectoryUser user = session.get().user();
        List<String> amr = session.get().session().amr();
        PublishedApp a = app.get();
        if (!FederatedSessions.allowedFor(a.access(), amr)) {
            service.log(SignInRecord.access(SignInResult.DENIED, "signed in with an identity provider the app does not offer (native client "
                    + clientId + ")", Request.getRemoteAddr(request)).clientType(AccessPolicy.ClientType.NATIVE).user(user).app(a));
            redirectError(request, response, callback, redirect, state, "access_denied");
            return;
        }
        if (a.access().assignmentRequired() && !service.store().isAssigned(a.id(), user.id())) {
            service.log(SignInRecord.access(SignInResult.DENIED, "not assigned to the app (native client " + clientId + ")",
                    Request.getRemoteAddr(request)).clientType(AccessPolicy.ClientType.NATIVE).user(user).app(a));
            redirectError(request, response, callback, redirect, state, "access_denied");
            return;
        }
        ConditionalAccess.Decision d = decide(a, user, request);
        if (d.outcome() == ConditionalAccess.Decision.Outcome.BLOCK) {
            service.log(SignInRecord.access(SignInResult.DENIED, "blocked by conditional access (native client)",
                    Request.getRemoteAddr(request)).clientType(AccessPolicy.ClientType.NATIVE).user(user).app(a).policies(d.summary()));
            redirectError(request, response, callback, redirect, state, "access_denied");
            return;
        }
        if (d.outcome() == ConditionalAccess.Decision.Outcome.REQUIRE_MFA && !amr.contains(AuthMethod.ONE_TIME_CODE.amr())) {
            Response.sendRedirect(request, response, callback, "/signin?mfa=1&p=" + enc(here));
            return;
        }
        store.purge(service.clock().instant());
        String code = store.newCode(new OAuthStore.Grant(user.id(), a.id(), clientId, amr, session.get().session().authTime(),
                registration.get().generation(), OAuthStore.newFamily()), redirect, v(q, "code_challenge"), service.clock().instant().plus(CODE_TTL));
        service.log(SignInRecord.access(SignInResult.SUCCESS, "authorization code for native client " + clientId,
                Request.getRemoteAddr(request)).clientType(AccessPolicy.ClientType.NATIVE).user(user).app(a).policies(d.summary()));
        Response.sendRedirect(request, response, callback, redirect + (redirect.contains("?") ? "&" : "?") + "code=" + enc(code)
                + (state.isEmpty() ? "" : "&state=" + enc(state)));
    }

    private ConditionalAccess.Decision decide(PublishedApp a, DirectoryUser user, Request request) {
        List<DirectoryStore.Group> groups = service.store().groupsOf(user.id());
        return policies.get().evaluate(new ConditionalAccess.Context(user.id(), user.upn(),
                groups.stream().map(DirectoryStore.Group::id).collect(Collectors.toSet()),
                groups.stream().map(DirectoryStore.Group::name).collect(Collectors.toSet()), a.id(),
                InetAddress.ofLiteral(Request.getRemoteAddr(request)), AccessPolicy.ClientType.NATIVE, service.clock().instant()));
    }

    /** {@code POST /token}. */
    @Override
    public void token(Request request, Response response, Callback callback) {
        Fields f;
        try {
            f = FormFields.getFields(request, 20, 16 * 1024);
        } catch (RuntimeException e) {
            tokenError(response, callback, "invalid_request", "the body must be application/x-www-form-urlencoded");
            return;
        }
        Instant now = service.clock().instant();
        String grantType = v(f, "grant_type");
        if (repeated(f, TOKEN_PARAMETERS)) {
            tokenError(response, callback, "invalid_request", "a parameter of the request is repeated");
            return;
        }
        if (!grantType.equals("authorization_code") && !grantType.equals("refresh_token")) {
            tokenError(response, callback, "unsupported_grant_type", "use authorization_code or refresh_token");
            return;
        }
        String clientId = v(f, "client_id");
        // The client with its generation, read before the code or refresh token is redeemed: what this request writes
        // carries that generation, so a change to the client committed meanwhile leaves it dead.
        Optional<OAuthClientStore.Registration> registration = OAuthClientRules.isClientId(clientId) ? clients.registration(clientId)
                : Optional.empty();
        if (registration.isEmpty()) {
            tokenError(response, callback, "invalid_client", "the client_id is not registered");
            return;
        }
        OAuthClientStore.Registration reg = registration.get();
        OAuthClientView c = reg.client();
        if (grantType.equals("authorization_code")) {
            if (!c.allows(OAuthGrant.AUTHORIZATION_CODE)) {
                tokenError(response, callback, "unauthorized_client", "the client may not use the authorization_code grant");
                return;
            }
            OAuthStore.Presented<OAuthStore.Code> presented = v(f, "code").isEmpty() ? OAuthStore.Presented.invalid()
                    : store.redeemCode(v(f, "code"), now);
            replayed(request, presented, "authorization code");
            Optional<OAuthStore.Code> code = presented.redeemed();
            if (code.isEmpty() || !code.get().grant().clientId().equals(clientId) || !code.get().redirectUri().equals(v(f, "redirect_uri"))
                    || c.redirectUris().stream().noneMatch(r -> RedirectUris.matches(r, code.get().redirectUri()))
                    || !c.mayReach(code.get().grant().appId())) {
                tokenError(response, callback, "invalid_grant", "the code is invalid, expired, used, or was issued to another client");
                return;
            }
            String verifier = v(f, "code_verifier");
            if (!verifier.matches("[A-Za-z0-9._~-]{43,128}") || !MessageDigest.isEqual(
                    CodeChallenge.compute(CodeChallengeMethod.S256, new CodeVerifier(verifier)).getValue().getBytes(StandardCharsets.US_ASCII),
                    code.get().codeChallenge().getBytes(StandardCharsets.US_ASCII))) {
                tokenError(response, callback, "invalid_grant", "the code_verifier does not match the code_challenge");
                return;
            }
            issue(response, callback, code.get().grant(), reg);
        } else {
            if (!c.allows(OAuthGrant.REFRESH_TOKEN)) {
                tokenError(response, callback, "unauthorized_client", "the client may not use the refresh_token grant");
                return;
            }
            OAuthStore.Presented<OAuthStore.Grant> presented = v(f, "refresh_token").isEmpty() ? OAuthStore.Presented.invalid()
                    : store.redeemRefresh(v(f, "refresh_token"), now);
            replayed(request, presented, "refresh token");
            Optional<OAuthStore.Grant> r = presented.redeemed();
            if (r.isEmpty() || !r.get().clientId().equals(clientId) || !c.mayReach(r.get().appId())) {
                tokenError(response, callback, "invalid_grant", "the refresh token is invalid, expired, already used, or belongs to another client");
                return;
            }
            issue(response, callback, r.get(), reg);
        }
    }

    /**
     * A code or refresh token presented again after its use: one of its two holders is not the app (RFC 9700 §4.14.2).
     * Its family was revoked; the sign-in log says so.
     */
    private void replayed(Request request, OAuthStore.Presented<?> presented, String what) {
        presented.replayed().ifPresent(g -> service.log(SignInRecord.access(SignInResult.DENIED, what + " presented again after its use"
                        + " (native client " + g.clientId() + "): a replay; " + presented.revoked() + " refresh token(s) of its sign-in revoked",
                Request.getRemoteAddr(request)).clientType(AccessPolicy.ClientType.NATIVE).user(service.store().user(g.userId()))
                .app(routes.get().apps().stream().filter(a -> a.id().equals(g.appId())).findFirst())));
    }

    /**
     * Access token (and a refresh token, for clients allowed them) for what {@code g} grants, under the client as this
     * request read it ({@code reg}): refused when {@code g} was redeemed under another generation of the client (a change
     * committed in between), and the refresh token carries {@code reg}'s generation (never one read later) and {@code g}'s
     * family, so a change committed after {@code reg} was read, or a replay that revoked the family, leaves it dead.
     */
    private void issue(Response response, Callback callback, OAuthStore.Grant g, OAuthClientStore.Registration reg) {
        OAuthClientView client = reg.client();
        String clientId = client.clientId(), userId = g.userId(), appId = g.appId();
        List<String> amr = g.amr();
        Instant authTime = g.authTime();
        Optional<DirectoryUser> user = service.store().user(userId)
                .filter(u -> u.enabled() && authTime.isAfter(u.sessionsValidAfter()));
        Optional<PublishedApp> app = routes.get().apps().stream().filter(a -> a.id().equals(appId)).findFirst();
        if (user.isEmpty() || app.isEmpty()) {
            tokenError(response, callback, "invalid_grant", "the user's sessions were revoked, or the app is gone");
            return;
        }
        if (!g.generation().equals(reg.generation())) {
            tokenError(response, callback, "invalid_grant", "the client's registration changed during the request: sign in again");
            return;
        }
        Instant now = service.clock().instant();
        Optional<String> refresh = Optional.empty();
        if (client.allows(OAuthGrant.REFRESH_TOKEN)) {
            refresh = store.newRefresh(g.under(reg.generation()), now.plus(REFRESH_TTL));
            if (refresh.isEmpty()) {
                tokenError(response, callback, "invalid_grant", "the sign-in was revoked (a refresh token or code was presented twice)");
                return;
            }
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("access_token", service.tokens().accessToken(TokenKind.ACCESS_TOKEN, app.get().externalUrl().toString(), userId, clientId, amr, authTime,
                ACCESS_TTL));
        body.put("token_type", "Bearer");
        body.put("expires_in", ACCESS_TTL.toSeconds());
        refresh.ifPresent(t -> body.put("refresh_token", t));
        response.getHeaders().put("Pragma", "no-cache");
        Responses.json(response, callback, 200, body);
    }

    private static void tokenError(Response response, Callback callback, String error, String description) {
        Responses.json(response, callback, 400, Map.of("error", error, "error_description", description));
    }

    private static void redirectError(Request request, Response response, Callback callback, String redirect, String state, String error) {
        Response.sendRedirect(request, response, callback, redirect + (redirect.contains("?") ? "&" : "?") + "error=" + error
                + (state.isEmpty() ? "" : "&state=" + enc(state)));
    }

    private static boolean repeated(Fields f, List<String> names) {
        return names.stream().map(f::getValues).anyMatch(v -> v != null && v.size() > 1);
    }

    private static String v(Fields f, String name) {
        String s = f.getValue(name);
        return s == null ? "" : s;
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
