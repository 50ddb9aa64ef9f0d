package dev.drawbridge.systemtests.identity;

import com.microsoft.playwright.Page;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.systemtests.browser.Browser;
import dev.drawbridge.testsupport.identity.KeycloakServer;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two identity providers, two realms of one real Keycloak ({@link KeycloakServer#startWithPartner}, started once for the
 * class): corp (corp.example) and partner (partner.example). A user signs in through each; the two realms' "alice" are
 * two users; home-realm discovery sends an address straight to its domain's realm with the address as login hint; an app
 * that offers only corp refuses partner at the start and, when the app's choice changed during the sign-in, at the
 * callback. In Chromium: the sign-in page's provider buttons and its work-email field, clicked and typed like a user.
 */
class SeveralProvidersTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static KeycloakServer keycloak;
    static Browser browser;
    static String wiki;
    static String wikiId;
    static String hr;
    static String hrId;
    static String login;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        wiki = stack.externalUrl("wiki");
        hr = stack.externalUrl("hr");
        login = stack.externalUrl("login");
        AdminApi admin = stack.adminApi();
        wikiId = admin.apps().create(new AppSpec("Wiki", wiki, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false))).id();
        hrId = admin.apps().create(new AppSpec("HR", hr, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false, List.of("corp")))).id();
        // A local user: the sign-in page shows the password form beside the providers.
        admin.users().create(new UserSpec("local@example.com", "Local", "local@example.com", null, "local password 1"));
        stack.startConnector(dir.resolve("connector"), 1);
        keycloak = KeycloakServer.startWithPartner(login + "federation/callback");
        admin.identityProviders().create(provider("corp", KeycloakServer.REALM, "Corp Keycloak", List.of("corp.example")));
        admin.identityProviders().create(provider("partner", KeycloakServer.PARTNER_REALM, "Partner Keycloak", List.of("Partner.Example")));
        browser = Browser.start(stack.server().serverCaCertificate());
    }

    static OidcProviderSettings provider(String id, String realm, String name, List<String> domains) {
        return new OidcProviderSettings(keycloak.issuer(realm), KeycloakServer.CLIENT_ID, KeycloakServer.CLIENT_SECRET, name, null, "email",
                "groups", true, null, false, id, domains);
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable a = app; AutoCloseable s = stack; AutoCloseable k = keycloak; AutoCloseable b = browser) {
            // closes all four
        }
    }

    @Test
    void eachRealmSignsInItsOwnUsersAndTheTwoAlicesAreTwoUsers() throws Exception {
        String corpAlice = signInAndName("corp", "alice");
        String partnerAlice = signInAndName("partner", "alice");
        assertThat(corpAlice).isEqualTo("Alice Martin");
        assertThat(partnerAlice).isEqualTo("Alice Partner");
        UserView corp = user("alice@corp.example");
        UserView partner = user("alice@partner.example");
        assertThat(partner.id()).isNotEqualTo(corp.id());
        assertThat(corp.groups()).contains("HR staff", "Engineering").doesNotContain("Partners");
        assertThat(partner.groups()).containsExactly("Partners");
        // Again through each: the same users, not new ones.
        signInAndName("corp", "alice");
        signInAndName("partner", "alice");
        assertThat(users().stream().filter(u -> u.upn().startsWith("alice@"))).hasSize(2);
    }

    @Test
    void homeRealmDiscoveryGoesToTheRealmOfTheDomainWithTheAddressAsHint() throws Exception {
        HttpClient b = client();
        try {
            for (String email : List.of("frank@PARTNER.example", "carol@corp.example")) {
                ContentResponse page = get(b, login + "signin");
                Fields form = new Fields();
                form.put("csrf", hidden(page.getContentAsString(), "csrf"));
                form.put("app", "");
                form.put("p", "/");
                form.put("email", email);
                ContentResponse r = post(b, login + "federation/discover", form);
                assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(302);
                String realm = email.contains("corp") ? KeycloakServer.REALM : KeycloakServer.PARTNER_REALM;
                assertThat(r.getHeaders().get("Location")).startsWith(keycloak.issuer(realm) + "/protocol/openid-connect/auth?")
                        .contains("login_hint=" + URLEncoder.encode(email, StandardCharsets.UTF_8));
            }
            ContentResponse page = get(b, login + "signin");
            Fields form = new Fields();
            form.put("csrf", hidden(page.getContentAsString(), "csrf"));
            form.put("email", "someone@elsewhere.example");
            ContentResponse r = post(b, login + "federation/discover", form);
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(r.getContentAsString()).contains("Choose how to sign in", "federated-corp", "federated-partner");
        } finally {
            b.stop();
        }
    }

    @Test
    void anAppThatOffersOnlyCorpRefusesPartnerAtTheStartAndAtTheCallback() throws Exception {
        HttpClient b = client();
        try {
            ContentResponse refused = get(b, login + "federation/start?provider=partner&app=" + hrId + "&p=%2F");
            assertThat(refused.getStatus()).isEqualTo(403);
            assertThat(get(b, login + "signin?app=" + hrId + "&p=%2F").getContentAsString()).contains("federated-corp")
                    .doesNotContain("federated-partner");
            // Partner is offered for Wiki when the sign-in starts, and no longer when it comes back.
            String authorize = start(b, "partner", wikiId);
            AdminApi admin = stack.adminApi();
            var before = admin.apps().get(wikiId);
            admin.apps().replace(wikiId, new AppSpec("Wiki", wiki, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                    new AccessSettings(false, true, true, false, List.of("corp"))));
            try {
                ContentResponse callback = get(b, keycloakSignIn(b, authorize, "frank"));
                assertThat(callback.getStatus()).isEqualTo(403);
                assertThat(callback.getContentAsString()).contains("not offered for this app");
                assertThat(b.getHttpCookieStore().all()).noneMatch(c -> c.getName().equals("__Host-drawbridge_login"));
            } finally {
                admin.apps().replace(wikiId, new AppSpec("Wiki", wiki, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                        before.access()));
            }
        } finally {
            b.stop();
        }
    }

    @Test
    void aSessionFromPartnerIsNotTakenByAnAppThatOffersOnlyCorp() throws Exception {
        HttpClient b = client();
        try {
            // Signed in through partner on the sign-in host (My Apps), the browser opens HR, which offers corp only.
            assertThat(get(b, keycloakSignIn(b, start(b, "partner", ""), "frank")).getStatus()).isEqualTo(303);
            ContentResponse atApp = get(b, hr);
            assertThat(atApp.getStatus()).isEqualTo(302);
            ContentResponse signIn = get(b, atApp.getHeaders().get("Location"));
            // The sign-in page with HR's choices, not a way back into HR.
            assertThat(signIn.getStatus()).isEqualTo(200);
            assertThat(signIn.getContentAsString()).contains("federated-corp").doesNotContain("federated-partner");
            // Wiki offers both: the same session is taken there.
            ContentResponse atWiki = get(b, get(b, wiki).getHeaders().get("Location"));
            assertThat(atWiki.getStatus()).isEqualTo(302);
            assertThat(atWiki.getHeaders().get("Location")).startsWith(wiki);
        } finally {
            b.stop();
        }
    }

    @Test
    void inChromiumAUserClicksAProviderButtonOrTypesTheirWorkEmail() throws Exception {
        Page page = browser.newPage();
        page.navigate(wiki + "page2");
        assertThat(page.url()).contains("/signin?app=");
        assertThat(page.textContent("#federated-corp")).isEqualTo("Sign in with Corp Keycloak");
        assertThat(page.textContent("#federated-partner")).isEqualTo("Sign in with Partner Keycloak");
        assertThat(page.isVisible("#password")).isTrue();
        Browser.screenshot(page, "signin-several-providers");
        page.click("#federated-partner");
        page.waitForURL(u -> u.startsWith(keycloak.issuer(KeycloakServer.PARTNER_REALM)));
        page.fill("#username", "frank");
        page.fill("#password", KeycloakServer.PASSWORD);
        page.click("#kc-login");
        page.waitForURL(wiki + "page2");
        page.navigate(wiki + "headers");
        assertThat(page.content()).contains("\"x-drawbridge-user\":[\"frank@partner.example\"]");

        Page other = browser.newPage();
        other.navigate(wiki + "page2");
        other.fill("#email", "erin@corp.example");
        other.click("#continue");
        other.waitForURL(u -> u.startsWith(keycloak.issuer(KeycloakServer.REALM)));
        // Keycloak took the login hint: the user name is filled in already.
        assertThat(other.inputValue("#username")).isEqualTo("erin@corp.example");
        other.fill("#username", "erin");
        other.fill("#password", KeycloakServer.PASSWORD);
        other.click("#kc-login");
        other.waitForURL(wiki + "page2");
        other.navigate(wiki + "headers");
        assertThat(other.content()).contains("\"x-drawbridge-user\":[\"erin@corp.example\"]");
    }

    // ---- helpers ----

    /** Signs in through the provider as the realm's {@code user}, with no app; answers the display name My Apps shows. */
    static String signInAndName(String provider, String user) throws Exception {
        HttpClient b = client();
        try {
            ContentResponse callback = get(b, keycloakSignIn(b, start(b, provider, ""), user));
            assertThat(callback.getStatus()).as(callback.getContentAsString()).isEqualTo(303);
            Matcher m = Pattern.compile("Signed in as <strong>([^<]*)</strong>").matcher(get(b, login).getContentAsString());
            assertThat(m.find()).isTrue();
            return m.group(1);
        } finally {
            b.stop();
        }
    }

    static String start(HttpClient b, String provider, String appId) throws Exception {
        ContentResponse r = get(b, login + "federation/start?provider=" + provider + "&app=" + appId + "&p=%2F");
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(302);
        String realm = provider.equals("corp") ? KeycloakServer.REALM : KeycloakServer.PARTNER_REALM;
        assertThat(r.getHeaders().get("Location")).startsWith(keycloak.issuer(realm) + "/protocol/openid-connect/auth?");
        return r.getHeaders().get("Location");
    }

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
        return m.group(1);
    }

    /** Signs in on Keycloak's login form like a browser; returns the callback URL Keycloak redirects to. */
    static String keycloakSignIn(HttpClient b, String authorize, String user) throws Exception {
        return KeycloakLoginForm.signIn(b, authorize, user, login + "federation/callback?");
    }

    static List<UserView> users() throws Exception {
        return KeycloakLoginForm.users(stack.adminApi());
    }

    static UserView user(String upn) throws Exception {
        return KeycloakLoginForm.user(stack.adminApi(), upn);
    }
}
