package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
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
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.text.Normalizer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Defect 1 of issue 8 through the real stack (TLS, routing, tunnel, connector): hosts with a "/" app and an "/hr/" app,
 * or only an "/hr/" app, with "/hr/" case-sensitive or case-insensitive (IIS), each app on its own recording backend (one server; the internal path prefix
 * tells the apps
 * apart). Every spelling of a path under "/hr/" (percent-encoded letters, {@code ;} parameters, encoded and
 * backslash separators, repeated slashes, letter case, double encoding, dot segments, NUL and overlong UTF-8, full-width
 * letters, compatibility forms of "/", "\", ";", "." and space that NFKC folds to ASCII, trailing dots) is sent to
 * every host; each either is refused by the proxy or reaches the backend of the app that owns the path as a backend
 * would read it (decoded repeatedly, NFKC, {@code ;} parameters dropped, backslashes as slashes, dot segments resolved,
 * letters in any case). Plain paths still reach their apps.
 */
class PathBypassTest {
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static Server backend;
    /** Raw path each backend request arrived with, by probe number. */
    static final Map<Integer, String> received = new ConcurrentHashMap<>();
    static final AtomicInteger probes = new AtomicInteger();

    /** A host under test: its label and whether "/" is published next to "/hr/". */
    record Host(String label, boolean withRoot, boolean caseInsensitiveHr) {
        String rootPrefix() {
            return "/root-" + label + "/";
        }

        String hrPrefix() {
            return "/hr-" + label + "/";
        }

        @Override
        public String toString() {
            return label;
        }
    }

    static final List<Host> HOSTS = List.of(new Host("intra", true, false), new Host("onlyhr", false, false),
            new Host("iis", true, true), new Host("onlyiis", false, true));

    @BeforeAll
    static void start() throws Exception {
        backend = new Server();
        // The backend records whatever arrives, however it is spelled.
        HttpConfiguration lenient = new HttpConfiguration();
        lenient.setUriCompliance(UriCompliance.UNSAFE);
        ServerConnector c = new ServerConnector(backend, new HttpConnectionFactory(lenient));
        c.setHost("127.0.0.1");
        c.setPort(0);
        backend.addConnector(c);
        backend.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                String query = request.getHttpURI().getQuery();
                received.put(Integer.parseInt(query.substring(query.indexOf("probe=") + 6)), request.getHttpURI().getPath());
                response.write(true, ByteBuffer.wrap("backend".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        backend.start();
        String internal = "http://127.0.0.1:" + c.getLocalPort();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        for (Host h : HOSTS) {
            if (h.withRoot()) {
                publish(h.label() + "-root", h.label(), "/", internal + h.rootPrefix(), false);
            }
            publish(h.label() + "-hr", h.label(), "/hr/", internal + h.hrPrefix(), h.caseInsensitiveHr());
        }
        stack.startConnector(dir.resolve("connector"), 1);
    }

    static void publish(String name, String label, String path, String internalUrl, boolean caseInsensitive) throws Exception {
        AppSpec spec = new AppSpec(name, stack.externalUrl(label) + path.substring(1), internalUrl, null, null, null,
                PreAuthentication.PASSTHROUGH, null, caseInsensitive);
        stack.adminApi().apps().create(spec);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        backend.stop();
    }

    /** Spellings of paths under /hr/ (and a few that are not), as request-targets. */
    static List<String> spellings() {
        List<String> s = new ArrayList<>(List.of(
                "/hr/salaries", "/hr", "/hr/",
                "/%68r/salaries", "/h%72/salaries", "/%68%72/salaries", "/%68r", "/%68r/",
                "/hr;x/salaries", "/hr;/salaries", "/hr;jsessionid=1/salaries", "/hr;x", "/hr;x/", "/x/..;/hr/salaries",
                "/hr%2Fsalaries", "/hr%2fsalaries", "/hr%5Csalaries", "/hr%5csalaries", "/hr\\salaries", "/hr%2F",
                "//hr/salaries", "///hr/salaries", "/hr//salaries",
                "/HR/salaries", "/Hr/salaries", "/hR/salaries", "/HR", "/HR/", "/%48R/salaries", "/%48r/salaries", "/h%52/salaries",
                "/%2568r/salaries", "/%2568%2572/salaries", "/hr%252Fsalaries", "/%25%36%38r/salaries", "/%252568r/salaries",
                "/%2e%2e/hr/salaries", "/x/%2e%2e/hr/salaries", "/x/..%2Fhr/salaries", "/x/%2E%2E%5Chr/salaries", "/x/../hr/salaries",
                "/x/%2e%2e;/hr/salaries", "/./hr/salaries", "/%2e/hr/salaries",
                "/%48r;x/salaries", "/H%52%2Fsalaries", "/hr%3Bx/salaries", "/%EF%BD%88r/salaries", "/%EF%BC%A8%EF%BC%B2/salaries",
                "/hr%00/salaries", "/hr%C0%AFsalaries", "/%C1%A8r/salaries", "/%u0068r/salaries", "/hr%09/salaries",
                "/hr./salaries", "/hr%20/salaries", "/hr%2E/salaries", "/hr../salaries",
                "/hr%EF%BC%8Fsalaries", "/hr%EF%BC%BCsalaries", "/hr%EF%BC%9Bx/salaries", "/hr%EF%BC%8E/salaries", "/hr%E3%80%80/salaries",
                "/x/%E2%80%A5/hr/salaries", "/x/%EF%BC%8E%EF%BC%8E/hr/salaries",
                "/salaries", "/hrx/salaries", "/xhr/salaries", "/h/r/salaries"));
        return s;
    }

    static Stream<Arguments> cases() {
        return HOSTS.stream().flatMap(h -> spellings().stream().map(p -> Arguments.of(h, p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void noSpellingReachesABackendUnderAPathAnotherAppOwns(Host host, String target) throws Exception {
        int probe = probes.incrementAndGet();
        String answer = get(host.label(), target + (target.contains("?") ? "&" : "?") + "probe=" + probe);
        String path = received.get(probe);
        if (path == null) {
            // Refused before any backend: a client error written by the proxy (or by Jetty in front of it).
            assertThat(answer).as("refused %s", target).matches("(?s)HTTP/1\\.1 4\\d\\d .*");
            return;
        }
        boolean hrOwns = ownedByHr(asBackendsRead(path.substring(path.indexOf('/', 1) + 1)));
        if (path.startsWith(host.rootPrefix())) {
            assertThat(hrOwns).as("%s reached the '/' app's backend as %s, a path /hr/ owns", target, path).isFalse();
        } else {
            assertThat(path).startsWith(host.hrPrefix());
            assertThat(ownedByHr(asBackendsRead(target.substring(1)))).as("%s reached /hr/'s backend as %s", target, path).isTrue();
        }
    }

    @Test
    void aCaseInsensitiveAppGetsItsPathInAnyCaseAndACaseSensitiveOneNever() throws Exception {
        assertThat(backendFor(HOSTS.get(2), "/HR/Salaries")).isEqualTo("/hr-iis/Salaries");
        assertThat(backendFor(HOSTS.get(3), "/hR")).isEqualTo("/hr-onlyiis/");
        assertThat(get("intra", "/HR/salaries?probe=0")).startsWith("HTTP/1.1 400").contains("X-Drawbridge-Generated: true");
    }

    @Test
    void plainPathsStillReachTheirApps() throws Exception {
        for (Host h : HOSTS) {
            assertThat(backendFor(h, "/hr/salaries?a=1")).isEqualTo(h.hrPrefix() + "salaries");
            assertThat(backendFor(h, "/hr")).isEqualTo(h.hrPrefix());
            assertThat(backendFor(h, "/hr/a%20b/c%2Fd")).isEqualTo(h.hrPrefix() + "a%20b/c%2Fd");
            if (h.withRoot()) {
                assertThat(backendFor(h, "/salaries")).isEqualTo(h.rootPrefix() + "salaries");
                assertThat(backendFor(h, "/hrx/salaries")).isEqualTo(h.rootPrefix() + "hrx/salaries");
                assertThat(backendFor(h, "/x/%68r")).isEqualTo(h.rootPrefix() + "x/%68r");
            }
        }
    }

    private static String backendFor(Host h, String target) throws Exception {
        int probe = probes.incrementAndGet();
        String answer = get(h.label(), target + (target.contains("?") ? "&" : "?") + "probe=" + probe);
        assertThat(answer).as(target).startsWith("HTTP/1.1 200");
        return received.get(probe);
    }

    /** Whether a path relative to a backend's root is under "hr/" as a lenient backend reads it. */
    static boolean ownedByHr(String read) {
        return read.equals("hr") || read.startsWith("hr/");
    }

    /**
     * A path as the most lenient common backend would read it: percent-decoded until stable, NFKC, backslashes as
     * slashes, {@code ;} parameters dropped, Windows' trailing dots and spaces dropped, empty and dot segments resolved,
     * lower case.
     */
    static String asBackendsRead(String raw) {
        String s = raw;
        for (int i = 0; i < 5; i++) {
            s = decodeOnce(s);
        }
        s = Normalizer.normalize(s, Normalizer.Form.NFKC).replace('\\', '/');
        Deque<String> out = new ArrayDeque<>();
        for (String seg : s.split("/")) {
            int semi = seg.indexOf(';');
            String name = (semi < 0 ? seg : seg.substring(0, semi));
            if (name.equals("..")) {
                out.pollLast();
                continue;
            }
            name = name.replaceAll("[. ]+$", "");
            if (!name.isEmpty()) {
                out.add(name);
            }
        }
        return String.join("/", out).toLowerCase(Locale.ROOT);
    }

    private static String decodeOnce(String s) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] in = s.getBytes(StandardCharsets.UTF_8);
        for (int i = 0; i < in.length; i++) {
            if (in[i] == '%' && i + 2 < in.length && Character.digit(in[i + 1], 16) >= 0 && Character.digit(in[i + 2], 16) >= 0) {
                b.write(Character.digit(in[i + 1], 16) * 16 + Character.digit(in[i + 2], 16));
                i += 2;
            } else {
                b.write(in[i]);
            }
        }
        return b.toString(StandardCharsets.UTF_8);
    }

    /** One GET over TLS with the request-target exactly as given; the whole answer. */
    static String get(String label, String target) throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", stack.server().serverCaCertificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        String host = label + ".localhost";
        try (SSLSocket s = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", stack.server().publicPort())) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName(host)));
            s.setSSLParameters(p);
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: " + host + ":" + stack.server().publicPort()
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
