package dev.drawbridge.systemtests.identity;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.DirectorySync;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.testsupport.identity.CorpDirectory;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.drawbridge.testsupport.identity.CorpDirectory.GROUPS_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.PEOPLE_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.SYNC_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.SYNC_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directory sync against a real LDAP server (UnboundID's in-memory directory on a loopback port):
 * users and groups with members arrive, a group from LDAP can be assigned to an app, synced users
 * sign in with their LDAP password (checked by binding as them), and a user removed from LDAP is
 * disabled at the next sync. The bind password is never shown back.
 */
class LdapSyncTest {
    @TempDir
    static Path dir;
    static CorpDirectory ldap;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String url;
    static String appId;

    @BeforeAll
    static void start() throws Exception {
        ldap = CorpDirectory.start();
        ldap.person("frank", "Frank Fischer", "Finance", "frank-ldap-pass");
        ldap.person("gina", "Gina Gruber", "Sales", "gina-ldap-pass");
        ldap.group("finance", "frank");

        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        url = stack.externalUrl("finance");
        appId = stack.adminApi().apps().create(new AppSpec("Finance", url, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS)).id();
        stack.startConnector(dir.resolve("c"), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
        ldap.close();
    }

    @Test
    void usersAndGroupsSyncAndSignInChecksTheLdapPassword() throws Exception {
        AdminApi admin = stack.adminApi();
        DirectorySync sync = admin.directorySync();
        LdapSyncSettings put = sync.configure(new LdapSyncSettings(ldap.ldapUrl(),
                SYNC_DN, SYNC_PASSWORD, PEOPLE_DN, "(objectClass=inetOrgPerson)",
                "mail", "displayName", "mail", "departmentNumber", GROUPS_DN, "(objectClass=groupOfNames)",
                "member", 0, true));
        assertThat(put.bindPassword()).isEqualTo("********");

        DirectorySyncResult result = sync.run();
        assertThat(result.usersCreated()).isEqualTo(2);
        assertThat(result.groupsCreated()).isEqualTo(1);
        List<UserView> users = admin.users().list(Paging.DEFAULT, Users.Search.ALL).items();
        assertThat(users).extracting(UserView::upn).contains("frank@corp.example", "gina@corp.example");
        UserView frank = users.stream().filter(u -> u.upn().equals("frank@corp.example")).findFirst().orElseThrow();
        assertThat(frank.displayName()).isEqualTo("Frank Fischer");
        assertThat(frank.department()).isEqualTo("Finance");
        assertThat(frank.groups()).containsExactly("finance");
        assertThat(frank.hasPassword()).isFalse();

        // The LDAP group is assigned to the app: Frank (a member) gets in with his LDAP password; Gina does not.
        admin.apps().assign(appId, new AssignmentBody("GROUP", "finance"));
        assertThat(signIn("frank@corp.example", "frank-ldap-pass").getStatus()).isEqualTo(200);
        assertThat(signIn("frank@corp.example", "wrong-pass").getStatus()).isEqualTo(401);
        assertThat(signIn("gina@corp.example", "gina-ldap-pass").getStatus()).isEqualTo(403);

        // An administrator disables Frank: the next sync (which still sees him in LDAP) does not undo it.
        String frankId = frank.id();
        admin.users().disable(frankId);
        sync.run();
        assertThat(admin.users().get(frankId).enabled()).isFalse();
        assertThat(signIn("frank@corp.example", "frank-ldap-pass").getStatus()).isEqualTo(401);
        assertThat(admin.users().enable(frankId).enabled()).isTrue();
        assertThat(signIn("frank@corp.example", "frank-ldap-pass").getStatus()).isEqualTo(200);

        // Gina leaves the company: the next sync disables her.
        ldap.delete(CorpDirectory.personDn("gina"));
        DirectorySyncResult second = sync.run();
        assertThat(second.usersDisabled()).isEqualTo(1);
        assertThat(second.usersUpdated()).isEqualTo(1);
        assertThat(signIn("gina@corp.example", "gina-ldap-pass").getStatus()).isEqualTo(401);
        // Enabling her by hand does not bring back someone LDAP no longer has; her return to LDAP does.
        String ginaId = stack.user("gina@corp.example").id();
        assertThat(admin.users().enable(ginaId).enabled()).isFalse();
        ldap.person("gina", "Gina Gruber", "Sales", "gina-ldap-pass");
        sync.run();
        assertThat(admin.users().get(ginaId).enabled()).isTrue();
        ldap.delete(CorpDirectory.personDn("gina"));
        assertThat(sync.run().usersDisabled()).isEqualTo(1);

        // A wrong bind password is reported, not hidden: the failed run's answer and the audit log's every byte are the point (raw).
        sync.configure(new LdapSyncSettings(ldap.ldapUrl(), SYNC_DN,
                "not-the-secret", PEOPLE_DN, null, "mail", null, null, null, null, null, null, 0, true));
        var failed = stack.api("POST", "directory-sync/run", Map.of());
        assertThat(failed.status()).isEqualTo(502);
        assertThat(failed.body().path("detail").asText()).contains("invalid credentials");
        assertThat(stack.api("GET", "audit-logs?action=directory-sync.update", null).body().toString())
                .doesNotContain(SYNC_PASSWORD).doesNotContain("not-the-secret");
    }

    @Test
    void theStoredBindPasswordIsOnlySentWhereItWasEnteredFor() throws Exception {
        String url = ldap.ldapUrl();
        DirectorySync sync = stack.adminApi().directorySync();
        sync.configure(ldapSettings(url, SYNC_DN, SYNC_PASSWORD));
        // Pointed elsewhere (another host, port or bind DN) without the password, masked or left out: refused, naming the field.
        for (String password : new String[]{null, "********"}) {
            for (String[] moved : new String[][]{{"ldap://attacker.example:389", SYNC_DN},
                    {"ldap://127.0.0.1:" + (ldap.port() + 1), SYNC_DN}, {url, "cn=other,dc=corp,dc=example"}}) {
                // The refusal itself is the point: raw.
                var refused = stack.api("PUT", "directory-sync", ldapSettings(moved[0], moved[1], password));
                assertThat(refused.status()).isEqualTo(400);
                assertThat(refused.body().path("errors").get(0).path("field").asText()).isEqualTo("bindPassword");
                assertThat(refused.body().path("errors").get(0).path("message").asText()).contains("entered again");
            }
        }
        // The same destination keeps the stored password: the sync still binds.
        sync.configure(ldapSettings(url, SYNC_DN, null));
        sync.run();
        // A move that carries the password is fine.
        sync.configure(ldapSettings("ldap://localhost:" + ldap.port(), SYNC_DN, SYNC_PASSWORD));
        sync.run();
    }

    static LdapSyncSettings ldapSettings(String url, String bindDn, String password) {
        return new LdapSyncSettings(url, bindDn, password, PEOPLE_DN, "(objectClass=inetOrgPerson)", "mail",
                "displayName", "mail", "departmentNumber", GROUPS_DN, "(objectClass=groupOfNames)", "member", 0, true);
    }

    /** Signs in through the sign-in host; returns the app's final answer (or the sign-in page's). */
    static ContentResponse signIn(String upn, String password) throws Exception {
        HttpClient b = Https.client(stack.server().serverCaCertificate(), true);
        try {
            return SignInForms.signIn(b, url + "echo/ldap", stack.externalUrl("login"), upn, password);
        } finally {
            b.stop();
        }
    }
}
