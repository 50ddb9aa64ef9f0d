package dev.drawbridge.systemtests.sso;

import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.testsupport.sample.MellonBackend;
import dev.drawbridge.testsupport.signin.SignInForms;
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
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SAML's login CSRF against a real service provider (found by the hostile review): Mallory, a user of the app, takes the
 * response of his own IdP-initiated sign-in without posting it, and a page on another host of the same site posts it
 * from Alice's browser to the app's ACS URL. Alice's browser has Drawbridge's session for the app (its SameSite=Lax
 * cookie comes with a same-site POST); mod_auth_mellon takes any unsolicited response signed by its identity provider,
 * so before the fix Alice ended up working in the app as Mallory ({@code REMOTE_USER=mallory@corp.example}) while
 * Drawbridge named her. Drawbridge issued that response to Mallory: it never reaches mellon from Alice's browser, at
 * the ACS path as sent or percent-encoded (Apache decodes it for mellon). Alice's own response still signs her in.
 */
class SamlAcsLoginCsrfTest {
    @TempDir
    static Path dir;
    static MellonApp app;

    @BeforeAll
    static void start() throws Exception {
        app = MellonApp.start(dir);
        app.stack.adminApi().users().create(new UserSpec("mallory@corp.example", "Mallory", null, null, MellonApp.PASSWORD));
        app.stack.adminApi().apps().assign(app.appId, new AssignmentBody("USER", "mallory@corp.example"));
    }

    @AfterAll
    static void stop() throws Exception {
        if (app != null) {
            app.close();
        }
    }

    /** A same-site page of another host (any published app serves such pages). */
    static String sameSiteOrigin() {
        String other = app.stack.externalUrl("wiki");
        return other.substring(0, other.length() - 1);
    }


    /** A client signed in at the sign-in host only (no app session), as after signing in to My Apps. */
    static HttpClient signedInAtMyApps(String upn) throws Exception {
        HttpClient browser = Https.client(app.stack.server().serverCaCertificate(), true);
        String login = app.login();
        Fields f = SignInForms.hiddenFields(browser.newRequest(URI.create(login + "signin")).send().getContentAsString());
        f.put("upn", upn);
        f.put("password", MellonApp.PASSWORD);
        assertThat(browser.newRequest(URI.create(login + "signin")).method("POST").body(new FormRequestContent(f)).send().getStatus())
                .isEqualTo(303);
        return browser;
    }

    /** The SAMLResponse of a fresh IdP-initiated sign-in of the browser's user (not posted anywhere). */
    static String idpInitiated(HttpClient browser) throws Exception {
        ContentResponse page = browser.newRequest(URI.create(app.login() + "saml/" + app.appId + "/start")).send();
        assertThat(page.getStatus()).as(page.getContentAsString()).isEqualTo(200);
        return SignInForms.hiddenFields(page.getContentAsString()).getValue("SAMLResponse");
    }

    /** mellon's last errors. */
    static String errors(int from) {
        return app.mellon.errorLog().substring(from).lines().filter(l -> l.contains(":error]")).reduce("", (a, b) -> a + "\n" + b);
    }

    static ContentResponse postTo(HttpClient browser, String acsPath, String samlResponse, String origin) throws Exception {
        Fields form = new Fields();
        form.put("SAMLResponse", samlResponse);
        return browser.newRequest(URI.create(app.hr.substring(0, app.hr.length() - 1) + acsPath)).method("POST")
                .headers(h -> h.put("Origin", origin)).body(new FormRequestContent(form)).timeout(20, TimeUnit.SECONDS).send();
    }

    static String whoami(HttpClient browser) throws Exception {
        return browser.newRequest(URI.create(app.hr + MellonBackend.WHOAMI)).timeout(20, TimeUnit.SECONDS).send().getContentAsString();
    }

    @Test
    void anotherUsersResponsePostedFromAliceWithHerSessionNeverReachesMellon() throws Exception {
        HttpClient alice = signedInAtMyApps("alice@corp.example");
        HttpClient mallory = signedInAtMyApps("mallory@corp.example");
        try {
            String acs = URI.create(app.settings.acsUrl()).getRawPath();
            // Alice works in the app: Drawbridge's session and mellon's, both hers (her response, posted from the sign-in host).
            ContentResponse signedIn = postTo(alice, acs, idpInitiated(alice), app.login().substring(0, app.login().length() - 1));
            assertThat(signedIn.getStatus()).as(errors(0)).isEqualTo(303);
            assertThat(whoami(alice)).contains("REMOTE_USER=alice@corp.example");
            // Apache decodes the path before mellon reads it: %70 is a spelling of its endpoint too.
            for (String spelling : List.of(acs, acs.replace("/postResponse", "/%70ostResponse"))) {
                String mallorys = idpInitiated(mallory);
                int logged = app.mellon.errorLog().length();
                ContentResponse posted = postTo(alice, spelling, mallorys, sameSiteOrigin());
                assertThat(posted.getStatus()).as(spelling + ", mellon said: " + errors(logged)).isEqualTo(403);
                assertThat(whoami(alice)).as(spelling).contains("REMOTE_USER=alice@corp.example").doesNotContain("mallory");
            }
            // Her own fresh response, posted the same way, is still hers to use.
            assertThat(postTo(alice, acs, idpInitiated(alice), sameSiteOrigin()).getStatus()).isEqualTo(303);
            assertThat(whoami(alice)).contains("REMOTE_USER=alice@corp.example");
        } finally {
            alice.stop();
            mallory.stop();
        }
    }
}
