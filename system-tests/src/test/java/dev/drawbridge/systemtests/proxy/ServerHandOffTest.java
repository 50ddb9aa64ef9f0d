package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.connector.tunnel.TransportChoice;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http2.client.HTTP2Client;
import org.eclipse.jetty.http2.client.transport.HttpClientTransportOverHTTP2;
import org.eclipse.jetty.io.ClientConnector;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.VirtualThreadPool;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.lang.reflect.Field;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where the server hands a small proxied request from thread to thread (issue 13; docs/performance.md, "The server's
 * request hand-off"). Pins today's behaviour, measured through the real stack (TLS, HTTP/1.1 keep-alive, tunnel,
 * connector, a 1 KiB app): every hand-off goes through the server's {@link VirtualThreadPool} (one virtual thread started
 * each), and they come from these places only:
 * <ul>
 *   <li><b>the answer's completion</b>: the tunnel's reader writes a small answer ({@code DispatchHandler.writeWhole})
 *       after the handler returned, so Jetty's HTTP/1.1 connection resumes reading the client on a new thread
 *       ({@code HttpConnection.HttpStreamOverHTTP1.resume}): one per request that completes after its handler returned,
 *       that is nearly all;</li>
 *   <li><b>the selector</b>: the handler chain is blocking ({@code Server.getInvocationType()}), so a selector that reads a
 *       request runs it itself and starts a new thread to go on selecting ({@code AdaptiveExecutionStrategy},
 *       execute-produce-consume): at most one per request, fewer when the resumed thread finds the next request already
 *       there and handles it;</li>
 *   <li><b>the TLS layer</b>, now and then: a resumed connection asks to read while its {@code SslConnection} already holds
 *       bytes, and Jetty dispatches the read ({@code SslConnection.SslEndPoint.needsFillInterest}).</li>
 * </ul>
 * Over HTTP/2 there is no resume: every hand-off is the selector's (two per request). A change that removes any of them
 * must change this test, and docs/performance.md with it.
 */
class ServerHandOffTest {
    private static final int REQUESTS = 40;
    private static final String RESUME = "resume";
    private static final String SELECTOR = "selector";
    private static final String TLS = "tls";

    @TempDir
    static Path dir;
    static DrawbridgeStack stack;
    static Server backend;
    static String url;
    static final Map<String, Integer> BY_SOURCE = new ConcurrentHashMap<>();
    static final AtomicBoolean COUNTING = new AtomicBoolean();

    @BeforeAll
    static void start() throws Exception {
        backend = new Server();
        ServerConnector c = new ServerConnector(backend);
        c.setHost("127.0.0.1");
        backend.addConnector(c);
        backend.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.write(true, ByteBuffer.wrap(new byte[1024]), callback);
                return true;
            }
        });
        backend.start();
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        url = stack.publish("Small", "small", URI.create("http://127.0.0.1:" + c.getLocalPort() + "/"));
        stack.startConnector(dir.resolve("connector"), 1);
        countHandOffs(COUNTING, BY_SOURCE);
    }

    @AfterAll
    static void stop() throws Exception {
        if (stack != null) {
            stack.close();
        }
        backend.stop();
    }

    @Test
    void aSmallProxiedRequestIsHandedOffOnceForItsCompletionAndAtMostOnceByTheSelector() throws Exception {
        Map<String, Integer> bySource = BY_SOURCE;
        AtomicBoolean counting = COUNTING;
        bySource.clear();
        for (int i = 0; i < 20; i++) {
            get();
        }
        Path file = dir.resolve("hand-offs.jfr");
        try (Recording jfr = new Recording()) {
            jfr.enable("jdk.VirtualThreadStart");
            jfr.start();
            counting.set(true);
            for (int i = 0; i < REQUESTS; i++) {
                get();
            }
            counting.set(false);
            jfr.stop();
            jfr.dump(file);
        }
        long serverThreadsStarted = RecordingFile.readAllEvents(file).stream().map(RecordedEvent::getThread)
                .filter(t -> t != null && t.getJavaName() != null && t.getJavaName().matches("drawbridge[0-9]+")).count();

        assertThat(bySource.keySet()).as("sources of hand-offs: %s", bySource).isSubsetOf(RESUME, SELECTOR, TLS);
        int resumes = bySource.getOrDefault(RESUME, 0);
        int selector = bySource.getOrDefault(SELECTOR, 0);
        int tls = bySource.getOrDefault(TLS, 0);
        // A request whose answer completes before its handler returns needs no resume; with a tunnel round trip in between,
        // that is rare.
        assertThat(resumes).as("resume hand-offs for %d requests", REQUESTS).isBetween(REQUESTS * 3 / 4, REQUESTS);
        // One per request at most for the public connection; over the WebSocket tunnel transport the tunnel's reads are
        // blocking tasks too (one more per answer), over drawbridge-tunnel/2 they run on the selector.
        int perRequest = 1 + tunnelReadsPerAnswer();
        assertThat(selector).as("selector hand-offs for %d requests", REQUESTS).isBetween(1, perRequest * REQUESTS);
        assertThat(resumes + selector + tls).as("hand-offs for %d requests: %s", REQUESTS, bySource)
                .isLessThanOrEqualTo((perRequest + 1) * REQUESTS);
        // Every server virtual thread started in the window is one of those (nothing starts the pool's threads elsewhere).
        // The last request's resume may come after its client has the answer and the counting stopped, not after JFR stopped.
        assertThat(serverThreadsStarted).as("virtual threads of the server's pool started").isBetween((long) resumes + selector + tls,
                resumes + selector + tls + 2L);
        System.out.printf("server hand-offs per 1 KiB request: %.2f (resume %.2f, selector %.2f, tls %.2f)%n",
                (resumes + selector + tls) / (double) REQUESTS, resumes / (double) REQUESTS, selector / (double) REQUESTS,
                tls / (double) REQUESTS);
    }

    @Test
    void anHttp2RequestIsHandedOffOnlyByTheSelector() throws Exception {
        ClientConnector cc = new ClientConnector();
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", stack.server().serverCaCertificate());
        SslContextFactory.Client tls = new SslContextFactory.Client();
        tls.setTrustStore(trust);
        cc.setSslContextFactory(tls);
        HttpClient h2 = new HttpClient(new HttpClientTransportOverHTTP2(new HTTP2Client(cc)));
        h2.setSocketAddressResolver((host, port, ctx, promise) -> promise.succeeded(List.of(new InetSocketAddress("127.0.0.1", port))));
        h2.start();
        try {
            for (int i = 0; i < 20; i++) {
                get(h2);
            }
            BY_SOURCE.clear();
            COUNTING.set(true);
            for (int i = 0; i < REQUESTS; i++) {
                get(h2);
            }
            COUNTING.set(false);
        } finally {
            h2.stop();
        }
        // No resume on HTTP/2 (its streams complete without restarting a read loop): every hand-off is the selector's
        // execute-produce-consume of a blocking task, which a non-blocking chain would remove.
        assertThat(BY_SOURCE.keySet()).as("sources of hand-offs over HTTP/2: %s", BY_SOURCE).containsOnly(SELECTOR);
        int selector = BY_SOURCE.get(SELECTOR);
        assertThat(selector).as("selector hand-offs for %d HTTP/2 requests", REQUESTS).isBetween(REQUESTS, (tunnelReadsPerAnswer() + 2) * REQUESTS);
        System.out.printf("server hand-offs per 1 KiB HTTP/2 request: %.2f (selector)%n", selector / (double) REQUESTS);
    }

    /** Selector hand-offs the tunnel's reads add per answer: one over the WebSocket transport, none over drawbridge-tunnel/2. */
    private static int tunnelReadsPerAnswer() {
        return System.getProperty(TransportChoice.PROPERTY, "").contains("websocket") ? 1 : 0;
    }

    /**
     * Wraps the executor of the server's pool, which starts a virtual thread per task, to name who submitted each task.
     * The pool takes an executor only before it starts, so the running one is swapped by reflection (a test of where
     * Jetty hands off cannot see it otherwise).
     */
    private static void countHandOffs(AtomicBoolean counting, Map<String, Integer> bySource) throws ReflectiveOperationException {
        Field jettyField = ProxyServer.class.getDeclaredField("server");
        jettyField.setAccessible(true);
        VirtualThreadPool pool = (VirtualThreadPool) ((Server) jettyField.get(stack.server())).getThreadPool();
        Field executorField = VirtualThreadPool.class.getDeclaredField("_virtualExecutor");
        executorField.setAccessible(true);
        Executor virtual = (Executor) executorField.get(pool);
        executorField.set(pool, (Executor) task -> {
            if (counting.get()) {
                bySource.merge(source(new Throwable().getStackTrace()), 1, Integer::sum);
            }
            virtual.execute(task);
        });
    }

    private static String source(StackTraceElement[] submitter) {
        if (Arrays.stream(submitter).anyMatch(e -> e.getClassName().endsWith("HttpStreamOverHTTP1") && e.getMethodName().equals("resume"))) {
            return RESUME;
        }
        if (Arrays.stream(submitter).anyMatch(e -> e.getClassName().endsWith("AdaptiveExecutionStrategy")
                && e.getMethodName().equals("tryExecuteProduceConsume"))) {
            return SELECTOR;
        }
        if (Arrays.stream(submitter).anyMatch(e -> e.getClassName().endsWith("SslConnection$SslEndPoint")
                && e.getMethodName().equals("needsFillInterest"))) {
            return TLS;
        }
        return Arrays.stream(submitter).skip(1).limit(12).map(StackTraceElement::toString).reduce((a, b) -> a + " < " + b).orElse("?");
    }

    private static void get() throws Exception {
        get(stack.http());
    }

    private static void get(HttpClient client) throws Exception {
        ContentResponse r = client.newRequest(url).timeout(10, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getContent()).hasSize(1024);
    }
}
