package dev.drawbridge.systemtests.sso;

import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.testsupport.sample.MellonBackend;
import dev.drawbridge.testsupport.signin.SignInForms;
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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SAML single sign-on against a real service provider, over plain HTTP (no browser): Apache with mod_auth_mellon
 * ({@link MellonBackend}) published through Drawbridge's tunnel as a pre-authenticated app whose identity provider is
 * Drawbridge. The app's settings come from the service provider's metadata (admin API), mellon trusts Drawbridge's
 * metadata (admin API). SP-initiated and IdP-initiated sign-ins show the user and the mapped attributes on the
 * mellon-protected page; a tampered response, a replayed response and one for another audience reach mellon and are
 * refused by it (its error log says why), each beside a positive twin.
 */
class SamlMellonTest {
    static final String PASSWORD = MellonApp.PASSWORD;

    @TempDir
    static Path dir;
    static MellonApp app;
    static DrawbridgeStack stack;
    static MellonBackend mellon;
    static String hr;
    static String appId;
    static SamlSso settings;

    @BeforeAll
    static void start() throws Exception {
        app = MellonApp.start(dir);
        stack = app.stack;
        mellon = app.mellon;
        hr = app.hr;
        appId = app.appId;
        settings = app.settings;
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    /** A browser-like client: keeps cookies, follows nothing by itself. */
    static HttpClient browser() throws Exception {
        return Https.client(stack.server().serverCaCertificate(), true);
    }

    /** Signs in through the app (SP-initiated): ends on the identity provider's auto-POST page. */
    static ContentResponse spInitiated(HttpClient browser, String upn) throws Exception {
        return SignInForms.signIn(browser, hr + MellonBackend.WHOAMI, stack.externalUrl("login"), upn, PASSWORD);
    }

    /** Posts the auto-POST page's form as a browser does (from the sign-in host's origin), with {@code samlResponse} in it. */
    static ContentResponse post(HttpClient browser, ContentResponse page, String samlResponse) throws Exception {
        Fields changes = new Fields();
        changes.put("SAMLResponse", samlResponse);
        return SignInForms.submitForm(browser, page, changes);
    }

    /** The last lines of a log, with mellon's errors. */
    static String tail(String log) {
        List<String> lines = log.lines().filter(l -> l.contains(":error]") || l.contains(":warn]")).toList();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
    }

    static String samlResponse(ContentResponse page) {
        return SignInForms.hiddenFields(page.getContentAsString()).getValue("SAMLResponse");
    }

    /** Follows the service provider's redirect to the protected page. */
    static String follow(HttpClient browser, ContentResponse posted) throws Exception {
        assertThat(posted.getStatus()).as(() -> "mellon's error log:\n" + tail(mellon.errorLog())).isEqualTo(303);
        return browser.newRequest(URI.create(posted.getHeaders().get("Location"))).timeout(20, TimeUnit.SECONDS).send().getContentAsString();
    }

    @Test
    void spInitiatedSignInShowsTheUserAndHerAttributes() throws Exception {
        HttpClient browser = browser();
        try {
            ContentResponse page = spInitiated(browser, "alice@corp.example");
            assertThat(page.getStatus()).isEqualTo(200);
            assertThat(page.getHeaders().get("Content-Security-Policy")).contains("form-action " + hr.substring(0, hr.length() - 1));
            String xml = new String(Base64.getDecoder().decode(samlResponse(page)), StandardCharsets.UTF_8);
            assertThat(xml).contains("InResponseTo=\"").contains("Destination=\"" + settings.acsUrl() + "\"");
            String whoami = follow(browser, post(browser, page, samlResponse(page)));
            assertThat(whoami).contains("REMOTE_USER=alice@corp.example", "MELLON_email=alice.martin@corp.example",
                    "MELLON_displayName=Alice Martin", "MELLON_department=Finance", "HTTP_HOST=hr.localhost:");
            // The service provider's session: the page opens again without Drawbridge's identity provider.
            assertThat(browser.newRequest(URI.create(hr + MellonBackend.WHOAMI)).send().getContentAsString()).contains("REMOTE_USER=alice@corp.example");
        } finally {
            browser.stop();
        }
    }

    @Test
    void idpInitiatedSignInFromMyAppsLandsOnTheRelayState() throws Exception {
        HttpClient browser = signedInAtMyApps("alice@corp.example");
        try {
            String login = stack.externalUrl("login");
            String myApps = browser.newRequest(URI.create(login)).send().getContentAsString();
            String tile = "/saml/" + appId + "/start";
            assertThat(myApps).contains("href=\"" + tile + "\"");
            ContentResponse page = browser.newRequest(URI.create(login + tile.substring(1))).send();
            assertThat(page.getStatus()).isEqualTo(200);
            assertThat(SignInForms.hiddenFields(page.getContentAsString()).getValue("RelayState")).isEqualTo(hr + MellonBackend.WHOAMI);
            // No session for the app yet: the response the identity provider issued opens it, once.
            ContentResponse posted = post(browser, page, samlResponse(page));
            assertThat(posted.getHeaders().get("Location")).isEqualTo(hr + MellonBackend.WHOAMI);
            assertThat(follow(browser, posted)).contains("REMOTE_USER=alice@corp.example", "MELLON_email=alice.martin@corp.example");
        } finally {
            browser.stop();
        }
    }

    @Test
    void aUserSignedOutOfTheIdentityProviderSignsInThereAndComesBackToTheRequest() throws Exception {
        HttpClient browser = browser();
        try {
            // The browser opens the app up to the service provider's redirect to the identity provider...
            String login = stack.externalUrl("login");
            ContentResponse r = browser.newRequest(URI.create(hr + MellonBackend.WHOAMI)).headers(h -> h.put("Accept", "text/html")).send();
            Fields f = SignInForms.hiddenFields(browser.newRequest(URI.create(r.getHeaders().get("Location"))).send().getContentAsString());
            f.put("upn", "alice@corp.example");
            f.put("password", PASSWORD);
            r = browser.newRequest(URI.create(login + "signin")).method("POST").body(new FormRequestContent(f)).send();
            while (!r.getHeaders().get("Location").startsWith(login + "saml/")) {
                r = browser.newRequest(URI.create(r.getHeaders().get("Location"))).headers(h -> h.put("Accept", "text/html")).send();
                assertThat(r.getStatus()).as(r.getContentAsString()).isIn(302, 303);
            }
            String sso = r.getHeaders().get("Location");
            assertThat(sso).contains("/sso?SAMLRequest=").contains("&Signature=");
            // ... and, signed out everywhere meanwhile, signs in at the sign-in host first and comes back to that request.
            Fields out = SignInForms.hiddenFields(browser.newRequest(URI.create(login + "signout")).send().getContentAsString());
            assertThat(browser.newRequest(URI.create(login + "signout")).method("POST").body(new FormRequestContent(out)).send()
                    .getContentAsString()).contains("You are signed out");
            ContentResponse toSignIn = browser.newRequest(URI.create(sso)).send();
            assertThat(toSignIn.getStatus()).isEqualTo(302);
            assertThat(toSignIn.getHeaders().get("Location")).startsWith("/signin?p=%2Fsaml%2F" + appId + "%2Fcontinue%3Fr%3D");
            Fields g = SignInForms.hiddenFields(browser.newRequest(URI.create(login + toSignIn.getHeaders().get("Location").substring(1)))
                    .send().getContentAsString());
            assertThat(g.getValue("p")).startsWith("/saml/" + appId + "/continue?r=");
            g.put("upn", "alice@corp.example");
            g.put("password", PASSWORD);
            ContentResponse signedIn = browser.newRequest(URI.create(login + "signin")).method("POST").body(new FormRequestContent(g)).send();
            assertThat(signedIn.getHeaders().get("Location")).isEqualTo(g.getValue("p"));
            ContentResponse page = browser.newRequest(URI.create(login + signedIn.getHeaders().get("Location").substring(1))).send();
            assertThat(new String(Base64.getDecoder().decode(samlResponse(page)), StandardCharsets.UTF_8)).contains("InResponseTo=\"");
            // The app session ended with the sign-out: the response opens a new one at the ACS URL.
            assertThat(follow(browser, post(browser, page, samlResponse(page)))).contains("REMOTE_USER=alice@corp.example");
        } finally {
            browser.stop();
        }
    }

    /** A client signed in at the sign-in host only (no app session), as after signing in to My Apps. */
    static HttpClient signedInAtMyApps(String upn) throws Exception {
        HttpClient browser = browser();
        String login = stack.externalUrl("login");
        Fields f = SignInForms.hiddenFields(browser.newRequest(URI.create(login + "signin")).send().getContentAsString());
        f.put("upn", upn);
        f.put("password", PASSWORD);
        ContentResponse signedIn = browser.newRequest(URI.create(login + "signin")).method("POST").body(new FormRequestContent(f)).send();
        assertThat(signedIn.getStatus()).isEqualTo(303);
        return browser;
    }

    /** The IdP-initiated sign-in's auto-POST page. */
    static ContentResponse idpInitiated(HttpClient browser) throws Exception {
        ContentResponse page = browser.newRequest(URI.create(stack.externalUrl("login") + "saml/" + appId + "/start")).send();
        assertThat(page.getStatus()).as(page.getContentAsString()).isEqualTo(200);
        return page;
    }

    static String audience(ContentResponse page) {
        String xml = new String(Base64.getDecoder().decode(samlResponse(page)), StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("<saml:Audience>([^<]*)</saml:Audience>").matcher(xml);
        return m.find() ? m.group(1) : "";
    }

    /** Sets the app's SAML settings through the admin API (they apply at once). */
    static void configure(SamlSso saml) throws Exception {
        stack.adminApi().apps().setSso(appId, new SsoSettings(SsoMethod.SAML, List.of(), null, saml));
    }

    @Test
    void aResponseForAnotherAudienceIsRefusedByMellonAndOneForItsOwnIsNot() throws Exception {
        HttpClient browser = signedInAtMyApps("alice@corp.example");
        try {
            SamlSso other = new SamlSso("urn:drawbridge:another-service-provider", settings.acsUrl(), settings.spCertificate(),
                    settings.nameIdFormat(), null, null, settings.attributes(), null, settings.relayState());
            configure(other);
            assertThat(audience(idpInitiated(browser))).isEqualTo(other.spEntityId());
            ContentResponse page = idpInitiated(browser);
            int logged = mellon.errorLog().length();
            assertThat(post(browser, page, samlResponse(page)).getStatus()).isEqualTo(400);
            assertThat(mellon.errorLog().substring(logged)).contains("Invalid Audience", "urn:drawbridge:another-service-provider");
        } finally {
            configure(settings);
        }
        ContentResponse page = idpInitiated(browser);
        assertThat(follow(browser, post(browser, page, samlResponse(page)))).contains("REMOTE_USER=alice@corp.example");
        browser.stop();
    }

    @Test
    void aTamperedResponseIsRefusedByMellonAndTheUntouchedOneIsNotThenItsReplayIs() throws Exception {
        HttpClient browser = browser();
        try {
            ContentResponse page = spInitiated(browser, "alice@corp.example");
            String original = samlResponse(page);
            String xml = new String(Base64.getDecoder().decode(original), StandardCharsets.UTF_8);
            String forged = Base64.getEncoder().encodeToString(xml.replace(">alice@corp.example<", ">mallory@corp.example<")
                    .getBytes(StandardCharsets.UTF_8));
            assertThat(forged).isNotEqualTo(original);
            int logged = mellon.errorLog().length();
            assertThat(post(browser, page, forged).getStatus()).isEqualTo(400);
            assertThat(mellon.errorLog().substring(logged)).contains("Failed to verify signature");

            assertThat(follow(browser, post(browser, page, original))).contains("REMOTE_USER=alice@corp.example");

            logged = mellon.errorLog().length();
            assertThat(post(browser, page, original).getStatus()).isEqualTo(400);
            assertThat(mellon.errorLog().substring(logged)).contains("has already been used");
        } finally {
            browser.stop();
        }
    }
}
