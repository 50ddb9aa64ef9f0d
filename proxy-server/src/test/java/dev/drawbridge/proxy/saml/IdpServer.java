package dev.drawbridge.proxy.saml;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.SignInLimiter;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.preauth.AcsSignIn;
import dev.drawbridge.proxy.preauth.AppSignIn;
import dev.drawbridge.proxy.preauth.Assignments;
import dev.drawbridge.proxy.preauth.Authenticated;
import dev.drawbridge.proxy.preauth.AuthenticationHandler;
import dev.drawbridge.proxy.signin.SignInService;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.Responses;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Component-test fixture: the SAML identity provider ({@link SamlIdp}) on the sign-in host and a SAML app's host
 * (routing, then {@link AuthenticationHandler} with {@link AcsSignIn}, then an echo of the caller and the body) on one
 * real Jetty server, over H2. A request to {@value #LOGIN_HOST} carries a sign-in session when it sends
 * {@code X-Test-Session: <upn>[ otp]}. Apps: HR (SAML, assignment required, alice assigned, signed requests required:
 * {@link #sp}'s certificate), Wiki (SAML, no assignment, unsigned requests), Plain (pre-authenticated, no SAML).
 */
final class IdpServer implements AutoCloseable {
    static final String LOGIN_HOST = "login.example.test";
    static final String LOGIN = "https://" + LOGIN_HOST;
    static final String HR_HOST = "hr.example.test";
    static final String HR_SP = "https://hr.example.test/mellon/metadata";
    static final String HR_ACS = "https://hr.example.test/mellon/postResponse";
    static final String WIKI_SP = "urn:wiki";
    static final String WIKI_ACS = "https://wiki.example.test/saml/acs";

    final Clock clock = Clock.systemUTC();
    final Database db;
    final DirectoryStore directory;
    final SignInService service;
    final SamlStore store;
    final IdpKeys keys;
    final AuditLog audit;
    final DirectoryUser alice;
    final DirectoryUser bob;
    final PublishedApp hr;
    final PublishedApp wiki;
    final PublishedApp plain;
    final IdpKeys.IdpKey sp;
    final AtomicReference<ConditionalAccess> policies = new AtomicReference<>(ConditionalAccess.none());
    final TestServer server;

    IdpServer(Path dir) throws Exception {
        this(dir, false);
    }

    /** @param productionLimits whether the single sign-on service limits each address as in production (else: not at all) */
    IdpServer(Path dir, boolean productionLimits) throws Exception {
        db = Database.h2(dir);
        Instant now = clock.instant();
        String group = new ConnectorStore(db).ensureDefaultGroup(now).id();
        directory = new DirectoryStore(db);
        alice = directory.createUser("alice@corp.example", "Alice", Optional.of("alice@mail.example"), Optional.of("Finance"),
                Optional.empty(), now.minusSeconds(60));
        bob = directory.createUser("bob@corp.example", "Bob", Optional.empty(), Optional.empty(), Optional.empty(), now.minusSeconds(60));
        sp = IdpKeys.generate("sp", now);
        AppStore apps = new AppStore(db);
        hr = app("hr", HR_HOST, group, true, new SamlSso(HR_SP, HR_ACS, Pem.encode(sp.certificate()), null, null, null, null, null,
                "https://hr.example.test/home"));
        wiki = app("wiki", "wiki.example.test", group, false, new SamlSso(WIKI_SP, WIKI_ACS));
        plain = app("plain", "plain.example.test", group, false, null);
        for (PublishedApp a : List.of(hr, wiki, plain)) {
            apps.insert(a);
        }
        directory.assign(hr.id(), DirectoryStore.PrincipalType.USER, alice.id(), now);
        SessionTokens tokens = new SessionTokens(new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("k1").generate()), LOGIN, clock);
        service = new SignInService(directory, tokens, ServerConfig.IdentitySettings.DEFAULTS, clock, LOGIN, new SignInLog(db, clock));
        audit = new AuditLog(db, clock);
        keys = new IdpKeys(db, DataKey.loadOrCreate(dir), clock, audit);
        store = new SamlStore(db);
        RouteTable routes = new RouteTable(apps.all());
        SamlAnswers answers = new SamlAnswers(service, Assignments.of(directory), policies::get, keys, store);
        SamlIdp idp = productionLimits ? new SamlIdp(service, () -> routes, keys, store, answers)
                : new SamlIdp(service, () -> routes, keys, store, answers, new SignInLimiter(new SignInLimiter.Limits(
                        new SignInLimiter.Limit(1_000_000, Duration.ofMillis(1)), new SignInLimiter.Limit(1, Duration.ofSeconds(1)), 10), clock));
        AppSignIn appSignIn = new AppSignIn(service, Assignments.of(directory), policies::get);
        AppRouter appHosts = new AppRouter(() -> routes);
        AuthenticationHandler authentication = new AuthenticationHandler(service::check, appSignIn,
                Optional.of(new AcsSignIn(store, service, appSignIn)));
        appHosts.setHandler(authentication);
        authentication.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                String caller = Authenticated.ATTRIBUTE.get(request).caller().map(v -> v.user().upn()).orElse("nobody");
                String body = new String(Content.Source.asInputStream(request).readAllBytes(), StandardCharsets.UTF_8);
                Responses.write(response, callback, 200, "text/plain", ("app saw " + caller + " body " + body).getBytes(StandardCharsets.UTF_8));
                return true;
            }
        });
        server = TestServer.start(new Handler.Wrapper(appHosts) {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                if (!Request.getServerName(request).equals(LOGIN_HOST)) {
                    return super.handle(request, response, callback);
                }
                String session = request.getHeaders().get("X-Test-Session");
                idp.handle(request, response, callback, session == null ? Optional.empty() : Optional.of(session(session)));
                return true;
            }
        });
    }

    private PublishedApp app(String id, String host, String group, boolean assignmentRequired, SamlSso saml) {
        Instant now = clock.instant();
        return new PublishedApp(id, id, URI.create("https://" + host + "/"), host, "/", URI.create("http://127.0.0.1:9/"), group,
                BackendTimeout.DEFAULT, false, PreAuthentication.DIRECTORY, new AccessSettings(assignmentRequired, true, true, false), now, now,
                false, saml == null ? SsoSettings.NONE : new SsoSettings(SsoMethod.SAML, List.of(), null, saml));
    }

    /** The sign-in session {@code spec} names: {@code <upn>} or {@code <upn> otp} (signed in with a second factor). */
    SignInService.Valid session(String spec) {
        String[] parts = spec.split(" ");
        DirectoryUser u = directory.userByUpn(parts[0]).orElseThrow();
        List<String> amr = parts.length > 1 ? List.of("pwd", "otp") : List.of("pwd");
        return service.check(service.newSession(TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE, u.id(), amr, clock.instant().minusSeconds(5)),
                TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE).orElseThrow();
    }

    /** A policy on {@code app} for everyone with {@code control}. */
    void policy(PublishedApp app, AccessPolicy.Control control) {
        policies.set(new ConditionalAccess(List.of(new AccessPolicy("p", "p", AccessPolicy.State.ON, List.of(app.id()), List.of("ALL"), List.of(),
                List.of(), List.of(), List.of(), null, control)), List.of()));
    }

    @Override
    public void close() throws Exception {
        server.close();
        db.close();
    }
}
