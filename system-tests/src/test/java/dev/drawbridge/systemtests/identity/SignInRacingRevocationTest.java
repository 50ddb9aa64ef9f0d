package dev.drawbridge.systemtests.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.unboundid.ldap.listener.interceptor.InMemoryInterceptedSimpleBindResult;
import com.unboundid.ldap.listener.interceptor.InMemoryOperationInterceptor;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.identity.CorpDirectory;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static dev.drawbridge.testsupport.identity.CorpDirectory.PEOPLE_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.SYNC_DN;
import static dev.drawbridge.testsupport.identity.CorpDirectory.SYNC_PASSWORD;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A sign-in that is being checked while an administrator revokes the user's sessions or disables them must not
 * come out with a credential that outlives the revocation. The LDAP server (UnboundID's in-memory directory) runs the
 * administrator's call in the middle of the user's bind, which makes the race deterministic: the password is right,
 * the attempt began before the revocation, and whatever it yields must be refused afterwards, on the sign-in host
 * and on the admin API, and also after the disabled user is enabled again.
 */
class SignInRacingRevocationTest {
    static final String RITA_DN = CorpDirectory.personDn("rita");
    static final String PASSWORD = "rita-ldap-pass";
    @TempDir
    static Path dir;
    static CorpDirectory ldap;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String hr, login, ritaId;
    /** What the administrator does while Rita's bind is in flight (taken once). */
    static final AtomicReference<Runnable> duringBind = new AtomicReference<>();

    @BeforeAll
    static void start() throws Exception {
        ldap = CorpDirectory.builder().interceptor(new InMemoryOperationInterceptor() {
            @Override
            public void processSimpleBindResult(InMemoryInterceptedSimpleBindResult result) {
                if (RITA_DN.equalsIgnoreCase(result.getRequest().getBindDN())) {
                    Runnable r = duringBind.getAndSet(null);
                    if (r != null) {
                        r.run();
                    }
                }
            }
        }).start();
        ldap.person("rita", "Rita Roth", null, PASSWORD);

        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        hr = stack.externalUrl("hr");
        login = stack.externalUrl("login");
        AdminApi admin = stack.adminApi();
        admin.apps().create(new AppSpec("HR", hr, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                new AccessSettings(false, true, true, false)));
        stack.startConnector(dir.resolve("c"), 1);
        admin.directorySync().configure(new LdapSyncSettings(ldap.ldapUrl(),
                SYNC_DN, SYNC_PASSWORD, PEOPLE_DN, "(objectClass=inetOrgPerson)", "mail",
                "displayName", "mail", null, null, null, null, 0, true));
        admin.directorySync().run();
        ritaId = stack.user("rita@corp.example").id();
        admin.users().setRoles(ritaId, new RolesBody(List.of(AdminRole.SECURITY_READER)));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
        ldap.close();
    }

    /** The administrator's call, made from inside the LDAP server while Rita's bind waits for it. */
    static Runnable admin(String action) {
        return () -> {
            try {
                Users users = stack.adminApi().users();
                UserView after = action.equals("disable") ? users.disable(ritaId) : users.revokeSessions(ritaId);
                assertThat(after.id()).isEqualTo(ritaId);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        };
    }

    @Test
    void aBrowserSignInRacingRevokeSessionsGetsNoSessionThatOutlivesIt() throws Exception {
        HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
        try {
            duringBind.set(admin("revoke-sessions"));
            SignInForms.signIn(browser, hr + "echo/race", login, "rita@corp.example", PASSWORD);
            assertThat(duringBind.get()).as("the revocation ran during the bind").isNull();
            assertThat(appStatus(browser)).as("app cookie from a sign-in that began before the revocation").isEqualTo(302);
            assertThat(browser.newRequest(URI.create(login)).timeout(20, TimeUnit.SECONDS).send().getStatus())
                    .as("sign-in session").isEqualTo(302);
        } finally {
            browser.stop();
        }
        // The next sign-in, begun after the revocation, works.
        assertThat(freshSignInStatus()).isEqualTo(200);
    }

    @Test
    void aBrowserSignInRacingADisableDoesNotComeBackWhenTheUserIsEnabledAgain() throws Exception {
        HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
        try {
            duringBind.set(admin("disable"));
            SignInForms.signIn(browser, hr + "echo/race", login, "rita@corp.example", PASSWORD);
            assertThat(duringBind.get()).isNull();
            assertThat(stack.adminApi().users().enable(ritaId).enabled()).isTrue();
            assertThat(appStatus(browser)).as("app cookie from a sign-in that raced the disable, after enabling").isEqualTo(302);
        } finally {
            browser.stop();
        }
        assertThat(freshSignInStatus()).isEqualTo(200);
    }

    @Test
    void anAdminTokenRacingRevokeSessionsIsRefused() throws Exception {
        duringBind.set(admin("revoke-sessions"));
        ContentResponse token = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/auth/token")).method("POST")
                .body(new StringRequestContent("application/json",
                        Json.MAPPER.writeValueAsString(Map.of("username", "rita@corp.example", "password", PASSWORD))))
                .timeout(20, TimeUnit.SECONDS).send();
        assertThat(token.getStatus()).isEqualTo(200);
        assertThat(duringBind.get()).isNull();
        JsonNode body = Json.MAPPER.readTree(token.getContent());
        ContentResponse me = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/me"))
                .headers(h -> h.put("Authorization", "Bearer " + body.path("accessToken").asText())).timeout(20, TimeUnit.SECONDS).send();
        assertThat(me.getStatus()).as("admin token from a sign-in that began before the revocation").isEqualTo(401);
    }

    static int appStatus(HttpClient browser) throws Exception {
        return browser.newRequest(URI.create(hr + "echo/again")).headers(h -> h.put("Accept", "text/html"))
                .timeout(20, TimeUnit.SECONDS).send().getStatus();
    }

    static int freshSignInStatus() throws Exception {
        HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
        try {
            SignInForms.signIn(browser, hr + "echo/fresh", login, "rita@corp.example", PASSWORD);
            return appStatus(browser);
        } finally {
            browser.stop();
        }
    }
}
