package dev.drawbridge.proxy.oauth;

import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CODE;
import static dev.drawbridge.proxy.store.db.Tables.OAUTH_REVOKED_FAMILY;
import static dev.drawbridge.proxy.store.db.Tables.REFRESH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Used and expired codes and refresh tokens do not pile up (every refresh writes a row): each redemption purges the rows
 * past their expiry, used or not, and keeps the used ones until then (a replay is detected by its row); a revoked family
 * is remembered while any of its rows is left. On H2 and on PostgreSQL (when DRAWBRIDGE_TEST_PG_URL is set).
 */
class ExpiredTokenPurgeTest {
    static final Instant T = Instant.parse("2026-05-01T10:00:00Z");
    @TempDir
    Path dir;

    Database open(String kind) throws Exception {
        return kind.equals("postgres") ? PostgresTestDatabase.fresh() : Database.h2(dir);
    }

    static int rows(Database db) {
        return db.dsl().fetchCount(REFRESH_TOKEN) + db.dsl().fetchCount(OAUTH_CODE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRedemptionPurgesExpiredCodesAndRefreshTokensUsedOrNotAndKeepsTheUsedOnesUntilTheirExpiry(String kind) throws Exception {
        try (Database db = open(kind)) {
            new OAuthClientStore(db).create(new OAuthClientView("cli", "Client", List.of("http://127.0.0.1/b"),
                    List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN), List.of(), T, T));
            OAuthStore store = new OAuthStore(db);
            Instant now = T.plusSeconds(10);
            String usedCode = Minted.code(db, "u", "app-1", "cli", "http://127.0.0.1/b", T, T.plusSeconds(60));
            Minted.code(db, "u", "app-1", "cli", "http://127.0.0.1/b", T, T.plusSeconds(60));
            String usedRefresh = Minted.refresh(db, "u", "app-1", "cli", T, T.plusSeconds(3600));
            Minted.refresh(db, "u", "app-1", "cli", T, T.plusSeconds(3600));
            String live = Minted.refresh(db, "u", "app-1", "cli", T, T.plusSeconds(7200));
            assertThat(store.redeemCode(usedCode, now).redeemed()).isPresent();
            assertThat(store.redeemRefresh(usedRefresh, now).redeemed()).isPresent();
            assertThat(rows(db)).isEqualTo(5);

            // Before their expiry the used rows stay: presenting one again is still a replay.
            assertThat(store.redeemRefresh(usedRefresh, T.plusSeconds(3000)).replayed()).isPresent();
            assertThat(rows(db)).as("two codes expired (one used): purged; the three refresh tokens stay").isEqualTo(3);

            // Past their expiry: gone, used (replayed) or not; the one still valid stays and redeems.
            assertThat(store.redeemRefresh(live, T.plusSeconds(3601)).redeemed()).isPresent();
            assertThat(db.dsl().fetchCount(REFRESH_TOKEN)).as("only the one not yet expired").isEqualTo(1);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRevokedFamilyIsRememberedWhileAnyOfItsRowsIsLeftThenPurged(String kind) throws Exception {
        try (Database db = open(kind)) {
            new OAuthClientStore(db).create(new OAuthClientView("cli", "Client", List.of("http://127.0.0.1/b"),
                    List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN), List.of(), T, T));
            OAuthStore store = new OAuthStore(db);
            Instant expiry = T.plus(Duration.ofDays(14));
            String rt1 = Minted.refresh(db, "u", "app-1", "cli", T, expiry);
            OAuthStore.Grant g = store.redeemRefresh(rt1, T.plusSeconds(1)).redeemed().orElseThrow();
            String rt2 = store.newRefresh(g, expiry.plusSeconds(60)).orElseThrow();
            assertThat(store.redeemRefresh(rt1, T.plusSeconds(2)).revoked()).as("rt2 revoked with its family").isEqualTo(1);
            assertThat(db.dsl().fetchCount(OAUTH_REVOKED_FAMILY)).isEqualTo(1);

            // Days later the used rt1 is still there: the family stays revoked.
            store.purge(T.plus(Duration.ofDays(2)));
            assertThat(db.dsl().fetchCount(OAUTH_REVOKED_FAMILY)).isEqualTo(1);
            assertThat(store.newRefresh(g, expiry).isEmpty()).as("still refused").isTrue();
            assertThat(store.redeemRefresh(rt2, T.plus(Duration.ofDays(2))).redeemed()).isEmpty();

            // Once rt1 expired and was purged, nothing of the family is left: its revocation goes too.
            store.purge(expiry.plusSeconds(1));
            assertThat(rows(db)).isZero();
            assertThat(db.dsl().fetchCount(OAUTH_REVOKED_FAMILY)).isZero();
        }
    }
}
