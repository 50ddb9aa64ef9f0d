package dev.drawbridge.proxy.signin;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.AppIcons;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.federation.FederatedSessions;
import dev.drawbridge.proxy.federation.Federation;
import dev.drawbridge.proxy.identity.AccessRequests;
import dev.drawbridge.proxy.identity.Directory;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.Mfa;
import dev.drawbridge.proxy.identity.PasswordHasher;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.identity.SignInLimiter;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.oauth.TokenIssuer;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.policy.PolicyStore;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.vault.Vault;
import dev.drawbridge.proxy.vault.VaultStore;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.AUTH_CODE;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second factor does not launder a session into an app that does not offer its provider: a user signed in through
 * provider {@code partner} who completes the second factor (a step-up started on the sign-in host's own page) with the
 * form's {@code app} set to an app that offers only {@code corp} gets no code for that app, only its sign-in page; with an
 * app that offers {@code partner} the code is issued as usual. One real Jetty server on port 0 with the sign-in handler.
 */
class SecondFactorProviderChoiceTest {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final String HOST = "login.example.test";
    static final String BINDING = "ab".repeat(32);
    @TempDir
    Path dir;
    Database db;
    DirectoryStore store;
    SettableClock clock;
    SignInService service;
    Mfa mfa;
    TestServer server;
    DirectoryUser mia;
    String totpSecret;

    static PublishedApp app(String id, List<String> providers) {
        return new PublishedApp(id, id, URI.create("https://" + id + ".example.test/"), id + ".example.test", "/", URI.create("http://intranet/"),
                "g", BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false, providers), T0, T0);
    }

    @BeforeEach
    void start() throws Exception {
        db = Database.h2(dir);
        store = new DirectoryStore(db);
        clock = new SettableClock(T0);
        DataKey dataKey = DataKey.loadOrCreate(dir);
        SessionTokens tokens = new SessionTokens(new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("k1").generate()), "https://" + HOST, clock);
        service = new SignInService(store, tokens, ServerConfig.IdentitySettings.DEFAULTS, clock, "https://" + HOST, new SignInLog(db, clock));
        RouteTable routes = new RouteTable(List.of(app("corponly", List.of("corp")), app("partners", List.of("partner"))));
        Directory directory = new Directory(store, PasswordHasher.owaspDefault(), clock, 5, Duration.ofMinutes(1), (u, p) -> Optional.empty());
        mfa = new Mfa(db, dataKey, clock, "Drawbridge");
        PolicyStore policies = new PolicyStore(db);
        SignInHandler handler = new SignInHandler(service, directory, () -> routes, mfa, new AccessRequests(db, store, clock),
                new TokenIssuer(service, () -> routes, policies, db), new AuditLog(db, clock),
                new Federation(db, dataKey, store, clock, URI.create("https://" + HOST + "/federation/callback")), new AppIcons(db, clock),
                new SignInLimiter(SignInLimiter.Limits.DEFAULTS, clock), new Vault(new VaultStore(db, dataKey), clock));
        server = TestServer.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                return handler.handle(request, response, callback);
            }
        });
        mia = store.createUser("mia@partner.example", "Mia", Optional.empty(), Optional.empty(), Optional.empty(), T0.minusSeconds(3600));
        totpSecret = mfa.begin(mia).secret();
        assertThat(mfa.confirm(mia.id(), code())).isPresent();
        clock.advance(Duration.ofSeconds(60));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        db.close();
    }

    String code() throws Exception {
        return new DefaultCodeGenerator().generate(totpSecret, Math.floorDiv(clock.instant().getEpochSecond(), 30));
    }

    static Optional<String> cookie(TestServer.Answer a, String name) {
        return a.headers("Set-Cookie").stream().filter(c -> c.startsWith(name + "=")).map(c -> c.substring(name.length() + 1).split(";")[0])
                .findFirst();
    }

    /** Signs in through partner, asks for the second factor on the sign-in host's page, and posts it naming {@code appId}. */
    TestServer.Answer secondFactorFor(String appId) throws Exception {
        String login = service.newSession(TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE, mia.id(), FederatedSessions.amr("partner"),
                clock.instant());
        TestServer.Answer page = server.get(HOST, "/signin?mfa=1", "Cookie: " + Cookies.LOGIN + "=" + login);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        String pending = cookie(page, SignInHandler.MFA_COOKIE).orElseThrow();
        String csrf = cookie(page, Cookies.CSRF).orElseThrow();
        byte[] form = ("app=" + appId + "&p=%2F&csrf=" + URLEncoder.encode(csrf, StandardCharsets.UTF_8) + "&code=" + code())
                .getBytes(StandardCharsets.UTF_8);
        // The browser also holds the binding of a sign-in the app started (BrowserBinding.remember).
        List<String> cookies = new ArrayList<>(List.of(Cookies.LOGIN + "=" + login, SignInHandler.MFA_COOKIE + "=" + pending, Cookies.CSRF + "=" + csrf,
                "__Host-drawbridge_flow_" + appId + "=" + BINDING));
        return server.post(HOST, "/mfa", form, "Content-Type: application/x-www-form-urlencoded", "Cookie: " + String.join("; ", cookies));
    }

    int codesFor(String appId) {
        return db.dsl().fetchCount(AUTH_CODE, AUTH_CODE.APP_ID.eq(appId));
    }

    @Test
    void theSecondFactorIssuesNoCodeForAnAppThatDoesNotOfferTheSessionsProvider() throws Exception {
        TestServer.Answer refused = secondFactorFor("corponly");
        assertThat(refused.header("Location")).as("no code for the app").get().asString().startsWith("/signin?app=corponly&").doesNotContain("code=")
                .doesNotContain("corponly.example.test");
        assertThat(codesFor("corponly")).isZero();
    }

    @Test
    void theSecondFactorIssuesTheCodeForAnAppThatOffersTheSessionsProvider() throws Exception {
        TestServer.Answer ok = secondFactorFor("partners");
        assertThat(ok.header("Location")).get().asString().startsWith("https://partners.example.test/" + SignInService.CALLBACK + "?code=");
        assertThat(codesFor("partners")).isEqualTo(1);
    }
}
