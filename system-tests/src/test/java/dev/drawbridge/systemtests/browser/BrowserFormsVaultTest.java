package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.systemtests.sso.AppSso;
import dev.drawbridge.testsupport.sample.FormsLoginBackend;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Password vaulting for login forms in real Chromium against a backend with its own login form, session cookie and CSRF
 * field: the user opens the app, signs in to Drawbridge, stores the app's user name and password once in My Apps and
 * lands on the page they asked for signed in to the backend as themselves; the browser never loads the backend's login
 * form, and later pages go straight in on the backend's own session.
 */
class BrowserFormsVaultTest {
    static final String PASSWORD = "correct horse battery staple";
    static final String BACKEND_PASSWORD = "Grüße & <Formulare> €1";
    @TempDir
    static Path dir;
    static FormsLoginBackend backend;
    static DrawbridgeStack stack;
    static Browser browser;
    static String app;
    static String appId;

    @BeforeAll
    static void start() throws Exception {
        backend = FormsLoginBackend.start().user("alice", BACKEND_PASSWORD);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        app = stack.externalUrl("intranet");
        appId = stack.adminApi().apps().create(new AppSpec("Intranet", app, backend.url().toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false))).id();
        AppSso.set(stack, appId, SsoSettings.forms(new FormsSso("/login", "user", "pass", null)));
        stack.createUser("alice@corp.example", "Alice", PASSWORD);
        stack.createUser("probe@corp.example", "Probe", PASSWORD);
        stack.startConnector(dir.resolve("connector"), 1);
        String login = stack.externalUrl("login");
        AppSso.await(stack, app + "public", "probe@corp.example", PASSWORD, probe -> String.valueOf(probe.newRequest(app + "docs")
                .headers(h -> h.put("Accept", "text/html")).send().getHeaders().get("Location")).startsWith(login + "passwords/"));
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
    void theUserStoresTheAppsPasswordOnceAndLandsOnTheBackendsPageSignedIn() {
        Page page = browser.newPage();
        page.onDialog(d -> fail("a browser dialog appeared: " + d.message()));
        List<String> visited = new CopyOnWriteArrayList<>();
        page.onFrameNavigated(f -> visited.add(f.url()));
        page.navigate(app + "docs/handbook?chapter=2");
        assertThat(page.url()).contains("://login.localhost:").contains("/signin?app=");
        page.fill("#upn", "alice@corp.example");
        page.fill("#password", PASSWORD);
        page.click("#signin");
        page.waitForURL("**/passwords/" + appId + "?return=**");
        assertThat(page.title()).startsWith("Password for Intranet");

        page.fill("#username", "alice");
        page.fill("#password", BACKEND_PASSWORD);
        page.click("#store");
        page.waitForURL(app + "docs/handbook?chapter=2");
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
