package dev.drawbridge.systemtests.identity;

import com.unboundid.ldap.sdk.Modification;
import com.unboundid.ldap.sdk.ModificationType;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.sso.Verification;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.model.sso.SsoIdentity;
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

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static dev.drawbridge.testsupport.identity.CorpDirectory.GROUPS_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.PEOPLE_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.SYNC_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.SYNC_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A user's on-premises identity travels from the directory to the connector (LDAP → directory sync → sign-in → proxy
 * → tunnel → connector): a synced user's on-premises UPN (in the directory's spelling) and SAM account name, read from
 * the attributes the settings name (this directory is not Active Directory: {@code mail} and {@code uid}), and their
 * department as the claim {@code department}, are shown read-only by the admin API and arrive in the identity the
 * connector verifies; a local user has none of them.
 */
class OnPremIdentitySystemTest {
    static final String LOCAL_PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static CorpDirectory ldap;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        ldap = CorpDirectory.start();
        ldap.person("frank", "Frank Fischer", "Finance", "frank-ldap-pass");
        // Signs in as frank.fischer@corp.example (stored lower-case); the directory's spelling is the on-premises UPN.
        ldap.server().modify(CorpDirectory.personDn("frank"), new Modification(ModificationType.REPLACE, "mail", "Frank.Fischer@CORP.example"));
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        url = stack.externalUrl("finance");
        stack.adminApi().apps().create(new AppSpec("Finance", url, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                new AccessSettings(false, true, true, false)));
        stack.createUser("lena@corp.example", "Lena Local", LOCAL_PASSWORD);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
        ldap.close();
    }

    /** The identity the connector verified for one request of {@code upn} to the app. */
    static SsoIdentity identityAtTheConnector(Connector connector, String upn, String password) throws Exception {
        List<Verification> seen = new CopyOnWriteArrayList<>();
        connector.sso().observe((head, user) -> seen.add(user));
        HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
        try {
            assertThat(SignInForms.signIn(browser, url + "echo/start", stack.externalUrl("login"), upn, password).getStatus()).isEqualTo(200);
            seen.clear();
            ContentResponse r = browser.newRequest(URI.create(url + "echo/one")).timeout(20, TimeUnit.SECONDS).send();
            assertThat(r.getStatus()).isEqualTo(200);
        } finally {
            browser.stop();
        }
        assertThat(seen).singleElement().isInstanceOf(Verification.Verified.class);
        return seen.getFirst().identity().orElseThrow();
    }

    @Test
    void aSyncedUsersOnPremisesNamesAndDepartmentReachTheConnectorAndALocalUserHasNone() throws Exception {
        LdapSyncSettings put = stack.adminApi().directorySync().configure(new LdapSyncSettings(ldap.ldapUrl(), SYNC_DN, SYNC_PASSWORD,
                PEOPLE_DN, "(objectClass=inetOrgPerson)", "mail", "displayName", "mail", "departmentNumber", GROUPS_DN,
                "(objectClass=groupOfNames)", "member", 0, true, null, "mail", "uid"));
        assertThat(put.onPremUpnAttribute()).isEqualTo("mail");
        assertThat(put.samAccountNameAttribute()).isEqualTo("uid");
        assertThat(stack.adminApi().directorySync().run().problems()).isEmpty();

        UserView frank = stack.user("frank.fischer@corp.example");
        assertThat(frank.onPremUpn()).isEqualTo("Frank.Fischer@CORP.example");
        assertThat(frank.samAccountName()).isEqualTo("frank");
        UserView lena = stack.user("lena@corp.example");
        assertThat(lena.onPremUpn()).isNull();
        assertThat(lena.samAccountName()).isNull();

        Connector connector = stack.startConnector(dir.resolve("connector"), 1);
        SsoIdentity synced = identityAtTheConnector(connector, "frank.fischer@corp.example", "frank-ldap-pass");
        assertThat(synced.upn()).isEqualTo("frank.fischer@corp.example");
        assertThat(synced.onPremUpn()).contains("Frank.Fischer@CORP.example");
        assertThat(synced.samAccountName()).contains("frank");
        assertThat(synced.claims()).isEqualTo(Map.of("department", "Finance"));

        SsoIdentity local = identityAtTheConnector(connector, "lena@corp.example", LOCAL_PASSWORD);
        assertThat(local.upn()).isEqualTo("lena@corp.example");
        assertThat(local.onPremUpn()).isEmpty();
        assertThat(local.samAccountName()).isEmpty();
        assertThat(local.claims()).isEmpty();
    }

    @Test
    void anAdministratorCannotGiveAUserAnOnPremisesName() throws Exception {
        for (String field : List.of("onPremUpn", "samAccountName")) {
            // The refusal itself is the point: raw.
            var refused = stack.api("POST", "users", Map.of("upn", "eve@corp.example", "displayName", "Eve", field, "Administrator"));
            assertThat(refused.status()).as(field).isEqualTo(400);
        }
        assertThat(stack.api("GET", "users/eve@corp.example", null).status()).isEqualTo(404);
        // Attribute names that are not LDAP attribute names are refused, each naming its field.
        var bad = stack.api("PUT", "directory-sync", new LdapSyncSettings(ldap.ldapUrl(), SYNC_DN, SYNC_PASSWORD, PEOPLE_DN, null, null,
                null, null, null, null, null, null, 0, true, null, "userPrincipalName)(cn=*", "*"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("errors").findValuesAsText("field")).containsExactly("onPremUpnAttribute", "samAccountNameAttribute");
    }
}
