package dev.drawbridge.proxy.vault;

import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.pki.DataKey;
import org.jooq.Record;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.drawbridge.proxy.store.db.Tables.VAULT_SHARED_CREDENTIAL;
import static dev.drawbridge.proxy.store.db.Tables.VAULT_USER_CREDENTIAL;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vault's rows, by class: nothing at rest holds a password or a user name (no column, no byte of the database
 * files, in UTF-8, UTF-16 or base64); every user gets only their own credential for each app, and deleting touches only
 * the row named; a sealed value copied into any other row (every user's into every other user's, a user's into the
 * shared row and back, across apps) does not open there; a value sealed under another data key does not open.
 */
class VaultStoreTest {
    @TempDir
    Path dir;
    private VaultFixture f;
    private final List<DirectoryUser> users = new ArrayList<>();
    private final List<PublishedApp> apps = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        f = new VaultFixture(dir);
        for (String u : List.of("alice", "bob", "carol")) {
            users.add(f.user(u + "@corp.example"));
        }
        apps.add(f.app("hr", "http://hr.corp:8080/", VaultFixture.users()));
        apps.add(f.app("wiki", "https://wiki.corp/", VaultFixture.shared()));
    }

    @AfterEach
    void close() throws Exception {
        f.close();
    }

    private static Credential credentialOf(DirectoryUser u, PublishedApp a) {
        String name = u.upn().substring(0, u.upn().indexOf('@'));
        return new Credential(name + "-login-" + a.id(), "pässwörd of " + name + " for " + a.id() + " \ud83d\udd11");
    }

    private void storeAll() {
        for (PublishedApp a : apps) {
            for (DirectoryUser u : users) {
                f.store.putUser(a.id(), u.id(), Vault.origin(a), a.connectorGroupId(), credentialOf(u, a), VaultFixture.NOW);
            }
            f.store.putShared(a.id(), Vault.origin(a), a.connectorGroupId(), new Credential("svc-" + a.id(), "shared secret of " + a.id()),
                    VaultFixture.NOW);
        }
    }

    @Test
    void nothingAtRestHoldsAPasswordOrAUserName() throws Exception {
        storeAll();
        List<String> secrets = new ArrayList<>();
        for (PublishedApp a : apps) {
            users.forEach(u -> secrets.addAll(List.of(credentialOf(u, a).username(), credentialOf(u, a).password())));
            secrets.addAll(List.of("svc-" + a.id(), "shared secret of " + a.id()));
        }
        List<String> columns = new ArrayList<>();
        for (Record r : f.db.dsl().selectFrom(VAULT_USER_CREDENTIAL).fetch()) {
            Stream.of(r.intoArray()).map(String::valueOf).forEach(columns::add);
        }
        for (Record r : f.db.dsl().selectFrom(VAULT_SHARED_CREDENTIAL).fetch()) {
            Stream.of(r.intoArray()).map(String::valueOf).forEach(columns::add);
        }
        assertThat(columns).hasSize(6 * 6 + 2 * 4);
        for (String secret : secrets) {
            String b64 = Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8));
            assertThat(columns).as("no column holds %s", secret).noneMatch(c -> c.contains(secret) || c.contains(b64));
        }
        // The database's own files, once closed: no page of them holds one either.
        f.close();
        try (Stream<Path> files = Files.walk(dir.resolve("db"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                String latin = new String(Files.readAllBytes(file), StandardCharsets.ISO_8859_1);
                for (String secret : secrets) {
                    assertThat(latin).as("%s holds %s", file.getFileName(), secret)
                            .doesNotContain(new String(secret.getBytes(StandardCharsets.UTF_8), StandardCharsets.ISO_8859_1))
                            .doesNotContain(new String(secret.getBytes(StandardCharsets.UTF_16BE), StandardCharsets.ISO_8859_1));
                }
            }
        }
        f = new VaultFixture(dir);
        // Still all there, and each opens to what was stored.
        assertThat(f.store.user("hr", users.getFirst().id())).map(VaultStore.Opened::credential).contains(credentialOf(users.getFirst(), apps.getFirst()));
    }

    @Test
    void everyUserGetsOnlyTheirOwnForEachApp() {
        storeAll();
        for (PublishedApp a : apps) {
            for (DirectoryUser u : users) {
                assertThat(f.store.user(a.id(), u.id())).map(VaultStore.Opened::credential).as(u.upn() + " on " + a.id())
                        .contains(credentialOf(u, a));
                assertThat(f.vault.forUser(a, u.id())).isEqualTo(new Vault.Lookup.Found(credentialOf(u, a),
                        f.store.user(a.id(), u.id()).orElseThrow().version()));
            }
            assertThat(f.store.shared(a.id())).map(o -> o.credential().username()).contains("svc-" + a.id());
        }
        for (DirectoryUser u : users) {
            assertThat(f.store.userCredentials(u.id())).containsOnlyKeys("hr", "wiki")
                    .allSatisfy((appId, o) -> assertThat(o.credential().username()).startsWith(u.upn().substring(0, 3)));
        }
        assertThat(f.store.user("hr", "no-such-user")).isEmpty();
        assertThat(f.store.user("no-such-app", users.getFirst().id())).isEmpty();
    }

    @Test
    void deletingTouchesOnlyTheRowNamed() {
        storeAll();
        DirectoryUser bob = users.get(1);
        assertThat(f.store.deleteUser("hr", bob.id())).isTrue();
        assertThat(f.store.deleteUser("hr", bob.id())).isFalse();
        assertThat(f.store.user("hr", bob.id())).isEmpty();
        assertThat(f.store.user("wiki", bob.id())).isPresent();
        for (DirectoryUser other : List.of(users.get(0), users.get(2))) {
            assertThat(f.store.user("hr", other.id())).isPresent();
        }
        assertThat(f.store.shared("hr")).isPresent();
        assertThat(f.store.deleteShared("hr")).isTrue();
        assertThat(f.store.shared("hr")).isEmpty();
        assertThat(f.store.user("hr", users.getFirst().id())).isPresent();
        assertThat(f.store.shared("wiki")).isPresent();
    }

    @Test
    void aSealedValueCopiedIntoAnyOtherRowDoesNotOpen() {
        storeAll();
        List<RowRef> rows = new ArrayList<>();
        for (PublishedApp a : apps) {
            users.forEach(u -> rows.add(new RowRef(a.id(), u.id())));
            rows.add(new RowRef(a.id(), VaultStore.SHARED));
        }
        for (RowRef from : rows) {
            for (RowRef to : rows) {
                if (from.equals(to)) {
                    continue;
                }
                String own = sealed(to);
                write(to, sealed(from));
                assertThat(read(to)).as("%s's value in %s's row", from, to).isEmpty();
                assertThat(read(from)).as("%s's own row", from).isPresent();
                write(to, own);
                assertThat(read(to)).as("%s's own value back", to).isPresent();
            }
        }
    }

    @Test
    void aValueSealedUnderAnotherDataKeyDoesNotOpen() throws Exception {
        DataKey other = DataKey.loadOrCreate(Files.createDirectories(dir.resolve("other")));
        DirectoryUser alice = users.getFirst();
        f.store.putUser("hr", alice.id(), Vault.origin(apps.getFirst()), apps.getFirst().connectorGroupId(), credentialOf(alice, apps.getFirst()),
                VaultFixture.NOW);
        String forged = other.encrypt("{\"app\":\"hr\",\"user\":\"" + alice.id() + "\",\"origin\":\"http://hr.corp:8080\","
                + "\"username\":\"mallory\",\"password\":\"x\"}");
        write(new RowRef("hr", alice.id()), forged);
        assertThat(f.store.user("hr", alice.id())).isEmpty();
        write(new RowRef("hr", alice.id()), "v1:bm90IGEgY2lwaGVydGV4dA==");
        assertThat(f.store.user("hr", alice.id())).isEmpty();
        assertThat(f.store.userCredentials(alice.id())).isEmpty();
    }

    private record RowRef(String app, String user) {
    }

    private String sealed(RowRef r) {
        return r.user().equals(VaultStore.SHARED)
                ? f.db.dsl().select(VAULT_SHARED_CREDENTIAL.SEALED).from(VAULT_SHARED_CREDENTIAL).where(VAULT_SHARED_CREDENTIAL.APP_ID.eq(r.app()))
                .fetchSingle().value1()
                : f.db.dsl().select(VAULT_USER_CREDENTIAL.SEALED).from(VAULT_USER_CREDENTIAL)
                .where(VAULT_USER_CREDENTIAL.APP_ID.eq(r.app()), VAULT_USER_CREDENTIAL.USER_ID.eq(r.user())).fetchSingle().value1();
    }

    private void write(RowRef r, String sealed) {
        if (r.user().equals(VaultStore.SHARED)) {
            f.db.dsl().update(VAULT_SHARED_CREDENTIAL).set(VAULT_SHARED_CREDENTIAL.SEALED, sealed)
                    .where(VAULT_SHARED_CREDENTIAL.APP_ID.eq(r.app())).execute();
        } else {
            f.db.dsl().update(VAULT_USER_CREDENTIAL).set(VAULT_USER_CREDENTIAL.SEALED, sealed)
                    .where(VAULT_USER_CREDENTIAL.APP_ID.eq(r.app()), VAULT_USER_CREDENTIAL.USER_ID.eq(r.user())).execute();
        }
    }

    private Optional<VaultStore.Opened> read(RowRef r) {
        return r.user().equals(VaultStore.SHARED) ? f.store.shared(r.app()) : f.store.user(r.app(), r.user());
    }
}
