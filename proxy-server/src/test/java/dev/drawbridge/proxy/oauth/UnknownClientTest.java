package dev.drawbridge.proxy.oauth;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.drawbridge.proxy.oauth.IssuerServer.API;
import static dev.drawbridge.proxy.oauth.IssuerServer.CODE_AND_REFRESH;
import static dev.drawbridge.proxy.oauth.IssuerServer.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A client id nobody registered, in every spelling (unknown, missing, another letter case of a registered one, with
 * white space or a control character, too long, repeated), gets an error page at {@code /authorize} — never a redirect,
 * not even to a loopback address — and {@code invalid_client} at the token endpoint, for both grants.
 */
class UnknownClientTest {
    @TempDir
    static Path dir;
    static IssuerServer issuer;

    @BeforeAll
    static void start() throws Exception {
        issuer = new IssuerServer(dir);
        issuer.register("cli", List.of(REDIRECT), CODE_AND_REFRESH, List.of());
    }

    @AfterAll
    static void stop() throws Exception {
        issuer.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nobody", "", "CLI", "Cli", "cli ", " cli", "cli\u0000", "cli\n", "cli%00", "cli.", "c li"})
    void anUnknownClientGetsAPageAndNoRedirect(String clientId) throws Exception {
        IssuerServer.Answer a = issuer.authorize(IssuerServer.request(clientId, REDIRECT, IssuerServer.Pkce.fresh(), API));
        assertThat(a.status()).isEqualTo(400);
        assertThat(a.location()).isEmpty();
        assertThat(a.body()).contains("not registered");
    }

    @Test
    void aMissingOrOverlongClientIdGetsAPage() throws Exception {
        String pkce = IssuerServer.Pkce.fresh().challenge();
        for (String query : List.of("response_type=code&code_challenge_method=S256&code_challenge=" + pkce + "&redirect_uri=" + IssuerServer.enc(REDIRECT),
                "client_id=" + "c".repeat(201) + "&response_type=code&code_challenge_method=S256&code_challenge=" + pkce
                        + "&redirect_uri=" + IssuerServer.enc(REDIRECT))) {
            IssuerServer.Answer a = issuer.authorizeRaw(query + "&resource=" + IssuerServer.enc(API));
            assertThat(a.status()).as(query).isEqualTo(400);
            assertThat(a.location()).isEmpty();
        }
    }

    @Test
    void aRepeatedClientIdOrRedirectUriGetsAPage() throws Exception {
        String common = "&response_type=code&code_challenge_method=S256&code_challenge=" + IssuerServer.Pkce.fresh().challenge()
                + "&resource=" + IssuerServer.enc(API);
        for (String query : List.of("client_id=nobody&client_id=cli&redirect_uri=" + IssuerServer.enc(REDIRECT),
                "client_id=cli&client_id=nobody&redirect_uri=" + IssuerServer.enc(REDIRECT),
                "client_id=cli&redirect_uri=" + IssuerServer.enc(REDIRECT) + "&redirect_uri=" + IssuerServer.enc("http://127.0.0.1/other"))) {
            IssuerServer.Answer a = issuer.authorizeRaw(query + common);
            assertThat(a.status()).as(query).isEqualTo(400);
            assertThat(a.location()).as(query).isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"nobody", "", "CLI", "cli ", "cli\u0000"})
    void anUnknownClientIsInvalidClientAtTheTokenEndpoint(String clientId) throws Exception {
        IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
        String code = IssuerServer.code(issuer.authorize(IssuerServer.request("cli", REDIRECT, pkce, API)), REDIRECT);
        IssuerServer.Answer byCode = issuer.redeem(clientId, code, REDIRECT, pkce);
        assertThat(byCode.status()).isEqualTo(400);
        assertThat(byCode.error()).isEqualTo("invalid_client");
        String refresh = issuer.redeem("cli", code, REDIRECT, pkce).json().path("refresh_token").asText();
        assertThat(refresh).as("the code was not used up by the unknown client").startsWith("dbrt_");
        IssuerServer.Answer byRefresh = issuer.refresh(clientId, refresh);
        assertThat(byRefresh.status()).isEqualTo(400);
        assertThat(byRefresh.error()).isEqualTo("invalid_client");
        assertThat(issuer.refresh("cli", refresh).status()).as("nor was the refresh token").isEqualTo(200);
    }

    @Test
    void aRepeatedClientIdAtTheTokenEndpointIsRefused() throws Exception {
        IssuerServer.Answer a = issuer.token(Map.of("grant_type", "refresh_token", "client_id", "cli", "refresh_token", "dbrt_x"));
        assertThat(a.error()).isEqualTo("invalid_grant");
        IssuerServer.Answer twice = issuer.tokenRaw("grant_type=refresh_token&client_id=cli&client_id=nobody&refresh_token=dbrt_x");
        assertThat(twice.status()).isEqualTo(400);
        assertThat(twice.error()).isEqualTo("invalid_request");
    }
}
