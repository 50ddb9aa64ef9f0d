package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.systemtests.sso.AppSso;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;

import java.net.URI;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the browser tests of password vaulting (Basic and forms) share: a stack with one pre-authenticated app whose
 * backend signs users in with a password, {@value #ALICE} and a probe user, a connector, and Chromium; and the user's
 * steps: open the app, sign in to Drawbridge, land on My Apps' page for the app's password, store it, land on the page
 * asked for.
 */
final class PasswordVaultFlow implements AutoCloseable {
    static final String ALICE = "alice@corp.example";
    /** Alice's (and the probe's) Drawbridge password. */
    static final String PASSWORD = "correct horse battery staple";

    final DrawbridgeStack stack;
    final Browser browser;
    /** The app's external URL. */
    final String app;
    final String appId;
    final String name;
    private final AutoCloseable backend;

    private PasswordVaultFlow(AutoCloseable backend, DrawbridgeStack stack, Browser browser, String app, String appId, String name) {
        this.backend = backend;
        this.stack = stack;
        this.browser = browser;
        this.app = app;
        this.appId = appId;
        this.name = name;
    }

    /**
     * Publishes {@code backendUrl} as {@code name} at {@code label}.localhost with {@code sso}, and returns once the
     * server applies it: the probe user, signed in through {@code publicPath} (a backend page that needs no password),
     * is sent to My Apps for the app's password when it opens {@code privatePath}. The flow owns {@code backend} (the
     * server at {@code backendUrl}) and closes it, also when it cannot start.
     */
    @SuppressWarnings("try")
    static PasswordVaultFlow start(Path dir, AutoCloseable backend, URI backendUrl, String name, String label, SsoSettings sso,
                                   String publicPath, String privatePath) throws Exception {
        DrawbridgeStack stack = null;
        try {
            stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
            String app = stack.externalUrl(label);
            String appId = stack.adminApi().apps().create(new AppSpec(name, app, backendUrl.toString(), null, null, null,
                    PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false))).id();
            AppSso.set(stack, appId, sso);
            stack.createUser(ALICE, "Alice", PASSWORD);
            stack.createUser("probe@corp.example", "Probe", PASSWORD);
            stack.startConnector(dir.resolve("connector"), 1);
            AppSso.await(stack, app + publicPath, "probe@corp.example", PASSWORD,
                    probe -> SignInForms.open(probe, app + privatePath).getRequest().getURI().getPath().startsWith("/passwords/"));
            return new PasswordVaultFlow(backend, stack, Browser.start(stack.server().serverCaCertificate()), app, appId, name);
        } catch (Exception | AssertionError e) {
            try (AutoCloseable b = backend; AutoCloseable s = stack) {
                throw e;
            }
        }
    }

    /** A new page, in a context of its own, that fails the test on any browser dialog (such as a password prompt). */
    Page newPage() {
        Page page = browser.newPage();
        page.onDialog(d -> fail("a browser dialog appeared: " + d.message()));
        return page;
    }

    /**
     * Opens {@code path} of the app on {@code page}, signs in to Drawbridge as {@value #ALICE} and waits to be sent to
     * My Apps' page for the app's password.
     */
    void signInToStorePassword(Page page, String path) {
        page.navigate(app + path);
        assertThat(page.url()).contains("://login.localhost:").contains("/signin?app=");
        page.fill("#upn", ALICE);
        page.fill("#password", PASSWORD);
        page.click("#signin");
        page.waitForURL("**/passwords/" + appId + "?return=**");
        assertThat(page.title()).startsWith("Password for " + name);
    }

    /** Stores the app's {@code username} and {@code password} on My Apps' page and waits to land on {@code path} of the app. */
    void storePassword(Page page, String username, String password, String path) {
        page.fill("#username", username);
        page.fill("#password", password);
        page.click("#store");
        page.waitForURL(app + path);
    }

    @Override
    @SuppressWarnings("try")
    public void close() throws Exception {
        try (AutoCloseable b = backend; AutoCloseable s = stack; AutoCloseable c = browser) {
            // closes all three, the browser first
        }
    }
}
