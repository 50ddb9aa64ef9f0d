package dev.drawbridge.proxy.federation;

import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Deleting a provider (an administrator's answer to its compromise) ends what it vouched for: every user linked to an
 * identity at its issuer, whether the provider created the account or linked an existing one by email, and a user of an
 * earlier version known only by its external id, has their sessions revoked (so app cookies, OAuth tokens and live streams
 * end, on every node); users of the other providers and password users keep theirs.
 */
class ProviderDeletionTest {
    static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");
    static final OidcProvider CORP = SeveralProvidersTest.provider("corp", "https://idp.corp.example/realms/corp", true, List.of("corp.example"));
    static final OidcProvider PARTNER = SeveralProvidersTest.provider("partner", "https://login.partner.example/", true,
            List.of("partner.example"));
    @TempDir
    Path dir;
    Database db;
    DirectoryStore store;
    SettableClock clock;
    Federation federation;
    FederatedUsers users;

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        store = new DirectoryStore(db);
        clock = new SettableClock(T0);
        federation = new Federation(db, DataKey.loadOrCreate(dir), store, clock, URI.create("https://login.localhost/federation/callback"));
        federation.save(CORP, true);
        federation.save(PARTNER, true);
        users = new FederatedUsers(db, store, clock);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    DirectoryUser signIn(OidcProvider p, String subject, String email) {
        return ((FederatedUsers.Match.Ok) users.signIn(p, subject, SeveralProvidersTest.claims(email, true), List.of(CORP, PARTNER))).user();
    }

    Instant validAfter(DirectoryUser u) {
        return store.user(u.id()).orElseThrow().sessionsValidAfter();
    }

    @Test
    void deletingAProviderRevokesTheSessionsOfEveryUserItVouchedFor() throws Exception {
        DirectoryUser created = signIn(PARTNER, "sub-1", "mia@partner.example");
        DirectoryUser local = store.createUser("bob@partner.example", "Bob", Optional.of("bob@partner.example"), Optional.empty(),
                Optional.empty(), T0);
        assertThat(signIn(PARTNER, "sub-2", "bob@partner.example").id()).as("linked by verified email").isEqualTo(local.id());
        // A user of an earlier version: created by the provider, known by its external id only (no link row yet).
        DirectoryUser legacy = store.createUser("old@partner.example", "Old", Optional.empty(), Optional.empty(), Optional.empty(), T0);
        db.dsl().update(DIRECTORY_USER).set(DIRECTORY_USER.SOURCE, FederatedUsers.SOURCE)
                .set(DIRECTORY_USER.EXTERNAL_ID, PARTNER.issuer() + " sub-3").where(DIRECTORY_USER.ID.eq(legacy.id())).execute();
        DirectoryUser corp = signIn(CORP, "sub-1", "ann@corp.example");
        DirectoryUser password = store.createUser("pat@elsewhere.example", "Pat", Optional.empty(), Optional.empty(), Optional.empty(), T0);
        clock.advance(Duration.ofHours(1));
        Instant deletedAt = clock.instant();

        assertThat(federation.delete("partner")).isTrue();

        for (DirectoryUser u : List.of(created, local, legacy)) {
            assertThat(validAfter(u)).as(u.upn() + ": sessions it vouched for end").isEqualTo(deletedAt);
        }
        for (DirectoryUser u : List.of(corp, password)) {
            assertThat(validAfter(u)).as(u.upn() + ": another provider's or a password user").isBefore(deletedAt);
        }
        assertThat(federation.delete("partner")).as("gone").isFalse();
    }
}
