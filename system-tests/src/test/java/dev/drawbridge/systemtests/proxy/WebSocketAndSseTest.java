package dev.drawbridge.systemtests.proxy;

import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.SampleStack;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** WebSocket sessions and server-sent events pass through the tunnel end to end. */
class WebSocketAndSseTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static SampleStack sample;
    static DrawbridgeStack stack;
    static String url;
    static WebSocketClient ws;

    @BeforeAll
    static void start() throws Exception {
        sample = SampleStack.start(dir, 2);
        app = sample.app();
        stack = sample.stack();
        url = sample.url();
        ws = new WebSocketClient(stack.http());
        ws.setMaxBinaryMessageSize(4 << 20);
        ws.start();
    }

    @AfterAll
    static void stop() throws Exception {
        ws.stop();
        sample.close();
    }

    /** Collects what the server sends. */
    public static final class Recorder implements Session.Listener.AutoDemanding {
        final BlockingQueue<Object> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public void onWebSocketText(String message) {
            messages.add(message);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer payload, Callback callback) {
            byte[] b = new byte[payload.remaining()];
            payload.get(b);
            messages.add(b);
            callback.succeed();
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(statusCode);
        }
    }

    @Test
    void webSocketEchoesTextAndBinaryWithSubprotocol() throws Exception {
        Recorder rec = new Recorder();
        ClientUpgradeRequest up = new ClientUpgradeRequest(URI.create(url.replace("https:", "wss:") + "ws"));
        up.setSubProtocols("chat.v2", "chat.v1");
        Session session = ws.connect(rec, up).get(20, TimeUnit.SECONDS);
        assertThat(session.getUpgradeResponse().getAcceptedSubProtocol()).isEqualTo("chat.v2");

        session.sendText("hello through the tunnel", Callback.NOOP);
        assertThat(rec.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("hello through the tunnel");

        byte[] big = new byte[300_000];
        Arrays.fill(big, (byte) 7);
        big[123_456] = 42;
        session.sendBinary(ByteBuffer.wrap(big), Callback.NOOP);
        assertThat((byte[]) rec.messages.poll(10, TimeUnit.SECONDS)).isEqualTo(big);

        for (int i = 0; i < 50; i++) {
            session.sendText("m" + i, Callback.NOOP);
        }
        List<Object> got = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            got.add(rec.messages.poll(10, TimeUnit.SECONDS));
        }
        assertThat(got).containsExactlyElementsOf(IntStream.range(0, 50).mapToObj(i -> "m" + i).toList());
        session.close();
        assertThat(rec.closed.get(10, TimeUnit.SECONDS)).isEqualTo(1000);
    }

    @Test
    void serverSentEventsArriveAsTheyAreSent() throws Exception {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        stack.http().newRequest(URI.create(url + "sse?count=4&intervalMs=400")).timeout(30, TimeUnit.SECONDS).send(listener);
        Response r = listener.get(10, TimeUnit.SECONDS);
        assertThat(r.getHeaders().get("Content-Type")).startsWith("text/event-stream");
        List<Long> arrivals = new ArrayList<>();
        List<String> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    events.add(line.substring(6));
                    arrivals.add(System.nanoTime());
                }
            }
        }
        assertThat(events).containsExactly("event 1", "event 2", "event 3", "event 4");
        // Streamed, not buffered: the first event arrived well before the last one was sent.
        assertThat(TimeUnit.NANOSECONDS.toMillis(arrivals.get(3) - arrivals.get(0))).isGreaterThan(800);
    }

    @Test
    void aRefusedUpgradeIsPassedToTheClient() throws Exception {
        Recorder rec = new Recorder();
        var failure = ws.connect(rec, URI.create(url.replace("https:", "wss:") + "no-such-socket"));
        assertThat(failure).failsWithin(20, TimeUnit.SECONDS).withThrowableThat()
                .havingRootCause().withMessageContaining("404");
    }
}
