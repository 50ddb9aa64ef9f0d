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
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A request of the token issuer in flight while an admin takes something away. {@link TokenIssuer#token} reads the
 * client, redeems the code or refresh token, and only then writes the new refresh token, each in its own statement; a
 * DELETE of the client (or a PUT without the refresh grant, or without the app) committed in between must not leave a
 * token that becomes valid again when the id is registered again or the grant or app given back. Each test plays the
 * issuer's statements in that order through the same stores, with the admin's change in between (deterministic), on
 * H2 and on PostgreSQL (when DRAWBRIDGE_TEST_PG_URL is set).
 */
class InFlightRefreshTest {
    static final Instant T = Instant.parse("2026-05-01T10:00:00Z");
    static final List<OAuthGrant> BOTH = List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN);
    static final List<String> REDIRECTS = List.of("http://127.0.0.1/cb");
    @TempDir
    Path dir;

    Database open(String kind) throws Exception {
        return kind.equals("postgres") ? PostgresTestDatabase.fresh() : Database.h2(dir);
    }

    static OAuthClientView client(List<OAuthGrant> grants, List<String> apps, Instant at) {
        return new OAuthClientView("cli", "CLI", REDIRECTS, grants, apps, T, at);
    }

    /** The issuer's refresh up to the write: the client read (with its generation), the token redeemed. */
    static OAuthStore.Grant readAndRedeem(OAuthClientStore clients, OAuthStore tokens, String token, Instant now) {
        assertThat(clients.registration("cli")).isPresent();
        Optional<OAuthStore.Grant> redeemed = tokens.redeemRefresh(token, now).redeemed();
        assertThat(redeemed).as("the token presented is good").isPresent();
        return redeemed.get();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRefreshTokenWrittenByARequestInFlightWhenTheClientWasDeletedStaysDeadWhenTheIdIsRegisteredAgain(String kind) throws Exception {
        try (Database db = open(kind)) {
            OAuthClientStore clients = new OAuthClientStore(db);
            OAuthStore tokens = new OAuthStore(db);
            clients.create(client(BOTH, List.of(), T));
            Instant now = Instant.now();
            String old = Minted.refresh(db, "u", "app-1", "cli", now, now.plusSeconds(3600));

            // POST /token grant_type=refresh_token: the client is read and the old token redeemed ...
            OAuthStore.Grant redeemed = readAndRedeem(clients, tokens, old, now);
            // ... the admin deletes the client (its codes and refresh tokens go) ...
            assertThat(clients.delete("cli")).isTrue();
            // ... and the request in flight writes the rotated refresh token.
            String rotated = tokens.newRefresh(redeemed, now.plusSeconds(3600)).orElseThrow();

            // Later the id is registered again (a new app build, a restore, a typo fixed).
            clients.create(new OAuthClientView("cli", "CLI again", REDIRECTS, BOTH, List.of(), T.plusSeconds(60), T.plusSeconds(60)));
            assertThat(tokens.redeemRefresh(rotated, now.plusSeconds(120)).redeemed()).as("the deleted client's rotated refresh token").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRefreshTokenWrittenInFlightWhenTheRefreshGrantWasTakenAwayStaysDeadWhenItIsGivenBack(String kind) throws Exception {
        try (Database db = open(kind)) {
            OAuthClientStore clients = new OAuthClientStore(db);
            OAuthStore tokens = new OAuthStore(db);
            clients.create(client(BOTH, List.of(), T));
            Instant now = Instant.now();
            String old = Minted.refresh(db, "u", "app-1", "cli", now, now.plusSeconds(3600));
            OAuthStore.Grant redeemed = readAndRedeem(clients, tokens, old, now);
            assertThat(clients.replace(client(List.of(OAuthGrant.AUTHORIZATION_CODE), List.of(), T.plusSeconds(1)))).isTrue();
            String rotated = tokens.newRefresh(redeemed, now.plusSeconds(3600)).orElseThrow();
            assertThat(clients.replace(client(BOTH, List.of(), T.plusSeconds(2)))).isTrue();
            assertThat(tokens.redeemRefresh(rotated, now.plusSeconds(120)).redeemed()).as("rotated while the grant was taken away").isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aRefreshTokenWrittenInFlightWhenItsAppWasTakenAwayStaysDeadWhenItIsGivenBack(String kind) throws Exception {
        try (Database db = open(kind)) {
            OAuthClientStore clients = new OAuthClientStore(db);
            OAuthStore tokens = new OAuthStore(db);
            clients.create(client(BOTH, List.of("app-1", "app-2"), T));
            Instant now = Instant.now();
            String old = Minted.refresh(db, "u", "app-1", "cli", now, now.plusSeconds(3600));
            String bystander = Minted.refresh(db, "u", "app-2", "cli", now, now.plusSeconds(3600));
            OAuthStore.Grant redeemed = readAndRedeem(clients, tokens, old, now);
            assertThat(clients.replace(client(BOTH, List.of("app-2"), T.plusSeconds(1)))).isTrue();
            String rotated = tokens.newRefresh(redeemed, now.plusSeconds(3600)).orElseThrow();
            assertThat(clients.replace(client(BOTH, List.of("app-1", "app-2"), T.plusSeconds(2)))).isTrue();
            assertThat(tokens.redeemRefresh(rotated, now.plusSeconds(120)).redeemed()).as("rotated while app-1 was taken away").isEmpty();
            assertThat(tokens.redeemRefresh(bystander, now.plusSeconds(120)).redeemed())
                    .as("a refresh token both changes covered stays good: users are not signed out by a change that leaves them").isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aCodeWrittenByAnAuthorizeInFlightWhenTheClientWasDeletedStaysDeadWhenTheIdIsRegisteredAgain(String kind) throws Exception {
        try (Database db = open(kind)) {
            OAuthClientStore clients = new OAuthClientStore(db);
            OAuthStore tokens = new OAuthStore(db);
            clients.create(client(BOTH, List.of(), T));
            Instant now = Instant.now();
            // GET /authorize: the client is read (with its generation) ...
            OAuthStore.Grant g = Minted.grant(db, "u", "app-1", "cli", now);
            // ... the admin deletes the client, and registers the id again ...
            assertThat(clients.delete("cli")).isTrue();
            clients.create(client(BOTH, List.of(), T.plusSeconds(60)));
            // ... and the request in flight writes its code.
            String code = tokens.newCode(g, REDIRECTS.getFirst(), "x".repeat(43), now.plusSeconds(60));
            assertThat(tokens.redeemCode(code, now).redeemed()).as("a code written for the deleted client").isEmpty();
            String fresh = Minted.code(db, "u", "app-1", "cli", REDIRECTS.getFirst(), now, now.plusSeconds(60));
            assertThat(tokens.redeemCode(fresh, now).redeemed()).as("a code of the client registered again").isPresent();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aChangeThatStillCoversATokenKeepsItAndAStaleGenerationStaysStale(String kind) throws Exception {
        try (Database db = open(kind)) {
            OAuthClientStore clients = new OAuthClientStore(db);
            OAuthStore tokens = new OAuthStore(db);
            clients.create(client(BOTH, List.of(), T));
            Instant now = Instant.now();
            String kept = Minted.refresh(db, "u", "app-1", "cli", now, now.plusSeconds(3600));
            String code = Minted.code(db, "u", "app-1", "cli", REDIRECTS.getFirst(), now, now.plusSeconds(60));
            OAuthStore.Grant stale = Minted.grant(db, "u", "app-1", "cli", now);
            assertThat(clients.replace(new OAuthClientView("cli", "CLI renamed", REDIRECTS, BOTH, List.of(), T, T.plusSeconds(1)))).isTrue();
            String late = tokens.newRefresh(stale, now.plusSeconds(3600)).orElseThrow();
            assertThat(clients.replace(new OAuthClientView("cli", "CLI renamed again", REDIRECTS, BOTH, List.of(), T, T.plusSeconds(2)))).isTrue();
            assertThat(tokens.redeemRefresh(kept, now).redeemed()).as("stored before both changes").isPresent();
            assertThat(tokens.redeemCode(code, now).redeemed()).as("a code stored before both changes").isPresent();
            assertThat(tokens.redeemRefresh(late, now).redeemed()).as("written under a generation already replaced").isEmpty();
        }
    }
}
