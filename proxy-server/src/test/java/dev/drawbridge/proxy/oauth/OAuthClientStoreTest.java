package dev.drawbridge.proxy.oauth;

import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CODE;
import static dev.drawbridge.proxy.store.db.Tables.REFRESH_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The V25 tables and {@link OAuthClientStore} on H2 and on PostgreSQL (when DRAWBRIDGE_TEST_PG_URL is set): clients
 * with their redirect URIs in order, grants and apps; ids unique in any letter case; a replace that takes the refresh
 * grant or apps away, and a delete, end the codes and refresh tokens they no longer cover, and only those.
 */
class OAuthClientStoreTest {
    static final Instant T = Instant.parse("2026-05-01T10:00:00Z");
    @TempDir
    Path dir;

    Database open(String kind) throws Exception {
        return kind.equals("postgres") ? PostgresTestDatabase.fresh() : Database.h2(dir);
    }

    static OAuthClientView client(String id, List<OAuthGrant> grants, List<String> apps) {
        return new OAuthClientView(id, "Client " + id, List.of("http://127.0.0.1/b", "com.example.app:/a", "http://[::1]/c"), grants, apps, T, T);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void clientsRoundTripAndIdsAreUniqueInAnyCase(String kind) throws Exception {
        try (Database db = open(kind)) {
            OAuthClientStore store = new OAuthClientStore(db);
            OAuthClientView b = client("b-cli", List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN), List.of("app-2", "app-1"));
            OAuthClientView a = client("a-cli", List.of(OAuthGrant.AUTHORIZATION_CODE), List.of());
            store.create(b);
            store.create(a);
            assertThat(store.find("b-cli")).get().satisfies(found -> {
                assertThat(found.redirectUris()).containsExactlyElementsOf(b.redirectUris());
                assertThat(found.grants()).containsExactly(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN);
                assertThat(found.appIds()).containsExactly("app-1", "app-2");
                assertThat(found.createdAt()).isEqualTo(T);
            });
            assertThat(store.find("B-CLI")).isEmpty();
            assertThat(store.list()).extracting(OAuthClientView::clientId).containsExactly("a-cli", "b-cli");
            assertThatThrownBy(() -> store.create(client("B-Cli", List.of(OAuthGrant.AUTHORIZATION_CODE), List.of())))
                    .isInstanceOf(ConflictException.class);
            assertThat(store.list()).hasSize(2);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void takingThingsAwayEndsWhatTheyCovered(String kind) throws Exception {
        try (Database db = open(kind)) {
            OAuthClientStore store = new OAuthClientStore(db);
            OAuthClientView c = client("cli", List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN), List.of());
            store.create(c);
            store.create(client("bystander", List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN), List.of()));
            Instant later = Instant.now().plusSeconds(600);
            for (String client : List.of("cli", "bystander")) {
                for (String app : List.of("app-1", "app-2")) {
                    Minted.refresh(db, "u", app, client, T, later);
                    Minted.code(db, "u", app, client, "http://127.0.0.1/b", T, later);
                }
            }
            assertThat(store.replace(new OAuthClientView("cli", "Renamed", List.of("http://127.0.0.1/z"), c.grants(), List.of("app-1"), T,
                    T.plusSeconds(5)))).isTrue();
            assertThat(store.find("cli").orElseThrow().redirectUris()).containsExactly("http://127.0.0.1/z");
            assertThat(count(db, "cli")).isEqualTo(List.of(1, 1));
            store.replace(new OAuthClientView("cli", "Renamed", List.of("http://127.0.0.1/z"), List.of(OAuthGrant.AUTHORIZATION_CODE), List.of(),
                    T, T.plusSeconds(6)));
            assertThat(count(db, "cli")).isEqualTo(List.of(0, 1));
            assertThat(store.delete("cli")).isTrue();
            assertThat(count(db, "cli")).isEqualTo(List.of(0, 0));
            assertThat(store.find("cli")).isEmpty();
            assertThat(store.delete("cli")).isFalse();
            assertThat(store.replace(c)).as("a replace of a deleted client").isFalse();
            assertThat(count(db, "bystander")).isEqualTo(List.of(2, 2));
        }
    }

    /** Refresh tokens and codes of {@code clientId}. */
    private static List<Integer> count(Database db, String clientId) {
        return List.of(db.dsl().fetchCount(REFRESH_TOKEN, REFRESH_TOKEN.CLIENT_ID.eq(clientId)),
                db.dsl().fetchCount(OAUTH_CODE, OAUTH_CODE.CLIENT_ID.eq(clientId)));
    }
}
