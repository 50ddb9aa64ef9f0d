package dev.drawbridge.proxy.saml;

import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.signin.Cookies;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static dev.drawbridge.proxy.saml.Requests.enc;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * SAML's login CSRF at the app's ACS URL (found by the hostile review): a browser that has Drawbridge's session for a
 * SAML app as Alice posts a response the identity provider issued to Bob (Bob got it from his own IdP-initiated sign-in
 * and never posted it; a page on any host of the same site posts it from Alice's browser, whose SameSite=Lax cookie
 * comes along). The service provider (mod_auth_mellon) accepts such an unsolicited, validly signed response, so Alice
 * would work in the app as Bob while Drawbridge names her. Drawbridge knows whom it issued each response to: one
 * issued to another user than the session's never reaches the app, at the ACS path in every spelling the app's server
 * reads as it (percent-encoding, path parameters, a trailing slash, letter case). A response of the
 * session's own user still goes through.
 */
class AcsOtherUsersResponseTest {
    private static final String TYPE = "Content-Type: application/x-www-form-urlencoded";
    private static final String WIKI = "wiki.example.test";
    @TempDir
    static Path dir;
    static IdpServer idp;

    @BeforeAll
    static void start() throws Exception {
        idp = new IdpServer(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        idp.close();
    }

    /** A fresh IdP-initiated response for {@code upn} to the Wiki app, as its form body (not posted anywhere yet). */
    static byte[] responseOf(String upn) throws Exception {
        TestServer.Answer page = idp.server.get(IdpServer.LOGIN_HOST, "/saml/wiki/start", "X-Test-Session: " + upn);
        assertThat(page.status()).as(page.body()).isEqualTo(200);
        return ("SAMLResponse=" + enc(SamlIdpTest.field(page, "SAMLResponse"))).getBytes(StandardCharsets.US_ASCII);
    }

    /** Alice's Wiki session cookie, opened by her own response from the sign-in host's page. */
    static String aliceSession() throws Exception {
        TestServer.Answer admitted = idp.server.post(WIKI, "/saml/acs", responseOf("alice@corp.example"), TYPE,
                "Origin: " + IdpServer.LOGIN);
        assertThat(admitted.body()).startsWith("app saw alice@corp.example");
        return admitted.headers("Set-Cookie").stream().filter(c -> c.startsWith(Cookies.appCookie("wiki") + "=")).findFirst()
                .orElseThrow().split(";")[0];
    }

    @Test
    void aResponseIssuedToAnotherUserNeverReachesTheAppFromABrowserWithASession() throws Exception {
        String alice = aliceSession();
        for (String acs : List.of("/saml/acs", "/saml/%61cs", "/saml/ac%73", "/saml/acs;x=1", "/saml/acs/",
                "/SAML/ACS", "/saml/%2561cs")) {
            TestServer.Answer posted = idp.server.post(WIKI, acs, responseOf("bob@corp.example"), TYPE, "Cookie: " + alice,
                    "Origin: https://other.example.test");
            assertThat(posted.status()).as(acs).isEqualTo(403);
            assertThat(posted.body()).as(acs).doesNotContain("app saw").contains("another user");
            assertThat(posted.generated()).as(acs).isTrue();
        }
    }

    @Test
    void aResponseIssuedToTheSessionsOwnUserStillGoesThrough() throws Exception {
        String alice = aliceSession();
        byte[] own = responseOf("alice@corp.example");
        TestServer.Answer posted = idp.server.post(WIKI, "/saml/acs", own, TYPE, "Cookie: " + alice);
        assertThat(posted.status()).isEqualTo(200);
        assertThat(posted.body()).isEqualTo("app saw alice@corp.example body " + new String(own, StandardCharsets.US_ASCII));
        // Spent on the way: no copy of it opens a session later.
        assertThat(idp.server.post(WIKI, "/saml/acs", own, TYPE, "Origin: " + IdpServer.LOGIN).status()).isEqualTo(401);
    }

    @Test
    void anotherUsersResponseAlreadySpentIsRefusedAllTheSame() throws Exception {
        // Bob's response was posted once (the service provider's replay cache may have lost it: a restart, another node).
        byte[] bobs = responseOf("bob@corp.example");
        assertThat(idp.server.post(WIKI, "/saml/acs", bobs, TYPE, "Origin: " + IdpServer.LOGIN).body()).startsWith("app saw bob@corp.example");
        TestServer.Answer posted = idp.server.post(WIKI, "/saml/acs", bobs, TYPE, "Cookie: " + aliceSession());
        assertThat(posted.status()).isEqualTo(403);
        assertThat(posted.body()).doesNotContain("app saw");
    }
}
