package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.edge.Recorder;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.signin.BrowserBinding;
import dev.drawbridge.proxy.signin.Cookies;
import dev.drawbridge.proxy.signin.SignInService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

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
    static final String HR_COOKIE = Cookies.appCookie("hr");
    /** Alice's session cookie for HR, as her browser sends it. */
    static final String ALICE = HR_COOKIE + "=alice-cookie";

    @BeforeAll
    static void start() throws Exception {
        ids = new Identities(dir);
        Map<String, SignInService.Valid> tokens = Map.of(
                "alice-cookie APP_SESSION " + SessionTokens.appAudience("hr"), Identities.session(ids.alice, List.of("pwd"), Duration.ZERO),
                "alice-bearer ACCESS_TOKEN " + HR.externalUrl(), Identities.session(ids.alice, List.of("pwd"), Duration.ZERO));
        SessionCheck fake = (token, kind, audience) -> Optional.ofNullable(tokens.get(token + " " + kind + " " + audience));
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
        TestServer.Answer a = server.get("open.example.com", "/anything", "Cookie: " + ALICE);
        assertThat(a.body()).isEqualTo("next");
        assertThat(next.last()).isEqualTo(Authenticated.passthrough());
    }

    @Test
    void aBrowserWithoutASessionIsSentToSignIn() throws Exception {
        TestServer.Answer a = server.get("hr.example.com", "/reports/q1?year=2026", "Accept: text/html");
        assertThat(a.status()).isEqualTo(302);
        assertThat(a.header("Location")).get().asString()
                .startsWith(Identities.LOGIN + "/signin?app=hr&p=" + SignInServiceUrls.enc("/reports/q1?year=2026") + "&b=");
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
        assertThat(server.get("hr.example.com", "/x", "Cookie: " + ALICE).body()).isEqualTo("next");
        assertThat(next.last().bearer()).isFalse();
        assertThat(next.last().caller()).get().extracting(v -> v.user().upn()).isEqualTo("alice@corp.example");
    }

    @Test
    void aCookieOfAnotherAppOrAForgedOneIsNotASession() throws Exception {
        // WIKI's audience differs: HR's cookie means nothing there.
        assertThat(server.get("wiki.example.com", "/docs/x", "Cookie: " + ALICE, "Accept: text/html").status())
                .isEqualTo(302);
        assertThat(server.get("hr.example.com", "/x", "Cookie: " + HR_COOKIE + "=forged", "Accept: text/html").status()).isEqualTo(302);
        assertThat(next.seen()).isEmpty();
    }

    /**
     * Cookie tossing: a page on any sibling host of the domain (another app's backend or script, any host under it)
     * can set a cookie with {@code Domain=<domain>} that the browser then sends to every app host. A session cookie
     * such a host can set would let an attacker plant their own session (login CSRF past the browser binding) or
     * shadow the victim's on chosen paths. The session is a {@code __Host-} cookie, which browsers only accept from
     * the host itself, without Domain, with Path=/ and Secure; a cookie of any other name is no session.
     */
    @Test
    void theSessionIsAHostOnlyCookieThatNoSiblingHostCanSet() throws Exception {
        Started browser = startSignIn("hr.example.com", "/reports");
        String callback = callbackOf(ids.service.callbackUrl(HR, browser.binding(), ids.alice, List.of("pwd"), Identities.NOW, "/reports"));
        TestServer.Answer a = server.get("hr.example.com", callback, "Cookie: " + browser.cookie());
        String set = a.headers("Set-Cookie").stream().filter(c -> !expired(c) && !c.startsWith(BrowserBinding.NONCE_PREFIX))
                .findFirst().orElseThrow();
        assertThat(set).startsWith("__Host-").contains("; Path=/;").contains("Secure").doesNotContainIgnoringCase("Domain=");
        assertThat(set).startsWith(HR_COOKIE + "=");
        assertThat(Cookies.appCookie("wiki")).as("apps sharing a host keep their own cookie").isNotEqualTo(HR_COOKIE);
        // The names a sibling host can set, with a session that is valid for the app: none of them is a session.
        for (String tossed : List.of("drawbridge_app", "__host-drawbridge_app_hr", "__Secure-drawbridge_app_hr", "drawbridge_app_hr",
                HR_COOKIE.toLowerCase(Locale.ROOT))) {
            TestServer.Answer t = server.get("hr.example.com", "/x", "Cookie: " + tossed + "=alice-cookie", "Accept: text/html");
            assertThat(t.status()).as(tossed).isEqualTo(302);
        }
        assertThat(next.seen()).isEmpty();
    }

    static final String[] UPGRADE = {"Upgrade: websocket", "Connection: Upgrade", "Sec-WebSocket-Version: 13",
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=="};

    static String[] upgrade(String... more) {
        return Stream.concat(Arrays.stream(UPGRADE), Arrays.stream(more)).toArray(String[]::new);
    }

    /**
     * Cross-site WebSocket hijacking: a browser sends the SameSite=Lax session cookie with a WebSocket handshake from any
     * page of the same site (every sibling host under the domain), and WebSockets have no CORS: such a page could talk to
     * the app as the user and read the answers. A cookie-authenticated upgrade must come from the app's own origin.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://evil.example.com", "https://wiki.example.com", "null",
            "http://hr.example.com", "https://hr.example.com:8443", "https://hr.example.com.evil.com", "https://evil.com/https://hr.example.com",
            "https://hr.example.com, https://evil.example.com"})
    void aCookieAuthenticatedWebSocketFromAnotherOriginIsRefused(String origin) throws Exception {
        for (String upgradeValue : List.of("websocket", "WebSocket")) {
            String[] headers = upgrade("Cookie: " + ALICE, "Origin: " + origin);
            headers[0] = "Upgrade: " + upgradeValue;
            TestServer.Answer a = server.get("hr.example.com", "/ws", headers);
            assertThat(a.status()).as(origin).isEqualTo(403);
            assertThat(a.generated()).isTrue();
        }
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void aWebSocketFromTheAppsOwnOriginABearerClientOrANonBrowserPasses() throws Exception {
        for (String origin : List.of("https://hr.example.com", "HTTPS://HR.example.com")) {
            assertThat(server.get("hr.example.com", "/ws", upgrade("Cookie: " + ALICE, "Origin: " + origin)).body()).as(origin).isEqualTo("next");
        }
        // No Origin: not a browser, so no page of another site behind it.
        assertThat(server.get("hr.example.com", "/ws", upgrade("Cookie: " + ALICE)).body()).isEqualTo("next");
        // A bearer token is no ambient credential: the client chose to send it.
        assertThat(server.get("hr.example.com", "/ws", upgrade("Authorization: Bearer alice-bearer", "Origin: https://evil.example.com"))
                .body()).isEqualTo("next");
        // Plain requests from other origins are the app's business (CORS applies to them).
        assertThat(server.get("hr.example.com", "/api", "Cookie: " + ALICE, "Origin: https://evil.example.com").body()).isEqualTo("next");
    }

    @Test
    void aValidBearerTokenForThisAppAuthenticatesAnApiClient() throws Exception {
        assertThat(server.get("hr.example.com", "/api", "Authorization: Bearer alice-bearer").body()).isEqualTo("next");
        assertThat(next.last().bearer()).isTrue();
        assertThat(next.last().caller()).isPresent();
    }

    @Test
    void anInvalidBearerTokenGets401EvenWithAValidCookie() throws Exception {
        TestServer.Answer a = server.get("hr.example.com", "/api", "Authorization: Bearer alice-cookie", "Cookie: " + ALICE);
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.generated()).isTrue();
        assertThat(a.header("WWW-Authenticate")).contains("Bearer error=\"invalid_token\"");
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void signOutClearsTheAppCookieAndEndsTheSignInSession() throws Exception {
        TestServer.Answer a = server.get("hr.example.com", "/.drawbridge/signout", "Cookie: " + ALICE);
        assertThat(a.status()).isEqualTo(302);
        assertThat(a.header("Location")).contains(Identities.LOGIN + "/signout");
        assertThat(a.headers("Set-Cookie")).anySatisfy(c -> assertThat(c).startsWith(HR_COOKIE + "=;").contains("Expires=Thu, 01 Jan 1970"));
        assertThat(next.seen()).isEmpty();
    }

    /** A browser's start of a sign-in on the app host: its nonce cookie ("name=value") and the binding in the sign-in URL. */
    record Started(String cookie, String binding) {
    }

    static Started startSignIn(String host, String target, String... cookies) throws Exception {
        String[] headers = new String[cookies.length + 1];
        headers[0] = "Accept: text/html";
        for (int i = 0; i < cookies.length; i++) {
            headers[i + 1] = "Cookie: " + cookies[i];
        }
        TestServer.Answer a = server.get(host, target, headers);
        assertThat(a.status()).isEqualTo(302);
        String location = a.header("Location").orElseThrow();
        String binding = location.replaceFirst(".*[?&]b=([0-9a-f]{64}).*", "$1");
        String set = a.headers("Set-Cookie").stream().filter(c -> c.startsWith(BrowserBinding.NONCE_PREFIX) && !expired(c))
                .findFirst().orElseThrow();
        assertThat(set).contains("Path=/").contains("Secure").contains("HttpOnly").contains("SameSite=Lax").contains("Max-Age=600");
        return new Started(set.substring(0, set.indexOf(';')), binding);
    }

    /** A Set-Cookie that deletes its cookie. */
    static boolean expired(String setCookie) {
        return setCookie.contains("Max-Age=0") || setCookie.contains("Expires=Thu, 01 Jan 1970");
    }

    static String callbackOf(String url) {
        URI u = URI.create(url);
        return u.getRawPath() + "?" + u.getRawQuery();
    }

    @Test
    void aSignInStartsWithANonceCookieAndItsBindingInTheSignInUrl() throws Exception {
        Started s = startSignIn("hr.example.com", "/reports");
        assertThat(s.binding()).matches("[0-9a-f]{64}");
        assertThat(s.cookie()).startsWith(BrowserBinding.NONCE_PREFIX + s.binding().substring(0, 16) + "=");
        // The binding is the SHA-256 of the nonce: it reveals nothing of it.
        assertThat(s.cookie().substring(s.cookie().indexOf('=') + 1)).isNotEqualTo(s.binding());
        Started other = startSignIn("hr.example.com", "/reports");
        assertThat(other.binding()).isNotEqualTo(s.binding());
    }

    @Test
    void theCallbackRedeemsACodeOnceInTheBrowserThatStartedTheSignIn() throws Exception {
        Started browser = startSignIn("hr.example.com", "/reports?y=1");
        String callback = callbackOf(ids.service.callbackUrl(HR, browser.binding(), ids.alice, List.of("pwd"), Identities.NOW, "/reports?y=1"));
        TestServer.Answer first = server.get("hr.example.com", callback, "Cookie: " + browser.cookie());
        assertThat(first.status()).isEqualTo(303);
        assertThat(first.header("Location")).contains("https://hr.example.com/reports?y=1");
        String cookie = first.headers("Set-Cookie").stream().filter(c -> c.startsWith(HR_COOKIE + "=")).findFirst().orElseThrow();
        assertThat(cookie).contains("HttpOnly").contains("Secure").contains("SameSite=Lax");
        String token = cookie.substring(HR_COOKIE.length() + 1, cookie.indexOf(';'));
        assertThat(ids.service.check(token, TokenKind.APP_SESSION,
                SessionTokens.appAudience("hr"))).get().extracting(v -> v.user().id()).isEqualTo(ids.alice.id());
        // The nonce cookie is cleared with it.
        String nonceName = browser.cookie().substring(0, browser.cookie().indexOf('='));
        assertThat(first.headers("Set-Cookie")).anySatisfy(c -> assertThat(expired(c) && c.startsWith(nonceName + "=;")).isTrue());

        TestServer.Answer again = server.get("hr.example.com", callback, "Cookie: " + browser.cookie());
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.generated()).isTrue();
        assertThat(again.body()).contains("Sign-in link expired");
        assertThat(again.headers("Set-Cookie")).noneMatch(c -> c.startsWith(HR_COOKIE + "="));
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void theAttackersCodeInTheVictimsBrowserIsRefusedAndSpent() throws Exception {
        Started attacker = startSignIn("hr.example.com", "/");
        Started victim = startSignIn("hr.example.com", "/");
        String planted = callbackOf(ids.service.callbackUrl(HR, attacker.binding(), ids.bob, List.of("pwd"), Identities.NOW, "/"));
        for (String[] victimCookies : List.of(new String[]{}, new String[]{"Cookie: " + victim.cookie()})) {
            TestServer.Answer a = server.get("hr.example.com", planted, victimCookies);
            assertThat(a.status()).isEqualTo(400);
            assertThat(a.headers("Set-Cookie")).noneMatch(c -> c.startsWith(HR_COOKIE + "="));
        }
        // Spent by the first attempt: not even the attacker's own browser can use it now.
        assertThat(server.get("hr.example.com", planted, "Cookie: " + attacker.cookie()).status()).isEqualTo(400);
    }

    @Test
    void aCodeIsRefusedWithAForgedOrMissingNonceOrForAnotherApp() throws Exception {
        Started browser = startSignIn("hr.example.com", "/");
        String nonceName = browser.cookie().substring(0, browser.cookie().indexOf('='));
        List<String[]> wrong = List.of(new String[]{}, new String[]{"Cookie: " + nonceName + "=forged-value"},
                new String[]{"Cookie: " + nonceName + "=" + browser.binding()},
                new String[]{"Cookie: " + BrowserBinding.NONCE_PREFIX + "0000000000000000=" + browser.cookie().substring(nonceName.length() + 1)});
        for (String[] cookies : wrong) {
            String code = callbackOf(ids.service.callbackUrl(HR, browser.binding(), ids.alice, List.of("pwd"), Identities.NOW, "/"));
            assertThat(server.get("hr.example.com", code, cookies).status()).as(String.join(" ", cookies)).isEqualTo(400);
        }
        URI forWiki = URI.create(ids.service.callbackUrl(WIKI, browser.binding(), ids.alice, List.of("pwd"), Identities.NOW, "/docs/"));
        TestServer.Answer a = server.get("hr.example.com", "/.drawbridge/callback?" + forWiki.getRawQuery(), "Cookie: " + browser.cookie());
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.headers("Set-Cookie")).noneMatch(c -> c.startsWith(HR_COOKIE + "="));
    }

    @Test
    void aBrowserKeepsABoundedNumberOfSignInsInFlight() throws Exception {
        String[] cookies = new String[BrowserBinding.MAX_IN_FLIGHT];
        for (int i = 0; i < cookies.length; i++) {
            cookies[i] = startSignIn("hr.example.com", "/").cookie();
        }
        TestServer.Answer a = server.get("hr.example.com", "/", "Accept: text/html", "Cookie: " + String.join("; ", cookies));
        assertThat(a.status()).isEqualTo(302);
        for (String c : cookies) {
            assertThat(a.headers("Set-Cookie")).anySatisfy(set -> assertThat(expired(set) && set.startsWith(c.substring(0, c.indexOf('=')) + "=;"))
                    .isTrue());
        }
        assertThat(a.headers("Set-Cookie")).filteredOn(set -> !expired(set)).hasSize(1);
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/.drawbridge/signout", "/.drawbridge;x/signout", "/%2Edrawbridge/signout",
            "/.drawbridge%2Fsignout", "/.drawbridge/signout/", "/.drawbridge/signout;x"})
    void signOutIsRecognisedInEverySpelling(String target) throws Exception {
        TestServer.Answer a = server.get("hr.example.com", target, "Cookie: " + ALICE);
        assertThat(a.status()).isEqualTo(302);
        assertThat(a.header("Location")).contains(Identities.LOGIN + "/signout");
        assertThat(next.seen()).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"/.drawbridge/other", "/.DRAWBRIDGE/callback", "/.Drawbridge/signout",
            "/.drawbridge", "/.drawbridge/", "/%2edrawbridge/x", "/.drawbridge./callback", "/docs/.drawbridge/callback", "//.drawbridge//signout"})
    void nothingUnderTheReservedNamespaceReachesTheApp(String target) throws Exception {
        String host = target.startsWith("/docs/") ? "wiki.example.com" : "hr.example.com";
        TestServer.Answer a = server.get(host, target, "Cookie: " + ALICE);
        assertThat(a.status()).isIn(302, 400, 404);
        assertThat(next.seen()).isEmpty();
    }

    /** Encoding as the sign-in URL does it. */
    static final class SignInServiceUrls {
        static String enc(String s) {
            return URLEncoder.encode(s, StandardCharsets.UTF_8);
        }
    }
}
