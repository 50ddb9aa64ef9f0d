package dev.drawbridge.systemtests.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.microsoft.playwright.Page;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Icon;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.ProviderGroupBody;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.systemtests.browser.Browser;
import dev.drawbridge.testsupport.identity.KeycloakServer;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Federation with a real Keycloak ({@link KeycloakServer}, started once for the class): in Chromium a
 * user opens a DIRECTORY app, chooses "Sign in with Keycloak", signs in on Keycloak's own login form
 * and lands on the app, created just in time with the groups of the {@code groups} claim; and over
 * HTTP the misuses: a callback nobody started, a state from another browser or altered, a response
 * replayed, a return URL pointing elsewhere, JIT provisioning off; and a federated user with an
 * authenticator still gives the second factor.
 */
class KeycloakFederationTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static KeycloakServer keycloak;
    static Browser browser;
    static String hr;
    static String hrId;
    static String login;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        hr = stack.externalUrl("hr");
        login = stack.externalUrl("login");
        AdminApi admin = stack.adminApi();
        hrId = admin.apps().create(new AppSpec("HR", hr, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS)).id();
        stack.startConnector(dir.resolve("connector"), 1);
        // A static group happens to have the name of a Keycloak group, and the app: the claim must never join it.
        admin.groups().create(new GroupBody("HR staff", null, null));
        admin.apps().assign(hrId, new AssignmentBody("GROUP", "HR staff"));
        // Local administrators whose addresses also exist at Keycloak.
        for (String upn : List.of("dave@corp.example", "erin@corp.example")) {
            String id = admin.users().create(new UserSpec(upn, "Local " + upn, upn, null, "local password 1")).id();
            admin.users().setRoles(id, new RolesBody(List.of(AdminRole.GLOBAL_ADMINISTRATOR)));
        }
        // HR has an icon in My Apps.
        admin.apps().setIcon(hrId, new Icon("image/svg+xml", ("<svg xmlns=\"http://www.w3.org/2000/svg\" "
                + "width=\"32\" height=\"32\"><rect width=\"32\" height=\"32\" fill=\"teal\"/></svg>").getBytes(StandardCharsets.UTF_8)));
        long t0 = System.nanoTime();
        keycloak = KeycloakServer.start(login + "federation/callback");
        System.out.printf("Keycloak answered its discovery document %d ms after launch%n", (System.nanoTime() - t0) / 1_000_000);
        configure(true);
        // The administrator prepared the provider's own group for Keycloak's "HR staff" and gave it the app.
        admin.identityProviders().createOidcGroup(new ProviderGroupBody("HR staff (Keycloak)", "HR staff"));
        admin.apps().assign(hrId, new AssignmentBody("GROUP", "HR staff (Keycloak)"));
        browser = Browser.start(stack.server().serverCaCertificate());
    }

    static void configure(boolean jit) throws Exception {
        configure(jit, false);
    }

    static void configure(boolean jit, boolean linkByVerifiedEmail) throws Exception {
        stack.adminApi().identityProviders().configureOidc(new OidcProviderSettings(keycloak.issuer(), KeycloakServer.CLIENT_ID,
                KeycloakServer.CLIENT_SECRET, "Keycloak", null, "email", "groups", jit, null, linkByVerifiedEmail));
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable a = app; AutoCloseable s = stack; AutoCloseable k = keycloak; AutoCloseable b = browser) {
            // closes all four
        }
    }

    @Test
    void aUserSignsInWithKeycloakInChromiumAndIsCreatedWithTheGroupsOfTheClaim() throws Exception {
        Page page = browser.newPage();
        page.navigate(hr + "page2");
        assertThat(page.url()).contains("://login.localhost:").contains("/signin?app=");
        assertThat(page.textContent("#federated-oidc")).isEqualTo("Sign in with Keycloak");
        Browser.screenshot(page, "signin-with-federation");
        page.click("#federated-oidc");
        page.waitForURL(u -> u.startsWith(keycloak.issuer()));
        Browser.screenshot(page, "keycloak-login");
        page.fill("#username", "alice");
        page.fill("#password", KeycloakServer.PASSWORD);
        page.click("#kc-login");
        page.waitForURL(hr + "page2");
        assertThat(page.content()).contains("Page 2");
        page.navigate(hr + "headers");
        assertThat(page.content()).contains("\"x-drawbridge-user\":[\"alice@corp.example\"]");

        // Created just in time: the email claim (lower-cased) is the UPN; groups from the claim, into the provider's own groups
        // only: the prepared one, and the missing one created. The static "HR staff" is not joined.
        UserView alice = user("alice@corp.example");
        assertThat(alice.displayName()).isEqualTo("Alice Martin");
        assertThat(alice.hasPassword()).isFalse();
        assertThat(alice.groups()).containsExactlyInAnyOrder("HR staff (Keycloak)", "Engineering");
        GroupView engineering = group("Engineering");
        assertThat(engineering.description()).isEqualTo("from Keycloak");
        assertThat(stack.adminApi().groups().members(group("HR staff").id())).isEmpty();

        List<SignInLogEntry> signIns = signIns("alice@corp.example", SignInEvent.SIGN_IN, null);
        assertThat(signIns.get(0).result()).isEqualTo(SignInResult.SUCCESS);
        assertThat(signIns.get(0).reason()).isEqualTo("federated with Keycloak (user created)");
        List<SignInLogEntry> access = signIns("alice@corp.example", SignInEvent.ACCESS, null);
        assertThat(access.get(0).result()).isEqualTo(SignInResult.SUCCESS);
        assertThat(access.get(0).appName()).isEqualTo("HR");

        // My Apps lists the app the group gives her, with its icon (loaded under the portal's CSP).
        page.navigate(login);
        assertThat(page.locator("#apps").textContent()).contains("HR");
        page.waitForFunction("() => { const i = document.querySelector('#apps img.icon'); return i && i.complete && i.naturalWidth > 0; }");
        assertThat(page.evaluate("document.querySelector('#apps img.icon').naturalWidth")).isEqualTo(32);
        Browser.screenshot(page, "my-apps-with-icon");
    }

    @Test
    void anIdentityWithTheEmailOfALocalAdminNeverBecomesThatAdminUnlessLinkingIsOnAndTheEmailVerified() throws Exception {
        String localErin = user("erin@corp.example").id();
        String localDave = user("dave@corp.example").id();
        try {
            // Linking off (the default): Erin's verified address at Keycloak does not open the local Erin's account.
            HttpClient b = client();
            try {
                ContentResponse r = get(b, keycloakSignIn(b, startFederation(b, "", "/"), "erin"));
                assertThat(r.getStatus()).isEqualTo(403);
                assertThat(r.getContentAsString()).contains("already exists and is not linked");
                assertThat(b.getHttpCookieStore().all()).noneMatch(c -> c.getName().equals("__Host-drawbridge_login"));
            } finally {
                b.stop();
            }
            configure(true, true);
            // Linking on, but Keycloak has not verified Dave's address: refused.
            b = client();
            try {
                ContentResponse r = get(b, keycloakSignIn(b, startFederation(b, "", "/"), "dave"));
                assertThat(r.getStatus()).isEqualTo(403);
                assertThat(r.getContentAsString()).contains("not verified");
            } finally {
                b.stop();
            }
            // Linking on and verified: Erin at Keycloak is the local Erin from now on.
            b = client();
            try {
                ContentResponse r = get(b, keycloakSignIn(b, startFederation(b, "", "/"), "erin"));
                assertThat(r.getStatus()).isEqualTo(303);
                assertThat(get(b, login).getContentAsString()).contains("Local erin@corp.example");
            } finally {
                b.stop();
            }
            assertThat(user("erin@corp.example").id()).isEqualTo(localErin);
            List<SignInLogEntry> log = signIns("erin@corp.example", SignInEvent.SIGN_IN, SignInResult.SUCCESS);
            assertThat(log.get(0).userId()).isEqualTo(localErin);
        } finally {
            configure(true);
        }
        assertThat(user("dave@corp.example").id()).isEqualTo(localDave);
    }

    @Test
    void theAdminApiKeepsTheSecretAndNamesBadFields() throws Exception {
        // The admin API's own answers (the masked secret, the problem documents, the audit log's every byte) are the point: raw.
        JsonNode view = stack.api("GET", "identity-providers/oidc", null).body();
        assertThat(view.path("clientSecret").asText()).isEqualTo("********");
        assertThat(view.path("redirectUri").asText()).isEqualTo(login + "federation/callback");
        assertThat(view.path("scopes")).extracting(JsonNode::asText).containsExactly("openid", "profile", "email");
        String audit = stack.api("GET", "audit-logs?targetType=identity-provider", null).body().toString();
        assertThat(audit).contains("identity-provider.create").doesNotContain(KeycloakServer.CLIENT_SECRET);

        var bad = stack.api("PUT", "identity-providers/oidc", Map.of("issuer", "http://idp.example.com/realms/x", "clientId", "",
                "displayName", "Keycloak", "scopes", List.of("openid", "bad scope"), "usernameClaim", "e mail"));
        assertThat(bad.status()).isEqualTo(400);
        assertThat(bad.body().path("errors")).extracting(e -> e.path("field").asText())
                .contains("issuer", "clientId", "scopes", "usernameClaim");
        assertThat(stack.api("GET", "identity-providers/other", null).status()).isEqualTo(404);
        // The stored secret does not follow the settings to another issuer or client.
        for (Map<String, Object> moved : List.of(Map.<String, Object>of("issuer", "http://127.0.0.1:9/realms/corp", "clientId", KeycloakServer.CLIENT_ID),
                Map.<String, Object>of("issuer", keycloak.issuer(), "clientId", "another-client"))) {
            Map<String, Object> body = new HashMap<>(moved);
            body.put("displayName", "Keycloak");
            body.put("clientSecret", "********");
            var refused = stack.api("PUT", "identity-providers/oidc", body);
            assertThat(refused.status()).isEqualTo(400);
            assertThat(refused.body().path("errors").findValuesAsText("field")).containsExactly("clientSecret");
        }
        assertThat(stack.adminApi().identityProviders().oidc().issuer()).isEqualTo(keycloak.issuer());
    }

    @Test
    void aCallbackNobodyStartedIsRefused() throws Exception {
        HttpClient b = client();
        try {
            ContentResponse r = get(b, login + "federation/callback?code=forged&state=forged");
            assertThat(r.getStatus()).isEqualTo(403);
            assertThat(r.getContentAsString()).contains("Sign-in failed");
            assertThat(r.getHeaders().get("Set-Cookie")).isNull();
        } finally {
            b.stop();
        }
        assertThat(signIns(null, SignInEvent.SIGN_IN, SignInResult.FAILURE)).extracting(SignInLogEntry::reason)
                .anySatisfy(reason -> assertThat(reason).contains("federated sign-in refused"));
    }

    @Test
    void aStateFromAnotherBrowserOrAlteredIsRefused() throws Exception {
        HttpClient victim = client();
        HttpClient attacker = client();
        try {
            String state = param(startFederation(victim, hrId, "/"), "state");
            // The attacker has no binding cookie at all, then one of his own: neither works with the victim's state.
            assertThat(get(attacker, login + "federation/callback?code=x&state=" + state).getContentAsString())
                    .contains("not started in this browser");
            startFederation(attacker, hrId, "/");
            assertThat(get(attacker, login + "federation/callback?code=x&state=" + state).getContentAsString())
                    .contains("started in another browser");
            assertThat(get(victim, login + "federation/callback?code=x&state=" + state + "x").getContentAsString())
                    .contains("no sign-in was started with this state");
        } finally {
            victim.stop();
            attacker.stop();
        }
    }

    @Test
    void aResponseWorksOnceAndTheWayBackStaysOnTheApp() throws Exception {
        HttpClient b = client();
        try {
            // The return path asks to leave the app: it falls back to the app's root.
            String authorize = startFederation(b, hrId, "//evil.example/steal");
            assertThat(param(authorize, "code_challenge_method")).isEqualTo("S256");
            assertThat(param(authorize, "nonce")).isNotEmpty();
            String callback = keycloakSignIn(b, authorize, "bob");
            ContentResponse done = get(b, callback);
            assertThat(done.getStatus()).isEqualTo(303);
            assertThat(done.getHeaders().get("Location")).startsWith(hr + ".drawbridge/callback?code=").endsWith("&p=%2F");
            // Replaying the provider's response: refused, nothing issued.
            ContentResponse replay = get(b, callback);
            assertThat(replay.getStatus()).isEqualTo(403);
            assertThat(replay.getContentAsString()).contains("already used");
            // Bob has no groups in Keycloak and HR needs one: the app says no.
            ContentResponse app = get(b, done.getHeaders().get("Location"));
            assertThat(get(b, app.getHeaders().get("Location")).getStatus()).isEqualTo(403);
        } finally {
            b.stop();
        }
        assertThat(user("bob@corp.example").groups()).isEmpty();
    }

    @Test
    void aSignInStartedOnTheSignInHostGoesBackThroughTheAppWhichBindsIt() throws Exception {
        HttpClient b = client();
        try {
            ContentResponse done = get(b, keycloakSignIn(b, startFederationHere(b, hrId, "/"), "bob"));
            assertThat(done.getStatus()).isEqualTo(303);
            // No code without a binding: back to the app, which starts a bound sign-in the session completes at once.
            assertThat(done.getHeaders().get("Location")).isEqualTo(hr);
            ContentResponse app = get(b, hr);
            assertThat(app.getHeaders().get("Location")).contains("&b=");
            ContentResponse issued = get(b, app.getHeaders().get("Location"));
            assertThat(issued.getStatus()).isEqualTo(302);
            assertThat(issued.getHeaders().get("Location")).startsWith(hr + ".drawbridge/callback?code=");
            assertThat(get(b, issued.getHeaders().get("Location")).getStatus()).isEqualTo(303);
        } finally {
            b.stop();
        }
    }

    @Test
    void aFederatedUserWithAnAuthenticatorStillGivesTheSecondFactor() throws Exception {
        HttpClient first = client();
        String secret;
        long step = Instant.now().getEpochSecond() / 30;
        try {
            // Signed in through Keycloak (no app: My Apps), she turns on two-step verification.
            ContentResponse back = get(first, keycloakSignIn(first, startFederation(first, "", "/"), "carol"));
            assertThat(back.getStatus()).isEqualTo(303);
            assertThat(back.getHeaders().get("Location")).isEqualTo("/");
            String enroll = get(first, login + "mfa/enroll").getContentAsString();
            Matcher m = Pattern.compile("<code id=\"secret\">([A-Z2-7]+)</code>").matcher(enroll);
            assertThat(m.find()).as(enroll).isTrue();
            secret = m.group(1);
            Fields f = new Fields();
            f.put("csrf", hidden(enroll, "csrf"));
            f.put("code", new DefaultCodeGenerator().generate(secret, step));
            assertThat(post(first, login + "mfa/enroll", f).getContentAsString()).contains("Recovery codes");
        } finally {
            first.stop();
        }
        HttpClient b = client();
        try {
            ContentResponse mfa = get(b, keycloakSignIn(b, startFederation(b, hrId, "/page2"), "carol"));
            assertThat(mfa.getStatus()).isEqualTo(200);
            assertThat(mfa.getContentAsString()).contains("Two-step verification");
            assertThat(b.getHttpCookieStore().all()).noneMatch(c -> c.getName().equals("__Host-drawbridge_login"));
            Fields f = new Fields();
            for (String field : List.of("csrf", "app", "p")) {
                f.put(field, hidden(mfa.getContentAsString(), field));
            }
            f.put("code", new DefaultCodeGenerator().generate(secret, step + 1));
            ContentResponse done = post(b, login + "mfa", f);
            assertThat(done.getStatus()).isEqualTo(303);
            assertThat(done.getHeaders().get("Location")).startsWith(hr + ".drawbridge/callback?code=").endsWith("&p=%2Fpage2");
            ContentResponse landed = get(b, done.getHeaders().get("Location"));
            assertThat(get(b, landed.getHeaders().get("Location")).getContentAsString()).contains("Page 2");
        } finally {
            b.stop();
        }
        SignInLogEntry last = signIns("carol@corp.example", SignInEvent.SIGN_IN, null).get(0);
        assertThat(last.reason()).isEqualTo("federated sign-in and authenticator code");
        assertThat(last.mfaUsed()).isTrue();
    }

    @Test
    void withoutJustInTimeProvisioningAnUnknownUserIsRefused() throws Exception {
        configure(false);
        HttpClient b = client();
        try {
            String bob = userIdOrNull("bob@corp.example");
            if (bob != null) {
                stack.adminApi().users().delete(bob);
            }
            ContentResponse r = get(b, keycloakSignIn(b, startFederation(b, "", "/"), "bob"));
            assertThat(r.getStatus()).isEqualTo(403);
            assertThat(r.getContentAsString()).contains("there is no account bob@corp.example and just-in-time provisioning is off");
        } finally {
            configure(true);
            b.stop();
        }
    }

    // ---- helpers ----

    static HttpClient client() throws Exception {
        return Https.client(stack.server().serverCaCertificate(), true);
    }

    static ContentResponse get(HttpClient b, String url) throws Exception {
        return b.newRequest(URI.create(url)).headers(h -> h.put("Accept", "text/html")).timeout(20, TimeUnit.SECONDS).send();
    }

    static ContentResponse post(HttpClient b, String url, Fields form) throws Exception {
        return b.newRequest(URI.create(url)).method("POST").body(new FormRequestContent(form)).timeout(20, TimeUnit.SECONDS).send();
    }

    static String hidden(String html, String name) {
        Matcher m = Pattern.compile("name=\"" + name + "\" value=\"([^\"]*)\"").matcher(html);
        assertThat(m.find()).as("hidden field " + name).isTrue();
        return m.group(1).replace("&#x2F;", "/");
    }

    /** Starts a federated sign-in for an app (or none); returns Keycloak's authorization URL. */
    static String startFederation(HttpClient b, String appId, String path) throws Exception {
        if (!appId.isEmpty()) {
            // A sign-in for an app starts at the app: its host binds it to this browser, the sign-in page keeps the binding.
            ContentResponse app = get(b, hr);
            assertThat(app.getStatus()).isEqualTo(302);
            assertThat(get(b, app.getHeaders().get("Location")).getStatus()).isEqualTo(200);
        }
        return startFederationHere(b, appId, path);
    }

    /** Starts federation on the sign-in host directly (a bookmarked or hand-made link), with no binding from the app. */
    static String startFederationHere(HttpClient b, String appId, String path) throws Exception {
        ContentResponse r = get(b, login + "federation/start?app=" + appId + "&p=" + URLEncoder.encode(path, StandardCharsets.UTF_8));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(302);
        String location = r.getHeaders().get("Location");
        assertThat(location).startsWith(keycloak.issuer() + "/protocol/openid-connect/auth?");
        return location;
    }

    /** Signs in on Keycloak's login form like a browser; returns the callback URL Keycloak redirects to. */
    static String keycloakSignIn(HttpClient b, String authorize, String user) throws Exception {
        return KeycloakLoginForm.signIn(b, authorize, user, login + "federation/callback?");
    }

    static String param(String url, String name) {
        Map<String, String> params = new HashMap<>();
        for (String kv : URI.create(url).getRawQuery().split("&")) {
            int eq = kv.indexOf('=');
            params.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return params.getOrDefault(name, "");
    }

    static List<UserView> users() throws Exception {
        return KeycloakLoginForm.users(stack.adminApi());
    }

    static UserView user(String upn) throws Exception {
        return KeycloakLoginForm.user(stack.adminApi(), upn);
    }

    static String userIdOrNull(String upn) throws Exception {
        return users().stream().filter(u -> u.upn().equals(upn)).map(UserView::id).findFirst().orElse(null);
    }

    static GroupView group(String name) throws Exception {
        return stack.adminApi().groups().list(Paging.LARGEST, Users.Search.ALL).items().stream().filter(g -> g.name().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no group " + name));
    }

    /** The sign-in log, newest first, for a UPN (null: anyone), an event and a result (null: any). */
    static List<SignInLogEntry> signIns(String upn, SignInEvent event, SignInResult result) throws Exception {
        return stack.adminApi().logs().signIns(Paging.DEFAULT, new Logs.SignInFilter(upn, null, result, event, null, null)).items();
    }
}
