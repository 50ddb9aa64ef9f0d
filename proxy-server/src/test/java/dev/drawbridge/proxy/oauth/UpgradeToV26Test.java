package dev.drawbridge.proxy.oauth;

import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.proxy.store.Database;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Instant;
import java.util.List;

import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CODE;
import static dev.drawbridge.proxy.store.db.Tables.REFRESH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upgrade to V26: before V25 the issuer accepted any client_id, so refresh tokens (and codes) of that time may have
 * been minted by anyone under a name registered later. V26 deletes them all: registering the client id afterwards
 * revives none, and registered clients keep working with new sign-ins.
 */
class UpgradeToV26Test {
    @TempDir
    Path dir;

    @Test
    void refreshTokensAndCodesFromBeforeTheUpgradeAreGoneAndRegisteringTheirClientRevivesNone() throws Exception {
        Path folder = dir.resolve("db");
        Files.createDirectories(folder);
        String url = "jdbc:h2:file:" + folder.resolve("drawbridge").toAbsolutePath() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        Flyway.configure().dataSource(url, "drawbridge", "").locations("classpath:db/migration").target("25").load().migrate();
        String rt = "dbrt_minted-by-anyone-under-a-name";
        try (Connection c = DriverManager.getConnection(url, "drawbridge", ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO refresh_token (token_hash, user_id, app_id, client_id, amr, auth_time, expires_at) VALUES ('"
                    + OAuthStore.hash(rt) + "', 'u', 'app-1', 'com.example.cli', 'pwd', TIMESTAMP WITH TIME ZONE '2026-05-01 10:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2099-01-01 00:00:00+00')");
            s.execute("INSERT INTO oauth_code (code_hash, user_id, app_id, client_id, redirect_uri, code_challenge, amr, auth_time, expires_at)"
                    + " VALUES ('" + OAuthStore.hash("code") + "', 'u', 'app-1', 'com.example.cli', 'http://127.0.0.1/cb', 'x', 'pwd',"
                    + " TIMESTAMP WITH TIME ZONE '2026-05-01 10:00:00+00', TIMESTAMP WITH TIME ZONE '2099-01-01 00:00:00+00')");
            s.execute("SHUTDOWN");
        }
        try (Database db = Database.h2(dir)) {
            assertThat(db.dsl().fetchCount(REFRESH_TOKEN)).isZero();
            assertThat(db.dsl().fetchCount(OAUTH_CODE)).isZero();
            Instant t = Instant.parse("2026-05-02T10:00:00Z");
            new OAuthClientStore(db).create(new OAuthClientView("com.example.cli", "CLI", List.of("http://127.0.0.1/cb"),
                    List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN), List.of(), t, t));
            assertThat(new OAuthStore(db).redeemRefresh(rt, t).redeemed()).isEmpty();
            assertThat(new OAuthStore(db).redeemCode("code", t).redeemed()).isEmpty();
        }
    }
}
