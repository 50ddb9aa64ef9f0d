package dev.drawbridge.systemtests.sso;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.testsupport.identity.KdcRequests;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Kerberos constrained delegation through the whole stack: browser-like client → proxy (pre-authentication) → tunnel →
 * connector (S4U2Self + S4U2Proxy with the group's keytab, sent by the proxy) → Apache with mod_auth_gssapi, which
 * sees {@code REMOTE_USER=alice@EXAMPLE.TEST}; a second request makes no KDC request; a client-sent Authorization never
 * reaches the app; a user marked not delegable, a user the KDC does not know and an SPN the connector may not delegate
 * to each get a readable 502 page naming the reason and a sign-in log entry, quickly, never a hang.
 */
class KerberosSsoSystemTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static KerberosBackend kerberos;
    static DrawbridgeStack stack;
    static AdminApi api;
    static Connector connector;
    static String intranet, other, intranetId;
    static final List<HttpClient> clients = new ArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        kerberos = KerberosBackend.shared();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        api = stack.adminApi();
        connector = stack.startConnector(dir.resolve("connector"), 1);
        api.connectorGroups().setKerberos(api.connectorGroups().get("Default").id(), new KerberosGroupSettings(kerberos.realm.realm(),
                List.of(kerberos.realm.kdcAddress()), KerberosBackend.CONNECTOR, Base64.getEncoder().encodeToString(kerberos.connectorKeytab)));
        Await.until("the connector uses the group's Kerberos settings", Duration.ofSeconds(15), () -> connector.kerberos().ready());
        intranet = publish("Intranet", "intranet", KerberosBackend.BACKEND);
        intranetId = api.apps().list(Paging.LARGEST).items().stream().filter(a -> a.name().equals("Intranet"))
                .findFirst().orElseThrow().id();
        other = publish("Other", "other-iwa", KerberosBackend.OTHER);
        for (String user : List.of("alice", "bob", "dave")) {
            api.users().create(new UserSpec(user + "@example.test", user, null, null, PASSWORD));
        }
    }

    private static String publish(String name, String label, String spn) throws Exception {
        String url = stack.externalUrl(label);
        AppView app = api.apps().create(new AppSpec(name, url, kerberos.apache.uri("/").toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false)));
        api.apps().setSso(app.id(), new SsoSettings(SsoMethod.KERBEROS, null, new KerberosSso(spn, KerberosSso.LoginIdentity.UPN, false), null));
        return url;
    }

    @AfterAll
    static void stop() throws Exception {
        for (HttpClient c : clients) {
            c.stop();
        }
        if (stack != null) {
            stack.close();
        }
    }

    private static HttpClient signedIn(String user, String app) throws Exception {
        HttpClient c = Https.client(stack.server().serverCaCertificate(), true);
        clients.add(c);
        assertThat(SignInForms.signIn(c, app + "whoami", stack.externalUrl("login"), user + "@example.test", PASSWORD).getStatus())
                .isIn(200, 502);
        return c;
    }

    private static ContentResponse get(HttpClient c, String url, String... headers) throws Exception {
        return c.newRequest(URI.create(url)).timeout(20, TimeUnit.SECONDS).headers(h -> {
            for (int i = 0; i < headers.length; i += 2) {
                h.add(headers[i], headers[i + 1]);
            }
        }).send();
    }

    private static SignInLogEntry lastSsoRefusal(String upn) throws Exception {
        return api.logs().signIns(Paging.DEFAULT, new Logs.SignInFilter(upn, null, SignInResult.FAILURE, SignInEvent.BACKEND_SSO, null, null))
                .items().getFirst();
    }

    @Test
    void theBackendSeesTheUserAndASecondRequestAsksTheKdcNothing() throws Exception {
        HttpClient alice = signedIn("alice", intranet);
        ContentResponse first = get(alice, intranet + "whoami", "Authorization", "Negotiate Zm9yZ2Vk", "authorization", "Basic bWFsbG9yeTp4");
        assertThat(first.getStatus()).as(first.getContentAsString() + kerberos.apache.errorLog()).isEqualTo(200);
        assertThat(first.getContentAsString()).contains("REMOTE_USER=alice@EXAMPLE.TEST").contains("AUTH_TYPE=Negotiate");
        // The backend's Negotiate exchange stays between it and the connector.
        KdcRequests before = kerberos.realm.kdcRequests();
        ContentResponse second = get(alice, intranet + "whoami");
        assertThat(second.getContentAsString()).contains("REMOTE_USER=alice@EXAMPLE.TEST");
        assertThat(kerberos.realm.kdcRequests().since(before).total()).as("KDC requests for a second request").isZero();
    }

    /** "Test as user" names the principal the backend then sees as REMOTE_USER, and the SPN in the group's realm. */
    @Test
    void thePreviewNamesThePrincipalTheBackendSees() throws Exception {
        SsoPreview preview = api.apps().previewSso(intranetId, SsoPreviewRequest.of("alice@example.test"));
        assertThat(preview.problems()).isEmpty();
        assertThat(preview.kerberos().spn()).isEqualTo(KerberosBackend.BACKEND + "@" + kerberos.realm.realm());
        ContentResponse whoami = get(signedIn("alice", intranet), intranet + "whoami");
        assertThat(whoami.getContentAsString()).contains("REMOTE_USER=" + preview.kerberos().principal() + "\n");
    }

    @Test
    void eachRefusalIsAPageAndASignInLogEntryNamingTheReason() throws Exception {
        record Case(String user, String app, String says) {
        }
        for (Case c : List.of(new Case("bob", intranet, "may not be delegated"), new Case("dave", intranet, "does not know the user"),
                new Case("alice", other, "may not delegate to " + KerberosBackend.OTHER))) {
            HttpClient client = signedIn(c.user(), c.app());
            long start = System.nanoTime();
            ContentResponse r = get(client, c.app() + "whoami");
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(c.toString()).isLessThan(Duration.ofSeconds(5));
            assertThat(r.getStatus()).as(c.toString()).isEqualTo(502);
            assertThat(r.getContentAsString()).as(c.toString()).contains("Single sign-on to the app failed").contains(c.says())
                    .doesNotContain("Exception", "GSS");
            SignInLogEntry entry = lastSsoRefusal(c.user() + "@example.test");
            assertThat(entry.reason()).as(c.toString()).contains(c.says());
            assertThat(entry.appName()).isEqualTo(c.app().equals(intranet) ? "Intranet" : "Other");
        }
    }
}
