package dev.drawbridge.proxy.identity;

import com.unboundid.ldap.sdk.LDAPException;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR_GROUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Plain {@code ldap://} never goes through a connector. Every connector of the group carries the LDAP connection, and
 * an application administrator may register or move connectors into any group: in clear, the bind password and every
 * synced user's sign-in password would be readable there, and a connector that answers the binds itself could sign in
 * as any synced user (administrators included). So such settings are refused when saved (also when the group is the
 * one kept from before) and, for settings saved before this rule, when connecting: before any tunnel is touched.
 */
class LdapPlainThroughConnectorTest {
    @TempDir
    Path dir;
    Database db;
    LdapSync sync;
    String groupId = "group-1";

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir.resolve("db"));
        db.dsl().insertInto(CONNECTOR_GROUP).set(CONNECTOR_GROUP.ID, groupId).set(CONNECTOR_GROUP.NAME, "Branch")
                .set(CONNECTOR_GROUP.CREATED_AT, Instant.parse("2026-11-25T12:00:00Z").atOffset(ZoneOffset.UTC)).execute();
        // No tunnels at all: whatever is refused here is refused before a tunnel would be used.
        sync = new LdapSync(db, new DirectoryStore(db), DataKey.loadOrCreate(dir.resolve("data")), Clock.systemUTC(), null);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static LdapSyncSettings settings(String url, String group) {
        return new LdapSyncSettings(url, "cn=sync,dc=corp,dc=example", "sync-secret", "ou=people,dc=corp,dc=example", null, null, null,
                null, null, null, null, null, 0, true, group);
    }

    @Test
    void savingPlainLdapThroughAConnectorGroupIsRefusedWhateverTheSpelling() {
        for (String plain : new String[]{"ldap://dc1.corp.example:389", "ldap://dc1.corp.example", "LDAP://DC1.corp.example:389"}) {
            assertThat(sync.plainThroughConnector(settings(plain, "Branch"))).as(plain).hasValueSatisfying(m -> assertThat(m).contains("ldaps://"));
            assertThat(sync.plainThroughConnector(settings(plain, groupId))).as(plain + " (group by id)").isPresent();
        }
        assertThat(sync.plainThroughConnector(settings("ldaps://dc1.corp.example:636", "Branch"))).isEmpty();
        assertThat(sync.plainThroughConnector(settings("ldap://dc1.corp.example:389", ""))).as("direct").isEmpty();
        assertThat(sync.plainThroughConnector(settings("ldap://dc1.corp.example:389", null))).as("direct, nothing stored").isEmpty();
        // A PUT without the field keeps the stored group: plain ldap:// would then go through it.
        sync.save(settings("ldaps://dc1.corp.example:636", "Branch"));
        assertThat(sync.plainThroughConnector(settings("ldap://dc1.corp.example:389", null))).as("kept group").isPresent();
    }

    @Test
    void storedPlainLdapThroughAConnectorIsRefusedWhenConnecting() {
        // Saved before the rule existed (the store itself does not validate).
        sync.save(settings("ldap://dc1.corp.example:389", "Branch"));
        assertThatThrownBy(sync::run).isInstanceOf(LDAPException.class).hasMessageContaining("ldaps://");
        assertThat(sync.verifyPassword("uid=rita,ou=people,dc=corp,dc=example", "her password")).isFalse();
    }
}
