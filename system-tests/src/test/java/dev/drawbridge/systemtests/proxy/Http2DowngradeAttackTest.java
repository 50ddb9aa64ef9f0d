package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.edge.PublicHttp2;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile HTTP/2 requests at the HTTP/2 to HTTP/1.1 downgrade: what a client writes on HTTP/2 that HTTP/1.1 would frame
 * differently (connection-specific fields, content-length against DATA, CR/LF in values) must never reach the internal
 * app as anything but one well-framed request. The app is a raw socket that records every byte the connector writes.
 */
class Http2DowngradeAttackTest {
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static RawBackend backend;
    static SSLContext tls;
    static String authority;

    @BeforeAll
    static void start() throws Exception {
        backend = new RawBackend();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.publish("Raw", "raw", backend.uri());
        stack.publish("RawPrivate", "rawpriv", backend.uri(), PreAuthentication.DIRECTORY);
        stack.startConnector(dir.resolve("c"), 1);
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", stack.server().serverCaCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        tls = SSLContext.getInstance("TLS");
        tls.init(null, tmf.getTrustManagers(), null);
        authority = "raw.localhost:" + stack.server().publicPort();
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        backend.close();
    }

    @BeforeEach
    void clear() {
        backend.clear();
    }

    static RawH2 connect() throws IOException {
        return new RawH2(tls, stack.server().publicPort());
    }

    static String[] request(String method, String path, String... more) {
        String[] pseudo = {":method", method, ":scheme", "https", ":authority", authority, ":path", path};
        String[] all = new String[pseudo.length + more.length];
        System.arraycopy(pseudo, 0, all, 0, pseudo.length);
        System.arraycopy(more, 0, all, pseudo.length, more.length);
        return all;
    }

    @Test
    void aSoundRequestReachesTheRawBackend() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, true, request("GET", "/sound"));
            RawH2.Answer a = h2.await(1);
            assertThat(a.status()).isEqualTo(200);
        }
        assertThat(backend.seen()).contains("GET /sound HTTP/1.1");
    }

    /** A GET carrying {@code upgrade: websocket} (connection-specific, malformed on HTTP/2) is no WebSocket handshake. */
    @Test
    void anUpgradeFieldOnHttp2NeverOpensAWebSocketToTheApp() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, true, request("GET", "/ws-over-h2", "upgrade", "websocket", "sec-websocket-version", "13",
                    "sec-websocket-key", "dGhlIHNhbXBsZSBub25jZQ=="));
            RawH2.Answer a = h2.await(1);
            assertThat(a.status()).as("answered %s", a).isNotEqualTo(101);
        }
        assertThat(backend.seen().toLowerCase(Locale.ROOT)).doesNotContain("upgrade: websocket");
    }

    /** Connection-specific fields are malformed on HTTP/2 (RFC 9113 §8.2.2): refused, never relayed. */
    @ParameterizedTest
    @ValueSource(strings = {"transfer-encoding", "upgrade", "keep-alive", "proxy-connection", "connection"})
    void connectionSpecificFieldsAreRefused(String name) throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, true, request("GET", "/conn-specific", name, "chunked"));
            RawH2.Answer a = h2.await(1);
            assertThat(a.status() == 400 || a.reset() || a.goAway()).as("%s answered %s", name, a).isTrue();
        }
        assertThat(backend.seen()).doesNotContain("/conn-specific");
    }

    /** A body longer than its content-length must not spill past it into a second HTTP/1.1 request on the app's socket. */
    @Test
    void aBodyLongerThanItsContentLengthNeverSpillsIntoASecondRequest() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, false, request("POST", "/cl-short", "content-length", "5"));
            h2.data(1, true, "helloGET /smuggled-a HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            h2.await(1);
        }
        assertThat(backend.seen()).doesNotContain("/smuggled-a");
    }

    /** Chunked framing written by the client inside DATA, with a transfer-encoding field, stays body bytes. */
    @Test
    void chunkedFramingInDataNeverBecomesASecondRequest() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, false, request("POST", "/te-chunked", "transfer-encoding", "chunked"));
            h2.data(1, true, "0\r\n\r\nGET /smuggled-b HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
            h2.await(1);
        }
        assertThat(backend.requestLines()).doesNotContain("GET /smuggled-b HTTP/1.1");
    }

    /** A body shorter than its content-length: refused, and the app's connection is not left waiting for the next user's bytes. */
    @Test
    void aBodyShorterThanItsContentLengthIsRefused() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, false, request("POST", "/cl-long", "content-length", "100"));
            h2.data(1, true, "hello".getBytes(StandardCharsets.ISO_8859_1));
            RawH2.Answer a = h2.await(1);
            assertThat(a.status() != 200).as("answered %s", a).isTrue();
        }
        try (RawH2 h2 = connect()) {
            h2.headers(1, true, request("GET", "/after-cl-long"));
            assertThat(h2.await(1).status()).isEqualTo(200);
        }
        assertThat(backend.requestLines()).contains("GET /after-cl-long HTTP/1.1");
    }

    /** CR, LF and NUL in a field value (malformed on HTTP/2, RFC 9113 §8.2.1) never become a second field on HTTP/1.1. */
    @ParameterizedTest
    @ValueSource(strings = {"v\r\nx-drawbridge-user: mallory", "v\nx-drawbridge-user: mallory", "v\rx-drawbridge-user: mallory",
        "v\u0000x-drawbridge-user: mallory"})
    void controlCharactersInAValueNeverSplitIt(String value) throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, true, request("GET", "/crlf", "x-a", value));
            h2.await(1);
        }
        String seen = backend.seen().toLowerCase(Locale.ROOT);
        assertThat(seen).doesNotContain("\nx-drawbridge-user").doesNotContain("\rx-drawbridge-user");
    }

    /** Likewise in a field name. */
    @Test
    void controlCharactersInANameNeverSplitIt() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, true, request("GET", "/crlf-name", "x-a: 1\r\nx-drawbridge-user", "mallory"));
            h2.await(1);
        }
        assertThat(backend.seen().toLowerCase(Locale.ROOT)).doesNotContain("\nx-drawbridge-user");
    }

    /** Routing by :authority in every spelling: an app that needs sign-in is never reached without it. */
    @ParameterizedTest
    @ValueSource(strings = {"RAWPRIV.LOCALHOST:%d", "rawpriv.localhost.:%d", "rawpriv.localhost", "x@rawpriv.localhost:%d",
        "rawpriv.localhost:%d@raw.localhost:%d"})
    void everySpellingOfAnAuthorityIsRoutedAsItsHost(String spelling) throws Exception {
        int port = stack.server().publicPort();
        String a = spelling.replace("%d", Integer.toString(port));
        try (RawH2 h2 = connect()) {
            h2.headers(1, true, ":method", "GET", ":scheme", "https", ":authority", a, ":path", "/authority-" + Math.abs(a.hashCode()));
            h2.await(1);
        }
        // Whatever was routed, the app that needs sign-in was not reached anonymously, and the app never read another host.
        String seen = backend.seen().toLowerCase(Locale.ROOT);
        assertThat(seen).doesNotContain("host: rawpriv").doesNotContain("@");
    }

    /** No :authority, and a Host naming the app that needs sign-in: routed by that Host, so sign-in is asked. */
    @Test
    void aHostWithoutAuthorityIsRoutedByTheHost() throws Exception {
        int port = stack.server().publicPort();
        try (RawH2 h2 = connect()) {
            h2.headers(1, true, ":method", "GET", ":scheme", "https", ":path", "/no-authority", "host", "rawpriv.localhost:" + port);
            RawH2.Answer a = h2.await(1);
            assertThat(a.status()).as("answered %s", a).isNotEqualTo(200);
        }
        assertThat(backend.seen()).doesNotContain("/no-authority");
    }

    /** Request trailers to an ordinary (HTTP/1.1) app: never a field the client could not send as a header. */
    @Test
    void requestTrailersNeverSmuggleIdentityToAnHttp1App() throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, false, request("POST", "/trailers"));
            h2.data(1, false, "abc".getBytes(StandardCharsets.ISO_8859_1));
            h2.headers(1, true, "x-drawbridge-user", "mallory", "transfer-encoding", "chunked", "content-length", "0",
                    "host", "rawpriv.localhost", "x-forwarded-for", "6.6.6.6");
            h2.await(1);
        }
        String seen = backend.seen().toLowerCase(Locale.ROOT);
        assertThat(seen).contains("/trailers").doesNotContain("mallory").doesNotContain("6.6.6.6").doesNotContain("rawpriv");
    }

    /**
     * Rapid reset (CVE-2023-44487): a client that opens and resets streams as fast as it can must be cut off long before
     * each of its streams has cost a request to the internal app.
     */
    @Test
    void rapidResetIsCutOffBeforeItReachesTheAppThousandsOfTimes() throws Exception {
        int before = backend.requests.get();
        int sent = 0;
        try (RawH2 h2 = connect()) {
            try {
                for (int id = 1; id < 2 * 2000; id += 2) {
                    h2.headers(id, true, request("GET", "/rr"));
                    h2.reset(id);
                    sent++;
                }
            } catch (IOException closed) {
                // The server closed the connection: what we want.
            }
            h2.drain(2000);
        }
        int reached = backend.requests.get() - before;
        assertThat(reached).as("%d of %d reset streams reached the app", reached, sent).isLessThan(300);
    }

    /**
     * MadeYouReset (CVE-2025-8671): frames that make the server reset the stream itself (a zero WINDOW_UPDATE, DATA after
     * END_STREAM) escape a count of the client's own resets; they must be cut off the same way.
     */
    @ParameterizedTest
    @ValueSource(strings = {"window-update-zero", "data-after-end"})
    void serverProvokedResetsAreCutOffToo(String how) throws Exception {
        int before = backend.requests.get();
        int sent = 0;
        try (RawH2 h2 = connect()) {
            try {
                for (int id = 1; id < 2 * 2000; id += 2) {
                    h2.headers(id, true, request("GET", "/myr"));
                    if (how.equals("window-update-zero")) {
                        h2.frame(RawH2.WINDOW_UPDATE, 0, id, new byte[4]);
                    } else {
                        h2.data(id, true, new byte[1]);
                    }
                    sent++;
                }
            } catch (IOException closed) {
                // The server closed the connection: what we want.
            }
            h2.drain(2000);
        }
        int reached = backend.requests.get() - before;
        assertThat(reached).as("%d of %d provoked-reset streams reached the app", reached, sent).isLessThan(300);
    }

    /**
     * A content-length field an HTTP/1.1 parser would read differently from Jetty (sign, list, leading zeros, spaces):
     * refused, or reaching the app as plain digits that match the body sent. Never a 500.
     */
    @ParameterizedTest
    @ValueSource(strings = {"+5", "5, 5", "5,5", "05", "0x5", "5.0", "-5", "abc", "5 5", "99999999999999999999"})
    void oddContentLengthsNeverReachTheAppAsSent(String value) throws Exception {
        try (RawH2 h2 = connect()) {
            h2.headers(1, false, request("POST", "/odd-cl", "content-length", value));
            h2.data(1, true, "hello".getBytes(StandardCharsets.ISO_8859_1));
            RawH2.Answer a = h2.await(1);
            assertThat(a.status()).as("answered %s", a).isNotEqualTo(500);
        }
        backend.seen().lines().filter(l -> l.toLowerCase(Locale.ROOT).startsWith("content-length:"))
                .forEach(l -> assertThat(l.substring(15).strip()).as(value).isEqualTo("5"));
    }

    /** Every spelling class of a path gets the same answer on HTTP/2 as on HTTP/1.1 (Jetty's URI checks, then routing). */
    @ParameterizedTest
    @ValueSource(strings = {"/a%2Fb", "/%2e%2e/x", "/a/../b", "/a/%2e%2e/b", "/a;x=1/b", "/a//b", "/a\\b", "/%u0061", "/%C0%AF",
        "/.drawbridge/callback", "/%2edrawbridge/callback", "/a%00b", "/A/B", "/a/..;/b", "/%252e%252e/x", "/a%5Cb", "/a/./b",
        "/a/%2e/b", "/%ef%bc%8e%ef%bc%8e/x"})
    void everyPathSpellingIsAnsweredAsOnHttp1(String path) throws Exception {
        RawTls h1 = new RawTls(stack.server().serverCaCertificate(), stack.server().publicPort());
        String viaH1 = h1.get("127.0.0.1", new byte[0], "raw.localhost", path);
        int h1Status = viaH1 == null ? 0 : RawTls.status(viaH1);
        try (RawH2 h2 = connect()) {
            h2.headers(1, true, request("GET", path));
            RawH2.Answer a = h2.await(1);
            assertThat(a.status()).as("%s: h1 %d, h2 %s", path, h1Status, a).isEqualTo(h1Status);
        }
    }

    /**
     * A client that opens 100 streams per connection for large answers and never opens its flow-control window
     * (SETTINGS_INITIAL_WINDOW_SIZE 0): each stream parks up to a tunnel window (512 KiB) of the answer in the proxy's
     * heap, so with 100 streams allowed a handful of TCP connections held hundreds of MiB (measured: 130 MiB for two).
     * One connection may hold at most {@link PublicHttp2#MAX_CONCURRENT_STREAMS} streams' worth; the streams beyond
     * are refused and never reach the app.
     */
    @Test
    void aClientThatNeverReadsCannotParkHundredsOfMegabytesInTheProxy() throws Exception {
        long baseline = usedHeapAfterGc();
        List<RawH2> clients = new ArrayList<>();
        try {
            for (int c = 0; c < 2; c++) {
                RawH2 h2 = connect();
                clients.add(h2);
                h2.frame(RawH2.SETTINGS, 0, 0, new byte[]{0, 4, 0, 0, 0, 0});
                for (int i = 0; i < 100; i++) {
                    h2.headers(1 + 2 * i, true, request("GET", "/big-" + c + "-" + i));
                }
            }
            // Watch the heap for 15 s: an unbounded buffer shows within seconds (measured: 130 MiB), a bounded one never.
            long bound = 48L << 20;
            long grown = 0;
            long deadline = System.nanoTime() + 15_000_000_000L;
            while (grown < bound && System.nanoTime() < deadline) {
                LockSupport.parkNanos(200_000_000L);
                grown = usedHeapAfterGc() - baseline;
            }
            assertThat(grown).as("heap held for 200 unread streams of two connections: %d MiB (app wrote %d MiB)",
                    grown >> 20, backend.bigBytes.get() >> 20).isLessThan(bound);
            assertThat(backend.seen().lines().filter(l -> l.startsWith("GET /big-")).count())
                    .as("requests of the two connections that reached the app").isLessThanOrEqualTo(2L * PublicHttp2.MAX_CONCURRENT_STREAMS);
        } finally {
            for (RawH2 h2 : clients) {
                h2.close();
            }
        }
    }

    private static long usedHeapAfterGc() {
        Runtime rt = Runtime.getRuntime();
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return rt.totalMemory() - rt.freeMemory();
    }

    /** Floods of frames that cost the server work but carry no request: the connection is closed, not served forever. */
    @ParameterizedTest
    @ValueSource(strings = {"ping", "settings", "empty-data", "continuation", "window-update-zero"})
    void floodsCloseTheConnection(String kind) throws Exception {
        boolean closed = false;
        try (RawH2 h2 = connect()) {
            try {
                if (kind.equals("empty-data")) {
                    h2.headers(1, false, request("POST", "/flood"));
                }
                if (kind.equals("continuation")) {
                    h2.frame(RawH2.HEADERS, 0, 1, RawH2.block(request("GET", "/flood-continuation")));
                }
                byte[] filler = RawH2.block("x-filler", "a".repeat(900));
                for (int i = 0; i < 20_000; i++) {
                    switch (kind) {
                        case "ping" -> h2.frame(RawH2.PING, 0, 0, new byte[8]);
                        case "settings" -> h2.frame(RawH2.SETTINGS, 0, 0, new byte[0]);
                        case "empty-data" -> h2.frame(RawH2.DATA, 0, 1, new byte[0]);
                        case "continuation" -> h2.frame(9, 0, 1, filler);
                        default -> h2.frame(RawH2.WINDOW_UPDATE, 0, 0, new byte[4]);
                    }
                }
            } catch (IOException e) {
                closed = true;
            }
            if (!closed) {
                closed = h2.drain(3000).stream().anyMatch(f -> f.type() == RawH2.GOAWAY);
            }
        }
        assertThat(closed).as(kind).isTrue();
        assertThat(backend.seen()).doesNotContain("/flood-continuation");
    }

    /** An HPACK bomb: one large field in the dynamic table, then hundreds of one-byte references to it. */
    @Test
    void anHpackBombIsRefusedBeforeItReachesTheApp() throws Exception {
        try (RawH2 h2 = connect()) {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            b.writeBytes(RawH2.block(request("GET", "/hpack-bomb")));
            byte[] big = RawH2.block("x-bomb", "b".repeat(3000));
            big[0] = 0x40;
            b.writeBytes(big);
            for (int i = 0; i < 2000; i++) {
                b.write(0x80 | 62);
            }
            h2.frame(RawH2.HEADERS, RawH2.END_HEADERS | RawH2.END_STREAM, 1, b.toByteArray());
            RawH2.Answer a = h2.await(1);
            assertThat(a.status() != 200).as("answered %s", a).isTrue();
        }
        assertThat(backend.seen()).doesNotContain("/hpack-bomb");
    }

    /** A client that resets its streams (or drops its connection) while the app has not answered: the app's requests end. */
    @ParameterizedTest
    @ValueSource(strings = {"reset", "close", "reset-with-body"})
    void aClientThatGoesAwayEndsItsRequestsAtTheApp(String how) throws Exception {
        int before = backend.hangsEnded.get();
        int n = how.endsWith("body") ? 5 : 20;
        try (RawH2 h2 = connect()) {
            for (int i = 0; i < n; i++) {
                if (how.endsWith("body")) {
                    h2.headers(1 + 2 * i, false, request("POST", "/hang-" + how + "-" + i));
                    for (int k = 0; k < 3; k++) {
                        h2.data(1 + 2 * i, false, new byte[1000]);
                    }
                } else {
                    h2.headers(1 + 2 * i, true, request("GET", "/hang-" + how + "-" + i));
                }
            }
            long deadline = System.nanoTime() + 20_000_000_000L;
            while (backend.hangsStarted.get() - before < n && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            assertThat(backend.hangsStarted.get() - before).as(() -> {
                try {
                    return "frames: " + h2.drain(2000).stream().map(f -> f.type() + "/" + f.stream() + "/" + f.payload().length).toList()
                            + " backend: " + backend.seen();
                } catch (IOException e) {
                    return e.toString();
                }
            }).isGreaterThanOrEqualTo(n);
            if (how.startsWith("reset")) {
                for (int i = 0; i < n; i++) {
                    h2.reset(1 + 2 * i);
                }
                h2.drain(200);
            }
        }
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (backend.hangsEnded.get() - before < n && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        assertThat(backend.hangsEnded.get() - before).as("app requests ended after the client went away (%s)", how).isEqualTo(n);
    }

    /** {@code :path} in absolute form or {@code *}: never routed by a host other than the one the app reads. */
    @ParameterizedTest
    @ValueSource(strings = {"https://rawpriv.localhost:%d/abs", "*", "//rawpriv.localhost/x", "http://rawpriv.localhost/abs2"})
    void oddPathFormsNeverReachTheAppUnderAnotherHost(String path) throws Exception {
        String p = path.replace("%d", Integer.toString(stack.server().publicPort()));
        try (RawH2 h2 = connect()) {
            h2.headers(1, true, ":method", "GET", ":scheme", "https", ":authority", authority, ":path", p);
            RawH2.Answer a = h2.await(1);
            assertThat(a.status()).as("answered %s", a).isNotEqualTo(500);
        }
        assertThat(backend.seen().toLowerCase(Locale.ROOT)).doesNotContain("rawpriv");
    }

    /** An HTTP/1.1 app on a raw socket: records every byte, answers each request (Content-Length or chunked) with 200. */
    static final class RawBackend implements AutoCloseable {
        final ServerSocket server;
        final StringBuffer bytes = new StringBuffer();
        final AtomicInteger requests = new AtomicInteger();
        final AtomicInteger hangsStarted = new AtomicInteger();
        final AtomicLong bigBytes = new AtomicLong();
        final AtomicInteger hangsEnded = new AtomicInteger();
        /** The request line of every request this backend framed (not body bytes that look like one). */
        final List<String> framed = new CopyOnWriteArrayList<>();
        final Thread acceptor;

        RawBackend() throws IOException {
            server = new ServerSocket(0, 200, InetAddress.getLoopbackAddress());
            acceptor = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try {
                        Socket s = server.accept();
                        Thread.ofVirtual().start(() -> serve(s));
                    } catch (IOException e) {
                        return;
                    }
                }
            });
        }

        URI uri() {
            return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/");
        }

        void clear() {
            bytes.setLength(0);
            framed.clear();
        }

        String seen() {
            return bytes.toString();
        }

        List<String> requestLines() {
            return List.copyOf(framed);
        }

        private void serve(Socket s) {
            try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
                s.setSoTimeout(30_000);
                while (true) {
                    String head = readHead(in);
                    if (head == null) {
                        return;
                    }
                    requests.incrementAndGet();
                    framed.add(head.substring(0, head.indexOf("\r\n")));
                    if (head.startsWith("GET /big")) {
                        out.write("HTTP/1.1 200 OK\r\nContent-Length: 8388608\r\nContent-Type: application/octet-stream\r\n\r\n"
                                .getBytes(StandardCharsets.ISO_8859_1));
                        byte[] chunk = new byte[65536];
                        for (int k = 0; k < 128; k++) {
                            out.write(chunk);
                            bigBytes.addAndGet(chunk.length);
                        }
                        out.flush();
                        continue;
                    }
                    if (head.startsWith("GET /hang") || head.startsWith("POST /hang")) {
                        hangsStarted.incrementAndGet();
                        try {
                            s.setSoTimeout(0);
                            while (in.read() >= 0) {
                                // wait for the connector to give up
                            }
                        } finally {
                            hangsEnded.incrementAndGet();
                        }
                        return;
                    }
                    String lower = head.toLowerCase(Locale.ROOT);
                    if (lower.contains("\r\ntransfer-encoding: chunked")) {
                        readChunked(in);
                    } else {
                        int i = lower.indexOf("\r\ncontent-length:");
                        if (i >= 0) {
                            int end = lower.indexOf("\r\n", i + 2);
                            int n = Integer.parseInt(lower.substring(i + 17, end).strip());
                            record(in.readNBytes(n));
                        }
                    }
                    out.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nContent-Type: text/plain\r\n\r\nok".getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                }
            } catch (IOException | RuntimeException e) {
                // The connector closed or sent something this backend cannot frame: recorded anyway.
            }
        }

        private void record(byte[] b) {
            bytes.append(new String(b, StandardCharsets.ISO_8859_1));
        }

        private String readHead(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            int c;
            while ((c = in.read()) >= 0) {
                b.write(c);
                bytes.append((char) c);
                byte[] a = b.toByteArray();
                int n = a.length;
                if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                    return b.toString(StandardCharsets.ISO_8859_1);
                }
            }
            return null;
        }

        private void readChunked(InputStream in) throws IOException {
            while (true) {
                String line = line(in);
                int size = Integer.parseInt(line.split(";")[0].strip(), 16);
                if (size == 0) {
                    while (!line(in).isEmpty()) {
                        // trailers
                    }
                    return;
                }
                record(in.readNBytes(size));
                line(in);
            }
        }

        private String line(InputStream in) throws IOException {
            StringBuilder b = new StringBuilder();
            int c;
            while ((c = in.read()) >= 0) {
                bytes.append((char) c);
                if (c == '\n') {
                    break;
                }
                b.append((char) c);
            }
            return b.toString().strip();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
