package dev.drawbridge.proxy.federation;

import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The upgrade to V41 (several identity providers): the single provider row of earlier versions, id {@code oidc}, is the
 * provider {@code oidc} afterwards, with its secret, settings and pinned token endpoint, no email domains, and a user it
 * linked before the upgrade still signs in as the same user through it.
 */
class UpgradeToV41Test {
    @TempDir
    Path dir;

    @Test
    void theOldProviderRowIsProviderOidcAndItsLinksStillHold() throws Exception {
        Path folder = dir.resolve("db");
        Files.createDirectories(folder);
        String url = "jdbc:h2:file:" + folder.resolve("drawbridge").toAbsolutePath() + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH";
        Flyway.configure().dataSource(url, "drawbridge", "").locations("classpath:db/migration").target("40").load().migrate();
        String secret = DataKey.loadOrCreate(dir).encrypt("the-old-secret");
        try (Connection c = DriverManager.getConnection(url, "drawbridge", ""); Statement s = c.createStatement()) {
            s.execute("INSERT INTO identity_provider (id, issuer, client_id, client_secret, display_name, scopes, username_claim, groups_claim,"
                    + " jit_provisioning, updated_at, link_by_verified_email, secret_token_endpoint) VALUES ('oidc', 'https://idp.corp.example/realms/corp',"
                    + " 'drawbridge', '" + secret + "', 'Corp ID', 'openid profile email', 'email', 'groups', TRUE,"
                    + " TIMESTAMP WITH TIME ZONE '2026-05-01 10:00:00+00', TRUE, 'https://idp.corp.example/realms/corp/token')");
            s.execute("INSERT INTO directory_user (id, upn, display_name, email, enabled, failed_attempts, sessions_valid_after, source,"
                    + " created_at, updated_at) VALUES ('u1', 'alice@corp.example', 'Alice', 'alice@corp.example', TRUE, 0,"
                    + " TIMESTAMP WITH TIME ZONE '2026-05-01 10:00:00+00', 'OIDC', TIMESTAMP WITH TIME ZONE '2026-05-01 10:00:00+00',"
                    + " TIMESTAMP WITH TIME ZONE '2026-05-01 10:00:00+00')");
            s.execute("INSERT INTO federated_identity (issuer, subject, user_id, created_at) VALUES ('https://idp.corp.example/realms/corp',"
                    + " 'sub-alice', 'u1', TIMESTAMP WITH TIME ZONE '2026-05-01 10:00:00+00')");
            s.execute("SHUTDOWN");
        }
        try (Database db = Database.h2(dir)) {
            FederationStore store = new FederationStore(db, DataKey.loadOrCreate(dir));
            OidcProvider expected = new OidcProvider(URI.create("https://idp.corp.example/realms/corp"), "drawbridge", "the-old-secret", "Corp ID",
                    List.of("openid", "profile", "email"), "email", "groups", true, true, "oidc", List.of());
            assertThat(store.providers()).containsExactly(expected);
            assertThat(store.secretTokenEndpoint("oidc")).contains("https://idp.corp.example/realms/corp/token");
            var match = new FederatedUsers(db, new DirectoryStore(db), Clock.systemUTC()).signIn(expected, "sub-alice",
                    Map.of("email", "alice@corp.example", "email_verified", true), store.providers());
            assertThat(match).isInstanceOfSatisfying(FederatedUsers.Match.Ok.class, ok -> {
                assertThat(ok.user().id()).isEqualTo("u1");
                assertThat(ok.created()).isFalse();
            });
        }
    }
}
