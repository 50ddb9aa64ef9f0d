package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two-step verification in Chromium: enrollment from My Apps (QR code and key shown, confirmed with
 * a code the test computes from the key), then a sign-in that asks for the code, refuses a code
 * already used, and accepts a one-time recovery code.
 */
class BrowserMfaTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static Browser browser;
    static String hr;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        hr = stack.externalUrl("hr");
        stack.adminApi().apps().create(new AppSpec("HR", hr, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false)));
        stack.startConnector(dir.resolve("c"), 1);
        stack.createUser("dana@corp.example", "Dana", PASSWORD);
        browser = Browser.start(stack.server().serverCaCertificate());
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable a = app; AutoCloseable s = stack; AutoCloseable b = browser) {
            // closes all three
        }
    }

    static String totp(String secret, long step) throws Exception {
        return new DefaultCodeGenerator().generate(secret, step);
    }

    static void password(Page page) {
        page.fill("#upn", "dana@corp.example");
        page.fill("#password", PASSWORD);
        page.click("#signin");
        page.waitForLoadState();
    }

    static void signOut(Page page) {
        page.navigate(stack.externalUrl("login") + "signout");
        page.click("#signout");
        page.waitForLoadState();
    }

    @Test
    void enrollThenSignInWithACodeAndThenWithARecoveryCode() throws Exception {
        Page page = browser.newPage();
        page.navigate(stack.externalUrl("login") + "signin");
        password(page);
        assertThat(page.title()).startsWith("My Apps");
        page.click("#enroll");
        page.waitForLoadState();
        assertThat(page.locator("#qr").getAttribute("src")).startsWith("data:image/png;base64,");
        assertThat((Boolean) page.evaluate("document.getElementById('qr').naturalWidth > 0")).as("QR image rendered").isTrue();
        Browser.screenshot(page, "mfa-enroll");
        String secret = page.textContent("#secret").strip();
        // Absolute steps, so a 30 s boundary passing during the test changes nothing.
        long step = Instant.now().getEpochSecond() / 30;
        page.fill("#code", totp(secret, step));
        page.click("#confirm");
        page.waitForLoadState();
        List<String> recovery = page.locator("#recovery code").allTextContents();
        assertThat(recovery).hasSize(10);
        signOut(page);

        // Password alone no longer reaches the app.
        page.navigate(hr + "headers");
        password(page);
        assertThat(page.title()).startsWith("Two-step verification");
        // The code used for enrollment is spent; the next step's code (skew tolerance) works.
        page.fill("#code", totp(secret, step));
        page.click("#verify");
        page.waitForLoadState();
        assertThat(page.content()).contains("That code is not valid");
        page.fill("#code", totp(secret, step + 1));
        page.click("#verify");
        page.waitForLoadState();
        assertThat(page.url()).isEqualTo(hr + "headers");
        assertThat(page.content()).contains("dana@corp.example");
        signOut(page);

        page.navigate(hr);
        password(page);
        page.fill("#code", recovery.get(0));
        page.click("#verify");
        page.waitForLoadState();
        assertThat(page.url()).isEqualTo(hr);
        signOut(page);

        page.navigate(hr);
        password(page);
        page.fill("#code", recovery.get(0));
        page.click("#verify");
        page.waitForLoadState();
        assertThat(page.content()).contains("That code is not valid");
    }
}
