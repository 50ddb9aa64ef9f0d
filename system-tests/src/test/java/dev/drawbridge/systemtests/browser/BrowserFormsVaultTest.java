package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.testsupport.sample.FormsLoginBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password vaulting for login forms in real Chromium against a backend with its own login form, session cookie and CSRF
 * field: the user opens the app, signs in to Drawbridge, stores the app's user name and password once in My Apps and
 * lands on the page they asked for signed in to the backend as themselves; the browser never loads the backend's login
 * form, and later pages go straight in on the backend's own session.
 */
class BrowserFormsVaultTest {
    static final String BACKEND_PASSWORD = "Grüße & <Formulare> €1";
    @TempDir
    static Path dir;
    static FormsLoginBackend backend;
    static PasswordVaultFlow flow;

    @BeforeAll
    static void start() throws Exception {
        backend = FormsLoginBackend.start().user("alice", BACKEND_PASSWORD);
        flow = PasswordVaultFlow.start(dir, backend, backend.url(), "Intranet", "intranet",
                SsoSettings.forms(new FormsSso("/login", "user", "pass", null)), "public", "docs");
    }

    @AfterAll
    static void stop() throws Exception {
        if (flow != null) {
            flow.close();
        }
    }

    @Test
    void theUserStoresTheAppsPasswordOnceAndLandsOnTheBackendsPageSignedIn() {
        String app = flow.app;
        Page page = flow.newPage();
        List<String> visited = new CopyOnWriteArrayList<>();
        page.onFrameNavigated(f -> visited.add(f.url()));
        flow.signInToStorePassword(page, "docs/handbook?chapter=2");

        flow.storePassword(page, "alice", BACKEND_PASSWORD, "docs/handbook?chapter=2");
        assertThat(page.textContent("h1")).isEqualTo("Signed in as alice");
        assertThat(page.textContent("#path")).isEqualTo("/docs/handbook");
        assertThat(page.content()).doesNotContain(BACKEND_PASSWORD);
        Browser.screenshot(page, "forms-vault-signed-in");
        // The backend's login form never reached the browser.
        assertThat(visited).noneMatch(u -> u.startsWith(app + "login"));
        assertThat(page.context().cookies(app)).anyMatch(c -> c.name.equals(FormsLoginBackend.COOKIE));
        int posts = backend.posts();

        // Every later page goes straight in, on the backend's own session.
        page.navigate(app + "reports");
        assertThat(page.textContent("h1")).isEqualTo("Signed in as alice");
        assertThat(backend.posts()).isEqualTo(posts);
    }
}
