package dev.drawbridge.proxy.identity;

import com.unboundid.ldap.listener.InMemoryDirectoryServer;
import com.unboundid.ldap.listener.InMemoryDirectoryServerConfig;
import com.unboundid.ldap.listener.InMemoryListenerConfig;
import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directory sync reads each user's on-premises identity from a real LDAP server (UnboundID's in-memory one, without a
 * schema so that it holds Active Directory's attributes): {@code userPrincipalName} and {@code sAMAccountName} by
 * default, other attributes when the settings name them, none when they are empty. A name is synced only when it is
 * one well-formed value held by no other user of the sync, whatever the case; otherwise it is left empty for every
 * holder and reported. It follows the directory: changed, removed, or cleared when the user leaves it. Local users
 * never get one.
 */
class LdapOnPremIdentityTest {
    static final String BASE = "dc=corp,dc=example";
    static final String PEOPLE = "ou=people," + BASE;
    @TempDir
    Path dir;
    InMemoryDirectoryServer ldap;
    Database db;
    DirectoryStore store;
    LdapSync sync;

    @BeforeEach
    void start() throws Exception {
        InMemoryDirectoryServerConfig cfg = new InMemoryDirectoryServerConfig(BASE);
        cfg.setSchema(null); // Active Directory's attributes without its schema
        cfg.setListenerConfigs(InMemoryListenerConfig.createLDAPConfig("ldap", InetAddress.getLoopbackAddress(), 0, null));
        ldap = new InMemoryDirectoryServer(cfg);
        ldap.add("dn: " + BASE, "objectClass: top", "objectClass: domain", "dc: corp");
        ldap.add("dn: " + PEOPLE, "objectClass: organizationalUnit", "ou: people");
        ldap.startListening();
        db = Database.h2(dir.resolve("db"));
        store = new DirectoryStore(db);
        sync = new LdapSync(db, store, DataKey.loadOrCreate(dir.resolve("data")), new SettableClock(Instant.parse("2026-12-07T09:00:00Z")), null);
    }

    @AfterEach
    void stop() throws Exception {
        ldap.shutDown(true);
        db.close();
    }

    /** A person signing in as {@code uid@corp.example} (mail), with more attribute lines. */
    String person(String uid, String... extra) throws Exception {
        List<String> lines = new ArrayList<>(List.of("dn: uid=" + uid + "," + PEOPLE, "objectClass: person", "uid: " + uid, "cn: " + uid,
                "sn: " + uid, "mail: " + uid + "@corp.example"));
        lines.addAll(List.of(extra));
        ldap.add(lines.toArray(String[]::new));
        return "uid=" + uid + "," + PEOPLE;
    }

    /** Settings signing users in by mail, with these on-premises attributes (null: the stored choice or AD's). */
    LdapSyncSettings settings(String onPremUpnAttribute, String samAccountNameAttribute) {
        return new LdapSyncSettings("ldap://127.0.0.1:" + ldap.getListenPort(), null, null, PEOPLE, "(objectClass=person)", "mail", "cn",
                "mail", null, null, null, null, 0, false, null, onPremUpnAttribute, samAccountNameAttribute);
    }

    DirectoryUser user(String uid) {
        return store.userByUpn(uid + "@corp.example").orElseThrow();
    }

    @Test
    void activeDirectoryAttributesAreSyncedByDefaultInTheDirectorysSpelling() throws Exception {
        person("alice", "userPrincipalName: Alice.Smith@CORP.example", "sAMAccountName: ASmith", "department: Finance");
        person("bob");
        sync.save(settings(null, null));

        DirectorySyncResult r = sync.run();

        assertThat(r.problems()).isEmpty();
        assertThat(user("alice").onPremUpn()).contains("Alice.Smith@CORP.example");
        assertThat(user("alice").samAccountName()).contains("ASmith");
        assertThat(user("alice").department()).contains("Finance");
        assertThat(user("bob").onPremUpn()).as("a user the directory gives none has none").isEmpty();
        assertThat(user("bob").samAccountName()).isEmpty();
        assertThat(sync.view().orElseThrow()).satisfies(v -> {
            assertThat(v.onPremUpnAttribute()).isEqualTo("userPrincipalName");
            assertThat(v.samAccountNameAttribute()).isEqualTo("sAMAccountName");
        });
    }

    @Test
    void otherDirectoriesNameTheirAttributesAndEmptyMeansNotSynced() throws Exception {
        person("carol", "krbCanonicalName: carol@CORP.EXAMPLE", "userPrincipalName: wrong@corp.example", "sAMAccountName: WRONG");
        sync.save(settings("krbCanonicalName", "uid"));
        sync.run();
        assertThat(user("carol").onPremUpn()).contains("carol@CORP.EXAMPLE");
        assertThat(user("carol").samAccountName()).contains("carol");

        // A PUT without the fields (an older client) keeps them; empty stops syncing them, and the next sync clears them.
        sync.save(settings(null, null));
        assertThat(sync.view().orElseThrow().onPremUpnAttribute()).isEqualTo("krbCanonicalName");
        assertThat(sync.view().orElseThrow().samAccountNameAttribute()).isEqualTo("uid");
        sync.save(settings("", " "));
        assertThat(sync.view().orElseThrow().onPremUpnAttribute()).isEmpty();
        assertThat(sync.view().orElseThrow().samAccountNameAttribute()).isEmpty();
        sync.save(settings(null, null));
        assertThat(sync.view().orElseThrow().onPremUpnAttribute()).as("kept as not synced").isEmpty();
        sync.run();
        assertThat(user("carol").onPremUpn()).isEmpty();
        assertThat(user("carol").samAccountName()).isEmpty();
    }

    @Test
    void aNameHeldByTwoUsersInAnyCaseIsLeftEmptyForBothAndReported() throws Exception {
        String mallory = person("mallory", "userPrincipalName: Admin@corp.example", "sAMAccountName: administrator");
        String admin = person("admin", "userPrincipalName: admin@corp.example", "sAMAccountName: Administrator");
        person("dave", "userPrincipalName: dave@corp.example", "sAMAccountName: dave");
        sync.save(settings(null, null));

        DirectorySyncResult r = sync.run();

        for (String uid : List.of("mallory", "admin")) {
            assertThat(user(uid).onPremUpn()).as(uid).isEmpty();
            assertThat(user(uid).samAccountName()).as(uid).isEmpty();
            assertThat(user(uid).enabled()).as("the user is synced, only the name is left out").isTrue();
        }
        assertThat(user("dave").samAccountName()).contains("dave");
        assertThat(r.problems()).hasSize(4).allSatisfy(p -> assertThat(p).contains("belongs to 2 users"));
        assertThat(r.problems()).anySatisfy(p -> assertThat(p).startsWith(mallory)).anySatisfy(p -> assertThat(p).startsWith(admin));

        // Once the directory tells them apart again, each gets their own.
        ldap.modify(mallory, new Modification(ModificationType.REPLACE, "userPrincipalName", "mallory@corp.example"),
                new Modification(ModificationType.REPLACE, "sAMAccountName", "mallory"));
        assertThat(sync.run().problems()).isEmpty();
        assertThat(user("admin").samAccountName()).contains("Administrator");
        assertThat(user("mallory").samAccountName()).contains("mallory");
    }

    @Test
    void aMultiValuedOrMalformedNameIsNotSyncedAndTheValueIsNotRepeated() throws Exception {
        person("multi", "userPrincipalName: multi@corp.example", "userPrincipalName: other@corp.example", "sAMAccountName: multi",
                "sAMAccountName: admin");
        person("crlf", "userPrincipalName:: " + base64("crlf@corp.example\r\nX-Injected: 1"), "sAMAccountName:: " + base64("ok\u200Bname"));
        person("realm", "userPrincipalName: realm@corp.example@EVIL", "sAMAccountName: CORP\\admin");
        person("at", "userPrincipalName: noat", "sAMAccountName: admin@CORP");
        sync.save(settings(null, null));

        DirectorySyncResult r = sync.run();

        for (String uid : List.of("multi", "crlf", "realm", "at")) {
            assertThat(user(uid).onPremUpn()).as(uid).isEmpty();
            assertThat(user(uid).samAccountName()).as(uid).isEmpty();
        }
        assertThat(r.problems()).hasSize(8);
        assertThat(String.join("\n", r.problems())).contains("has 2 values", "U+000D", "U+200B", "exactly one @", "contains '\\'",
                "contains '@'").doesNotContain("X-Injected", "EVIL", "\u200B");
    }

    @Test
    void theNamesFollowTheDirectoryAndLeaveWithTheUser() throws Exception {
        String erin = person("erin", "userPrincipalName: erin@corp.example", "sAMAccountName: erin");
        sync.save(settings(null, null));
        sync.run();

        ldap.modify(erin, new Modification(ModificationType.REPLACE, "sAMAccountName", "erin2"),
                new Modification(ModificationType.DELETE, "userPrincipalName"));
        sync.run();
        assertThat(user("erin").samAccountName()).contains("erin2");
        assertThat(user("erin").onPremUpn()).as("removed in the directory: removed here").isEmpty();

        ldap.delete(erin);
        sync.run();
        assertThat(user("erin").enabled()).isFalse();
        assertThat(user("erin").samAccountName()).as("gone from the directory, which may give the name to someone else").isEmpty();
    }

    @Test
    void aLocalUserWithTheSameSignInNameGetsNoOnPremisesIdentity() throws Exception {
        store.createUser("frank@corp.example", "Frank (local)", Optional.empty(), Optional.empty(), Optional.empty(), Instant.now());
        person("frank", "userPrincipalName: frank@corp.example", "sAMAccountName: frank");
        sync.save(settings(null, null));

        DirectorySyncResult r = sync.run();

        assertThat(r.problems()).singleElement().satisfies(p -> assertThat(p).contains("already exists"));
        assertThat(user("frank").displayName()).isEqualTo("Frank (local)");
        assertThat(user("frank").onPremUpn()).isEmpty();
        assertThat(user("frank").samAccountName()).isEmpty();
    }

    private static String base64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }
}
