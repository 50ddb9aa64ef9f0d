package dev.drawbridge.connector.upstream;

import dev.drawbridge.connector.http.Clients;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link UpstreamExchange#start} for bodyless requests, over an in-memory tunnel to raw loopback HTTP servers whose
 * every byte the test writes: a small answer comes back as one WHOLE frame, a large one as HEAD + DATA + END, HEAD
 * requests and empty answers are whole, and an app that never answers is reset by the connector's own head timeout
 * (the proxy here waits far longer).
 */
@Timeout(30)
class UpstreamExchangeTest {
    private final HttpClient http = Clients.upstreamClient(new SslContextFactory.Client());
    private final TunnelPair pair;
    private final ServerSocket app = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());

    UpstreamExchangeTest() throws Exception {
        http.start();
        UpstreamExchange exchange = new UpstreamExchange(http);
        pair = new TunnelPair(exchange::start);
    }

    @AfterEach
    void tearDown() throws Exception {
        pair.close();
        app.close();
        http.stop();
    }

    /**
     * Answers each request on the app socket with what {@code answer} returns for its request line: null says nothing,
     * an answer with {@code Connection: close} is followed by closing the connection.
     */
    private void serve(Function<String, byte[]> answer) {
        Thread.ofVirtual().start(() -> {
            while (!app.isClosed()) {
                try {
                    Socket s = app.accept();
                    Thread.ofVirtual().start(() -> {
                        try (s) {
                            InputStream in = s.getInputStream();
                            OutputStream out = s.getOutputStream();
                            while (true) {
                                String head = readHead(in);
                                if (head == null) {
                                    return;
                                }
                                byte[] reply = answer.apply(head.lines().findFirst().orElse(""));
                                if (reply == null) {
                                    Thread.sleep(20_000);
                                    return;
                                }
                                out.write(reply);
                                out.flush();
                                if (new String(reply, StandardCharsets.ISO_8859_1).contains("Connection: close")) {
                                    return;
                                }
                            }
                        } catch (IOException | InterruptedException e) {
                            // connection over
                        }
                    });
                } catch (IOException e) {
                    return;
                }
            }
        });
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            String s = b.toString(StandardCharsets.ISO_8859_1);
            if (s.endsWith("\r\n\r\n")) {
                return s;
            }
        }
        return null;
    }

    private static byte[] response(String status, String headers, byte[] body) {
        byte[] head = ("HTTP/1.1 " + status + "\r\n" + headers + "\r\n").getBytes(StandardCharsets.ISO_8859_1);
        byte[] all = new byte[head.length + body.length];
        System.arraycopy(head, 0, all, 0, head.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    private TunnelStream get(String method, String path, Duration timeout) throws IOException {
        TunnelStream s = pair.proxy.open(new RequestHead("app", method, "http://127.0.0.1:" + app.getLocalPort() + path,
                List.of(), timeout, false, false));
        s.endOutputWithoutFrame();
        return s;
    }

    private static byte[] readAll(TunnelStream s) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        byte[] chunk;
        while ((chunk = s.read()) != null) {
            b.write(chunk);
        }
        return b.toByteArray();
    }

    /** The frames of streams the connector sent (a PING or PONG measuring the round trip for the windows can come any time). */
    private List<Class<?>> connectorFrameTypes() {
        return pair.sentByConnector.stream().filter(f -> !(f instanceof Frame.Ping || f instanceof Frame.Pong))
                .<Class<?>>map(Object::getClass).toList();
    }

    @Test
    void aSmallAnswerComesBackAsOneWholeFrame() throws Exception {
        byte[] body = "hello from the app".getBytes(StandardCharsets.UTF_8);
        serve(line -> response("200 OK", "Content-Length: " + body.length + "\r\nX-App: yes\r\n", body));
        TunnelStream s = get("GET", "/small", Duration.ofSeconds(10));
        ResponseHead head = s.awaitHead(Duration.ofSeconds(10));
        assertThat(head.status()).isEqualTo(200);
        assertThat(head.header("X-App")).contains("yes");
        assertThat(readAll(s)).isEqualTo(body);
        assertThat(connectorFrameTypes()).containsExactly(Frame.Whole.class);
    }

    @Test
    void aLargeAnswerStreamsAsHeadDataAndEnd() throws Exception {
        byte[] body = new byte[200_000];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 7);
        }
        serve(line -> response("200 OK", "Content-Length: " + body.length + "\r\n", body));
        TunnelStream s = get("GET", "/large", Duration.ofSeconds(10));
        assertThat(s.awaitHead(Duration.ofSeconds(10)).status()).isEqualTo(200);
        assertThat(readAll(s)).isEqualTo(body);
        assertThat(connectorFrameTypes()).first().isEqualTo(Frame.Head.class);
        assertThat(connectorFrameTypes()).last().isEqualTo(Frame.End.class);
        assertThat(connectorFrameTypes()).contains(Frame.Data.class).doesNotContain(Frame.Whole.class);
    }

    @Test
    void headRequestsAndEmptyAnswersAreWhole() throws Exception {
        serve(line -> line.startsWith("HEAD")
                ? response("200 OK", "Content-Length: 5000\r\n", new byte[0])
                : response("204 No Content", "", new byte[0]));
        TunnelStream head = get("HEAD", "/file", Duration.ofSeconds(10));
        ResponseHead h = head.awaitHead(Duration.ofSeconds(10));
        assertThat(h.status()).isEqualTo(200);
        assertThat(h.header("Content-Length")).contains("5000");
        assertThat(readAll(head)).isEmpty();
        TunnelStream empty = get("GET", "/nothing", Duration.ofSeconds(10));
        assertThat(empty.awaitHead(Duration.ofSeconds(10)).status()).isEqualTo(204);
        assertThat(readAll(empty)).isEmpty();
        assertThat(connectorFrameTypes()).containsExactly(Frame.Whole.class, Frame.Whole.class);
    }

    @Test
    void anAppThatNeverAnswersIsResetByTheConnectorsHeadTimeout() throws Exception {
        serve(line -> null);
        long t0 = System.nanoTime();
        TunnelStream s = get("GET", "/silent", Duration.ofMillis(500));
        assertThatThrownBy(() -> s.awaitHead(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(StreamResetException.class, e -> {
                    assertThat(e.code()).isEqualTo(ResetCode.UPSTREAM_TIMEOUT);
                    assertThat(e.getMessage()).contains("no response within");
                });
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
        // The connector forgot the stream too.
        assertThat(pair.connector.activeStreams()).isZero();
    }

    /**
     * Two timers of the same length guard the head: the connector's head deadline and Jetty's idle timeout on the
     * request. Whichever fires first, the reason names the app's silence (CI once saw the idle timeout win, and the
     * reason was a bare "timed out"); a sub-second timeout is not rounded down to "0 s".
     */
    @Test
    void aTimeoutBeforeTheHeadNamesTheAppsSilenceWhicheverTimerFired() {
        RequestHead head = new RequestHead("app", "GET", "http://127.0.0.1:1/x", List.of(), Duration.ofMillis(500), false, false);
        assertThat(UpstreamExchange.failedBeforeHead(head, new TimeoutException("Idle timeout 500 ms")))
                .isEqualTo("no response within 500 ms");
        RequestHead slow = new RequestHead("app", "GET", "http://127.0.0.1:1/x", List.of(), Duration.ofSeconds(30), false, false);
        assertThat(UpstreamExchange.failedBeforeHead(slow, new IOException("wrapped", new SocketTimeoutException())))
                .isEqualTo("no response within 30 s");
        assertThat(UpstreamExchange.failedBeforeHead(head, new ConnectException("Connection refused")))
                .startsWith("connection failed (ConnectException");
    }

    /**
     * An internal app whose response head never ends (header lines without the blank line): Jetty's client keeps no bound of
     * its own, so the connector used to collect them until the head timeout; its clients bound a head to 64 KiB and the
     * stream is reset as the app's error at once.
     */
    @Test
    void aResponseHeadWithoutEndIsRefusedOnceItPassesTheBound() throws Exception {
        StringBuilder head = new StringBuilder("HTTP/1.1 200 OK\r\n");
        while (head.length() < 2 * 1024 * 1024) {
            head.append("X-Pad: ").append("a".repeat(200)).append("\r\n");
        }
        byte[] endless = head.toString().getBytes(StandardCharsets.ISO_8859_1);
        serve(line -> endless);
        long t0 = System.nanoTime();
        TunnelStream s = get("GET", "/endless", Duration.ofSeconds(15));
        assertThatThrownBy(() -> s.awaitHead(Duration.ofSeconds(20)))
                .isInstanceOfSatisfying(StreamResetException.class, e -> assertThat(e.code()).isEqualTo(ResetCode.UPSTREAM_ERROR));
        assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(10));
    }

    @Test
    void anAnswerCutShortIsAResetNotAShortBody() throws Exception {
        serve(line -> {
            byte[] half = new byte[500];
            return response("200 OK", "Content-Length: 1000\r\nConnection: close\r\n", half);
        });
        // The raw server closes after writing: the announced 1 000 bytes never come.
        TunnelStream s = get("GET", "/cut", Duration.ofSeconds(10));
        assertThatThrownBy(() -> s.awaitHead(Duration.ofSeconds(10)))
                .isInstanceOfSatisfying(StreamResetException.class, e -> assertThat(e.code()).isEqualTo(ResetCode.UPSTREAM_ERROR));
    }
}
