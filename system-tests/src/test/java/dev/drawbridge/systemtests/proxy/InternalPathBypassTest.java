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

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Defect 1 of issue 8 on the internal side, through the real stack (TLS, routing, tunnel, connector, one recording
 * backend): an outer app whose internal URL contains an inner app's internal URL on the same backend must not carry
 * requests to the inner app's internal path. Layouts, each on its own backend name (all loopback): "/" containing
 * "/hr/" on another external host, the inner app's origin spelled {@code ROOT.localhost.} (case, trailing dot) and
 * signing users in; "/apps/" containing "/apps/hr/" published on the outer app's host under "/people/", case-insensitive;
 * and an outer app under the external sub-path "/portal/". Every spelling of {@link PathBypassTest#spellings} is sent
 * through each outer app: it is refused, or reaches the backend at a path that a lenient backend (decoding repeatedly,
 * NFKC, {@code ;} dropped, dot segments resolved, any case) does not read as under the inner app's internal path. The
 * outer apps' other paths, the inner apps' own paths and two apps with one internal URL still work.
 */
class InternalPathBypassTest {
    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static Server backend;
    static RawTls tls;
    static int backendPort;
    /** Backend host (lower case, no trailing dot) and raw path each backend request arrived with, by probe number. */
    static final Map<Integer, List<String>> received = new ConcurrentHashMap<>();
    static final AtomicInteger probes = new AtomicInteger();

    /**
     * An outer app at {@code outerLabel} + {@code outerPath} → {@code backendHost} + {@code outerInternal}, containing an
     * inner app whose internal path is {@code innerInternal}.
     */
    record Layout(String outerLabel, String outerPath, String backendHost, String outerInternal, String innerInternal) {
        @Override
        public String toString() {
            return outerLabel + outerPath;
        }
    }

    static final List<Layout> LAYOUTS = List.of(
            new Layout("intra", "/", "root.localhost", "/", "/hr/"),
            new Layout("portal", "/", "apps.localhost", "/apps/", "/apps/hr/"),
            new Layout("office", "/portal/", "office.localhost", "/", "/hr/"));

    @BeforeAll
    static void start() throws Exception {
        backend = new Server();
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
                String host = request.getHeaders().get("Host").replaceFirst(":\\d+$", "").replaceFirst("\\.$", "").toLowerCase(Locale.ROOT);
                received.put(Integer.parseInt(query.substring(query.indexOf("probe=") + 6)), List.of(host, request.getHttpURI().getPath()));
                response.write(true, ByteBuffer.wrap("backend".getBytes(StandardCharsets.UTF_8)), callback);
                return true;
            }
        });
        backend.start();
        backendPort = c.getLocalPort();
        String port = ":" + backendPort;
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        publish("intranet", "intra", "/", "http://root.localhost" + port + "/", PreAuthentication.PASSTHROUGH, false);
        publish("hr", "hr", "/", "http://ROOT.localhost." + port + "/hr/", PreAuthentication.DIRECTORY, false);
        publish("portal", "portal", "/", "http://apps.localhost" + port + "/apps/", PreAuthentication.PASSTHROUGH, false);
        publish("people", "portal", "/people/", "http://apps.localhost" + port + "/apps/hr/", PreAuthentication.PASSTHROUGH, true);
        publish("office", "office", "/portal/", "http://office.localhost" + port + "/", PreAuthentication.PASSTHROUGH, false);
        publish("office-hr", "office", "/hr/", "http://office.localhost" + port + "/hr/", PreAuthentication.PASSTHROUGH, false);
        publish("payroll", "payroll", "/", "http://equal.localhost" + port + "/pay/", PreAuthentication.PASSTHROUGH, false);
        publish("payroll-again", "payroll-again", "/", "http://Equal.localhost" + port + "/pay/", PreAuthentication.PASSTHROUGH, false);
        stack.startConnector(dir.resolve("connector"), 1);
        tls = new RawTls(stack.server().serverCaCertificate(), stack.server().publicPort());
    }

    static void publish(String name, String label, String path, String internalUrl, PreAuthentication preAuth, boolean caseInsensitive)
            throws Exception {
        AppSpec spec = new AppSpec(name, stack.externalUrl(label) + path.substring(1), internalUrl, null, null, null, preAuth, null,
                caseInsensitive);
        stack.adminApi().apps().create(spec);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        backend.stop();
    }

    static Stream<Arguments> cases() {
        return LAYOUTS.stream().flatMap(l -> PathBypassTest.spellings().stream().map(p -> Arguments.of(l, p)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("cases")
    void noSpellingThroughTheOuterAppReachesTheInnerAppsInternalPath(Layout l, String spelling) throws Exception {
        String target = spelling.startsWith("/") ? l.outerPath() + spelling.substring(1) : spelling;
        int probe = probes.incrementAndGet();
        String answer = get(l.outerLabel(), target + "?probe=" + probe);
        List<String> arrived = received.get(probe);
        if (arrived == null) {
            assertThat(answer).as("refused %s", target).matches("(?s)HTTP/1\\.\\d 4\\d\\d .*");
            return;
        }
        assertThat(arrived.getFirst()).isEqualTo(l.backendHost());
        String read = PathBypassTest.asBackendsRead(arrived.get(1).substring(1));
        String inner = l.innerInternal().substring(1, l.innerInternal().length() - 1);
        assertThat(read.equals(inner) || read.startsWith(inner + "/"))
                .as("%s through %s reached the backend as %s, under the inner app's %s", target, l, arrived.get(1), l.innerInternal())
                .isFalse();
    }

    @Test
    void thePlainPathIsAGenerated400AndReachesNothing() throws Exception {
        for (Layout l : LAYOUTS) {
            for (String p : List.of("hr/salaries", "hr", "HR/salaries", "%68r/salaries")) {
                int probe = probes.incrementAndGet();
                String answer = get(l.outerLabel(), l.outerPath() + p + "?probe=" + probe);
                assertThat(answer).as("%s%s", l, p).startsWith("HTTP/1.1 400").contains("X-Drawbridge-Generated: true")
                        .doesNotContain("localhost:" + backendPort).doesNotContainIgnoringCase("people");
                assertThat(received.get(probe)).isNull();
            }
        }
    }

    @Test
    void theOuterAppsOtherPathsStillReachTheBackend() throws Exception {
        for (Layout l : LAYOUTS) {
            for (String p : List.of("salaries", "hrx/salaries", "x/hr/salaries", "x/%68r", "")) {
                assertThat(backendFor(l.outerLabel(), l.outerPath() + p))
                        .isEqualTo(List.of(l.backendHost(), l.outerInternal() + p));
            }
        }
    }

    @Test
    void theInnerAppsOwnPathsStillWork() throws Exception {
        assertThat(backendFor("portal", "/people/salaries")).isEqualTo(List.of("apps.localhost", "/apps/hr/salaries"));
        assertThat(backendFor("portal", "/PEOPLE/hr/x")).isEqualTo(List.of("apps.localhost", "/apps/hr/hr/x"));
        assertThat(backendFor("office", "/hr/salaries")).isEqualTo(List.of("office.localhost", "/hr/salaries"));
        // HR signs users in: its own path asks for a sign-in and does not reach the backend.
        int probe = probes.incrementAndGet();
        String answer = get("hr", "/salaries?probe=" + probe);
        assertThat(answer).startsWith("HTTP/1.1 401").contains("X-Drawbridge-Generated: true");
        assertThat(received.get(probe)).isNull();
    }

    @Test
    void twoAppsWithOneInternalUrlBothWork() throws Exception {
        assertThat(backendFor("payroll", "/x")).isEqualTo(List.of("equal.localhost", "/pay/x"));
        assertThat(backendFor("payroll-again", "/x")).isEqualTo(List.of("equal.localhost", "/pay/x"));
    }

    private static List<String> backendFor(String label, String target) throws Exception {
        int probe = probes.incrementAndGet();
        String answer = get(label, target + "?probe=" + probe);
        assertThat(answer).as("%s%s", label, target).startsWith("HTTP/1.1 200");
        return received.get(probe);
    }

    private static String get(String label, String target) throws Exception {
        return tls.get("127.0.0.1", new byte[0], label + ".localhost", target);
    }
}
