package dev.drawbridge.testsupport.sample;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exercises {@link SampleApp} over real sockets with {@link java.net.http.HttpClient}: raw paths and queries in
 * {@code /echo}, the download pattern, streamed uploads, server-sent events, the WebSocket echo, redirects, cookies
 * and the HTML pages.
 */
class SampleAppTest {

    private static SampleApp app;
    private static HttpClient client;
    private static String base;

    @BeforeAll
    static void startApp() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        base = "http://127.0.0.1:" + app.port();
        client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
    }

    @AfterAll
    static void stopApp() throws Exception {
        client.close();
        app.close();
    }

    private static HttpResponse<String> get(String pathAndQuery) throws Exception {
        return client.send(HttpRequest.newBuilder(URI.create(base + pathAndQuery)).build(), BodyHandlers.ofString());
    }

    private static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }

    @Test
    void baseUriAndPort() {
        assertThat(app.port()).isPositive();
        assertThat(app.baseUri()).isEqualTo(URI.create(base + "/"));
    }

    @Test
    void echoReportsMethodAndRawEncodedPathAndQuery() throws Exception {
        HttpResponse<String> response = get("/echo/a%20b/c%2Fd?x=1%2B2&y");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("application/json"));
        assertThat(response.headers().firstValue("X-Echo-Method")).hasValue("GET");
        assertThat(response.body())
                .contains("\"method\":\"GET\"")
                .contains("\"rawPath\":\"/echo/a%20b/c%2Fd\"")
                .contains("\"canonicalPath\":\"/echo/a%20b/c%2Fd\"")
                .contains("\"decodedPath\":\"/echo/a b/c/d\"")
                .contains("\"rawQuery\":\"x=1%2B2&y\"")
                .contains("\"host\":[\"127.0.0.1:" + app.port() + "\"]")
                .contains("\"bodyLength\":0");
    }

    @Test
    void echoKeepsEncodedPercentAndReportsNullQuery() throws Exception {
        HttpResponse<String> response = get("/echo/100%25/x");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("\"rawPath\":\"/echo/100%25/x\"").contains("\"rawQuery\":null");

        HttpResponse<String> dotDot = get("/echo/%2e%2e/x");
        assertThat(dotDot.statusCode()).isEqualTo(200);
        assertThat(dotDot.body()).contains("\"rawPath\":\"/echo/%2e%2e/x\"");
    }

    @Test
    void echoHandlesEveryMethodWithBodyAndHeaders() throws Exception {
        byte[] body = "{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8);
        for (String method : List.of("POST", "PUT", "PATCH", "DELETE")) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(base + "/echo/items/1"))
                    .method(method, BodyPublishers.ofByteArray(body))
                    .header("X-Custom", "one").header("X-Custom", "two")
                    .header("X-Big", "v".repeat(20_000))
                    .build();
            HttpResponse<String> response = client.send(request, BodyHandlers.ofString());

            assertThat(response.statusCode()).as(method).isEqualTo(200);
            assertThat(response.headers().firstValue("X-Echo-Method")).hasValue(method);
            assertThat(response.body())
                    .contains("\"method\":\"" + method + "\"")
                    .contains("\"x-custom\":[\"one\",\"two\"]")
                    .contains("\"bodyLength\":" + body.length)
                    .contains("\"bodySha256\":\"" + sha256(body) + "\"");
        }
    }

    @Test
    void echoAnswersTheRequestedStatus() throws Exception {
        assertThat(get("/echo/x?status=418").statusCode()).isEqualTo(418);
        assertThat(get("/echo/x?status=204").statusCode()).isEqualTo(204);
        assertThat(get("/headers?status=503").statusCode()).isEqualTo(503);
        assertThat(get("/echo/x?status=nope").statusCode()).isEqualTo(400);
    }

    @Test
    void downloadStreamsExactlyThePattern() throws Exception {
        HttpResponse<byte[]> response = client.send(
                HttpRequest.newBuilder(URI.create(base + "/download?size=3000000")).build(), BodyHandlers.ofByteArray());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(3_000_000L);
        byte[] body = response.body();
        assertThat(body).hasSize(3_000_000);
        for (int i = 0; i < body.length; i++) {
            if (body[i] != SampleApp.patternByte(i)) {
                throw new AssertionError("byte " + i + " is " + body[i] + ", expected " + SampleApp.patternByte(i));
            }
        }
    }

    @Test
    void chunkedDownloadHasNoContentLength() throws Exception {
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(URI.create(base + "/download?size=200000&chunked=true")).build(),
                BodyHandlers.ofInputStream());

        assertThat(response.headers().firstValue("Content-Length")).isEmpty();
        try (InputStream in = response.body()) {
            long i = 0;
            int b;
            while ((b = in.read()) != -1) {
                assertThat((byte) b).isEqualTo(SampleApp.patternByte(i++));
            }
            assertThat(i).isEqualTo(200_000);
        }
    }

    @Test
    void largeDownloadStreams() throws Exception {
        long size = 64L * 1024 * 1024 + 7;
        HttpResponse<InputStream> response = client.send(
                HttpRequest.newBuilder(URI.create(base + "/download?size=" + size)).build(), BodyHandlers.ofInputStream());

        assertThat(response.headers().firstValueAsLong("Content-Length")).hasValue(size);
        long offset = 0;
        byte[] buffer = new byte[64 * 1024];
        try (InputStream in = response.body()) {
            int n;
            while ((n = in.read(buffer)) != -1) {
                for (int i = 0; i < n; i++) {
                    if (buffer[i] != SampleApp.patternByte(offset + i)) {
                        throw new AssertionError("byte " + (offset + i) + " differs from the pattern");
                    }
                }
                offset += n;
            }
        }
        assertThat(offset).isEqualTo(size);
    }

    @Test
    void uploadReportsSizeAndSha256() throws Exception {
        byte[] data = new byte[5_000_000];
        new Random(42).nextBytes(data);
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/upload"))
                .POST(BodyPublishers.ofByteArray(data)).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("{\"bytes\":5000000,\"sha256\":\"" + sha256(data) + "\"}\n");
    }

    @Test
    void sseDeliversTheRequestedEvents() throws Exception {
        HttpResponse<Stream<String>> response = client.send(
                HttpRequest.newBuilder(URI.create(base + "/sse?count=3&intervalMs=50")).build(), BodyHandlers.ofLines());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("text/event-stream");
        List<String> events = response.body().filter(line -> line.startsWith("data: ")).toList();
        assertThat(events).containsExactly("data: event 1", "data: event 2", "data: event 3");
    }

    @Test
    void webSocketEchoesTextAndBinaryAndPicksTheFirstSubprotocol() throws Exception {
        CompletableFuture<String> text = new CompletableFuture<>();
        CompletableFuture<ByteBuffer> binary = new CompletableFuture<>();
        WebSocket.Listener listener = new WebSocket.Listener() {
            private final StringBuilder parts = new StringBuilder();

            @Override
            public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                parts.append(data);
                if (last) {
                    text.complete(parts.toString());
                }
                ws.request(1);
                return null;
            }

            @Override
            public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
                binary.complete(copy);
                ws.request(1);
                return null;
            }
        };
        WebSocket ws = client.newWebSocketBuilder().subprotocols("first", "second")
                .buildAsync(URI.create("ws://127.0.0.1:" + app.port() + "/ws"), listener)
                .get(5, TimeUnit.SECONDS);
        try {
            assertThat(ws.getSubprotocol()).isEqualTo("first");
            ws.sendText("hello sample", true).get(5, TimeUnit.SECONDS);
            assertThat(text.get(5, TimeUnit.SECONDS)).isEqualTo("hello sample");
            ws.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(5, TimeUnit.SECONDS);
            assertThat(binary.get(5, TimeUnit.SECONDS)).isEqualTo(ByteBuffer.wrap(new byte[] {1, 2, 3}));
        } finally {
            ws.sendClose(WebSocket.NORMAL_CLOSURE, "bye").get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void redirectIsAbsoluteAndSetsADomainCookie() throws Exception {
        HttpResponse<String> response = get("/redirect");

        assertThat(response.statusCode()).isEqualTo(302);
        assertThat(response.headers().firstValue("Location")).hasValue(base + "/page2");
        assertThat(response.headers().allValues("Set-Cookie")).containsExactly("sample=1; Domain=127.0.0.1; Path=/");
    }

    @Test
    void cookieSetsASessionAndEchoesTheCookieHeader() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/cookie"))
                .header("Cookie", "a=1; b=2").build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().allValues("Set-Cookie")).containsExactly("session=abc; Path=/; HttpOnly");
        assertThat(response.body()).contains("a=1; b=2");
    }

    @Test
    void htmlPagesUseAbsoluteInternalLinks() throws Exception {
        HttpResponse<String> home = get("/");
        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.headers().firstValue("Content-Type")).hasValueSatisfying(
                v -> assertThat(v).startsWith("text/html"));
        assertThat(home.body())
                .contains("<title>Sample internal app</title>")
                .contains("<a href=\"" + base + "/page2\">")
                .contains("<form method=\"post\" action=\"" + base + "/form\">")
                .contains("name=\"message\"");
        for (String endpoint : List.of("/echo/", "/headers", "/download?", "/upload", "/slow?", "/sse?", "/ws",
                "/redirect", "/cookie")) {
            assertThat(home.body()).contains("\"" + base + endpoint);
        }

        HttpResponse<String> page2 = get("/page2");
        assertThat(page2.statusCode()).isEqualTo(200);
        assertThat(page2.body()).contains("<a href=\"" + base + "/\">").doesNotContain("<img");
    }

    @Test
    void theHomePageShowsWhoTheAppSeesAndNoCredential() throws Exception {
        assertThat(get("/").body()).contains("<h2>Who the app sees</h2>").contains("<p id=\"who\">No sign-in facts");

        HttpResponse<String> home = client.send(HttpRequest.newBuilder(URI.create(base + "/"))
                .header("X-Drawbridge-User", "alice@corp.example")
                .header("X-Drawbridge-Assertion", "eyJhbGciOiJFUzI1NiJ9.assertion-secret.sig")
                .header("X_Remote_User", "alice")
                .header("x-remote-name", "<b>Alice</b> & co")
                .header("Remote-Groups", "HR, Finance")
                .header("X-WEBAUTH-USER", "alice")
                .header("Authorization", "Negotiate YIIkerberos-secret")
                .header("X-Forwarded-For", "203.0.113.7")
                .header("Cookie", "session=cookie-secret")
                .build(), BodyHandlers.ofString());

        assertThat(home.statusCode()).isEqualTo(200);
        assertThat(home.body())
                .contains("<table id=\"who\">")
                .contains("<tr><td><code>X-Drawbridge-User</code></td><td>alice@corp.example</td></tr>")
                .contains("<tr><td><code>X-Drawbridge-Assertion</code></td><td>present (a signed token, not shown)</td></tr>")
                .contains("<tr><td><code>X_Remote_User</code></td><td>alice</td></tr>")
                .contains("<tr><td><code>x-remote-name</code></td><td>&lt;b&gt;Alice&lt;/b&gt; &amp; co</td></tr>")
                .contains("<tr><td><code>Remote-Groups</code></td><td>HR, Finance</td></tr>")
                .contains("<tr><td><code>X-WEBAUTH-USER</code></td><td>alice</td></tr>")
                .contains("<tr><td><code>Authorization</code></td><td>scheme Negotiate (credentials not shown)</td></tr>")
                .doesNotContain("secret", "X-Forwarded-For", "203.0.113.7", "<b>Alice");
    }

    @Test
    void formEchoesTheEscapedMessage() throws Exception {
        HttpResponse<String> response = client.send(HttpRequest.newBuilder(URI.create(base + "/form"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(BodyPublishers.ofString("message=%3Cb%3Ehi+%26+bye%3C%2Fb%3E")).build(), BodyHandlers.ofString());

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("You sent: &lt;b&gt;hi &amp; bye&lt;/b&gt;");
    }

    @Test
    void slowWaitsThenAnswers() throws Exception {
        long start = System.nanoTime();
        HttpResponse<String> response = get("/slow?ms=300");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).contains("slow done after 300 ms");
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }

    @Test
    void unknownPathsAreNotFound() throws Exception {
        HttpResponse<String> response = get("/nope");

        assertThat(response.statusCode()).isEqualTo(404);
        assertThat(response.body()).contains("not found in sample app");
    }
}
