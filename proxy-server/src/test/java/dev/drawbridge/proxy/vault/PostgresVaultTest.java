package dev.drawbridge.proxy.vault;

import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The vault's migration (V33) and store on a real PostgreSQL: store, replace, refuse a version, delete, and the rows
 * going with their user and their app. Needs DRAWBRIDGE_TEST_PG_URL (./test.sh sets it).
 */
class PostgresVaultTest {
    @TempDir
    static Path dir;
    static Database db;

    @BeforeAll
    static void connect() throws Exception {
        db = PostgresTestDatabase.fresh();
    }

    @AfterAll
    static void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void theVaultWorksOnPostgres() throws Exception {
        VaultStore store = new VaultStore(db, DataKey.loadOrCreate(dir));
        String group = new ConnectorStore(db).ensureDefaultGroup(VaultFixture.NOW).id();
        AppStore apps = new AppStore(db);
        PublishedApp hr = VaultFixture.basicApp("hr", "http://hr.corp/", VaultFixture.users(), group);
        apps.insert(hr);
        DirectoryStore directory = new DirectoryStore(db);
        DirectoryUser alice = directory.createUser("alice@corp.example", "Alice", Optional.empty(), Optional.empty(), Optional.empty(),
                VaultFixture.NOW);
        DirectoryUser bob = directory.createUser("bob@corp.example", "Bob", Optional.empty(), Optional.empty(), Optional.empty(),
                VaultFixture.NOW);

        String v1 = store.putUser("hr", alice.id(), Vault.origin(hr), hr.connectorGroupId(), new Credential("alice", "one"), VaultFixture.NOW);
        String v2 = store.putUser("hr", alice.id(), Vault.origin(hr), hr.connectorGroupId(), new Credential("alice", "two"), VaultFixture.NOW);
        store.putUser("hr", bob.id(), Vault.origin(hr), hr.connectorGroupId(), new Credential("bob", "b"), VaultFixture.NOW);
        store.putShared("hr", Vault.origin(hr), hr.connectorGroupId(), new Credential("svc", "s"), VaultFixture.NOW);
        assertThat(store.user("hr", alice.id())).map(o -> o.credential().password()).contains("two");
        assertThat(store.refusedUser("hr", alice.id(), v1, VaultFixture.NOW)).isFalse();
        assertThat(store.refusedUser("hr", alice.id(), v2, VaultFixture.NOW)).isTrue();
        assertThat(store.user("hr", alice.id()).orElseThrow().refusedAt()).contains(VaultFixture.NOW);
        assertThat(store.userCredentials(bob.id())).containsOnlyKeys("hr");

        assertThat(directory.deleteUser(bob.id())).isTrue();
        assertThat(store.user("hr", bob.id())).isEmpty();
        assertThat(apps.delete("hr")).isTrue();
        assertThat(store.user("hr", alice.id())).isEmpty();
        assertThat(store.shared("hr")).isEmpty();
    }
}
