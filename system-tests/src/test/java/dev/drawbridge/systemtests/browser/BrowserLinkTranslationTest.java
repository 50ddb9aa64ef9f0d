package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import dev.drawbridge.testsupport.sample.LinkedApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.LinkTranslationExample;
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
    static LinkTranslationExample example;
    static final Map<String, LinkedApp> APPS = new LinkedHashMap<>();
    static final Map<String, URI> INTERNAL = new LinkedHashMap<>();
    static final Map<String, String> EXTERNAL = new LinkedHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        example = LinkTranslationExample.start();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        example.publish(stack);
        for (String n : LinkTranslationExample.NAMES) {
            APPS.put(n, example.app(n));
            INTERNAL.put(n, example.internal(n));
        }
        EXTERNAL.putAll(example.external());
        stack.startConnector(dir.resolve("connector"), 1);
        // Benefits translates its pages, and its scripts too (a link set by an inline script).
        LinkTranslationExample.translate(stack, "Benefits", true, true);
        browser = Browser.start(stack.server().serverCaCertificate());
    }

    @AfterAll
    @SuppressWarnings("try") // the resources are only there to be closed
    static void stop() throws Exception {
        try (AutoCloseable e = example; AutoCloseable b = browser; AutoCloseable s = stack) {
            assertThat(e).isNotNull();
        }
    }

    @Test
    void clickingALinkSetByAnInlineScriptLandsOnThePublishedAppsExternalUrl() {
        Page page = browser.newPage();
        page.navigate(EXTERNAL.get("Benefits") + "scripted");
        page.locator("#script-to-Expenses").click();
        page.waitForURL(EXTERNAL.get("Expenses") + "page");
        assertThat(page.locator("body").textContent()).isEqualTo("This is Expenses");
        page.navigate(EXTERNAL.get("Benefits") + "scripted");
        assertThat(page.locator("#script-to-Feedback").getAttribute("href")).isEqualTo(INTERNAL.get("Feedback") + "page");
        page.close();
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
