package dev.drawbridge.proxy.oauth;

import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.drawbridge.proxy.oauth.IssuerServer.API;
import static dev.drawbridge.proxy.oauth.IssuerServer.API_ID;
import static dev.drawbridge.proxy.oauth.IssuerServer.CODE_AND_REFRESH;
import static dev.drawbridge.proxy.oauth.IssuerServer.CODE_ONLY;
import static dev.drawbridge.proxy.oauth.IssuerServer.OTHER;
import static dev.drawbridge.proxy.oauth.IssuerServer.OTHER_ID;
import static dev.drawbridge.proxy.oauth.IssuerServer.REDIRECT;
import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every grant against every client configuration (grants: code only, code and refresh; apps: any, one, the other):
 * the code is issued only for an app the client may reach, a refresh token only to a client allowed the refresh grant,
 * and a refresh token is refused to a client without it; PKCE S256 is required (plain, none, a short challenge, a wrong
 * or missing verifier refused). Taking the refresh grant or an app away, or deleting the client, ends its refresh
 * tokens and codes for good: giving them back, or registering the id again, does not revive them.
 */
class GrantMatrixTest {
    @TempDir
    static Path dir;
    static IssuerServer issuer;
    static String userId;

    @BeforeAll
    static void start() throws Exception {
        issuer = new IssuerServer(dir);
    }

    @AfterAll
    static void stop() throws Exception {
        issuer.close();
    }

    record Config(String id, List<OAuthGrant> grants, List<String> apps) {
    }

    @Test
    void everyGrantAgainstEveryClientConfiguration() throws Exception {
        List<Config> configs = List.of(new Config("code-any", CODE_ONLY, List.of()), new Config("both-any", CODE_AND_REFRESH, List.of()),
                new Config("code-api", CODE_ONLY, List.of(API_ID)), new Config("both-api", CODE_AND_REFRESH, List.of(API_ID)),
                new Config("both-other", CODE_AND_REFRESH, List.of(OTHER_ID)));
        List<String> wrong = new ArrayList<>();
        for (Config c : configs) {
            OAuthClientView client = issuer.register(c.id(), List.of(REDIRECT), c.grants(), c.apps());
            for (String resource : List.of(API, OTHER)) {
                String appId = resource.equals(API) ? API_ID : OTHER_ID;
                boolean reach = client.mayReach(appId);
                boolean refresh = client.allows(OAuthGrant.REFRESH_TOKEN);
                IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
                IssuerServer.Answer a = issuer.authorize(IssuerServer.request(c.id(), REDIRECT, pkce, resource));
                String at = c + " " + resource + ": ";
                if (!reach) {
                    if (!a.location().orElse("").equals(REDIRECT + "?error=invalid_target&state=xyz")) {
                        wrong.add(at + "authorize answered " + a);
                    }
                    // A refresh token for an app the client may not reach (issued before it was limited) is refused too.
                    String old = Minted.refresh(issuer.db, userId(), appId, c.id(), Instant.now(), Instant.now().plusSeconds(600));
                    IssuerServer.Answer r = issuer.refresh(c.id(), old);
                    if (r.status() != 400 || !r.error().equals(refresh ? "invalid_grant" : "unauthorized_client")) {
                        wrong.add(at + "refresh for an unreachable app answered " + r);
                    }
                    continue;
                }
                IssuerServer.Answer t = issuer.redeem(c.id(), IssuerServer.code(a, REDIRECT), REDIRECT, pkce);
                if (t.status() != 200 || t.json().has("refresh_token") != refresh) {
                    wrong.add(at + "code grant answered " + t);
                    continue;
                }
                String rt = refresh ? t.json().path("refresh_token").asText()
                        : Minted.refresh(issuer.db, userId(), appId, c.id(), Instant.now(), Instant.now().plusSeconds(600));
                IssuerServer.Answer r = issuer.refresh(c.id(), rt);
                if (refresh ? r.status() != 200 || !r.json().path("refresh_token").asText().startsWith("dbrt_")
                        : r.status() != 400 || !r.error().equals("unauthorized_client")) {
                    wrong.add(at + "refresh grant answered " + r);
                }
            }
        }
        assertThat(wrong).isEmpty();
    }

    static String userId() throws Exception {
        if (userId == null) {
            userId = issuer.db.dsl().select(DIRECTORY_USER.ID).from(DIRECTORY_USER)
                    .fetchOne(DIRECTORY_USER.ID);
        }
        return userId;
    }

    @Test
    void pkceS256IsRequired() throws Exception {
        issuer.register("pkce", List.of(REDIRECT), CODE_AND_REFRESH, List.of());
        IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
        for (Map.Entry<String, String> change : List.of(Map.entry("code_challenge_method", "plain"), Map.entry("code_challenge_method", "s256"),
                Map.entry("code_challenge_method", ""), Map.entry("code_challenge", ""), Map.entry("code_challenge", "abc"),
                Map.entry("code_challenge", pkce.challenge() + "!"))) {
            var params = new LinkedHashMap<>(IssuerServer.request("pkce", REDIRECT, pkce, API));
            params.put(change.getKey(), change.getValue());
            assertThat(issuer.authorize(params).location()).as(change.toString()).contains(REDIRECT + "?error=invalid_request&state=xyz");
        }
        var token = new LinkedHashMap<>(IssuerServer.request("pkce", REDIRECT, pkce, API));
        token.put("response_type", "token");
        assertThat(issuer.authorize(token).location()).contains(REDIRECT + "?error=unsupported_response_type&state=xyz");
        for (String verifier : List.of("", IssuerServer.Pkce.fresh().verifier(), pkce.challenge())) {
            String code = IssuerServer.code(issuer.authorize(IssuerServer.request("pkce", REDIRECT, pkce, API)), REDIRECT);
            IssuerServer.Answer a = issuer.redeem("pkce", code, REDIRECT, new IssuerServer.Pkce(verifier, pkce.challenge()));
            assertThat(a.error()).as("verifier '" + verifier + "'").isEqualTo("invalid_grant");
            assertThat(issuer.redeem("pkce", code, REDIRECT, pkce).error()).as("the code is spent").isEqualTo("invalid_grant");
        }
    }

    @Test
    void aDeletedClientsRefreshTokensAndCodesEndForGood() throws Exception {
        issuer.register("gone", List.of(REDIRECT), CODE_AND_REFRESH, List.of());
        IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
        String refresh = issuer.redeem("gone", IssuerServer.code(issuer.authorize(IssuerServer.request("gone", REDIRECT, pkce, API)), REDIRECT),
                REDIRECT, pkce).json().path("refresh_token").asText();
        String code = IssuerServer.code(issuer.authorize(IssuerServer.request("gone", REDIRECT, pkce, API)), REDIRECT);

        assertThat(issuer.clients.delete("gone")).isTrue();
        assertThat(issuer.refresh("gone", refresh).error()).isEqualTo("invalid_client");
        assertThat(issuer.redeem("gone", code, REDIRECT, pkce).error()).isEqualTo("invalid_client");
        assertThat(issuer.authorize(IssuerServer.request("gone", REDIRECT, pkce, API)).location()).isEmpty();

        issuer.register("gone", List.of(REDIRECT), CODE_AND_REFRESH, List.of());
        assertThat(issuer.refresh("gone", refresh).error()).as("registering the id again").isEqualTo("invalid_grant");
        assertThat(issuer.redeem("gone", code, REDIRECT, pkce).error()).isEqualTo("invalid_grant");
    }

    @Test
    void takingTheRefreshGrantOrAnAppAwayEndsTheirTokensForGood() throws Exception {
        OAuthClientView c = issuer.register("shrinking", List.of(REDIRECT), CODE_AND_REFRESH, List.of());
        IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
        String api = issuer.redeem("shrinking", IssuerServer.code(issuer.authorize(IssuerServer.request("shrinking", REDIRECT, pkce, API)),
                REDIRECT), REDIRECT, pkce).json().path("refresh_token").asText();
        String other = issuer.redeem("shrinking", IssuerServer.code(issuer.authorize(IssuerServer.request("shrinking", REDIRECT, pkce, OTHER)),
                REDIRECT), REDIRECT, pkce).json().path("refresh_token").asText();

        issuer.clients.replace(new OAuthClientView(c.clientId(), c.displayName(), c.redirectUris(), CODE_AND_REFRESH, List.of(OTHER_ID),
                c.createdAt(), Instant.now()));
        assertThat(issuer.refresh("shrinking", api).error()).isEqualTo("invalid_grant");
        other = issuer.refresh("shrinking", other).json().path("refresh_token").asText();

        issuer.clients.replace(new OAuthClientView(c.clientId(), c.displayName(), c.redirectUris(), CODE_ONLY, List.of(), c.createdAt(), Instant.now()));
        assertThat(issuer.refresh("shrinking", other).error()).isEqualTo("unauthorized_client");

        issuer.clients.replace(c);
        assertThat(issuer.refresh("shrinking", api).error()).as("the app given back").isEqualTo("invalid_grant");
        assertThat(issuer.refresh("shrinking", other).error()).as("the grant given back").isEqualTo("invalid_grant");
    }
}
