package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RequestPath;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.forwarding.HeaderSpellings;
import dev.drawbridge.proxy.forwarding.RequestIdCustomizer;
import dev.drawbridge.proxy.forwarding.TrustedProxies;
import dev.drawbridge.proxy.translation.LinkMap;
import dev.drawbridge.proxy.translation.TranslatedEtag;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link ForwardedRequest}, through a real Jetty server on an ephemeral loopback port fed raw HTTP/1.1, that {@code build} keeps the raw path and query,
 * appends the client address to X-Forwarded-For, strips hop-by-hop, Connection-named headers and every spelling
 * of the client-sent identity, address and routing headers ({@link HeaderSpellings}), sets its own exactly once,
 * and translates or keeps Host per the app's flag.
 */
@Timeout(30)
class ForwardedRequestTest {
    private static final Instant T = Instant.parse("2025-01-01T00:00:00Z");
    private static final PublishedApp HR = new PublishedApp("hr-id", "hr", URI.create("https://hr.apps.example.com/hr/"),
            "hr.apps.example.com", "/hr/", URI.create("http://intranet:8080/hr-internal/"), "g", BackendTimeout.DEFAULT,
            true, PreAuthentication.PASSTHROUGH, T, T);
    private static final PublishedApp KEEP = new PublishedApp("keep-id", "keep", URI.create("https://keep.apps.example.com/"),
            "keep.apps.example.com", "/", URI.create("https://10.1.2.3:9443/"), "g", BackendTimeout.LONG,
            false, PreAuthentication.PASSTHROUGH, T, T);
    private static final PublishedApp SSO = new PublishedApp("sso-id", "sso", URI.create("https://sso.apps.example.com/"),
            "sso.apps.example.com", "/", URI.create("http://intranet:8081/"), "g", BackendTimeout.DEFAULT,
            true, PreAuthentication.DIRECTORY, T, T).withSso(SsoSettings.headers(List.of(HeaderRule.of("X-User-Name", HeaderSource.UPN),
            HeaderRule.of("X-Team", HeaderSource.GROUPS))));
    /** An app that translates links in its pages. */
    private static final PublishedApp LINKS = new PublishedApp("links-id", "links", URI.create("https://links.apps.example.com/"),
            "links.apps.example.com", "/", URI.create("http://intranet:8082/"), "g", BackendTimeout.DEFAULT,
            true, PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS, T, T, false, SsoSettings.NONE, true);
    private static final Duration TIMEOUT = Duration.ofSeconds(42);

    private static Server server;
    private static int port;

    // ---- tier 2: build() against a real Jetty request ----

    @BeforeAll
    static void startJetty() throws Exception {
        RouteTable routes = new RouteTable(List.of(HR, KEEP, SSO, LINKS));
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(UriCompliance.DEFAULT.with("drawbridge", UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING, UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));
        // As on the public listener: every request gets its id before any handler (no proxy is trusted here).
        http.addCustomizer(new RequestIdCustomizer(TrustedProxies.none()));
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String rawPath = request.getHttpURI().getPath();
                RouteTable.Route.To to;
                try {
                    to = (RouteTable.Route.To) routes.route(Request.getServerName(request), RequestPath.parse(rawPath));
                } catch (RequestPath.BadPathException e) {
                    throw new IllegalArgumentException(e);
                }
                PublishedApp app = to.app();
                // Under /hr/signed-in/ the request carries the identity headers Drawbridge adds for a signed-in user.
                List<HeaderField> identity = rawPath.startsWith("/hr/signed-in/")
                        ? List.of(new HeaderField("X-Drawbridge-User", "alice@corp.example"), new HeaderField("X-Drawbridge-Assertion", "jwt"))
                        : List.of();
                RequestHead head = ForwardedRequest.build(app, request, to.remainder(), false, TIMEOUT, identity, false, LINK_MAP);
                StringBuilder b = new StringBuilder();
                b.append(head.appId()).append('\n').append(head.method()).append('\n').append(head.upstreamUri()).append('\n')
                        .append(head.timeout().toMillis()).append('\n').append(head.websocket()).append('\n')
                        .append(head.body()).append('\n');
                head.headers().forEach(h -> b.append(h.name()).append(": ").append(h.value()).append('\n'));
                head.sso().ifPresent(json -> b.append("~sso: ").append(json).append('\n'));
                byte[] body = b.toString().getBytes(StandardCharsets.UTF_8);
                response.getHeaders().put(HttpHeader.CONTENT_TYPE, "text/plain; charset=utf-8");
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
        port = connector.getLocalPort();
    }

    @AfterAll
    static void stopJetty() throws Exception {
        server.stop();
    }

    /** What build() produced for one raw request: app id, method, upstream URI, timeout, flags, headers. */
    private record Built(String appId, String method, String upstreamUri, long timeoutMillis, boolean websocket,
                         boolean body, List<HeaderField> headers) {
        List<String> all(String name) {
            return headers.stream().filter(h -> h.name().equalsIgnoreCase(name)).map(HeaderField::value).toList();
        }
    }

    /** The link map the requests are forwarded with. */
    private static final LinkMap LINK_MAP = LinkMap.of(List.of(LINKS));

    private static Built send(String requestLine, String... headers) throws IOException {
        return sendWithBody(requestLine, "", headers);
    }

    private static Built sendWithBody(String requestLine, String body, String... headers) throws IOException {
        StringBuilder req = new StringBuilder(requestLine).append("\r\n");
        for (String h : headers) {
            req.append(h).append("\r\n");
        }
        req.append("\r\n").append(body);
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(req.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            String response = readResponse(s.getInputStream());
            assertThat(response).startsWith("HTTP/1.1 200");
            String[] lines = response.substring(response.indexOf("\r\n\r\n") + 4).split("\n");
            List<HeaderField> fields = new ArrayList<>();
            for (int i = 6; i < lines.length; i++) {
                int colon = lines[i].indexOf(": ");
                fields.add(new HeaderField(lines[i].substring(0, colon), lines[i].substring(colon + 2)));
            }
            return new Built(lines[0], lines[1], lines[2], Long.parseLong(lines[3]), Boolean.parseBoolean(lines[4]),
                    Boolean.parseBoolean(lines[5]), fields);
        }
    }

    private static String readResponse(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int contentLength = -1;
        int headerEnd = -1;
        byte[] chunk = new byte[8192];
        while (headerEnd < 0 || buf.size() < headerEnd + contentLength) {
            int n = in.read(chunk);
            if (n < 0) {
                break;
            }
            buf.write(chunk, 0, n);
            String text = buf.toString(StandardCharsets.UTF_8);
            if (headerEnd < 0 && text.contains("\r\n\r\n")) {
                headerEnd = text.indexOf("\r\n\r\n") + 4;
                String lower = text.substring(0, headerEnd).toLowerCase();
                int cl = lower.indexOf("content-length: ");
                contentLength = cl < 0 ? 0 : Integer.parseInt(lower.substring(cl + 16, lower.indexOf("\r\n", cl)).trim());
            }
        }
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void everySpellingOfAnAppsSingleSignOnHeadersIsStrippedAndItsInstructionTravels() throws Exception {
        List<String> sent = new ArrayList<>(List.of("Host: sso.apps.example.com"));
        for (String canonical : List.of("x-user-name", "x-team")) {
            for (String spelling : HeaderSpellings.of(canonical)) {
                sent.add(spelling + ": spoofed");
            }
        }
        Built b = send("GET /page HTTP/1.1", sent.toArray(String[]::new));
        assertThat(b.headers()).extracting(HeaderField::value).doesNotContain("spoofed");
        assertThat(b.all("~sso")).singleElement().asString().contains("\"method\":\"HEADERS\"").contains("X-User-Name");
        // Another app without single sign-on keeps such a header, and sends no instruction.
        Built plain = send("GET /x HTTP/1.1", "Host: keep.apps.example.com", "X-User-Name: kept");
        assertThat(plain.all("X-User-Name")).containsExactly("kept");
        assertThat(plain.all("~sso")).isEmpty();
    }

    @Test
    void rawPathAndQueryArePreservedInTheUpstreamUri() throws Exception {
        Built b = send("GET /hr/a%2Fb/c%20d/%E2%82%AC;v=1?q=a%20b&x=%2F&y=+&z HTTP/1.1", "Host: hr.apps.example.com");
        assertThat(b.upstreamUri()).isEqualTo("http://intranet:8080/hr-internal/a%2Fb/c%20d/%E2%82%AC;v=1?q=a%20b&x=%2F&y=+&z");
        assertThat(send("GET /hr?only=query HTTP/1.1", "Host: hr.apps.example.com").upstreamUri())
                .isEqualTo("http://intranet:8080/hr-internal/?only=query");
        assertThat(send("GET /x/y HTTP/1.1", "Host: keep.apps.example.com").upstreamUri()).isEqualTo("https://10.1.2.3:9443/x/y");
    }

    @Test
    void headCarriesAppMethodTimeoutAndFlag() throws Exception {
        Built b = send("DELETE /hr/item/7 HTTP/1.1", "Host: hr.apps.example.com");
        assertThat(b.appId()).isEqualTo("hr-id");
        assertThat(b.method()).isEqualTo("DELETE");
        assertThat(b.timeoutMillis()).isEqualTo(TIMEOUT.toMillis());
        assertThat(b.websocket()).isFalse();
        assertThat(b.body()).isFalse();
    }

    @Test
    void bodyFlagFollowsContentLengthOrChunking() throws Exception {
        assertThat(sendWithBody("POST /hr/form HTTP/1.1", "hello", "Host: hr.apps.example.com", "Content-Length: 5").body()).isTrue();
        assertThat(sendWithBody("POST /hr/form HTTP/1.1", "", "Host: hr.apps.example.com", "Content-Length: 0").body()).isFalse();
        Built chunked = sendWithBody("PUT /hr/file HTTP/1.1", "5\r\nhello\r\n0\r\n\r\n", "Host: hr.apps.example.com",
                "Transfer-Encoding: chunked");
        assertThat(chunked.body()).isTrue();
        assertThat(chunked.all("Transfer-Encoding")).as("framing is hop-by-hop").isEmpty();
        assertThat(chunked.all("Content-Length")).isEmpty();
    }

    @Test
    void clientAddressIsAppendedToXForwardedFor() throws Exception {
        Built b = send("GET /hr/ HTTP/1.1", "Host: hr.apps.example.com", "X-Forwarded-For: 10.0.0.1",
                "x-forwarded-for: 10.0.0.2, 10.0.0.3");
        assertThat(b.all("X-Forwarded-For")).containsExactly("10.0.0.1, 10.0.0.2, 10.0.0.3, 127.0.0.1");
        assertThat(send("GET /hr/ HTTP/1.1", "Host: hr.apps.example.com").all("X-Forwarded-For")).containsExactly("127.0.0.1");
    }

    @Test
    void clientSentIdentityAndForwardingHeadersAreReplaced() throws Exception {
        Built b = send("GET /hr/ HTTP/1.1", "Host: hr.apps.example.com:8443", "X-Drawbridge-User: mallory",
                "x-drawbridge-groups: admins", "X-DRAWBRIDGE-Anything: x", "X-Drawbridgeish: kept",
                "X-Forwarded-Proto: https", "X-Forwarded-Host: evil.example", "Sec-WebSocket-Key: abc");
        assertThat(b.headers()).noneMatch(h -> h.name().toLowerCase().startsWith("x-drawbridge-"));
        assertThat(b.all("X-Drawbridgeish")).containsExactly("kept");
        assertThat(b.all("X-Forwarded-Proto")).containsExactly("http");
        assertThat(b.all("X-Forwarded-Host")).containsExactly("hr.apps.example.com:8443");
        assertThat(b.all("Sec-WebSocket-Key")).isEmpty();
    }

    /**
     * The class of client-sent identity, address and routing headers: every spelling of every name (see
     * {@link HeaderSpellings}) is dropped, and the headers Drawbridge sets arrive exactly once with its values.
     */
    @ParameterizedTest(name = "{0}")
    @FieldSource("dev.drawbridge.proxy.forwarding.HeaderSpellings#STRIPPED")
    void everySpellingOfAStrippedHeaderIsDropped(String canonical) throws Exception {
        List<String> request = new ArrayList<>(List.of("Host: hr.apps.example.com", "X-Forwarded-For: 10.0.0.1"));
        // The canonical X-Forwarded-For (any case) is kept and appended to: onlyTheCanonicalXForwardedForIsKeptAndAppendedTo.
        List<String> spellings = HeaderSpellings.of(canonical).stream().filter(n -> !n.equalsIgnoreCase("x-forwarded-for")).toList();
        for (int i = 0; i < spellings.size(); i++) {
            request.add(spellings.get(i) + ": forged-" + i);
        }
        Built b = send("GET /hr/signed-in/x HTTP/1.1", request.toArray(String[]::new));
        assertThat(b.headers()).noneMatch(h -> h.value().contains("forged"));
        assertThat(b.all("X-Forwarded-For")).containsExactly("10.0.0.1, 127.0.0.1");
        assertThat(b.all("X-Forwarded-Proto")).containsExactly("http");
        assertThat(b.all("X-Forwarded-Host")).containsExactly("hr.apps.example.com");
        assertThat(b.all("X-Drawbridge-User")).containsExactly("alice@corp.example");
        assertThat(b.all("X-Drawbridge-Assertion")).containsExactly("jwt");
        // Exactly once also as a gateway reads names (X_Forwarded_For and X-Forwarded-For are one CGI variable).
        for (String own : List.of("x-forwarded-for", "x-forwarded-proto", "x-forwarded-host", "x-drawbridge-user", "host")) {
            assertThat(b.headers().stream().filter(h -> HeaderSpellings.gatewayView(h.name()).equals(own))).as(own).hasSize(1);
        }
    }

    @Test
    void onlyTheCanonicalXForwardedForIsKeptAndAppendedTo() throws Exception {
        Built b = send("GET /hr/ HTTP/1.1", "Host: hr.apps.example.com", "X_Forwarded_For: 6.6.6.6", "X-Forwarded-For: 10.0.0.1",
                "x.forwarded.for: 7.7.7.7", "X-FORWARDED-FOR: 10.0.0.2", "X-Forwarded_For: 8.8.8.8");
        assertThat(b.all("X-Forwarded-For")).containsExactly("10.0.0.1, 10.0.0.2, 127.0.0.1");
        assertThat(b.headers()).extracting(HeaderField::name).filteredOn(n -> HeaderSpellings.gatewayView(n).equals("x-forwarded-for"))
                .containsExactly("X-Forwarded-For");
    }

    @Test
    void theRequestIdGoesAlongExactlyOnceAndNoSpellingOfAClientsOneDoes() throws Exception {
        List<String> sent = new ArrayList<>(List.of("Host: hr.apps.example.com"));
        HeaderSpellings.of("x-request-id").forEach(spelling -> sent.add(spelling + ": spoofed-" + spelling.length()));
        Built b = send("GET /hr/ HTTP/1.1", sent.toArray(String[]::new));
        assertThat(b.headers()).extracting(HeaderField::value).noneMatch(v -> v.startsWith("spoofed"));
        assertThat(b.headers()).filteredOn(h -> HeaderSpellings.gatewayView(h.name()).equals("x-request-id"))
                .singleElement().satisfies(h -> {
                    assertThat(h.name()).isEqualTo("X-Request-Id");
                    assertThat(h.value()).matches("[0-9a-f]{32}");
                });
        // A new id for every request.
        assertThat(send("GET /hr/ HTTP/1.1", "Host: hr.apps.example.com").all("X-Request-Id"))
                .singleElement().isNotEqualTo(b.all("X-Request-Id").getFirst());
    }

    @Test
    void ordinaryHeadersThatLookAlikePass() throws Exception {
        List<String> request = new ArrayList<>(List.of("Host: hr.apps.example.com"));
        HeaderSpellings.KEPT.stream().filter(n -> !List.of("Cookie", "Authorization").contains(n)).forEach(n -> request.add(n + ": kept"));
        Built b = send("GET /hr/ HTTP/1.1", request.toArray(String[]::new));
        for (String n : HeaderSpellings.KEPT) {
            if (!List.of("Cookie", "Authorization").contains(n)) {
                assertThat(b.all(n)).as(n).containsExactly("kept");
            }
        }
    }

    @Test
    void hopByHopAndConnectionNamedHeadersAreStrippedOthersKeptInOrder() throws Exception {
        Built b = send("GET /hr/ HTTP/1.1", "Host: hr.apps.example.com", "Accept: text/html",
                "Connection: close, X-Secret", "X-Secret: s", "Keep-Alive: timeout=5", "TE: trailers",
                "Proxy-Authorization: Basic eA==", "Cookie: a=1", "Cookie: b=2", "Accept-Language: de");
        assertThat(b.headers()).extracting(HeaderField::name).doesNotContainAnyElementsOf(
                List.of("Connection", "X-Secret", "Keep-Alive", "TE", "Proxy-Authorization"));
        List<HeaderField> passed = b.headers().stream()
                .filter(h -> List.of("Accept", "Cookie", "Accept-Language").contains(h.name())).toList();
        assertThat(passed).containsExactly(new HeaderField("Accept", "text/html"), new HeaderField("Cookie", "a=1"),
                new HeaderField("Cookie", "b=2"), new HeaderField("Accept-Language", "de"));
    }

    @Test
    void hostIsTranslatedToTheInternalAuthorityWhenTheAppAsks() throws Exception {
        Built b = send("GET /hr/ HTTP/1.1", "Host: hr.apps.example.com:8443");
        assertThat(b.all("Host")).containsExactly("intranet:8080");
        assertThat(b.all("X-Forwarded-Host")).containsExactly("hr.apps.example.com:8443");
    }

    @Test
    void hostIsKeptWhenTheAppDoesNotTranslate() throws Exception {
        Built b = send("GET / HTTP/1.1", "Host: keep.apps.example.com:8443");
        assertThat(b.all("Host")).containsExactly("keep.apps.example.com:8443");
        assertThat(b.all("X-Forwarded-Host")).containsExactly("keep.apps.example.com:8443");
    }

    @Test
    void anAppThatTranslatesLinksIsAskedOnlyForCodingsDrawbridgeCanDecompress() throws IOException {
        assertThat(send("GET /x HTTP/1.1", "Host: links.apps.example.com", "Accept-Encoding: br, gzip;q=0.8, zstd, deflate")
                .all("Accept-Encoding")).containsExactly("br, gzip;q=0.8, deflate");
        assertThat(send("GET /x HTTP/1.1", "Host: links.apps.example.com", "accept-encoding: zstd").all("Accept-Encoding"))
                .containsExactly("identity");
        assertThat(send("GET /x HTTP/1.1", "Host: keep.apps.example.com", "Accept-Encoding: br, gzip").all("Accept-Encoding"))
                .containsExactly("br, gzip");
    }

    /**
     * A translated copy has the app's Last-Modified: a range by date would match it, and the app would answer bytes of
     * its untranslated page, spliced by the client into the translated one. For a translating app such a range is
     * dropped (in any spelling of the header names); an entity-tag If-Range (never matching a translated copy's weak
     * tag) and the ranges of other apps pass.
     */
    @Test
    void aTranslatingAppsRangeByDateIsDropped() throws IOException {
        String date = "If-Range: Wed, 21 Oct 2026 07:28:00 GMT";
        for (String ifRange : List.of(date, date.replace("If-Range", "IF_RANGE"))) {
            Built b = send("GET /x HTTP/1.1", "Host: links.apps.example.com", "Range: bytes=100-", ifRange);
            assertThat(b.all("Range")).as(ifRange).isEmpty();
            assertThat(b.all("If-Range")).isEmpty();
            assertThat(b.all("If_Range")).isEmpty();
        }
        Built tagged = send("GET /x HTTP/1.1", "Host: links.apps.example.com", "Range: bytes=100-", "If-Range: \"v1\"");
        assertThat(tagged.all("Range")).containsExactly("bytes=100-");
        Built other = send("GET /x HTTP/1.1", "Host: keep.apps.example.com", "Range: bytes=100-", date);
        assertThat(other.all("Range")).containsExactly("bytes=100-");
        assertThat(other.all("If-Range")).hasSize(1);
    }

    @Test
    void anAppThatTranslatesLinksGetsItsOwnValidatorsBackAndNoStaleOnes() throws IOException {
        String current = TranslatedEtag.sent("\"v2\"", LINK_MAP);
        String currentWeak = TranslatedEtag.sent("W/\"v3\"", LINK_MAP);
        String stale = TranslatedEtag.sent("\"v1\"", LinkMap.empty());
        assertThat(send("GET /x HTTP/1.1", "Host: links.apps.example.com", "If-None-Match: \"img\", " + stale + ", " + current)
                .all("If-None-Match")).containsExactly("\"img\", \"v2\"");
        assertThat(send("GET /x HTTP/1.1", "Host: links.apps.example.com", "if-none-match: " + currentWeak).all("If-None-Match"))
                .containsExactly("W/\"v3\"");
        assertThat(send("GET /x HTTP/1.1", "Host: links.apps.example.com", "If-None-Match: " + stale).all("If-None-Match")).isEmpty();
        assertThat(send("GET /x HTTP/1.1", "Host: links.apps.example.com", "If-None-Match: *").all("If-None-Match"))
                .containsExactly("*");
        // An app that does not translate gets what the client sent.
        assertThat(send("GET /x HTTP/1.1", "Host: keep.apps.example.com", "If-None-Match: " + stale).all("If-None-Match"))
                .containsExactly(stale);
    }
}
