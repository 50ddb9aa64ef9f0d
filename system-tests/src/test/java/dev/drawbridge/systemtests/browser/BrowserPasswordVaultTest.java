package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.systemtests.sso.AppSso;
import dev.drawbridge.testsupport.sample.BasicAuthBackend;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Password vaulting in real Chromium against Apache httpd with mod_auth_basic: the user opens an app that signs in
 * with HTTP Basic, signs in to Drawbridge, is asked once in My Apps for the app's user name and password, stores them
 * and lands on the page they asked for, signed in to the app as themselves, with no browser password prompt at any
 * point; My Apps lists the app with the user name, never the password.
 */
class BrowserPasswordVaultTest {
    static final String PASSWORD = "correct horse battery staple";
    static final String BACKEND_PASSWORD = "Grüße aus dem Tresor €1";
    @TempDir
    static Path dir;
    static BasicAuthBackend backend;
    static DrawbridgeStack stack;
    static Browser browser;
    static String app;
    static String appId;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> missing = BasicAuthBackend.unavailable();
        if (missing.isPresent() && BasicAuthBackend.mustRun()) {
            fail(missing.get() + " (DRAWBRIDGE_REQUIRE_SSO_SERVERS=1)");
        }
        assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElseThrow());
        backend = BasicAuthBackend.start(Map.of("alice", BACKEND_PASSWORD));
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        app = stack.externalUrl("vault");
        appId = stack.adminApi().apps().create(new AppSpec("Team Wiki", app, backend.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false))).id();
        AppSso.set(stack, appId, SsoSettings.basic(BasicSso.USER));
        stack.createUser("alice@corp.example", "Alice", PASSWORD);
        stack.createUser("probe@corp.example", "Probe", PASSWORD);
        stack.startConnector(dir.resolve("connector"), 1);
        AppSso.await(stack, app + "public/", "probe@corp.example", PASSWORD,
                probe -> SignInForms.open(probe, app + "whoami").getRequest().getURI().getPath().startsWith("/passwords/"));
        browser = Browser.start(stack.server().serverCaCertificate());
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable b = browser; AutoCloseable s = stack; AutoCloseable a = backend) {
            // closes all three
        }
    }

    @Test
    void theUserStoresTheAppsPasswordOnceAndLandsInTheAppSignedIn() {
        Page page = browser.newPage();
        page.onDialog(d -> fail("a browser dialog appeared: " + d.message()));
        page.navigate(app + "whoami?tab=recent");
        assertThat(page.url()).contains("://login.localhost:").contains("/signin?app=");
        page.fill("#upn", "alice@corp.example");
        page.fill("#password", PASSWORD);
        page.click("#signin");
        page.waitForURL("**/passwords/" + appId + "?return=**");
        assertThat(page.title()).startsWith("Password for Team Wiki");
        assertThat(page.inputValue("#password")).isEmpty();
        Browser.screenshot(page, "password-vault-store");

        page.fill("#username", "alice");
        page.fill("#password", BACKEND_PASSWORD);
        page.click("#store");
        page.waitForURL(app + "whoami?tab=recent");
        assertThat(page.textContent("#user")).isEqualTo("alice");
        assertThat(page.textContent("#auth")).isEqualTo("Basic");
        Browser.screenshot(page, "password-vault-signed-in");

        // Every later page goes straight in.
        page.navigate(app + "whoami?again=1");
        assertThat(page.textContent("#user")).isEqualTo("alice");

        // My Apps lists it with the user name, never the password.
        page.navigate(stack.externalUrl("login"));
        page.click("#passwords");
        page.waitForURL("**/passwords");
        assertThat(page.textContent("#passwords")).contains("Team Wiki").contains("alice");
        assertThat(page.content()).doesNotContain(BACKEND_PASSWORD);
    }
}
