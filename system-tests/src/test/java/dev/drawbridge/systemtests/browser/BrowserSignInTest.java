package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import com.microsoft.playwright.options.Cookie;
import dev.drawbridge.adminclient.AccessRequests;
import dev.drawbridge.adminclient.Apps;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.model.api.AccessRequestView;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.signin.Cookies;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Sign-in in real Chromium: an app in DIRECTORY mode sends the browser to the sign-in host, the
 * user signs in, lands back where she started with the app's cookie set as configured (HttpOnly,
 * Secure, session-only or persistent), the app sees her identity; an unassigned user gets the 403
 * page; signing out ends every app's session.
 */
class BrowserSignInTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static Browser browser;
    static String hr;
    static String wiki;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        hr = stack.externalUrl("hr");
        wiki = stack.externalUrl("wiki");
        Apps apps = stack.adminApi().apps();
        String hrId = apps.create(new AppSpec("HR", hr, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS)).id();
        // The wiki's cookie is persistent and readable by scripts; it needs no assignment.
        apps.create(new AppSpec("Wiki", wiki, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, false, true, true)));
        stack.startConnector(dir.resolve("c"), 1);
        stack.createUser("alice@corp.example", "Alice Martin", PASSWORD);
        stack.createUser("bob@corp.example", "Bob", PASSWORD);
        apps.assign(hrId, new AssignmentBody("USER", "alice@corp.example"));
        browser = Browser.start(stack.server().serverCaCertificate());
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable a = app; AutoCloseable s = stack; AutoCloseable b = browser) {
            // closes all three
        }
    }

    static void signIn(Page page, String upn) {
        assertThat(page.url()).contains("://login.localhost:").contains("/signin?app=");
        page.fill("#upn", upn);
        page.fill("#password", PASSWORD);
        page.click("#signin");
        page.waitForLoadState();
    }

    static Cookie appCookie(Page page, String url) {
        return page.context().cookies(url).stream().filter(c -> c.name.startsWith(Cookies.APP_PREFIX)).findFirst().orElseThrow();
    }

    @Test
    void signInAndComeBackWithTheConfiguredCookie() {
        Page page = browser.newPage();
        page.navigate(hr + "page2");
        signIn(page, "alice@corp.example");
        assertThat(page.url()).isEqualTo(hr + "page2");
        assertThat(page.content()).contains("Page 2");
        Browser.screenshot(page, "signed-in-app");
        Cookie c = appCookie(page, hr);
        assertThat(c.httpOnly).isTrue();
        assertThat(c.secure).isTrue();
        assertThat(c.expires).as("session cookie").isEqualTo(-1.0);
        // Scripts cannot read an HttpOnly cookie.
        assertThat((String) page.evaluate("document.cookie")).doesNotContain("drawbridge_app");
        // The app received who the user is.
        page.navigate(hr + "headers");
        assertThat(page.content()).contains("\"x-drawbridge-user\":[\"alice@corp.example\"]");

        // Already signed in on the sign-in host: another app needs no second password.
        page.navigate(wiki);
        assertThat(page.url()).isEqualTo(wiki);
        Cookie w = appCookie(page, wiki);
        assertThat(w.httpOnly).isFalse();
        assertThat(w.expires).as("persistent cookie").isGreaterThan(System.currentTimeMillis() / 1000.0);
        assertThat(w.domain).isEqualTo("wiki.localhost");
    }

    @Test
    void unassignedUserSeesTheForbiddenPage() {
        Page page = browser.newPage();
        page.navigate(hr);
        signIn(page, "bob@corp.example");
        assertThat(page.url()).isEqualTo(hr);
        assertThat(page.title()).startsWith("You don't have access to HR");
        Browser.screenshot(page, "forbidden");
    }

    @Test
    void signingOutEndsEveryAppSession() {
        Page page = browser.newPage();
        page.navigate(wiki);
        signIn(page, "alice@corp.example");
        assertThat(page.url()).isEqualTo(wiki);
        page.navigate(stack.externalUrl("login") + "signout");
        page.click("#signout");
        page.waitForLoadState();
        assertThat(page.content()).contains("You are signed out");
        page.navigate(wiki + "page2");
        assertThat(page.url()).contains("://login.localhost:").contains("/signin?app=");
    }

    @Test
    void anUnassignedUserRequestsAccessAndGetsItOnceApproved() throws Exception {
        Page page = browser.newPage();
        page.navigate(hr + "page2");
        if (page.url().contains("/signin")) {
            signIn(page, "bob@corp.example");
        }
        assertThat(page.title()).startsWith("You don't have access to HR");
        page.click("#action");
        page.waitForLoadState();
        assertThat(page.title()).startsWith("Request access to HR");
        page.fill("#reason", "I run the quarterly review");
        page.click("#send");
        page.waitForLoadState();
        assertThat(page.content()).contains("is waiting for an administrator");
        page.navigate(stack.externalUrl("login"));
        assertThat(page.locator("#requestable").textContent()).contains("HR").contains("request pending since");

        List<AccessRequestView> pending = stack.adminApi().accessRequests().list(new AccessRequests.Filter(AccessRequestStatus.PENDING));
        assertThat(pending).hasSize(1);
        assertThat(pending.get(0).upn()).isEqualTo("bob@corp.example");
        assertThat(pending.get(0).reason()).isEqualTo("I run the quarterly review");
        String id = pending.get(0).id();
        assertThat(stack.adminApi().accessRequests().approve(id).status()).isEqualTo(AccessRequestStatus.APPROVED);
        // A decided request cannot be decided again: the API's answer is the point here.
        assertThat(stack.api("POST", "access-requests/" + id + "/deny", Map.of()).status()).isEqualTo(409);

        page.navigate(hr + "page2");
        assertThat(page.url()).isEqualTo(hr + "page2");
        assertThat(page.content()).contains("Page 2");
        page.navigate(stack.externalUrl("login"));
        assertThat(page.locator("#apps").textContent()).contains("HR");
        stack.adminApi().apps().unassign(hrId(), "USER", pending.get(0).userId());
    }

    @Test
    void theAppOwnerApprovesARequestInTheBrowser() throws Exception {
        String hrId = hrId();
        stack.createUser("carol@corp.example", "Carol", PASSWORD);
        stack.adminApi().apps().addOwner(hrId, new MemberBody("alice@corp.example"));

        Page carol = browser.newPage();
        carol.navigate(hr);
        signIn(carol, "carol@corp.example");
        carol.click("#action");
        carol.waitForLoadState();
        carol.fill("#reason", "new in HR");
        carol.click("#send");
        carol.waitForLoadState();

        Page alice = browser.newPage();
        alice.navigate(stack.externalUrl("login"));
        alice.fill("#upn", "alice@corp.example");
        alice.fill("#password", PASSWORD);
        alice.click("#signin");
        alice.waitForLoadState();
        assertThat(alice.textContent("#review")).contains("(1)");
        alice.click("#review");
        alice.waitForLoadState();
        assertThat(alice.content()).contains("carol@corp.example").contains("new in HR");
        Browser.screenshot(alice, "owner-review");
        alice.click(".approve");
        alice.waitForLoadState();
        assertThat(alice.content()).contains("No requests are waiting for you.");

        carol.navigate(hr + "page2");
        assertThat(carol.url()).isEqualTo(hr + "page2");
        assertThat(stack.adminApi().logs().audit(Paging.DEFAULT, new Logs.AuditFilter(null, "access-request.approve", null, null, null, null))
                .items().get(0).actor()).isEqualTo("alice@corp.example");
    }

    static String hrId() throws Exception {
        return stack.adminApi().apps().list(Paging.LARGEST, new Apps.Filter("HR")).items().stream()
                .filter(a -> a.name().equals("HR")).findFirst().orElseThrow().id();
    }
}
