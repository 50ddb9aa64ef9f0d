package dev.drawbridge.systemtests.live;

import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What one signed-in user holds open on one app through a Drawbridge node: a WebSocket (the sample app's echo) and a
 * server-sent-event stream (an event every 250 ms for 100 s), opened with the browser's app cookie, over real TLS.
 */
final class HeldStreams implements AutoCloseable {
    static final String PASSWORD = "correct horse battery staple";
    /** Bounded wait for a cut: the recheck interval (5 s by default) with room for a loaded machine. */
    static final Duration WITHIN_A_RECHECK = Duration.ofSeconds(30);

    final String what;
    private final HttpClient browser;
    private final WebSocketClient ws;
    private final Recorder socket = new Recorder();
    private final Session session;
    private final AtomicInteger events = new AtomicInteger();
    private final CompletableFuture<Void> streamEnded = new CompletableFuture<>();

    /** Signs {@code upn} in to the app at {@code appUrl} on {@code node} (nobody: a passthrough app) and opens both. */
    HeldStreams(String what, DrawbridgeStack node, String appUrl, String upn) throws Exception {
        this(what, node, appUrl, upn, Optional.empty());
    }

    /** Opens both as a native client with the OAuth access token {@code bearer}, no cookie. */
    static HeldStreams withBearer(String what, DrawbridgeStack node, String appUrl, String bearer) throws Exception {
        return new HeldStreams(what, node, appUrl, null, Optional.of(bearer));
    }

    private HeldStreams(String what, DrawbridgeStack node, String appUrl, String upn, Optional<String> bearer) throws Exception {
        this.what = what;
        browser = Https.client(node.server().serverCaCertificate(), true);
        ws = new WebSocketClient(browser);
        // Not the client's idle timeout (30 s by default) but the revocation must end it.
        ws.setIdleTimeout(Duration.ofMinutes(3));
        ws.start();
        if (upn != null) {
            assertThat(SignInForms.signIn(browser, appUrl + "echo/in", node.externalUrl("login"), upn, PASSWORD).getStatus()).as(what)
                    .isEqualTo(200);
        }
        ClientUpgradeRequest upgrade = new ClientUpgradeRequest(URI.create(appUrl.replace("https:", "wss:") + "ws"));
        bearer.ifPresent(t -> upgrade.setHeader("Authorization", "Bearer " + t));
        session = ws.connect(socket, upgrade).get(20, TimeUnit.SECONDS);
        assertThat(echoes("hello")).as(what).isTrue();
        InputStreamResponseListener sse = new InputStreamResponseListener();
        browser.newRequest(URI.create(appUrl + "sse?count=400&intervalMs=250"))
                .headers(h -> bearer.ifPresent(t -> h.put("Authorization", "Bearer " + t))).timeout(150, TimeUnit.SECONDS).send(sse);
        assertThat(sse.get(10, TimeUnit.SECONDS).getStatus()).as(what).isEqualTo(200);
        BufferedReader lines = new BufferedReader(new InputStreamReader(sse.getInputStream(), StandardCharsets.UTF_8));
        Thread.startVirtualThread(() -> {
            try {
                for (String line; (line = lines.readLine()) != null; ) {
                    events.addAndGet(line.startsWith("data: ") ? 1 : 0);
                }
            } catch (IOException e) {
                // reset mid-stream: what a cut looks like
            }
            streamEnded.complete(null);
        });
        Await.until(what + ": a first event", Duration.ofSeconds(10), () -> events.get() > 0);
    }

    /** Whether a text sent on the WebSocket comes back. */
    boolean echoes(String text) throws InterruptedException {
        session.sendText(text, Callback.NOOP);
        return text.equals(socket.messages.poll(10, TimeUnit.SECONDS));
    }

    /** The WebSocket was closed with 1008 and a reason starting with {@code reason}, and the event stream ended. */
    void assertCut(String reason) throws Exception {
        assertThat(socket.closed.get(WITHIN_A_RECHECK.toSeconds(), TimeUnit.SECONDS)).as(what + ": WebSocket close code")
                .isEqualTo(StatusCode.POLICY_VIOLATION);
        assertThat(socket.reason).as(what + ": close reason").startsWith("access revoked: " + reason);
        streamEnded.get(WITHIN_A_RECHECK.toSeconds(), TimeUnit.SECONDS);
        assertThat(events.get()).as(what + ": events before the cut (of 400)").isLessThan(400);
    }

    /** Both still open: the WebSocket echoes, events keep coming. */
    void assertOpen() throws Exception {
        assertThat(socket.closed).as(what + ": WebSocket").isNotDone();
        assertThat(echoes("still there")).as(what + ": WebSocket echo").isTrue();
        int seen = events.get();
        Await.until(what + ": more events", Duration.ofSeconds(10), () -> events.get() > seen);
        assertThat(streamEnded).as(what + ": event stream").isNotDone();
    }

    @Override
    public void close() throws Exception {
        ws.stop();
        browser.stop();
    }

    /** What a WebSocket receives, and how it closed. */
    public static final class Recorder implements Session.Listener.AutoDemanding {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        volatile String reason;

        @Override
        public void onWebSocketText(String message) {
            messages.add(message);
        }

        @Override
        public void onWebSocketClose(int statusCode, String why) {
            reason = why;
            closed.complete(statusCode);
        }
    }
}
