package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.PlaywrightException;
import com.microsoft.playwright.Response;
import com.microsoft.playwright.options.AriaRole;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.assertj.core.groups.Tuple;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Browser smoke test: a real headless Chromium, trusting only the proxy server's CA (no certificate error is
 * ignored), opens a published app through proxy server → tunnel → connector → sample app.
 */
class BrowserSmokeTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static Browser browser;
    static String external;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        external = stack.publish("Sample", "sample", app.baseUri());
        stack.startConnector(dir.resolve("c"), 1);
        browser = Browser.start(stack.server().serverCaCertificate());
    }

    @AfterAll
    @SuppressWarnings("try") // the resources are only there to be closed
    static void stop() throws Exception {
        try (AutoCloseable a = app; AutoCloseable s = stack; AutoCloseable b = browser) {
            // closes the browser, then the stack, then the app, even if one fails (null ones are skipped)
        }
    }

    @Test
    void publishedAppLoadsOverTrustedTls() {
        Page page = browser.newPage();
        Response r = page.navigate(external);
        // An untrusted certificate fails the navigation (net::ERR_CERT_...) or shows Chromium's error page.
        assertThat(r).isNotNull();
        assertThat(r.status()).isEqualTo(200);
        assertThat(page.title()).isEqualTo("Sample internal app");
        assertThat(page.url()).isEqualTo(external);
        var tls = r.securityDetails();
        assertThat(tls).isNotNull();
        assertThat(tls.subjectName).isEqualTo("sample.localhost");
        assertThat(tls.protocol).startsWith("TLS 1.");
        // Link translation is off unless the app turns it on: links are the app's absolute internal URLs.
        assertThat(page.getByRole(AriaRole.LINK, new Page.GetByRoleOptions().setName("Page 2").setExact(true))
                .getAttribute("href"))
                .isEqualTo(app.baseUri().resolve("page2").toString());
        Browser.screenshot(page, "browser-smoke-home");
    }

    @Test
    void secondPageLoadsThroughTheProxy() {
        Page page = browser.newPage();
        Response r = page.navigate(external + "page2");
        assertThat(r.status()).isEqualTo(200);
        assertThat(page.title()).isEqualTo("Sample internal app - page 2");
        assertThat(page.locator("h1").textContent()).isEqualTo("Page 2");
        assertThat(page.locator("body").textContent()).contains("The second page of the sample internal app.");
    }

    @Test
    void formIsFilledAndPostedByTheBrowser() {
        Page page = browser.newPage();
        page.navigate(external);
        page.locator("input[name=message]").fill("hello <browser>");
        // The form posts to the absolute INTERNAL URL, which a real remote browser cannot reach (this app does not turn
        // link translation on). Point it at the same path on the external origin, as link translation would, and
        // let Chromium encode and POST the form through the proxy.
        String action = (String) page.evaluate("() => document.querySelector('form').getAttribute('action')");
        assertThat(action).isEqualTo(app.baseUri().resolve("form").toString());
        page.evaluate("() => document.querySelector('form').action = new URL('/form', location.href).href");
        Response r = page.waitForResponse(external + "form", () -> page.locator("form button[type=submit]").first().click());
        page.waitForURL(external + "form");
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.request().method()).isEqualTo("POST");
        assertThat(page.url()).isEqualTo(external + "form");
        assertThat(page.locator("#result").textContent()).isEqualTo("You sent: hello <browser>");
    }

    @Test
    void webSocketEchoWorksFromThePage() {
        Page page = browser.newPage();
        page.navigate(external);
        String wsUrl = "wss://" + URI.create(external).getAuthority() + "/ws";
        Object echoed = page.evaluate("""
                url => new Promise((resolve, reject) => {
                  const ws = new WebSocket(url);
                  const timer = setTimeout(() => reject(new Error('no echo within 10 s')), 10000);
                  ws.onopen = () => ws.send('hi');
                  ws.onmessage = e => { clearTimeout(timer); ws.close(); resolve(e.data); };
                  ws.onerror = () => { clearTimeout(timer); reject(new Error('WebSocket error')); };
                })""", wsUrl);
        assertThat(echoed).isEqualTo("hi");
    }

    @Test
    void cookiesSetByTheAppAreKeptForTheExternalHost() {
        Page page = browser.newPage();
        Response r = page.navigate(external + "cookie");
        assertThat(r.status()).isEqualTo(200);
        assertThat(page.context().cookies(external)).extracting(c -> c.name, c -> c.value, c -> c.domain)
                .containsExactly(Tuple.tuple("session", "abc", "sample.localhost"));
        page.navigate(external + "cookie");
        assertThat(page.locator("body").textContent()).contains("Cookie: session=abc");
        // Each page has its own context: a new page starts without cookies.
        assertThat(browser.newPage().context().cookies()).isEmpty();
    }

    @Test
    void hostWithNoAppShowsTheProxy404Page() {
        Page page = browser.newPage();
        String nothing = stack.externalUrl("nothing");
        Response r = page.navigate(nothing);
        assertThat(r.status()).isEqualTo(404);
        assertThat(r.headerValue("x-drawbridge-generated")).isEqualTo("true");
        assertThat(page.title()).startsWith("No app here");
        assertThat(page.locator("h1").textContent()).isEqualTo("No app here");
        assertThat(page.locator("body").textContent()).contains("No application is published at https://nothing.localhost");
        Browser.screenshot(page, "browser-smoke-404");
    }

    /** Control: the trust above comes from the NSS database only; a browser trusting another CA refuses the site. */
    @Test
    void browserTrustingAnotherCaRefusesTheCertificate() throws Exception {
        var otherCa = CertificateAuthority.create("Unrelated test CA", Duration.ofDays(1), Clock.systemUTC());
        try (Browser other = Browser.start(otherCa.certificate())) {
            Page page = other.newPage();
            assertThatThrownBy(() -> page.navigate(external))
                    .isInstanceOf(PlaywrightException.class)
                    .hasMessageContaining("net::ERR_CERT_AUTHORITY_INVALID");
        }
    }
}
