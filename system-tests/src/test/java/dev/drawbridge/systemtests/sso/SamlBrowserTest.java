package dev.drawbridge.systemtests.sso;

import com.microsoft.playwright.Page;
import dev.drawbridge.systemtests.browser.Browser;
import dev.drawbridge.testsupport.sample.MellonBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SAML single sign-on in real Chromium against Apache with mod_auth_mellon published through the tunnel
 * ({@link MellonApp}): one test per flow. SP-initiated: the user opens the mellon-protected page, signs in to Drawbridge
 * once, and the service provider's page shows her (REMOTE_USER) and her attributes; IdP-initiated: from My Apps. The
 * auto-POST page's script runs under its Content-Security-Policy and its form may go to the app's origin; from My Apps
 * the browser has no session for the app yet, so the response itself opens it at the ACS URL.
 */
class SamlBrowserTest {
    @TempDir
    static Path dir;
    static MellonApp app;
    static Browser browser;

    @BeforeAll
    static void start() throws Exception {
        app = MellonApp.start(dir);
        browser = Browser.start(app.stack.server().serverCaCertificate());
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable b = browser; AutoCloseable a = app) {
            // closes both
        }
    }

    static void signIn(Page page) {
        assertThat(page.url()).contains("://login.localhost:").contains("/signin");
        page.fill("#upn", "alice@corp.example");
        page.fill("#password", MellonApp.PASSWORD);
        page.click("#signin");
    }

    @Test
    void spInitiatedTheServiceProvidersPageShowsTheUser() {
        Page page = browser.newPage();
        String whoami = app.hr + MellonBackend.WHOAMI;
        page.navigate(whoami);
        signIn(page);
        page.waitForURL(whoami);
        String shown = page.textContent("body");
        assertThat(shown).contains("REMOTE_USER=alice@corp.example", "MELLON_email=alice.martin@corp.example",
                "MELLON_displayName=Alice Martin", "MELLON_department=Finance");
        Browser.screenshot(page, "saml-sp-initiated");
    }

    @Test
    void idpInitiatedFromMyAppsTheServiceProvidersPageShowsTheUser() {
        Page page = browser.newPage();
        page.navigate(app.login());
        signIn(page);
        page.waitForURL(app.login());
        page.click("#apps a:has-text('HR SAML')");
        page.waitForURL(app.hr + MellonBackend.WHOAMI);
        assertThat(page.textContent("body")).contains("REMOTE_USER=alice@corp.example", "MELLON_department=Finance");
        Browser.screenshot(page, "saml-idp-initiated");
    }
}
