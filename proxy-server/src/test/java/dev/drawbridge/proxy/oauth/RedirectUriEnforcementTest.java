package dev.drawbridge.proxy.oauth;

import dev.drawbridge.model.api.OAuthClientView;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;

import static dev.drawbridge.proxy.oauth.IssuerServer.API;
import static dev.drawbridge.proxy.oauth.IssuerServer.CODE_AND_REFRESH;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * At {@code /authorize}, a redirect URI that is not one the client registered — in any spelling: host letter case,
 * trailing slash, extra path or query, user info, look-alike hosts, percent-encoding, other IPv4 and IPv6 forms of
 * loopback, another client's redirect, https, a fragment — gets an error page and no redirect (RFC 6749 §4.1.2.1).
 * A registered one gets the code, at any port when it is a loopback redirect; the token endpoint then wants the same
 * redirect URI, character for character.
 */
class RedirectUriEnforcementTest {
    static final List<String> REGISTERED = List.of("http://127.0.0.1/callback", "http://[::1]/callback", "http://localhost/callback",
            "com.example.app:/callback");
    @TempDir
    static Path dir;
    static IssuerServer issuer;

    @BeforeAll
    static void start() throws Exception {
        issuer = new IssuerServer(dir);
        issuer.register("cli", REGISTERED, CODE_AND_REFRESH, List.of());
        issuer.register("other-app", List.of("http://127.0.0.1/other-callback", "com.example.other:/callback"), CODE_AND_REFRESH, List.of());
    }

    @AfterAll
    static void stop() throws Exception {
        issuer.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "http://LOCALHOST/callback", "http://LocalHost:5000/callback", "HTTP://127.0.0.1/callback",
            "COM.EXAMPLE.APP:/callback", "http://127.0.0.1/callback/", "http://127.0.0.1:5000/callback/", "http://127.0.0.1/callback/x",
            "http://127.0.0.1/Callback", "http://127.0.0.1/./callback", "http://127.0.0.1//callback", "http://127.0.0.1/",
            "http://127.0.0.1/callback?x=1", "http://127.0.0.1/callback?", "http://127.0.0.1/callback#x", "com.example.app:/callback?x=1",
            "com.example.app://callback", "http://127.0.0.1@evil.example/callback", "http://127.0.0.1:80@evil.example/callback",
            "http://evil.example@127.0.0.1/callback", "http://127.0.0.1.evil.example/callback", "http://localhost.evil.com/callback",
            "http://localhost./callback", "http://127.0.0.1/%63allback", "http://127.0.0.1/callback%2F", "http://%31%32%37.0.0.1/callback",
            "http://127.0.0.2/callback", "http://127.1/callback", "http://2130706433/callback", "http://[::ffff:127.0.0.1]/callback",
            "http://[0:0:0:0:0:0:0:1]/callback", "http://[::0001]/callback", "http://[::1%25lo]/callback", "http://127.0.0.1:0/callback",
            "http://127.0.0.1:65536/callback", "http://127.0.0.1:/callback", "https://127.0.0.1/callback", "https://evil.example/callback",
            "http://evil.example/callback", "http://evil.example:80/callback", "http://127.0.0.1/other-callback",
            "com.example.other:/callback", "http://127.0.0.1/callback ", " http://127.0.0.1/callback", "http://127.0.0.1/callback\r\nX: y"})
    void anUnregisteredRedirectGetsAPageAndNoRedirect(String redirect) throws Exception {
        IssuerServer.Answer a = issuer.authorize(IssuerServer.request("cli", redirect, IssuerServer.Pkce.fresh(), API));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.location()).isEmpty();
        assertThat(a.body()).contains("redirect_uri");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://127.0.0.1/callback", "http://127.0.0.1:53682/callback", "http://127.0.0.1:1/callback",
            "http://127.0.0.1:65535/callback", "http://[::1]:8080/callback", "http://localhost:4000/callback", "com.example.app:/callback"})
    void aRegisteredRedirectGetsTheCodeAndTheTokenEndpointWantsItAgain(String redirect) throws Exception {
        IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
        String code = IssuerServer.code(issuer.authorize(IssuerServer.request("cli", redirect, pkce, API)), redirect);
        IssuerServer.Answer other = issuer.redeem("cli", code, redirect.replace("/callback", "/callback/"), pkce);
        assertThat(other.error()).as("another redirect_uri at the token endpoint").isEqualTo("invalid_grant");
        String again = IssuerServer.code(issuer.authorize(IssuerServer.request("cli", redirect, pkce, API)), redirect);
        IssuerServer.Answer ok = issuer.redeem("cli", again, redirect, pkce);
        assertThat(ok.status()).as(ok.body()).isEqualTo(200);
        assertThat(ok.json().path("access_token").asText()).isNotEmpty();
    }

    @Test
    void aLoopbackCodeNeedsTheSamePortAtTheTokenEndpoint() throws Exception {
        IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
        String code = IssuerServer.code(issuer.authorize(IssuerServer.request("cli", "http://127.0.0.1:5000/callback", pkce, API)),
                "http://127.0.0.1:5000/callback");
        assertThat(issuer.redeem("cli", code, "http://127.0.0.1:5001/callback", pkce).error()).isEqualTo("invalid_grant");
    }

    @Test
    void aRemovedRedirectUriNoLongerRedeemsItsCode() throws Exception {
        IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
        issuer.register("moving", List.of("http://127.0.0.1/old", "http://127.0.0.1/new"), CODE_AND_REFRESH, List.of());
        String code = IssuerServer.code(issuer.authorize(IssuerServer.request("moving", "http://127.0.0.1/old", pkce, API)),
                "http://127.0.0.1/old");
        var c = issuer.clients.find("moving").orElseThrow();
        issuer.clients.replace(new OAuthClientView(c.clientId(), c.displayName(), List.of("http://127.0.0.1/new"),
                c.grants(), c.appIds(), c.createdAt(), c.updatedAt()));
        assertThat(issuer.redeem("moving", code, "http://127.0.0.1/old", pkce).error()).isEqualTo("invalid_grant");
    }
}
