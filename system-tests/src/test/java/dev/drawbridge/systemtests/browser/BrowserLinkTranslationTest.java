package dev.drawbridge.systemtests.browser;

import com.microsoft.playwright.Page;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.LinkTranslationExample;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

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

    @BeforeAll
    static void start() throws Exception {
        example = LinkTranslationExample.start();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        example.publish(stack);
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
        page.navigate(example.external("Benefits") + "scripted");
        page.locator("#script-to-Expenses").click();
        page.waitForURL(example.external("Expenses") + "page");
        assertThat(page.locator("body").textContent()).isEqualTo("This is Expenses");
        page.navigate(example.external("Benefits") + "scripted");
        assertThat(page.locator("#script-to-Feedback").getAttribute("href")).isEqualTo(example.internal("Feedback") + "page");
        page.close();
    }

    @Test
    void clickingATranslatedLinkLandsOnThePublishedAppsExternalUrl() {
        for (String target : new String[]{"Expenses", "Travel"}) {
            Page page = browser.newPage();
            page.navigate(example.external("Benefits"));
            assertThat(page.locator("h1").textContent()).isEqualTo("Benefits");
            page.locator("#to-" + target).click();
            page.waitForURL(example.external(target) + "page");
            assertThat(page.url()).isEqualTo(example.external(target) + "page");
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
        page.navigate(example.external("Benefits"));
        assertThat(page.locator("#to-Feedback").getAttribute("href")).isEqualTo(example.internal("Feedback") + "page");
        assertThat(page.locator("#to-Benefits").getAttribute("href")).isEqualTo(example.external("Benefits") + "page");
        page.navigate(example.external("Benefits") + "refresh");
        page.waitForURL(example.external("Benefits") + "page");
        assertThat(page.locator("body").textContent()).isEqualTo("This is Benefits");
        page.close();
    }
}
