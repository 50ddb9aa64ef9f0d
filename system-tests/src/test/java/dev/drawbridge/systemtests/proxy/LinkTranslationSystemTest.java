package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.model.api.AppView;
import dev.drawbridge.testsupport.sample.LinkedApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.LinkTranslationExample;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.http.HttpHeader;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Link translation through the whole stack (server, connector, four internal apps, real TLS), on the example of Entra's
 * documentation: Benefits, Expenses and Travel are published, Feedback is not; only Benefits turns translation on. Its
 * pages then link to the external URLs of itself, Expenses and Travel, in every form, plain, gzip or deflate, in UTF-8
 * or ISO-8859-1, and even when the app's response is cut in the middle of a link; the link to Feedback stays as it was;
 * Expenses, which did not turn translation on, still shows its internal links; an image is never touched.
 */
class LinkTranslationSystemTest {
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static LinkTranslationExample example;

    @BeforeAll
    static void start() throws Exception {
        example = LinkTranslationExample.start();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        example.publish(stack);
        stack.startConnector(dir.resolve("connector"), 1);
        AppView benefits = LinkTranslationExample.find(stack, "Benefits").orElseThrow();
        assertThat(benefits.translateLinksInBody()).as("off by default").isFalse();
        assertThat(benefits.translateLinksInScripts()).as("off by default").isFalse();
        AppView on = LinkTranslationExample.translate(stack, "Benefits", true, false);
        assertThat(on.translateLinksInBody()).isTrue();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        example.close();
    }

    private static ContentResponse get(String url) throws Exception {
        return stack.http().newRequest(URI.create(url)).timeout(30, TimeUnit.SECONDS).send();
    }

    /** The page as Benefits wrote it, with the internal bases of the published apps replaced by their external ones. */
    private static String translated(String page) {
        String out = page;
        for (String n : new String[]{"Benefits", "Expenses", "Travel"}) {
            URI in = example.internal(n);
            out = out.replace(in.toString(), example.external(n)).replace("//" + in.getRawAuthority() + "/", example.external(n));
        }
        return out;
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"", "gzip", "deflate", "br"})
    void benefitsLinksToThePublishedAppsExternallyAndLeavesFeedbackAlone(String path) throws Exception {
        ContentResponse r = get(example.external("Benefits") + path);
        assertThat(r.getStatus()).isEqualTo(200);
        String page = example.app("Benefits").page();
        assertThat(r.getContentAsString()).isEqualTo(translated(page));
        assertThat(r.getContentAsString())
                .contains("<a id=\"to-Benefits\" href=\"" + example.external("Benefits") + "page\">")
                .contains("<a id=\"to-Expenses\" href=\"" + example.external("Expenses") + "page\">")
                .contains("<a id=\"to-Travel\" href=\"" + example.external("Travel") + "page\">")
                .contains("<a id=\"to-Feedback\" href=\"" + example.internal("Feedback") + "page\">")
                .contains("src=\"" + example.external("Travel") + "logo.png\"")
                .contains("@import \"" + example.external("Expenses") + "print.css\"");
        // Sent uncompressed, its new length unknown to the app: Content-Encoding and the app's Content-Length are gone.
        assertThat(r.getHeaders().get(HttpHeader.CONTENT_ENCODING)).isNull();
        assertThat(example.app("Benefits").lastAcceptEncoding()).doesNotContain("zstd");
    }

    /**
     * Scripts and JSON are translated only for an app that asked for them too: their string literals (a gzip script, JSON
     * with escaped slashes, an inline script), never their comments.
     */
    @Test
    void scriptsAndJsonOnlyForAnAppThatAskedForThem() throws Exception {
        String external = example.external("Travel");
        LinkedApp travel = example.app("Travel");
        assertThat(get(example.external("Benefits") + "app.js").getContentAsString()).isEqualTo(example.app("Benefits").script());
        assertThat(get(example.external("Benefits") + "data.json").getContentAsString()).isEqualTo(example.app("Benefits").json());
        LinkTranslationExample.translate(stack, "Travel", true, true);
        try {
            String js = get(external + "app.js").getContentAsString();
            assertThat(js).contains("links['Expenses'] = \"" + example.external("Expenses") + "page\"; // " + example.internal("Expenses") + "page")
                    .contains("links['Feedback'] = \"" + example.internal("Feedback") + "page\"");
            assertThat(get(external + "data.json").getContentAsString())
                    .contains("\"Benefits\":\"" + (example.external("Benefits") + "page").replace("/", "\\/") + "\"");
            assertThat(get(external + "scripted").getContentAsString()).contains("links['Travel'] = \"" + external + "page\"");
            assertThat(get(external).getContentAsString()).isEqualTo(translated(travel.page()));
        } finally {
            LinkTranslationExample.translate(stack, "Travel", false, false);
        }
    }

    @Test
    void stylesheetsLatin1PagesAndMetaRefreshAreTranslated() throws Exception {
        ContentResponse css = get(example.external("Benefits") + "style.css");
        assertThat(css.getContentAsString()).contains("@import url(" + example.external("Travel") + "theme.css);")
                .contains("url(\"" + example.external("Expenses") + "bg.png\")").contains("url(\"" + example.internal("Feedback") + "bg.png\")");
        ContentResponse latin1 = get(example.external("Benefits") + "latin1");
        assertThat(new String(latin1.getContent(), StandardCharsets.ISO_8859_1))
                .isEqualTo("<p>Caf\u00e9</p>" + translated(example.app("Benefits").page()));
        assertThat(get(example.external("Benefits") + "refresh").getContentAsString()).contains("url=" + example.external("Benefits") + "page");
    }

    @Test
    void aLinkCutBetweenTwoNetworkReadsIsStillTranslated() throws Exception {
        LinkedApp benefits = example.app("Benefits");
        InputStreamResponseListener listener = new InputStreamResponseListener();
        stack.http().newRequest(URI.create(example.external("Benefits") + "split")).timeout(30, TimeUnit.SECONDS).send(listener);
        Response response = listener.get(30, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        String head = benefits.splitHead();
        // Everything before the cut link arrives while the app waits; the link's start is held back.
        String before = translated(head.substring(0, head.lastIndexOf('"') + 1));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[4096];
        try (InputStream in = listener.getInputStream()) {
            while (!got.toString(StandardCharsets.UTF_8).equals(before)) {
                int n = in.read(buf);
                assertThat(n).as("the part before the cut link arrives before the rest is written").isPositive();
                got.write(buf, 0, n);
                assertThat(before).startsWith(got.toString(StandardCharsets.UTF_8));
            }
            benefits.releaseSplit();
            in.transferTo(got);
        }
        assertThat(got.toString(StandardCharsets.UTF_8)).isEqualTo(translated(benefits.page()));
    }

    @Test
    void a200MegabytePageIsTranslatedWithAFlatHeap() throws Exception {
        LinkedApp benefits = example.app("Benefits");
        byte[] line = translated(benefits.bigLine()).getBytes(StandardCharsets.UTF_8);
        long lines = 200L * 1024 * 1024 / benefits.bigLine().length();
        InputStreamResponseListener listener = new InputStreamResponseListener();
        long received = 0;
        boolean same = true;
        try (StreamingTest.HeapWatch watch = new StreamingTest.HeapWatch()) {
            stack.http().newRequest(URI.create(example.external("Benefits") + "big?lines=" + lines)).timeout(180, TimeUnit.SECONDS)
                    .send(listener);
            assertThat(listener.get(30, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
            byte[] buf = new byte[64 * 1024];
            try (InputStream in = listener.getInputStream()) {
                int n;
                while ((n = in.read(buf)) >= 0) {
                    for (int i = 0; i < n; i++) {
                        same &= buf[i] == line[(int) ((received + i) % line.length)];
                    }
                    received += n;
                }
            }
            watch.close();
            assertThat(watch.growth()).as("live heap growth while a 200 MB page is translated").isLessThan(64L * 1024 * 1024);
        }
        assertThat(received).isEqualTo(lines * line.length);
        assertThat(same).as("every line translated").isTrue();
    }

    @Test
    void expensesDidNotTurnTranslationOnAndKeepsItsInternalLinks() throws Exception {
        ContentResponse r = get(example.external("Expenses"));
        assertThat(r.getContentAsString()).isEqualTo(example.app("Expenses").page())
                .contains("<a id=\"to-Benefits\" href=\"" + example.internal("Benefits") + "page\">");
    }

    @Test
    void otherTypesAreNotTouched() throws Exception {
        ContentResponse png = get(example.external("Benefits") + "logo.png");
        assertThat(png.getContentAsString()).isEqualTo("PNG " + example.internal("Benefits"));
        assertThat(png.getHeaders().getLongField(HttpHeader.CONTENT_LENGTH)).isEqualTo(("PNG " + example.internal("Benefits")).length());
    }
}
