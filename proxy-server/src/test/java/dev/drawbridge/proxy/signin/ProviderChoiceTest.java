package dev.drawbridge.proxy.signin;

import dev.drawbridge.proxy.federation.ProvidersFixture;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.drawbridge.proxy.federation.ProvidersFixture.json;
import static dev.drawbridge.proxy.federation.ProvidersFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-in page with several providers on a real server (fake providers serving discovery only): a button per provider
 * the app offers beside the password form; a provider the app does not offer refused at {@code /federation/start} whatever
 * the button list says; home-realm discovery sending an address of a provider's domain (any spelling) straight to it with
 * {@code login_hint}, and every other address (unknown domain, a provider the app does not offer, a local user, nobody)
 * back to the same choices, byte for byte, so the answer tells nothing about accounts.
 */
class ProviderChoiceTest {
    @TempDir
    static Path dir;
    static ProvidersFixture f;
    static String corp;
    static String partner;
    static String appId;

    @BeforeAll
    static void start() throws Exception {
        f = new ProvidersFixture(dir);
        corp = f.issuer("corp");
        partner = f.issuer("partner");
        assertThat(f.admin("POST", "identity-providers", settings("corp", corp, "Corp ID", List.of("corp.example", "bücher.example"))).getStatus())
                .isEqualTo(201);
        assertThat(f.admin("POST", "identity-providers", settings("partner", partner, "Partner ID", List.of("partner.example"))).getStatus())
                .isEqualTo(201);
        ContentResponse app = f.admin("POST", "apps", Map.of("name", "Wiki", "externalUrl", "https://wiki.localhost:" + f.server.publicPort() + "/",
                "internalUrl", "http://127.0.0.1:9/", "preAuthentication", "DIRECTORY", "access", Map.of("assignmentRequired", false,
                        "cookieHttpOnly", true, "cookieSecure", true, "cookiePersistent", false, "identityProviders", List.of("corp"))));
        assertThat(app.getStatus()).as(app.getContentAsString()).isEqualTo(201);
        appId = json(app).path("id").asText();
        assertThat(json(f.admin("GET", "apps/" + appId, null)).path("access").path("identityProviders").toString()).isEqualTo("[\"corp\"]");
        f.admin("POST", "users", Map.of("upn", "local@partner.example", "displayName", "Local", "password", "correct horse battery staple"));
    }

    @AfterAll
    static void stop() throws Exception {
        f.close();
    }

    @Test
    void theSignInHostOffersEveryProviderAndAnAppOnlyItsOwn() throws Exception {
        String all = f.login("/signin").getContentAsString();
        assertThat(all).contains("id=\"federated-corp\"", "Sign in with Corp ID", "id=\"federated-partner\"", "id=\"password\"", "id=\"email\"");
        String app = f.login("/signin?app=" + appId + "&p=/").getContentAsString();
        assertThat(app).contains("id=\"federated-corp\"", "id=\"password\"").doesNotContain("federated-partner", "Partner ID");
    }

    @Test
    void aProviderTheAppDoesNotOfferIsRefusedAtTheStart() throws Exception {
        ContentResponse refused = f.login("/federation/start?provider=partner&app=" + appId + "&p=/");
        assertThat(refused.getStatus()).isEqualTo(403);
        assertThat(refused.getContentAsString()).contains("not offered");
        ContentResponse allowed = f.login("/federation/start?provider=corp&app=" + appId + "&p=/");
        assertThat(allowed.getStatus()).isEqualTo(302);
        assertThat(allowed.getHeaders().get(HttpHeader.LOCATION)).startsWith(corp + "/auth?");
        // Without an app (the sign-in host's own page) every provider is offered; an unknown one is not.
        assertThat(f.login("/federation/start?provider=partner&p=/").getHeaders().get(HttpHeader.LOCATION)).startsWith(partner + "/auth?");
        assertThat(f.login("/federation/start?provider=nobody&p=/").getStatus()).isEqualTo(404);
        assertThat(f.login("/federation/start?provider=" + URLEncoder.encode("../corp", StandardCharsets.UTF_8) + "&p=/").getStatus()).isEqualTo(404);
    }

    @Test
    void editingTheAppWithAClientThatKnowsNoProviderListKeepsIt() throws Exception {
        ContentResponse r = f.admin("PUT", "apps/" + appId, Map.of("name", "Wiki", "externalUrl", "https://wiki.localhost:" + f.server.publicPort()
                + "/", "internalUrl", "http://127.0.0.1:9/", "preAuthentication", "DIRECTORY", "access", Map.of("assignmentRequired", false,
                "cookieHttpOnly", true, "cookieSecure", true, "cookiePersistent", true)));
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        assertThat(json(r).path("access").path("cookiePersistent").asBoolean()).isTrue();
        assertThat(json(r).path("access").path("identityProviders").toString()).isEqualTo("[\"corp\"]");
        assertThat(f.login("/federation/start?provider=partner&app=" + appId + "&p=/").getStatus()).isEqualTo(403);
    }

    ContentResponse discover(String email, String app) throws Exception {
        f.login("/signin" + (app.isEmpty() ? "" : "?app=" + app + "&p=/"));
        Fields form = new Fields();
        form.put("email", email);
        form.put("app", app);
        form.put("p", "/");
        return f.loginForm("/federation/discover", form);
    }

    @Test
    void homeRealmDiscoveryGoesStraightToTheProviderOfTheDomain() throws Exception {
        for (String email : List.of("alice@corp.example", "Alice@CORP.Example", "alice@corp.example.", "hans@bücher.example",
                "hans@xn--bcher-kva.example")) {
            ContentResponse r = discover(email, appId);
            assertThat(r.getStatus()).as(email).isEqualTo(302);
            String location = r.getHeaders().get(HttpHeader.LOCATION);
            assertThat(location).as(email).startsWith(corp + "/auth?").contains("login_hint=" + URLEncoder.encode(email, StandardCharsets.UTF_8));
        }
        assertThat(discover("bob@partner.example", "").getHeaders().get(HttpHeader.LOCATION)).startsWith(partner + "/auth?");
    }

    @Test
    void everyOtherAddressGetsTheSameChoicesBack() throws Exception {
        String expected = null;
        for (String email : List.of("local@partner.example", "nobody@partner.example", "nobody@unknown.example", "alice@sub.corp.example",
                "not an address", "")) {
            ContentResponse r = discover(email, appId);
            assertThat(r.getStatus()).as(email).isEqualTo(200);
            String page = email.isEmpty() ? r.getContentAsString().replace("value=\"\" required autofocus", "value=\"ADDRESS\" required autofocus")
                    : r.getContentAsString().replace(email, "ADDRESS");
            assertThat(page).contains("Choose how to sign in", "id=\"federated-corp\"").doesNotContain("federated-partner");
            if (expected == null) {
                expected = page;
            }
            assertThat(page).as(email).isEqualTo(expected);
        }
    }
}
