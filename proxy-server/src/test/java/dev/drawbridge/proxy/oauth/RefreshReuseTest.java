package dev.drawbridge.proxy.oauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.proxy.logs.SignInLog;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.oauth.IssuerServer.API;
import static dev.drawbridge.proxy.oauth.IssuerServer.API_ID;
import static dev.drawbridge.proxy.oauth.IssuerServer.CODE_AND_REFRESH;
import static dev.drawbridge.proxy.oauth.IssuerServer.REDIRECT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Refresh token reuse detection (RFC 9700 §4.14.2) through a real token endpoint: a refresh token presented after its
 * rotation (or a code after its use) means two parties hold the sign-in; every refresh token descended from the same
 * code is revoked, other sign-ins of the same user and client are not, and the sign-in log says so.
 */
class RefreshReuseTest {
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

    /** A sign-in: code, redeemed; the first refresh token. */
    static String signIn() throws Exception {
        IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
        IssuerServer.Answer t = issuer.redeem("cli", IssuerServer.code(issuer.authorize(IssuerServer.request("cli", REDIRECT, pkce, API)), REDIRECT),
                REDIRECT, pkce);
        assertThat(t.status()).as(t.toString()).isEqualTo(200);
        return t.json().path("refresh_token").asText();
    }

    static String rotate(String token) throws Exception {
        IssuerServer.Answer r = issuer.refresh("cli", token);
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return r.json().path("refresh_token").asText();
    }

    static List<SignInLogEntry> replays() {
        return new SignInLog(issuer.db, Clock.systemUTC()).query(new SignInLog.Query(Optional.empty(), Optional.empty(), Optional.of("DENIED"),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 100)).stream().filter(e -> e.reason().contains("a replay")).toList();
    }

    @Test
    void aRotatedRefreshTokenPresentedAgainRevokesItsWholeFamilyAndIsLogged() throws Exception {
        String first = signIn();
        String second = rotate(first);
        String third = rotate(second);
        String otherSignIn = signIn();
        int before = replays().size();

        IssuerServer.Answer replay = issuer.refresh("cli", first);
        assertThat(replay.status()).isEqualTo(400);
        assertThat(replay.error()).isEqualTo("invalid_grant");
        assertThat(issuer.refresh("cli", third).error()).as("the newest token of the family, held by the app or the thief").isEqualTo("invalid_grant");
        assertThat(issuer.refresh("cli", second).error()).isEqualTo("invalid_grant");
        assertThat(rotate(otherSignIn)).as("another sign-in of the same user and client").startsWith("dbrt_");

        List<SignInLogEntry> logged = replays();
        assertThat(logged).as("first and second presented after their rotation (third is gone)").hasSize(before + 2);
        assertThat(logged.getFirst().reason()).contains("refresh token presented again after its use (native client cli)")
                .doesNotContain(first).doesNotContain(third);
        assertThat(logged).allSatisfy(e -> {
            assertThat(e.upn()).isEqualTo("nina@corp.example");
            assertThat(e.appId()).isEqualTo(API_ID);
            assertThat(e.clientType()).isEqualTo(AccessPolicy.ClientType.NATIVE);
        });
        assertThat(logged.stream().filter(e -> e.reason().startsWith("refresh token")).map(SignInLogEntry::reason))
                .as("the replay of first revoked third; the replay of second found nothing left").containsExactlyInAnyOrder(
                        "refresh token presented again after its use (native client cli): a replay; 1 refresh token(s) of its sign-in revoked",
                        "refresh token presented again after its use (native client cli): a replay; 0 refresh token(s) of its sign-in revoked");
    }

    @Test
    void aCodePresentedAgainRevokesTheRefreshTokensIssuedFromIt() throws Exception {
        IssuerServer.Pkce pkce = IssuerServer.Pkce.fresh();
        String code = IssuerServer.code(issuer.authorize(IssuerServer.request("cli", REDIRECT, pkce, API)), REDIRECT);
        String token = issuer.redeem("cli", code, REDIRECT, pkce).json().path("refresh_token").asText();
        String rotated = rotate(token);

        IssuerServer.Answer again = issuer.redeem("cli", code, REDIRECT, pkce);
        assertThat(again.status()).isEqualTo(400);
        assertThat(again.error()).isEqualTo("invalid_grant");
        assertThat(issuer.refresh("cli", rotated).error()).as("descended from the replayed code").isEqualTo("invalid_grant");
        assertThat(replays()).anySatisfy(e -> assertThat(e.reason()).startsWith("authorization code presented again after its use"));
    }
}
