package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.edge.Recorder;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.routing.AppRouter;
import dev.drawbridge.proxy.routing.PublishedApp;
import dev.drawbridge.proxy.routing.RouteTable;
import dev.drawbridge.proxy.signin.SignInService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of {@link AuthenticationHandler} on a real Jetty server, after real app routing over a fixed route
 * table, with a fake session check and the real sign-in service (codes in H2): passthrough apps pass with nobody
 * authenticated; browsers without a session are sent to sign in, other clients get 401; a valid cookie or bearer token
 * (for this app only) puts the caller on the request; the callback turns a one-time code into the app cookie once;
 * sign-out clears the cookie.
 */
class AuthenticationHandlerTest {
    @TempDir
    static Path dir;
    static Identities ids;
    static TestServer server;
    static Recorder<Authenticated> next;
    static final PublishedApp OPEN = Identities.app("open", "open.example.com", "/", PreAuthentication.PASSTHROUGH, false);
    static final PublishedApp HR = Identities.app("hr", "hr.example.com", "/", PreAuthentication.DIRECTORY, false);
    static final PublishedApp WIKI = Identities.app("wiki", "wiki.example.com", "/docs/", PreAuthentication.DIRECTORY, false);

    @BeforeAll
    static void start() throws Exception {
        ids = new Identities(dir);
        Map<String, SignInService.Valid> tokens = Map.of(
                "alice-cookie " + SessionTokens.appAudience("hr"), Identities.session(ids.alice, List.of("pwd"), Duration.ZERO),
                "alice-bearer " + HR.externalUrl(), Identities.session(ids.alice, List.of("pwd"), Duration.ZERO));
        SessionCheck fake = (token, audience) -> Optional.ofNullable(tokens.get(token + " " + audience));
        next = new Recorder<>("next", Authenticated.ATTRIBUTE::get);
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(OPEN, HR, WIKI)));
        AuthenticationHandler authentication = new AuthenticationHandler(fake,
                new AppSignIn(ids.service, Assignments.of(ids.store), ConditionalAccess::none));
        routing.setHandler(authentication);
        authentication.setHandler(next);
        server = TestServer.start(routing);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        ids.close();
    }

    @BeforeEach
    void clear() {
        next.clear();
    }

    @Test
    void passthroughAppsPassWithNobodyAuthenticated() throws Exception {
        TestServer.Answer a = server.get("open.example.com", "/anything", "Cookie: drawbridge_app=alice-cookie");
        assertThat(a.body()).isEqualTo("next");
        assertThat(next.last()).isEqualTo(Authenticated.passthrough());
    }

    @Test
    void aBrowserWithoutASessionIsSentToSignIn() throws Exception {
        TestServer.Answer a = server.get("hr.example.com", "/reports/q1?year=2026", "Accept: text/html");
        assertThat(a.status()).isEqualTo(302);
        assertThat(a.header("Location")).get().asString()
                .startsWith(Identities.LOGIN + "/signin?app=hr&p=" + SignInServiceUrls.enc("/reports/q1?year=2026"));
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void otherClientsWithoutASessionGet401() throws Exception {
        TestServer.Answer a = server.get("hr.example.com", "/api/items", "Accept: application/json");
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.generated()).isTrue();
        assertThat(a.header("WWW-Authenticate")).contains("Bearer realm=\"hr\"");
        assertThat(a.header("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void aValidCookieOfThisAppPutsTheCallerOnTheRequest() throws Exception {
        assertThat(server.get("hr.example.com", "/x", "Cookie: drawbridge_app=alice-cookie").body()).isEqualTo("next");
        assertThat(next.last().bearer()).isFalse();
        assertThat(next.last().caller()).get().extracting(v -> v.user().upn()).isEqualTo("alice@corp.example");
    }

    @Test
    void aCookieOfAnotherAppOrAForgedOneIsNotASession() throws Exception {
        // WIKI's audience differs: HR's cookie means nothing there.
        assertThat(server.get("wiki.example.com", "/docs/x", "Cookie: drawbridge_app=alice-cookie", "Accept: text/html").status())
                .isEqualTo(302);
        assertThat(server.get("hr.example.com", "/x", "Cookie: drawbridge_app=forged", "Accept: text/html").status()).isEqualTo(302);
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void aValidBearerTokenForThisAppAuthenticatesAnApiClient() throws Exception {
        assertThat(server.get("hr.example.com", "/api", "Authorization: Bearer alice-bearer").body()).isEqualTo("next");
        assertThat(next.last().bearer()).isTrue();
        assertThat(next.last().caller()).isPresent();
    }

    @Test
    void anInvalidBearerTokenGets401EvenWithAValidCookie() throws Exception {
        TestServer.Answer a = server.get("hr.example.com", "/api", "Authorization: Bearer alice-cookie", "Cookie: drawbridge_app=alice-cookie");
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.generated()).isTrue();
        assertThat(a.header("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void signOutClearsTheAppCookieAndEndsTheSignInSession() throws Exception {
        TestServer.Answer a = server.get("hr.example.com", "/.drawbridge/signout", "Cookie: drawbridge_app=alice-cookie");
        assertThat(a.status()).isEqualTo(302);
        assertThat(a.header("Location")).contains(Identities.LOGIN + "/signout");
        assertThat(a.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith("drawbridge_app=;").contains("Expires=Thu, 01 Jan 1970"));
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void theCallbackRedeemsAOneTimeCodeForThisAppOnce() throws Exception {
        URI issued = URI.create(ids.service.callbackUrl(HR, ids.alice, List.of("pwd"), Identities.NOW, "/reports?y=1"));
        assertThat(issued.getHost()).isEqualTo("hr.example.com");
        String callback = issued.getRawPath() + "?" + issued.getRawQuery();
        TestServer.Answer first = server.get("hr.example.com", callback);
        assertThat(first.status()).isEqualTo(303);
        assertThat(first.header("Location")).contains("https://hr.example.com/reports?y=1");
        String cookie = first.headers("Set-Cookie").stream().filter(c -> c.startsWith("drawbridge_app=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("Secure").contains("SameSite=Lax");
        String token = cookie.substring("drawbridge_app=".length(), cookie.indexOf(';'));
        assertThat(ids.service.check(token, SessionTokens.appAudience("hr"))).get().extracting(v -> v.user().id()).isEqualTo(ids.alice.id());

        TestServer.Answer again = server.get("hr.example.com", callback);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.generated()).isTrue();
        assertThat(again.body()).contains("Sign-in link expired");
        assertThat(again.headers("Set-Cookie")).isEmpty();
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void aCodeForAnotherAppIsRefused() throws Exception {
        URI forWiki = URI.create(ids.service.callbackUrl(WIKI, ids.alice, List.of("pwd"), Identities.NOW, "/docs/"));
        TestServer.Answer a = server.get("hr.example.com", "/.drawbridge/callback?" + forWiki.getRawQuery());
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.headers("Set-Cookie")).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/.drawbridge/signout", "/.drawbridge;x/signout", "/%2Edrawbridge/signout",
            "/.drawbridge%2Fsignout", "/.drawbridge/signout/", "/.drawbridge/signout;x"})
    void signOutIsRecognisedInEverySpelling(String target) throws Exception {
        TestServer.Answer a = server.get("hr.example.com", target, "Cookie: drawbridge_app=alice-cookie");
        assertThat(a.status()).isEqualTo(302);
        assertThat(a.header("Location")).contains(Identities.LOGIN + "/signout");
        assertThat(next.seen()).isEmpty();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.ValueSource(strings = {"/.drawbridge/other", "/.DRAWBRIDGE/callback", "/.Drawbridge/signout",
            "/.drawbridge", "/.drawbridge/", "/%2edrawbridge/x", "/.drawbridge./callback", "/docs/.drawbridge/callback", "//.drawbridge//signout"})
    void nothingUnderTheReservedNamespaceReachesTheApp(String target) throws Exception {
        String host = target.startsWith("/docs/") ? "wiki.example.com" : "hr.example.com";
        TestServer.Answer a = server.get(host, target, "Cookie: drawbridge_app=alice-cookie");
        assertThat(a.status()).isIn(302, 400, 404);
        assertThat(next.seen()).isEmpty();
    }

    /** Encoding as the sign-in URL does it. */
    static final class SignInServiceUrls {
        static String enc(String s) {
            return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
