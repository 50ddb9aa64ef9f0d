package dev.drawbridge.systemtests.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.SampleStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.BytesRequestContent;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.StringRequestContent;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * System test: client → proxy server (TLS) → tunnel → connector → sample app. Methods, headers,
 * statuses, exact paths and queries, forwarding headers, header rewriting, and every error page
 * the proxy generates (unknown host 404, no connector 502, backend refused 502, timeout 504).
 */
class ProxyRoundTripTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static SampleStack sample;
    static DrawbridgeStack stack;
    static String url;

    @BeforeAll
    static void start() throws Exception {
        sample = SampleStack.start(dir, DrawbridgeStack.Options.forTests(dir.resolve("server"))
                .withTimeouts(new ServerConfig.BackendTimeouts(Duration.ofSeconds(2), Duration.ofSeconds(4))), 2);
        app = sample.app();
        stack = sample.stack();
        url = sample.url();
    }

    @AfterAll
    static void stop() throws Exception {
        sample.close();
    }

    private static JsonNode json(ContentResponse r) throws Exception {
        return Json.MAPPER.readTree(r.getContent());
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET", "POST", "PUT", "DELETE", "PATCH"})
    void methodsHeadersAndBodiesArriveIntact(String method) throws Exception {
        var req = stack.http().newRequest(URI.create(url + "echo/item/42")).method(method).timeout(20, TimeUnit.SECONDS)
                .headers(h -> h.add("X-Custom", "one").add("X-Custom", "two").put("Accept-Language", "fr-CH"));
        if (!method.equals("GET") && !method.equals("DELETE")) {
            req.body(new StringRequestContent("text/plain", "body of " + method));
        }
        ContentResponse r = req.send();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getHeaders().get("X-Echo-Method")).isEqualTo(method);
        JsonNode echo = json(r);
        assertThat(echo.path("method").asText()).isEqualTo(method);
        assertThat(echo.path("headers").path("x-custom").toString()).isEqualTo("[\"one\",\"two\"]");
        assertThat(echo.path("headers").path("accept-language").get(0).asText()).isEqualTo("fr-CH");
        if (req.getBody() != null) {
            assertThat(echo.path("bodyLength").asLong()).isEqualTo(("body of " + method).length());
        }
    }

    @Test
    void encodedPathAndQueryArriveByteForByte() throws Exception {
        ContentResponse r = stack.http().newRequest(URI.create(url + "echo/a%20b/c%2Fd/%C3%A9?x=1%2B2&y&z=%26&x=2"))
                .timeout(20, TimeUnit.SECONDS).send();
        JsonNode echo = json(r);
        assertThat(echo.path("rawPath").asText()).isEqualTo("/echo/a%20b/c%2Fd/%C3%A9");
        assertThat(echo.path("rawQuery").asText()).isEqualTo("x=1%2B2&y&z=%26&x=2");
    }

    @ParameterizedTest
    @ValueSource(ints = {201, 204, 301, 400, 403, 404, 418, 500, 503})
    void statusCodesPassThrough(int status) throws Exception {
        ContentResponse r = stack.http().newRequest(URI.create(url + "echo/s?status=" + status)).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(status);
        assertThat(r.getHeaders().get("X-Drawbridge-Generated")).isNull();
    }

    @Test
    void forwardingHeadersAreAppendedAndIdentityHeadersStripped() throws Exception {
        ContentResponse r = stack.http().newRequest(URI.create(url + "echo/fwd")).timeout(20, TimeUnit.SECONDS)
                .headers(h -> h.put("X-Forwarded-For", "203.0.113.7").put("X-Drawbridge-User", "admin@corp")
                        .put("Connection", "X-Secret-Hop").put("X-Secret-Hop", "1"))
                .send();
        JsonNode headers = json(r).path("headers");
        assertThat(headers.path("x-forwarded-for").get(0).asText()).isEqualTo("203.0.113.7, 127.0.0.1");
        assertThat(headers.path("x-forwarded-proto").get(0).asText()).isEqualTo("https");
        assertThat(headers.path("x-forwarded-host").get(0).asText()).isEqualTo(URI.create(url).getAuthority());
        assertThat(headers.has("x-drawbridge-user")).isFalse();
        assertThat(headers.has("x-secret-hop")).isFalse();
        // translate-host-header is on by default: the app sees its own host.
        assertThat(headers.path("host").get(0).asText()).isEqualTo(app.baseUri().getAuthority());
    }

    @Test
    void locationAndCookieDomainAreRewrittenToTheExternalUrl() throws Exception {
        ContentResponse r = stack.http().newRequest(URI.create(url + "redirect")).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(302);
        assertThat(r.getHeaders().get("Location")).isEqualTo(url + "page2");
        assertThat(r.getHeaders().get("Set-Cookie")).contains("Domain=sample.localhost").doesNotContain("127.0.0.1");
        assertThat(r.getHeaders().getValuesList("Date")).hasSize(1);
    }

    @Test
    void formPostWorksThroughTheProxy() throws Exception {
        ContentResponse r = stack.http().newRequest(URI.create(url + "form")).method("POST").timeout(20, TimeUnit.SECONDS)
                .body(new StringRequestContent("application/x-www-form-urlencoded", "message=hello%20%3Cworld%3E")).send();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getContentAsString()).contains("You sent: hello &lt;world&gt;");
    }

    @Test
    void unknownHostGetsA404Page() throws Exception {
        ContentResponse r = stack.http().newRequest(URI.create(stack.externalUrl("nothing-here") + "x")).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(404);
        assertThat(r.getHeaders().get("X-Drawbridge-Generated")).isEqualTo("true");
        assertThat(r.getContentAsString()).contains("No application is published at");
    }

    @Test
    void appWhoseGroupHasNoConnectorGets502NamingAppAndGroup() throws Exception {
        stack.adminApi().connectorGroups().create(NameBody.named("Branch office"));
        stack.adminApi().apps().create(new AppSpec("Branch wiki", stack.externalUrl("wiki"), app.baseUri().toString(),
                "Branch office", null, null, null));
        ContentResponse r = stack.http().newRequest(URI.create(stack.externalUrl("wiki"))).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(502);
        assertThat(r.getContentAsString()).contains("Branch office").contains("Branch wiki");
    }

    @Test
    void refusedBackendGets502AndSlowBackendGets504() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        stack.publish("Dead", "dead", URI.create("http://127.0.0.1:" + closedPort + "/"));
        ContentResponse refused = stack.http().newRequest(URI.create(stack.externalUrl("dead"))).timeout(20, TimeUnit.SECONDS).send();
        assertThat(refused.getStatus()).isEqualTo(502);
        assertThat(refused.getContentAsString()).contains("could not connect");

        long t0 = System.nanoTime();
        ContentResponse slow = stack.http().newRequest(URI.create(url + "slow?ms=6000")).timeout(20, TimeUnit.SECONDS).send();
        assertThat(slow.getStatus()).isEqualTo(504);
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(5));
        // A request within the timeout still works.
        assertThat(stack.http().newRequest(URI.create(url + "slow?ms=200")).timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(200);
    }

    @Test
    void aHeadRequestGetsTheHeadersAndNoBody() throws Exception {
        ContentResponse r = stack.http().newRequest(URI.create(url + "download?size=1000")).method("HEAD")
                .timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getHeaders().get("Content-Length")).isEqualTo("1000");
        assertThat(r.getContent()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(ints = {4_000, 400_000})
    void anAppFailingMidBodyNeverLooksLikeACompleteAnswer(int size) throws Exception {
        String cut = url + "download?size=" + size + "&cutAfter=" + size / 4;
        ContentResponse r;
        try {
            r = stack.http().newRequest(URI.create(cut)).timeout(20, TimeUnit.SECONDS).send();
        } catch (ExecutionException e) {
            // A streamed answer already under way (200, headers and some bytes sent) is broken off.
            assertThat(size).as("a small answer travels whole or not at all").isGreaterThan(16 * 1024);
            r = null;
        }
        if (r != null) {
            // Nothing of the answer had reached the client: a 502 page says so (a small answer always ends here).
            assertThat(r.getStatus()).isEqualTo(502);
            assertThat(r.getContentAsString()).contains("did not give a complete answer").contains("mid-response");
        }
        Await.until("no stream left in flight", Duration.ofSeconds(10),
                () -> stack.server().registry().tunnels().stream().allMatch(t -> t.mux().activeStreams() == 0));
        // The tunnel is fine afterwards.
        assertThat(stack.http().newRequest(URI.create(url + "download?size=" + size)).timeout(20, TimeUnit.SECONDS).send()
                .getContent()).hasSize(size);
    }

    /**
     * An answer of unknown length that says Connection: close (the client asked, or the node drains: DrainHandler) could be
     * delimited by the connection's end alone, so a cut would look like a whole answer: it is chunked, and a cut shows
     * (or, when the app failed before the head was passed on, the proxy answers its own 502).
     */
    @Test
    void anAppFailingMidBodyOnAClosingConnectionNeverLooksLikeACompleteAnswer() throws Exception {
        int size = 400_000;
        String cut = url + "download?size=" + size + "&chunked=true&cutAfter=" + size / 4;
        ContentResponse r = null;
        try {
            r = stack.http().newRequest(URI.create(cut)).headers(h -> h.put("Connection", "close"))
                    .timeout(20, TimeUnit.SECONDS).send();
        } catch (ExecutionException broken) {
            // The answer under way is broken off, visibly.
        }
        if (r != null) {
            // Also honest: the app's failure reached the proxy before any of its answer had been committed to the
            // client (CI saw it under load), so the proxy answered its own 502 page instead. What must never arrive
            // is the app's own answer, complete-looking.
            assertThat(r.getStatus()).as("a cut answer arrived as a whole one: %s %s, %s bytes", r.getStatus(), r.getHeaders(),
                    r.getContent().length).isEqualTo(502);
            assertThat(r.getHeaders().get("X-Drawbridge-Generated")).as("the proxy's own error page").isEqualTo("true");
        }
        Await.until("no stream left in flight", Duration.ofSeconds(10),
                () -> stack.server().registry().tunnels().stream().allMatch(t -> t.mux().activeStreams() == 0));
    }

    @Test
    void anAnswerThatIgnoresALargeRequestBodyReleasesTheStream() throws Exception {
        byte[] body = new byte[8 * 1024 * 1024];
        try {
            ContentResponse r = stack.http().newRequest(URI.create(url + "no-such-endpoint")).method("POST")
                    .body(new BytesRequestContent("application/octet-stream", body))
                    .timeout(20, TimeUnit.SECONDS).send();
            assertThat(r.getStatus()).isEqualTo(404);
        } catch (ExecutionException e) {
            // Also legitimate HTTP: the answer came before the body was sent, and the connection closed under the client.
            assertThat(e).hasRootCauseInstanceOf(IOException.class);
        }
        Await.until("no stream left in flight", Duration.ofSeconds(10),
                () -> stack.server().registry().tunnels().stream().allMatch(t -> t.mux().activeStreams() == 0));
    }

    @Test
    void dotSegmentsAreRefused() throws Exception {
        ContentResponse r = stack.http().newRequest(URI.create(url + "echo/%2e%2e/%2e%2e/secret")).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(400);
        assertThat(r.getHeaders().get("X-Drawbridge-Generated")).isEqualTo("true");
    }
}
