package dev.drawbridge.proxy.identity;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An account the directory itself marks disabled is disabled here too, whatever the sync's filter: Active Directory's
 * {@code userAccountControl} ACCOUNTDISABLE bit (how AD off-boards a leaver: the account stays, disabled) and the
 * {@code nsAccountLock} of 389 Directory Server / Red Hat IdM. Without it the default filter kept such a user enabled,
 * with their sessions and refresh tokens, and each sync re-enabled them. The flag going away enables them again,
 * unless an administrator disabled them here.
 */
class LdapDisabledAccountTest {
    static final String BASE = "dc=corp,dc=example";
    @TempDir
    Path dir;
    InMemoryDirectoryServer ldap;
    Database db;
    DirectoryStore store;
    LdapSync sync;
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-25T12:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(BASE);
        cfg.setSchema(null); // AD and 389-DS attributes without their schemas
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        ldap = new InMemoryDirectoryServer(cfg);
        ldap.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: corp");
        ldap.add("dn: ou=people," + BASE, "objectClass: organizationalUnit", "ou: people");
        person("active", "userAccountControl: 512");
        person("leaver", "userAccountControl: 514");
        person("locked389", "nsAccountLock: TRUE");
        person("plain");
        ldap.startListening();
        db = Database.h2(dir.resolve("db"));
        store = new DirectoryStore(db);
        sync = new LdapSync(db, store, DataKey.loadOrCreate(dir.resolve("data")), clock, null);
        sync.save(new LdapSyncSettings("ldap://127.0.0.1:" + ldap.getListenPort(), null, null, "ou=people," + BASE, "(objectClass=person)",
                "mail", "cn", "mail", null, null, null, null, 0, false));
    }

    void person(String uid, String... extra) throws Exception {
        String[] lines = new String[6 + extra.length];
        lines[0] = "dn: uid=" + uid + ",ou=people," + BASE;
        lines[1] = "objectClass: person";
        lines[2] = "uid: " + uid;
        lines[3] = "cn: " + uid;
        lines[4] = "sn: " + uid;
        lines[5] = "mail: " + uid + "@corp.example";
        System.arraycopy(extra, 0, lines, 6, extra.length);
        ldap.add(lines);
    }

    @AfterEach
    void stop() throws Exception {
        ldap.shutDown(true);
        db.close();
    }

    boolean enabled(String uid) {
        return store.userByUpn(uid + "@corp.example").map(DirectoryUser::enabled).orElse(false);
    }

    @Test
    void anAccountTheDirectoryDisabledIsDisabledHereAndItsSessionsEnd() throws Exception {
        sync.run();
        assertThat(enabled("active")).isTrue();
        assertThat(enabled("plain")).isTrue();
        assertThat(enabled("leaver")).as("userAccountControl 514 (ACCOUNTDISABLE)").isFalse();
        assertThat(enabled("locked389")).as("nsAccountLock: TRUE").isFalse();

        // Off-boarding in AD: the account is disabled, not deleted. The next sync disables it and ends its sessions.
        Instant signedIn = clock.instant();
        clock.advance(Duration.ofMinutes(5));
        ldap.modify("uid=active,ou=people," + BASE, new Modification(ModificationType.REPLACE, "userAccountControl", "66050"));
        sync.run();
        DirectoryUser active = store.userByUpn("active@corp.example").orElseThrow();
        assertThat(active.enabled()).isFalse();
        assertThat(active.sessionsValidAfter()).isAfter(signedIn);
        sync.run();
        assertThat(enabled("active")).as("a later sync does not re-enable it").isFalse();

        // Enabled in the directory again: enabled here again.
        ldap.modify("uid=active,ou=people," + BASE, new Modification(ModificationType.REPLACE, "userAccountControl", "512"));
        ldap.modify("uid=locked389,ou=people," + BASE, new Modification(ModificationType.DELETE, "nsAccountLock"));
        sync.run();
        assertThat(enabled("active")).isTrue();
        assertThat(enabled("locked389")).isTrue();
        assertThat(enabled("leaver")).isFalse();
    }
}
