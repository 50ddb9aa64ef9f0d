package dev.drawbridge.systemtests.identity;

import dev.drawbridge.adminclient.DirectorySync;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.tunnel.TunnelConnection;
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
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;

import static dev.drawbridge.testsupport.identity.CorpDirectory.GROUPS_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.PEOPLE_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.SYNC_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.SYNC_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Directory sync and the sign-in bind reaching LDAP through a connector (raw TCP tunnel streams), as in
 * a real deployment where the server cannot reach the on-premises directory: with no connector of the
 * group the sync fails with a readable 502; with one, users arrive, each LDAP connection is a stream on
 * its tunnel, and sign-in is checked by an LDAP bind through it, with TLS end to end (ldaps://, a certificate for
 * {@code directory.localhost}, a name only the connector resolves here); plain ldap:// through a connector is refused.
 */
class LdapThroughConnectorTest {
    static final char[] PW = "test-pass".toCharArray();
    @TempDir
    static Path dir;
    static CorpDirectory ldap;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String url;
    static String appId;
    static KeyStore trust;

    @BeforeAll
    static void start() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("Test LDAP CA", Duration.ofDays(1), Clock.systemUTC());
        KeyPair kp = CertificateAuthority.newKeyPair();
        var cert = ca.issueServerCertificate(kp.getPublic(), List.of("directory.localhost"), List.of(), Duration.ofDays(1));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("ldap", kp.getPrivate(), PW, new Certificate[]{cert, ca.certificate()});
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PW);
        trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca.certificate());

        ldap = CorpDirectory.builder().ldaps(kmf.getKeyManagers()).start();
        ldap.person("hana", "Hana Huber", "Finance", "hana-ldap-pass");
        ldap.person("ivan", "Ivan Ilic", "Sales", "ivan-ldap-pass");
        ldap.group("finance", "hana");

        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        url = stack.externalUrl("finance");
        appId = stack.adminApi().apps().create(new AppSpec("Finance", url, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS)).id();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
        ldap.close();
    }

    static LdapSyncSettings settings(String ldapUrl, String group) {
        return new LdapSyncSettings(ldapUrl, SYNC_DN, SYNC_PASSWORD, PEOPLE_DN,
                "(objectClass=inetOrgPerson)", "mail", "displayName", "mail", "departmentNumber", GROUPS_DN,
                "(objectClass=groupOfNames)", "member", 0, true, group);
    }

    @Test
    void syncAndSignInReachLdapOnlyThroughTheConnector() throws Exception {
        // The name resolves only where the connector runs (RFC 6761 *.localhost); the server never looks it up.
        String plain = "ldap://directory.localhost:" + ldap.port();
        String tls = "ldaps://directory.localhost:" + ldap.ldapsPort();
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        stack.server().ldapSync().trustForTests(tmf.getTrustManagers()[0]);

        // Refusals and failures are the point where this test stays raw; setup and reads are typed.
        DirectorySync sync = stack.adminApi().directorySync();
        var unknown = stack.api("PUT", "directory-sync", settings(tls, "No Such Group"));
        assertThat(unknown.status()).isEqualTo(400);
        assertThat(unknown.body().path("errors").findValuesAsText("field")).containsExactly("connectorGroup");

        // Plain ldap:// never crosses a connector: whoever runs one in the group (an application administrator may
        // register or move connectors into any group) would read the bind password and every user's password.
        var plainRefused = stack.api("PUT", "directory-sync", settings(plain, "Default"));
        assertThat(plainRefused.status()).isEqualTo(400);
        assertThat(plainRefused.body().path("errors").findValuesAsText("field")).containsExactly("url");
        assertThat(plainRefused.body().path("errors").get(0).path("message").asText()).contains("ldaps://");

        assertThat(sync.configure(settings(tls, "Default")).connectorGroup()).isEqualTo("Default");
        assertThat(sync.settings().connectorGroup()).isEqualTo("Default");

        // No connector yet: a readable failure, not a hang or a direct connection.
        var offline = stack.api("POST", "directory-sync/run", Map.of());
        assertThat(offline.status()).isEqualTo(502);
        assertThat(offline.body().path("detail").asText()).contains("no connector of group 'Default' is connected");

        // ldaps: TLS from the server to the directory, the connector relays ciphertext; the certificate names the host.
        Connector connector = stack.startConnector(dir.resolve("c"), 1);
        long before = streamsOpened();
        DirectorySyncResult result = sync.run();
        assertThat(result.usersCreated()).as(result.toString()).isEqualTo(2);
        assertThat(result.groupsCreated()).isEqualTo(1);
        assertThat(streamsOpened()).as("the sync's LDAP connection is a tunnel stream").isGreaterThan(before);

        // Sign-in of a synced user is an LDAP bind as the user, through the tunnel too.
        stack.adminApi().apps().assign(appId, new AssignmentBody("GROUP", "finance"));
        long beforeSignIn = streamsOpened();
        assertThat(signIn("hana@corp.example", "hana-ldap-pass").getStatus()).isEqualTo(200);
        assertThat(signIn("hana@corp.example", "wrong-pass").getStatus()).isEqualTo(401);
        // Two binds plus the app request itself.
        assertThat(streamsOpened() - beforeSignIn).isGreaterThanOrEqualTo(3);

        // The connector goes away: LDAP is unreachable, so the password cannot be checked.
        connector.close();
        await("tunnels gone", () -> stack.server().registry().tunnels().isEmpty());
        assertThat(signIn("hana@corp.example", "hana-ldap-pass").getStatus()).isEqualTo(401);
        assertThat(stack.api("POST", "directory-sync/run", Map.of()).status()).isEqualTo(502);

        stack.startConnector(dir.resolve("c"), 1);
        assertThat(sync.run().usersUpdated()).isEqualTo(2);
        assertThat(signIn("hana@corp.example", "hana-ldap-pass").getStatus()).isEqualTo(200);

        // A certificate for another name is refused, through the tunnel as directly.
        String wrongName = "ldaps://other.localhost:" + ldap.ldapsPort();
        sync.configure(settings(wrongName, "Default"));
        assertThat(stack.api("POST", "directory-sync/run", Map.of()).status()).isEqualTo(502);

        // Settings saved without the field (older clients) keep the group: plain ldap:// would go through it, so it is
        // refused; an empty group means direct, where plain ldap:// is the network's business.
        String direct = ldap.ldapUrl();
        var kept = stack.api("PUT", "directory-sync", settings(direct, null));
        assertThat(kept.status()).isEqualTo(400);
        assertThat(kept.body().path("errors").findValuesAsText("field")).containsExactly("url");
        assertThat(sync.settings().connectorGroup()).isEqualTo("Default");
        assertThat(sync.configure(settings(direct, "")).connectorGroup()).isNull();
        sync.run();

        // A group that directory sync uses cannot be deleted from under it.
        String branch = stack.adminApi().connectorGroups().create(NameBody.named("Branch")).id();
        assertThat(sync.configure(settings(tls, branch)).connectorGroup()).isEqualTo("Branch");
        var inUse = stack.api("DELETE", "connector-groups/" + branch, null);
        assertThat(inUse.status()).isEqualTo(409);
        assertThat(inUse.body().toString()).contains("directory sync");
        sync.configure(settings(direct, ""));
        stack.adminApi().connectorGroups().delete(branch);
        assertThat(stack.adminApi().connectorGroups().list(Paging.LARGEST).items()).extracting(ConnectorGroupView::id).doesNotContain(branch);
    }

    static long streamsOpened() {
        return stack.server().registry().tunnels().stream().mapToLong(TunnelConnection::streamsOpened).sum();
    }

    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
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
