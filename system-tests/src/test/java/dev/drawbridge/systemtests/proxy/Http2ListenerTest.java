package dev.drawbridge.systemtests.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.testsupport.process.DebianPackages;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.eclipse.jetty.client.AsyncRequestContent;
import org.eclipse.jetty.client.CompletableResponseListener;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HostPortHttpField;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpScheme;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.api.Session;
import org.eclipse.jetty.http2.api.Stream;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.http2.frames.HeadersFrame;
import org.eclipse.jetty.http2.frames.ResetFrame;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Promise;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public listener speaks HTTP/2 (ALPN {@code h2}) and HTTP/1.1, and an HTTP/2 request is treated as its HTTP/1.1
 * twin: routed by its authority, sent to sign-in when the app needs it, identity headers and Drawbridge's cookies
 * (also in a cookie split across several fields, as HTTP/2 allows) stripped, bodies of unknown length relayed, and one
 * whose headers end the stream sent as bodyless. Extended CONNECT (WebSockets over HTTP/2) is refused. Tested with
 * Jetty's HTTP/2 client (and its low-level session API for what a well-behaved client never sends) and with curl.
 */
class Http2ListenerTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static HttpClient h2;
    static HTTP2Client raw;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.publish("Echo", "echo", app.baseUri());
        stack.publish("Private", "private", app.baseUri(), PreAuthentication.DIRECTORY);
        stack.startConnector(dir.resolve("c"), 1);
        ClientConnector cc = new ClientConnector();
        cc.setSslContextFactory(tls());
        raw = new HTTP2Client(cc);
        raw.start();
        ClientConnector cc2 = new ClientConnector();
        cc2.setSslContextFactory(tls());
        h2 = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(cc2)));
        h2.setFollowRedirects(false);
        h2.setSocketAddressResolver((host, port, ctx, promise) -> promise.succeeded(List.of(new InetSocketAddress("127.0.0.1", port))));
        h2.start();
    }

    @AfterAll
    static void stop() throws Exception {
        h2.stop();
        raw.stop();
        stack.close();
        app.close();
    }

    static SslContextFactory.Client tls() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", stack.server().serverCaCertificate());
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(trust);
        return tls;
    }

    static String url(String label, String path) {
        return stack.externalUrl(label) + path;
    }

    static JsonNode json(ContentResponse r) throws Exception {
        return JSON.readTree(r.getContentAsString());
    }

    @Test
    void anHttp2RequestIsRoutedAndAnsweredLikeAnHttp1One() throws Exception {
        ContentResponse viaH2 = h2.newRequest(URI.create(url("echo", "echo/a%2Fb?q=1"))).timeout(20, TimeUnit.SECONDS).send();
        ContentResponse viaH1 = stack.http().newRequest(URI.create(url("echo", "echo/a%2Fb?q=1"))).timeout(20, TimeUnit.SECONDS).send();
        assertThat(viaH2.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(viaH1.getVersion()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(viaH2.getStatus()).isEqualTo(200);
        JsonNode a = json(viaH2), b = json(viaH1);
        assertThat(a.path("rawPath").asText()).isEqualTo(b.path("rawPath").asText()).isEqualTo("/echo/a%2Fb");
        assertThat(a.path("rawQuery").asText()).isEqualTo("q=1");
        assertThat(a.path("headers").path("x-forwarded-host").get(0).asText()).isEqualTo(b.path("headers").path("x-forwarded-host").get(0).asText());
        // A bodyless HTTP/2 request (END_STREAM on its headers) reaches the app without a body or chunked coding.
        assertThat(a.path("headers").has("transfer-encoding")).isFalse();
        assertThat(a.path("bodyLength").asInt()).isZero();
    }

    @Test
    void anAppThatNeedsSignInAnswersAsOverHttp1() throws Exception {
        for (String accept : List.of("text/html", "application/json")) {
            ContentResponse r = h2.newRequest(URI.create(url("private", "echo/x"))).headers(h -> h.put("Accept", accept))
                    .timeout(20, TimeUnit.SECONDS).send();
            ContentResponse h1 = stack.http().newRequest(URI.create(url("private", "echo/x"))).headers(h -> h.put("Accept", accept))
                    .timeout(20, TimeUnit.SECONDS).send();
            assertThat(r.getVersion()).isEqualTo(HttpVersion.HTTP_2);
            assertThat(r.getStatus()).as(accept).isEqualTo(h1.getStatus()).isIn(302, 401);
            assertThat(r.getContentAsString()).doesNotContain("\"rawPath\"");
            if (r.getStatus() == 302) {
                assertThat(r.getHeaders().get("Location")).startsWith(stack.externalUrl("login"));
            }
        }
    }

    @Test
    void identityHeadersAreStrippedFromHttp2Requests() throws Exception {
        ContentResponse r = h2.newRequest(URI.create(url("echo", "echo/h"))).headers(h -> h
                .add("x-drawbridge-user", "mallory").add("x_drawbridge_user", "mallory").add("x-forwarded-for", "6.6.6.6")
                .add("x-remote-user", "mallory").add("x-request-id", "forged")).timeout(20, TimeUnit.SECONDS).send();
        JsonNode headers = json(r).path("headers");
        assertThat(r.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(headers.has("x-drawbridge-user")).isFalse();
        assertThat(headers.has("x_drawbridge_user")).isFalse();
        assertThat(headers.has("x-remote-user")).isFalse();
        assertThat(headers.path("x-request-id").toString()).doesNotContain("forged");
        assertThat(headers.path("x-forwarded-for").get(0).asText()).isEqualTo("6.6.6.6, 127.0.0.1");
    }

    @Test
    void drawbridgeCookiesInACookieSplitAcrossFieldsNeverReachTheApp() throws Exception {
        HttpFields.Mutable fields = HttpFields.build().add("cookie", "a=1").add("cookie", "__Host-drawbridge_app_x=secret")
                .add("cookie", "b=2; drawbridge_app=old");
        Answer answer = rawRequest(new MetaData.Request("GET", HttpURI.from(url("echo", "echo/c")), HttpVersion.HTTP_2, fields));
        assertThat(answer.status).isEqualTo(200);
        String body = answer.body();
        assertThat(body).contains("a=1").contains("b=2").doesNotContain("secret").doesNotContain("old");
    }

    @Test
    void aBodyOfUnknownLengthIsRelayed() throws Exception {
        AsyncRequestContent content = new AsyncRequestContent();
        CompletableFuture<ContentResponse> sent = new CompletableResponseListener(h2.newRequest(URI.create(url("echo", "echo/up")))
                .method("POST").body(content).timeout(20, TimeUnit.SECONDS)).send();
        byte[] part = new byte[100_000];
        content.write(ByteBuffer.wrap(part), Callback.NOOP);
        content.write(ByteBuffer.wrap(part), Callback.NOOP);
        content.close();
        ContentResponse r = sent.get(30, TimeUnit.SECONDS);
        assertThat(r.getVersion()).isEqualTo(HttpVersion.HTTP_2);
        assertThat(json(r).path("bodyLength").asInt()).isEqualTo(200_000);
    }

    @Test
    void anAuthorityAndAHostThatDisagreeAreRefused() throws Exception {
        // Routed by :authority to the passthrough app, a Host naming the app that needs sign-in must not reach the backend.
        HttpFields.Mutable fields = HttpFields.build().add("host", "private.localhost:" + stack.server().publicPort());
        Answer answer = rawRequest(new MetaData.Request("GET", HttpURI.from(url("echo", "echo/host")), HttpVersion.HTTP_2, fields));
        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body()).doesNotContain("rawPath");
    }

    @Test
    void aPlainConnectNeverReachesTheApp() throws Exception {
        MetaData.ConnectRequest connect = new MetaData.ConnectRequest(HttpScheme.HTTPS,
                new HostPortHttpField("echo.localhost:" + stack.server().publicPort()), null, HttpFields.build(), null);
        Answer answer = rawRequest(connect);
        // Refused by the chain's path check, as an HTTP/1.1 CONNECT is.
        assertThat(answer.status).isEqualTo(400);
        assertThat(answer.body()).contains("Bad request path").doesNotContain("rawPath");
    }

    @Test
    void extendedConnectIsRefused() throws Exception {
        MetaData.ConnectRequest connect = new MetaData.ConnectRequest(HttpScheme.HTTPS,
                new HostPortHttpField("echo.localhost:" + stack.server().publicPort()), "/echo/ws",
                HttpFields.build().add("sec-websocket-version", "13"), "websocket");
        Answer answer = rawRequest(connect);
        assertThat(answer.reset).as("the stream was reset").isTrue();
        assertThat(answer.body()).doesNotContain("rawPath");
    }

    @Test
    void curlNegotiatesHttp2() throws Exception {
        DebianPackages.require("curl --http2", List.of(new DebianPackages.Need("/usr/bin/curl", "curl")));
        Path ca = dir.resolve("ca.pem");
        Files.writeString(ca, Pem.encode(stack.server().serverCaCertificate()));
        int port = stack.server().publicPort();
        Process p = new ProcessBuilder("curl", "--http2", "-sS", "--max-time", "20", "--cacert", ca.toString(),
                "--resolve", "echo.localhost:" + port + ":127.0.0.1", "-H", "X-Drawbridge-User: mallory",
                "-w", "\n%{http_version} %{http_code}", url("echo", "echo/curl")).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(out).endsWith("\n2 200").contains("\"rawPath\":\"/echo/curl\"").doesNotContain("mallory");
    }

    record Answer(int status, ByteArrayOutputStream bytes, boolean reset) {
        String body() {
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }

    /** Sends one request on a fresh HTTP/2 session and waits for its answer (status 0: the stream or session was reset). */
    static Answer rawRequest(MetaData.Request request) throws Exception {
        int port = stack.server().publicPort();
        CompletableFuture<Session> connected = new CompletableFuture<>();
        raw.connect(raw.getClientConnector().getSslContextFactory(), new InetSocketAddress("127.0.0.1", port),
                new Session.Listener() {
                }, Promise.from(connected::complete, connected::completeExceptionally));
        Session session = connected.get(20, TimeUnit.SECONDS);
        CompletableFuture<Answer> answer = new CompletableFuture<>();
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int[] status = {0};
        session.newStream(new HeadersFrame(request, null, !(request instanceof MetaData.ConnectRequest)),
                Promise.from(s -> { }, answer::completeExceptionally), new Stream.Listener() {
            @Override
            public void onHeaders(Stream stream, HeadersFrame frame) {
                if (frame.getMetaData() instanceof MetaData.Response r) {
                    status[0] = r.getStatus();
                }
                if (frame.isEndStream()) {
                    answer.complete(new Answer(status[0], body, false));
                } else {
                    stream.demand();
                }
            }

            @Override
            public void onDataAvailable(Stream stream) {
                Stream.Data data = stream.readData();
                if (data == null) {
                    stream.demand();
                    return;
                }
                ByteBuffer b = data.frame().getByteBuffer();
                byte[] bytes = new byte[b.remaining()];
                b.get(bytes);
                body.writeBytes(bytes);
                data.release();
                if (data.frame().isEndStream()) {
                    answer.complete(new Answer(status[0], body, false));
                } else {
                    stream.demand();
                }
            }

            @Override
            public void onReset(Stream stream, ResetFrame frame, Callback callback) {
                answer.complete(new Answer(0, body, true));
                callback.succeeded();
            }

            @Override
            public void onFailure(Stream stream, int error, String reason, Throwable failure, Callback callback) {
                answer.complete(new Answer(0, body, true));
                callback.succeeded();
            }
        });
        try {
            return answer.get(20, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            return new Answer(0, body, true);
        } finally {
            session.close(0, "done", Callback.NOOP);
        }
    }
}
