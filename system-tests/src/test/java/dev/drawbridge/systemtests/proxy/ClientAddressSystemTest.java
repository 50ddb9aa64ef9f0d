package dev.drawbridge.systemtests.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.signin.Cookies;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * System test of the address Drawbridge decides on, with 127.0.0.2 configured as the one trusted proxy and the
 * PROXY protocol on. A policy blocks the "Office" app everywhere but the trusted named location 203.0.113.0/24.
 * From an untrusted peer (127.0.0.1, 127.0.0.3), forged X-Forwarded-For, X-Real-IP, Forwarded and the rest change
 * neither that decision, nor the sign-in log's address, nor the admin sign-in limiter's count; from the trusted
 * proxy, the rightmost untrusted X-Forwarded-For entry, or its PROXY v1/v2 header (raw bytes, then TLS), is the
 * client. A PROXY header from an untrusted peer is refused, and so is a trusted peer's that names no IP client
 * (AF_UNIX, UNSPEC); its LOCAL header leaves its own address.
 */
class ClientAddressSystemTest {
    static final String PASSWORD = "correct horse battery staple";
    static final String TRUSTED = "127.0.0.2", UNTRUSTED = "127.0.0.1", ALSO_UNTRUSTED = "127.0.0.3";
    static final String IN_OFFICE = "203.0.113.7", AT_HOME = "198.51.100.1";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String office, open, login;
    static RawTls raw;
    static String officeCookie;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server"))
                .withProxies(new ServerConfig.Proxies(List.of(TRUSTED + "/32"), true)));
        office = stack.externalUrl("office");
        login = stack.externalUrl("login");
        open = stack.publish("Open", "open", app.baseUri());
        AdminApi api = stack.adminApi();
        String officeId = api.apps().create(new AppSpec("Office", office, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false))).id();
        stack.startConnector(dir.resolve("c"), 1);
        api.namedLocations().create(new NamedLocation(null, "Office", true, List.of("203.0.113.0/24")));
        api.policies().create(new AccessPolicy(null, "Office only", AccessPolicy.State.ON, List.of(officeId),
                List.of("ALL"), List.of(), List.of("UNTRUSTED"), List.of(), List.of(), null, AccessPolicy.Control.BLOCK));
        for (String u : List.of("alice", "bob", "carol")) {
            api.users().create(new UserSpec(u + "@corp.example", u, null, null, PASSWORD));
        }
        raw = new RawTls(stack.server().serverCaCertificate(), stack.server().publicPort());
        // Carol's app cookie, for the raw requests: signed in through the trusted proxy from the office.
        HttpClient carol = client(TRUSTED);
        try {
            assertThat(signIn(carol, "carol", List.<String[]>of(new String[]{"X-Forwarded-For", IN_OFFICE})).getStatus()).isEqualTo(200);
            HttpCookie c = carol.getHttpCookieStore().match(URI.create(office)).stream()
                    .filter(k -> k.getName().startsWith(Cookies.APP_PREFIX)).findFirst().orElseThrow();
            officeCookie = "Cookie: " + c.getName() + "=" + c.getValue();
        } finally {
            carol.stop();
        }
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    /** A cookie-keeping client whose connections come from {@code from}. */
    static HttpClient client(String from) throws Exception {
        HttpClient c = Https.client(stack.server().serverCaCertificate(), true);
        c.setBindAddress(new InetSocketAddress(InetAddress.ofLiteral(from), 0));
        return c;
    }

    /** Opens the Office app, signs {@code user} in, follows the redirects; {@code extra} headers go with every request. */
    static ContentResponse signIn(HttpClient b, String user, List<String[]> extra) throws Exception {
        ContentResponse r = send(b, office + "echo/signed-in", "GET", null, extra);
        r = send(b, r.getHeaders().get("Location"), "GET", null, extra);
        Fields f = SignInForms.hiddenFields(r.getContentAsString());
        f.put("upn", user + "@corp.example");
        f.put("password", PASSWORD);
        r = send(b, login + "signin", "POST", f, extra);
        while (r.getStatus() == 302 || r.getStatus() == 303) {
            r = send(b, r.getHeaders().get("Location"), "GET", null, extra);
        }
        return r;
    }

    static ContentResponse send(HttpClient b, String url, String method, Fields form, List<String[]> extra) throws Exception {
        var req = b.newRequest(URI.create(url)).method(method).timeout(20, TimeUnit.SECONDS)
                .headers(h -> {
                    h.put("Accept", "text/html");
                    extra.forEach(nv -> h.add(nv[0], nv[1]));
                });
        if (form != null) {
            req.body(new FormRequestContent(form));
        }
        return req.send();
    }

    /** Every header a client could use to claim an address, each claiming {@code ip}. */
    static List<String[]> forgedAddress(String ip) {
        List<String[]> h = new ArrayList<>();
        for (String n : List.of("X-Forwarded-For", "X_Forwarded_For", "x.forwarded.for", "X-Real-IP", "X_Real_IP", "True-Client-IP",
                "X-Client-IP", "Client-IP", "CF-Connecting-IP", "Fastly-Client-IP", "X-Cluster-Client-IP", "X-Originating-IP",
                "X-Remote-Addr", "X-Remote-IP", "X-Azure-ClientIP", "Fly-Client-IP")) {
            h.add(new String[]{n, ip});
        }
        h.add(new String[]{"Forwarded", "for=" + ip});
        h.add(new String[]{"Forwarded", "for=\"" + ip + ":4711\";proto=https"});
        return h;
    }

    static List<String> loggedAddresses(String user) throws Exception {
        List<SignInLogEntry> items = signIns(new Logs.SignInFilter(user + "@corp.example", null, null, null, null, null));
        assertThat(items).isNotEmpty();
        return items.stream().map(SignInLogEntry::clientIp).toList();
    }

    static List<SignInLogEntry> signIns(Logs.SignInFilter filter) throws Exception {
        return stack.adminApi().logs().signIns(Paging.DEFAULT, filter).items();
    }

    static String forwardedFor(ContentResponse echo) throws Exception {
        JsonNode v = Json.MAPPER.readTree(echo.getContent()).path("headers").path("x-forwarded-for");
        assertThat(v.size()).isEqualTo(1);
        return v.get(0).asText();
    }

    @Test
    void forgedAddressHeadersFromAnUntrustedPeerChangeNoDecisionAndNoLogEntry() throws Exception {
        HttpClient alice = client(UNTRUSTED);
        try {
            ContentResponse r = signIn(alice, "alice", forgedAddress(IN_OFFICE));
            assertThat(r.getStatus()).isEqualTo(403);
            assertThat(r.getContentAsString()).contains("Access blocked").contains("Office only");
            assertThat(send(alice, office + "echo/again", "GET", null, forgedAddress(IN_OFFICE)).getStatus()).isEqualTo(403);
            // Kept for the app, never decided on: the address Drawbridge used is appended.
            ContentResponse echo = send(alice, open + "echo/open", "GET", null, forgedAddress(IN_OFFICE));
            assertThat(forwardedFor(echo)).isEqualTo(IN_OFFICE + ", " + UNTRUSTED);
        } finally {
            alice.stop();
        }
        assertThat(loggedAddresses("alice")).containsOnly(UNTRUSTED);
        assertThat(signIns(new Logs.SignInFilter("alice@corp.example", null, SignInResult.DENIED, null, null, null))).isNotEmpty();
    }

    @Test
    void theTrustedProxysRightmostUntrustedEntryIsTheClient() throws Exception {
        HttpClient bob = client(TRUSTED);
        try {
            // A client behind the proxy forged the left entry; the proxy appended the address it saw.
            List<String[]> viaProxy = List.<String[]>of(new String[]{"X-Forwarded-For", AT_HOME + ", " + IN_OFFICE});
            ContentResponse r = signIn(bob, "bob", viaProxy);
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(forwardedFor(r)).isEqualTo(AT_HOME + ", " + IN_OFFICE + ", " + IN_OFFICE);
            assertThat(loggedAddresses("bob")).containsOnly(IN_OFFICE);
            ContentResponse home = send(bob, office + "echo/home", "GET", null,
                    List.<String[]>of(new String[]{"X-Forwarded-For", IN_OFFICE + ", " + AT_HOME}));
            assertThat(home.getStatus()).isEqualTo(403);
            assertThat(send(bob, office + "echo/no-header", "GET", null, List.of()).getStatus()).as("the proxy itself is not in the office")
                    .isEqualTo(403);
        } finally {
            bob.stop();
        }
        assertThat(loggedAddresses("bob")).contains(AT_HOME, TRUSTED).doesNotContain(UNTRUSTED);
    }

    static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    static byte[] v2(String src, int srcPort) {
        byte[] s = InetAddress.ofLiteral(src).getAddress(), d = InetAddress.ofLiteral("127.0.0.1").getAddress();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, 0x21, 0x11, 0x00, 12});
        b.writeBytes(ByteBuffer.allocate(12).put(s).put(d).putShort((short) srcPort).putShort((short) 443).array());
        return b.toByteArray();
    }

    @Test
    void theTrustedProxysProxyHeaderNamesTheClient() throws Exception {
        String v1 = raw.get(TRUSTED, v1("PROXY TCP4 " + IN_OFFICE + " 127.0.0.1 51234 443"), "office.localhost", "/echo/v1", officeCookie);
        assertThat(RawTls.status(v1)).as(v1).isEqualTo(200);
        assertThat(v1).contains("\"x-forwarded-for\":[\"" + IN_OFFICE + "\"]");
        String v2 = raw.get(TRUSTED, v2("203.0.113.8", 40000), "office.localhost", "/echo/v2", officeCookie);
        assertThat(RawTls.status(v2)).as(v2).isEqualTo(200);
        assertThat(v2).contains("\"x-forwarded-for\":[\"203.0.113.8\"]");
        String home = raw.get(TRUSTED, v1("PROXY TCP4 " + AT_HOME + " 127.0.0.1 51234 443"), "office.localhost", "/echo/home", officeCookie);
        assertThat(RawTls.status(home)).isEqualTo(403);
        String forged = raw.get(TRUSTED, v2(AT_HOME, 40001), "office.localhost", "/echo/forged", officeCookie,
                "X-Forwarded-For: " + IN_OFFICE, "X-Real-IP: " + IN_OFFICE);
        assertThat(RawTls.status(forged)).as("the reported client is not a proxy: its headers are not read").isEqualTo(403);
        assertThat(loggedAddresses("carol")).contains(AT_HOME, IN_OFFICE);
    }

    /** A PROXY v2 header with the given command and family/transport bytes and address block. */
    static byte[] v2(int command, int familyTransport, byte[] addresses) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A, (byte) command, (byte) familyTransport,
                (byte) (addresses.length >> 8), (byte) addresses.length});
        b.writeBytes(addresses);
        return b.toByteArray();
    }

    /** PROXY, AF_UNIX over a stream: two 108-byte NUL-padded paths. */
    static byte[] v2Unix(String path) {
        return v2(0x21, 0x31, ByteBuffer.allocate(216).put(path.getBytes(StandardCharsets.UTF_8)).position(108)
                .put("/run/drawbridge.sock".getBytes(StandardCharsets.UTF_8)).array());
    }

    @Test
    void aTrustedProxysHeaderWithoutAnIpClientClosesTheConnectionAndLocalLeavesThePeer() throws Exception {
        // AF_UNIX: the balancer cannot tell us that client's address, and a path spelled like an office address
        // (read back as the remote address) must not pass for one.
        for (String path : List.of(IN_OFFICE, "/run/haproxy.sock")) {
            assertThat(raw.get(TRUSTED, v2Unix(path), "office.localhost", "/echo/unix", officeCookie)).as(path).isNull();
        }
        assertThat(raw.get(TRUSTED, v2(0x21, 0x00, new byte[0]), "office.localhost", "/echo/unspec", officeCookie)).isNull();
        // LOCAL is the balancer's own connection (health checks): its own address is the client, not in the office.
        String local = raw.get(TRUSTED, v2(0x20, 0x00, new byte[0]), "office.localhost", "/echo/local", officeCookie);
        assertThat(RawTls.status(local)).as(local).isEqualTo(403);
        String localUnix = raw.get(TRUSTED, v2(0x20, 0x31, new byte[216]), "office.localhost", "/echo/local", officeCookie);
        assertThat(RawTls.status(localUnix)).as(localUnix).isEqualTo(403);
    }

    @Test
    void aProxyHeaderFromAnUntrustedPeerIsRefused() throws Exception {
        for (String from : List.of(UNTRUSTED, ALSO_UNTRUSTED)) {
            assertThat(raw.get(from, v1("PROXY TCP4 " + IN_OFFICE + " 127.0.0.1 51234 443"), "office.localhost", "/echo/x", officeCookie))
                    .isNull();
            assertThat(raw.get(from, v2(IN_OFFICE, 40000), "office.localhost", "/echo/x", officeCookie)).isNull();
            assertThat(raw.get(from, v1("PROXY UNKNOWN"), "office.localhost", "/echo/x", officeCookie)).isNull();
            String direct = raw.get(from, new byte[0], "office.localhost", "/echo/x", officeCookie, "X-Forwarded-For: " + IN_OFFICE);
            assertThat(RawTls.status(direct)).as("served as itself").isEqualTo(403);
        }
    }

    @Test
    void theAdminSignInLimiterCountsTheAddressDrawbridgeDecidesOn() throws Exception {
        HttpClient sprayer = client(ALSO_UNTRUSTED), proxy = client(TRUSTED);
        try {
            int limited = 0;
            for (int i = 0; i < 30; i++) {
                String claimed = "192.0.2." + (i + 1);
                limited += adminSignIn(sprayer, i, List.of(new String[]{"X-Forwarded-For", claimed}, new String[]{"X-Real-IP", claimed},
                        new String[]{"Forwarded", "for=" + claimed})) == 429 ? 1 : 0;
            }
            assertThat(limited).as("forged addresses do not get fresh buckets").isPositive();
            for (int i = 0; i < 30; i++) {
                assertThat(adminSignIn(proxy, i, List.<String[]>of(new String[]{"X-Forwarded-For", "198.51.100." + (i + 1)})))
                        .as("each client behind the trusted proxy has its own bucket").isEqualTo(401);
            }
        } finally {
            sprayer.stop();
            proxy.stop();
        }
        List<String> ips = signIns(new Logs.SignInFilter(null, null, null, SignInEvent.ADMIN_SIGN_IN, null, null)).stream()
                .map(SignInLogEntry::clientIp).toList();
        assertThat(ips).contains(ALSO_UNTRUSTED, "198.51.100.1", "198.51.100.30").noneMatch(ip -> ip.startsWith("192.0.2."));
    }

    static int adminSignIn(HttpClient c, int i, List<String[]> extra) throws Exception {
        return c.newRequest(stack.adminUrl().resolve("/api/v1/auth/token")).method("POST").timeout(20, TimeUnit.SECONDS)
                .headers(h -> extra.forEach(nv -> h.add(nv[0], nv[1])))
                .body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(
                        new AdminTokenRequest("nobody" + i + "@corp.example", "Winter2026!", null))))
                .send().getStatus();
    }
}
