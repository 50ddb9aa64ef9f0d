package dev.drawbridge.systemtests.browser;

import com.google.gson.JsonObject;
import com.microsoft.playwright.CDPSession;
import com.microsoft.playwright.Page;
import dev.drawbridge.adminclient.Apps;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real Chromium over HTTP/2 on the public listener (ALPN h2): the sign-in page, the app's page and its subresources
 * (stylesheet, script, image) all come over h2, as the browser's Performance API reports ({@code nextHopProtocol}).
 * A WebSocket from that page works and goes over HTTP/1.1: the listener does not offer extended CONNECT (RFC 8441,
 * {@code PublicHttp2}), so Chromium opens it on a connection of its own with an HTTP/1.1 upgrade (101), where the
 * chain's WebSocket checks apply, carrying the app session's cookie like any request.
 */
class BrowserHttp2Test {
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
        Apps apps = stack.adminApi().apps();
        String hrId = apps.create(new AppSpec("HR", hr, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS)).id();
        stack.startConnector(dir.resolve("c"), 1);
        stack.createUser("alice@corp.example", "Alice Martin", PASSWORD);
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

    private static String navigationProtocol(Page page) {
        return (String) page.evaluate("performance.getEntriesByType('navigation')[0].nextHopProtocol");
    }

    @Test
    @SuppressWarnings("unchecked")
    void signInAPageWithSubresourcesAndAWebSocketOverHttp2() throws Exception {
        Page page = browser.newPage();
        page.navigate(hr + "styled");
        assertThat(page.url()).contains("://login.localhost:").contains("/signin?app=");
        assertThat(navigationProtocol(page)).as("the sign-in page").isEqualTo("h2");
        page.fill("#upn", "alice@corp.example");
        page.fill("#password", PASSWORD);
        page.click("#signin");
        page.waitForLoadState();

        assertThat(page.url()).isEqualTo(hr + "styled");
        assertThat(navigationProtocol(page)).as("the app's page").isEqualTo("h2");
        // The subresources loaded and did their part: the script ran, the stylesheet applied, the image decoded.
        assertThat(page.getAttribute("body", "data-script")).isEqualTo("ran");
        assertThat(page.evaluate("getComputedStyle(document.querySelector('h1')).color")).isEqualTo("rgb(0, 128, 0)");
        assertThat(page.evaluate("document.getElementById('logo').naturalWidth")).isEqualTo(40);
        List<Map<String, Object>> resources = (List<Map<String, Object>>) page.evaluate(
                "performance.getEntriesByType('resource').map(e => ({name: e.name, protocol: e.nextHopProtocol}))");
        assertThat(resources).extracting(r -> r.get("name")).contains(hr + "assets/sample.css", hr + "assets/sample.js",
                hr + "assets/logo.svg");
        assertThat(resources).allSatisfy(r -> assertThat(r.get("protocol")).as(String.valueOf(r.get("name"))).isEqualTo("h2"));

        // The WebSocket: its handshake as Chromium's network stack saw it.
        CDPSession cdp = page.context().newCDPSession(page);
        CompletableFuture<JsonObject> handshake = new CompletableFuture<>();
        cdp.on("Network.webSocketHandshakeResponseReceived", e -> handshake.complete(e.getAsJsonObject("response")));
        cdp.send("Network.enable");
        Object echoed = page.evaluate("""
                () => new Promise((resolve, reject) => {
                  const url = new URL('ws', location.href);
                  url.protocol = 'wss:';
                  const ws = new WebSocket(url.href);
                  ws.onopen = () => ws.send('hello over h1');
                  ws.onmessage = e => { resolve(e.data); ws.close(); };
                  ws.onerror = () => reject(new Error('WebSocket error'));
                })""");
        assertThat(echoed).isEqualTo("hello over h1");
        JsonObject response = handshake.get(20, TimeUnit.SECONDS);
        assertThat(response.get("status").getAsInt()).as("an HTTP/1.1 upgrade (extended CONNECT would answer 200)").isEqualTo(101);
        Browser.screenshot(page, "http2-styled-page");
    }
}
