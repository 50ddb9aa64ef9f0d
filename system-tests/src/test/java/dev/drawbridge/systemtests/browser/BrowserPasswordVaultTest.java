package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.testsupport.sample.BasicAuthBackend;
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
    static final String BACKEND_PASSWORD = "Grüße aus dem Tresor €1";
    @TempDir
    static Path dir;
    static BasicAuthBackend backend;
    static PasswordVaultFlow flow;

    @BeforeAll
    static void start() throws Exception {
        Optional<String> missing = BasicAuthBackend.unavailable();
        if (missing.isPresent() && BasicAuthBackend.mustRun()) {
            fail(missing.get() + " (DRAWBRIDGE_REQUIRE_SSO_SERVERS=1)");
        }
        assumeTrue(missing.isEmpty(), () -> "skipped: " + missing.orElseThrow());
        backend = BasicAuthBackend.start(Map.of("alice", BACKEND_PASSWORD));
        flow = PasswordVaultFlow.start(dir, backend, backend.baseUri(), "Team Wiki", "vault", SsoSettings.basic(BasicSso.USER), "public/",
                "whoami");
    }

    @AfterAll
    static void stop() throws Exception {
        if (flow != null) {
            flow.close();
        }
    }

    @Test
    void theUserStoresTheAppsPasswordOnceAndLandsInTheAppSignedIn() {
        Page page = flow.newPage();
        flow.signInToStorePassword(page, "whoami?tab=recent");
        assertThat(page.inputValue("#password")).isEmpty();
        Browser.screenshot(page, "password-vault-store");

        flow.storePassword(page, "alice", BACKEND_PASSWORD, "whoami?tab=recent");
        assertThat(page.textContent("#user")).isEqualTo("alice");
        assertThat(page.textContent("#auth")).isEqualTo("Basic");
        Browser.screenshot(page, "password-vault-signed-in");

        // Every later page goes straight in.
        page.navigate(flow.app + "whoami?again=1");
        assertThat(page.textContent("#user")).isEqualTo("alice");

        // My Apps lists it with the user name, never the password.
        page.navigate(flow.stack.externalUrl("login"));
        page.click("#passwords");
        page.waitForURL("**/passwords");
        assertThat(page.textContent("#passwords")).contains("Team Wiki").contains("alice");
        assertThat(page.content()).doesNotContain(BACKEND_PASSWORD);
    }
}
