package dev.drawbridge.proxy.oauth;

import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.REFRESH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review 10: interleavings of {@link TokenIssuer#token} played step by step against the stores, in the order the issuer
 * calls them (client read, redeem, then issue() writing the successor), with the other request or the admin's change in
 * between; on H2 and on PostgreSQL (when DRAWBRIDGE_TEST_PG_URL is set).
 */
class TokenRacesTest {
    static final Instant T = Instant.parse("2026-05-01T10:00:00Z");
    static final List<OAuthGrant> BOTH = List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN);
    @TempDir
    Path dir;

    Database open(String kind) throws Exception {
        return kind.equals("postgres") ? PostgresTestDatabase.fresh() : Database.h2(dir);
    }

    static OAuthClientView client(List<OAuthGrant> grants, Instant updatedAt) {
        return new OAuthClientView("cli", "Client", List.of("http://127.0.0.1/b"), grants, List.of(), T, updatedAt);
    }

    /**
     * A replay's family revocation that runs between the winner's redeem and the winner's write of the successor: the
     * holder who won the race (an attacker with a stolen refresh token) must not keep a live chain.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aSuccessorWrittenAfterItsFamilyWasRevokedIsDead(String kind) throws Exception {
        try (Database db = open(kind)) {
            new OAuthClientStore(db).create(client(BOTH, T));
            OAuthStore store = new OAuthStore(db);
            Instant later = Instant.now().plusSeconds(600);
            String rt1 = Minted.refresh(db, "u", "app-1", "cli", T, later);

            // Request A (the thief) redeems RT1 ...
            var a = store.redeemRefresh(rt1, Instant.now());
            assertThat(a.redeemed()).isPresent();
            // ... request B (the app) presents RT1 before A has written RT2: a replay, the family is revoked ...
            var b = store.redeemRefresh(rt1, Instant.now());
            assertThat(b.replayed()).isPresent();
            // ... then A's issue() writes the successor under the revoked family: refused.
            Optional<String> rt2 = store.newRefresh(a.redeemed().get(), later);

            assertThat(rt2).as("no successor is written to a revoked family").isEmpty();
            assertThat(rt2.flatMap(t -> store.redeemRefresh(t, Instant.now()).redeemed()))
                    .as("a refresh token of a family already revoked for replay must not be redeemable").isEmpty();
        }
    }

    /** The same race from a code: the code replayed between its redemption and the write of the first refresh token. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aFirstRefreshTokenWrittenAfterTheCodeWasReplayedIsDead(String kind) throws Exception {
        try (Database db = open(kind)) {
            new OAuthClientStore(db).create(client(BOTH, T));
            OAuthStore store = new OAuthStore(db);
            Instant later = Instant.now().plusSeconds(600);
            String code = Minted.code(db, "u", "app-1", "cli", "http://127.0.0.1/b", T, later);

            var a = store.redeemCode(code, Instant.now()).redeemed().orElseThrow();
            assertThat(store.redeemCode(code, Instant.now()).replayed()).isPresent();

            assertThat(store.newRefresh(a.grant(), later)).as("no refresh token for a code presented twice").isEmpty();
        }
    }

    /**
     * A successor whose write did not see the revocation (its statement started before the revocation committed, after
     * the revocation's delete of the family's tokens): it is written, but refused at redemption.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aSuccessorThatSlipsPastTheRevocationIsRefusedWhenRedeemed(String kind) throws Exception {
        try (Database db = open(kind)) {
            new OAuthClientStore(db).create(client(BOTH, T));
            OAuthStore store = new OAuthStore(db);
            Instant later = Instant.now().plusSeconds(600);
            String rt1 = Minted.refresh(db, "u", "app-1", "cli", T, later);
            OAuthStore.Grant a = store.redeemRefresh(rt1, Instant.now()).redeemed().orElseThrow();
            assertThat(store.redeemRefresh(rt1, Instant.now()).replayed()).isPresent();
            // The successor's row lands after the revocation, as an insert that raced it would.
            String rt2 = "dbrt_slipped";
            db.dsl().insertInto(REFRESH_TOKEN).set(REFRESH_TOKEN.TOKEN_HASH, OAuthStore.hash(rt2)).set(REFRESH_TOKEN.USER_ID, a.userId())
                    .set(REFRESH_TOKEN.APP_ID, a.appId()).set(REFRESH_TOKEN.CLIENT_ID, a.clientId()).set(REFRESH_TOKEN.AMR, "pwd")
                    .set(REFRESH_TOKEN.AUTH_TIME, T.atOffset(ZoneOffset.UTC)).set(REFRESH_TOKEN.EXPIRES_AT, later.atOffset(ZoneOffset.UTC))
                    .set(REFRESH_TOKEN.CLIENT_GENERATION, a.generation()).set(REFRESH_TOKEN.FAMILY_ID, a.family()).execute();

            var presented = store.redeemRefresh(rt2, Instant.now());
            assertThat(presented.redeemed()).as("a refresh token of a revoked family").isEmpty();
            assertThat(presented.replayed()).as("unused: not a replay").isEmpty();
        }
    }

    /**
     * A stale client view: token() reads the client (with its generation) before redeeming; an admin's replace that takes
     * the refresh grant away in between moves the code to the new generation. The refresh token written from the stale
     * view carries the generation the request read, so it stays dead when the grant is given back; and the issuer sees
     * that the code was redeemed under another generation than the one it read (it refuses the request).
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRefreshTokenWrittenFromAStaleClientViewStaysDeadWhenTheGrantComesBack(String kind) throws Exception {
        try (Database db = open(kind)) {
            OAuthClientStore clients = new OAuthClientStore(db);
            clients.create(client(BOTH, T));
            OAuthStore store = new OAuthStore(db);
            Instant later = Instant.now().plusSeconds(600);
            String code = Minted.code(db, "u", "app-1", "cli", "http://127.0.0.1/b", T, later);

            // token(): clients.registration("cli") -> allows REFRESH_TOKEN
            OAuthClientStore.Registration stale = clients.registration("cli").orElseThrow();
            // the admin takes the refresh grant away (new generation, code moved to it, refresh tokens deleted)
            clients.replace(client(List.of(OAuthGrant.AUTHORIZATION_CODE), T.plusSeconds(1)));
            // token(): redeemCode -> the code's row now carries the new generation
            var redeemed = store.redeemCode(code, Instant.now()).redeemed().orElseThrow();
            assertThat(redeemed.grant().generation()).as("the issuer refuses: redeemed under another generation").isNotEqualTo(stale.generation());
            // issue(): the stale view still allows refresh, so a refresh token is written, under the generation read
            assertThat(stale.client().allows(OAuthGrant.REFRESH_TOKEN)).isTrue();
            String rt = store.newRefresh(redeemed.grant().under(stale.generation()), later).orElseThrow();
            // the admin gives the refresh grant back
            clients.replace(client(BOTH, T.plusSeconds(2)));

            assertThat(store.redeemRefresh(rt, Instant.now()).redeemed())
                    .as("written by a request in flight while the refresh grant was taken away: must stay dead").isEmpty();
        }
    }
}
