package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.preauth.Authorized;
import dev.drawbridge.proxy.preauth.LiveSessions;
import dev.drawbridge.proxy.translation.LinkTranslations;
import dev.drawbridge.proxy.tunnel.ConnectorOfflineException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Link translation through {@link DispatchHandler} on a real Jetty server (defects found by the review12 review of
 * issue 12): every translated response ends (no hung exchange, no leaked tunnel stream), and its validators follow the
 * link map it was translated with.
 */
@Timeout(60)
class TranslatedResponseEndsAndRevalidatesTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final PublishedApp BENEFITS = new PublishedApp("benefits", "Benefits", URI.create("https://benefits.example.com/"),
            "benefits.example.com", "/", URI.create("http://benefits/"), "group-1", BackendTimeout.DEFAULT, true,
            PreAuthentication.PASSTHROUGH, T, T).withTranslateLinksInBody(true);
    static final PublishedApp EXPENSES = expenses("https://expenses.example.com/");
    /** Each client on its own thread: a hung answer must not hold up the next test's request. */
    static final ExecutorService CLIENTS = Executors.newVirtualThreadPerTaskExecutor();
    static TunnelPair tunnel;
    static TestServer server;
    static final AtomicReference<RouteTable> routes = new AtomicReference<>(new RouteTable(List.of(BENEFITS, EXPENSES)));

    static PublishedApp expenses(String external) {
        URI ex = URI.create(external);
        return new PublishedApp("expenses", "Expenses", ex, ex.getHost(), ex.getRawPath(), URI.create("http://expenses.corp/"),
                "group-1", BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, T, T);
    }

    @BeforeAll
    static void start() throws Exception {
        tunnel = new TunnelPair();
        StreamOpener opener = (group, head, attempt) -> {
            try {
                return tunnel.proxy.open(head);
            } catch (IOException e) {
                throw new ConnectorOfflineException("Group " + group);
            }
        };
        AppRouter routing = new AppRouter(routes::get);
        Handler.Wrapper authorized = new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Authorized.ATTRIBUTE.set(request, new Authorized(Optional.empty(), false));
                return super.handle(request, response, callback);
            }
        };
        routing.setHandler(authorized);
        authorized.setHandler(new DispatchHandler(opener, id -> "Group " + id, new WebSocketRelay(null), t -> Duration.ofSeconds(5),
                (app, identity) -> List.of(), LiveSessions.none(), SingleSignOn.NONE, PasswordVaulting.NONE,
                new LinkTranslations(routes::get)));
        server = TestServer.start(routing);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        tunnel.close();
        CLIENTS.shutdownNow();
    }

    @AfterEach
    void clean() {
        routes.set(new RouteTable(List.of(BENEFITS, EXPENSES)));
        tunnel.drain();
    }

    private static CompletableFuture<TestServer.Answer> get(String target, String... headers) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.get("benefits.example.com", target, headers);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, CLIENTS);
    }

    /**
     * A charset Java can decode but not encode (ISO-2022-CN, x-JISAutoDetect), named by the header or by a {@code <meta>}
     * in the page (content any page author controls), makes {@code new OutputStreamWriter} throw
     * {@code UnsupportedOperationException}; {@code writeTranslated} catches only {@code IOException}, so it escapes the
     * virtual thread: the callback is never completed (the client hangs until its idle timeout), and the tunnel stream is
     * neither read nor reset (it stays open on the proxy and the connector, holding buffered data and the upstream
     * connection): one leaked stream per request.
     */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "text/html; charset=ISO-2022-CN|<p>hello</p>|false",
            "text/css; charset=x-JISAutoDetect|a{color:red}|false",
            "text/html|<meta charset=\"ISO-2022-CN\"><p>hello</p>|false",
            "text/html|<meta charset=\"x-JISAutoDetect\"><p>hello</p>|true"})
    void aPageInACharsetThatCannotBeWrittenBackIsStillAnswered(String type, String body, boolean whole) throws Exception {
        CompletableFuture<TestServer.Answer> answer = get("/page");
        TunnelStream upstream = tunnel.accept();
        byte[] bytes = body.getBytes(StandardCharsets.US_ASCII);
        ResponseHead head = new ResponseHead(200, List.of(new HeaderField("Content-Type", type)));
        if (whole) {
            upstream.sendWhole(head, bytes);
        } else {
            upstream.sendHead(head);
            upstream.write(bytes, 0, bytes.length);
            upstream.endOutput();
        }
        TestServer.Answer a = answer.get(10, TimeUnit.SECONDS);
        assertThat(a.status()).isIn(200, 502);
        if (a.status() == 200) {
            assertThat(a.body()).isEqualTo(body);
        }
    }

    private TestServer.Answer page(String etag) throws Exception {
        CompletableFuture<TestServer.Answer> answer = get("/");
        tunnel.accept().sendWhole(new ResponseHead(200, List.of(new HeaderField("Content-Type", "text/html"),
                new HeaderField("ETag", etag))), "<a href=\"http://expenses.corp/claims\">Claims</a>".getBytes(StandardCharsets.UTF_8));
        return answer.get(10, TimeUnit.SECONDS);
    }

    /**
     * The bytes of a translated page depend on the route table (Expenses moved to another external URL), but its ETag is
     * the app's, weakened: a browser or cache revalidates its old copy with {@code If-None-Match: W/"v1"}, the app (weak
     * comparison, RFC 9110) answers 304, and the old copy — links to the address Expenses left (maybe a custom domain
     * since released and taken by someone else) — is used on and on.
     */
    @Test
    void theEtagOfATranslatedPageChangesWithTheLinksItWasTranslatedTo() throws Exception {
        TestServer.Answer before = page("\"v1\"");
        routes.set(new RouteTable(List.of(BENEFITS, expenses("https://spend.example.net/"))));
        TestServer.Answer after = page("\"v1\"");
        assertThat(before.body()).contains("https://expenses.example.com/claims");
        assertThat(after.body()).contains("https://spend.example.net/claims");
        assertThat(after.header("ETag")).isNotEqualTo(before.header("ETag"));
    }

    /**
     * A 304 for a translated page must carry the validator the page was sent with (RFC 9110 §15.4.5): the 200 said
     * {@code W/"v1"}, the 304 passes the app's strong {@code "v1"}; the browser updates its stored page's ETag to a
     * strong one for translated bytes, which a later {@code If-Range} then matches against the untranslated body (206).
     */
    @Test
    void aNotModifiedAnswerCarriesTheEtagTheTranslatedPageWasSentWith() throws Exception {
        TestServer.Answer full = page("\"v1\"");
        CompletableFuture<TestServer.Answer> answer = get("/", "If-None-Match: " + full.header("ETag").orElseThrow());
        tunnel.accept().sendWhole(new ResponseHead(304, List.of(new HeaderField("ETag", "\"v1\""))), new byte[0]);
        TestServer.Answer notModified = answer.get(10, TimeUnit.SECONDS);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("ETag")).isEqualTo(full.header("ETag"));
    }

    /**
     * A browser that stored a translated page without an ETag revalidates it by date alone; the app's 304 may carry an
     * ETag, which the browser then stores for the translated copy: it must be the tagged, weak one, never the app's
     * strong one (which a later If-Range would match against the untranslated page).
     */
    @Test
    void aNotModifiedAnswerToADateCarriesTheTaggedEtag() throws Exception {
        TestServer.Answer full = page("\"v1\"");
        CompletableFuture<TestServer.Answer> answer = get("/", "If-Modified-Since: Wed, 21 Oct 2026 07:28:00 GMT");
        tunnel.accept().sendWhole(new ResponseHead(304, List.of(new HeaderField("ETag", "\"v1\""))), new byte[0]);
        TestServer.Answer notModified = answer.get(10, TimeUnit.SECONDS);
        assertThat(notModified.status()).isEqualTo(304);
        assertThat(notModified.header("ETag")).isEqualTo(full.header("ETag"));
    }

    /**
     * A HEAD answer has the headers the GET's has: not the untranslated body's Content-Length or Content-Encoding (a
     * client would take the length, or decompress a body that is sent plain).
     */
    @ParameterizedTest
    @CsvSource({"false", "true"})
    void aHeadAnswerHasTheHeadersOfTheTranslatedGet(boolean streamed) throws Exception {
        CompletableFuture<TestServer.Answer> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return server.send("HEAD / HTTP/1.1", "benefits.example.com", "Accept-Encoding: identity");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }, CLIENTS);
        TunnelStream upstream = tunnel.accept();
        ResponseHead head = new ResponseHead(200, List.of(new HeaderField("Content-Type", "text/html"),
                new HeaderField("Content-Encoding", "gzip"), new HeaderField("Content-Length", "1234"), new HeaderField("ETag", "\"v1\"")));
        if (streamed) {
            upstream.sendHead(head);
            upstream.endOutput();
        } else {
            upstream.sendWhole(head, new byte[0]);
        }
        TestServer.Answer a = answer.get(10, TimeUnit.SECONDS);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Encoding")).isEmpty();
        assertThat(a.header("Content-Length")).isEmpty();
        assertThat(a.header("ETag").orElseThrow()).startsWith("W/\"v1-ls");
    }

    /** A page the app sent compressed is sent on compressed again with gzip to a client that takes it, else plain. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"gzip, deflate, br|gzip", "identity|", "gzip;q=0, br|"})
    void aCompressedPageIsRecompressedForAClientThatTakesGzip(String acceptEncoding, String sent) throws Exception {
        CompletableFuture<TestServer.Answer> answer = get("/", "Accept-Encoding: " + acceptEncoding);
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(gz)) {
            z.write("<a href=\"http://expenses.corp/claims\">Claims</a>".getBytes(StandardCharsets.UTF_8));
        }
        tunnel.accept().sendWhole(new ResponseHead(200, List.of(new HeaderField("Content-Type", "text/html"),
                new HeaderField("Content-Encoding", "gzip"))), gz.toByteArray());
        TestServer.Answer a = answer.get(10, TimeUnit.SECONDS);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Encoding")).isEqualTo(Optional.ofNullable(sent));
        assertThat(a.header("Vary")).contains("Accept-Encoding");
        if (sent == null) {
            assertThat(a.body()).isEqualTo("<a href=\"https://expenses.example.com/claims\">Claims</a>");
        }
    }
}
