package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.testsupport.sample.LinkedApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Link translation in a real headless Chromium: on Benefits' page (translation on), clicking the hard-coded links to
 * Expenses and Travel lands on their external URLs through Drawbridge, a {@code meta refresh} goes to the external URL
 * too, and the link to the unpublished Feedback keeps its internal URL.
 */
class BrowserLinkTranslationTest {
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static Browser browser;
    static final Map<String, LinkedApp> APPS = new LinkedHashMap<>();
    static final Map<String, URI> INTERNAL = new LinkedHashMap<>();
    static final Map<String, String> EXTERNAL = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        for (String n : new String[]{"Benefits", "Expenses", "Travel", "Feedback"}) {
            LinkedApp app = LinkedApp.start(n);
            APPS.put(n, app);
            INTERNAL.put(n, app.baseUri());
        }
        APPS.values().forEach(a -> a.linkTo(INTERNAL));
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        for (String n : new String[]{"Benefits", "Expenses", "Travel"}) {
            EXTERNAL.put(n, stack.publish(n, n.toLowerCase(), INTERNAL.get(n)));
        }
        stack.startConnector(dir.resolve("connector"), 1);
        AdminApi api = stack.adminApi();
        AppView b = api.apps().list(Paging.LARGEST).items().stream().filter(a -> a.name().equals("Benefits")).findFirst().orElseThrow();
        api.apps().replace(b.id(), new AppSpec(b.name(), b.externalUrl(), b.internalUrl(), b.connectorGroupId(), b.backendTimeout(),
                b.translateHostHeader(), b.preAuthentication(), b.access(), b.caseInsensitivePaths(), true));
        browser = Browser.start(stack.server().serverCaCertificate());
    }

    @AfterAll
    @SuppressWarnings("try") // the resources are only there to be closed
    static void stop() throws Exception {
        try (AutoCloseable b = browser; AutoCloseable s = stack) {
            for (LinkedApp a : APPS.values()) {
                a.close();
            }
        }
    }

    @Test
    void clickingATranslatedLinkLandsOnThePublishedAppsExternalUrl() {
        for (String target : new String[]{"Expenses", "Travel"}) {
            Page page = browser.newPage();
            page.navigate(EXTERNAL.get("Benefits"));
            assertThat(page.locator("h1").textContent()).isEqualTo("Benefits");
            page.locator("#to-" + target).click();
            page.waitForURL(EXTERNAL.get(target) + "page");
            assertThat(page.url()).isEqualTo(EXTERNAL.get(target) + "page");
            assertThat(page.locator("body").textContent()).isEqualTo("This is " + target);
            if (target.equals("Expenses")) {
                Browser.screenshot(page, "link-translation-landed");
            }
            page.close();
        }
    }

    @Test
    void theUnpublishedAppKeepsItsInternalLinkAndAMetaRefreshGoesOutside() {
        Page page = browser.newPage();
        page.navigate(EXTERNAL.get("Benefits"));
        assertThat(page.locator("#to-Feedback").getAttribute("href")).isEqualTo(INTERNAL.get("Feedback") + "page");
        assertThat(page.locator("#to-Benefits").getAttribute("href")).isEqualTo(EXTERNAL.get("Benefits") + "page");
        page.navigate(EXTERNAL.get("Benefits") + "refresh");
        page.waitForURL(EXTERNAL.get("Benefits") + "page");
        assertThat(page.locator("body").textContent()).isEqualTo("This is Benefits");
        page.close();
    }
}
