package dev.drawbridge.connector.upstream;

import dev.drawbridge.model.tunnel.BodyChunks;
import dev.drawbridge.model.tunnel.FrameCodec;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link CountingResponseListener} with Jetty's real HTTP client: a body that has already arrived is read in
 * DATA-frame-sized pieces (larger than the client's ~10 KiB chunks), and a trickle is handed over at once.
 */
@Timeout(30)
class CountingResponseListenerTest {
    private final HttpClient http = new HttpClient();
    private ServerSocket server;

    @AfterEach
    void tearDown() throws Exception {
        http.stop();
        if (server != null) {
            server.close();
        }
    }

    /** A one-shot HTTP/1.1 server on loopback: reads the request head, then runs {@code body}. */
    private String serve(ThrowingConsumer body) throws Exception {
        server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        Thread.startVirtualThread(() -> {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                int matched = 0;
                while (matched < 4) { // up to the blank line
                    int b = in.read();
                    if (b < 0) {
                        return;
                    }
                    matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : (b == '\r' ? 1 : 0);
                }
                body.accept(s.getOutputStream());
            } catch (Exception e) {
                // the test's assertions report it
            }
        });
        http.start();
        return "http://127.0.0.1:" + server.getLocalPort() + "/";
    }

    interface ThrowingConsumer {
        void accept(OutputStream out) throws Exception;
    }

    @Test
    void aBodyThatHasArrivedIsReadInFrameSizedPieces() throws Exception {
        int size = 1024 * 1024;
        String url = serve(out -> {
            out.write(("HTTP/1.1 200 OK\r\nContent-Length: " + size + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.write(new byte[size]);
            out.flush();
        });
        CountingResponseListener listener = new CountingResponseListener();
        http.newRequest(url).send(listener);
        Response response = listener.get(10, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        Thread.sleep(200); // let the body reach the client's socket
        List<Integer> pieces = new ArrayList<>();
        long total = 0;
        try (InputStream in = listener.getInputStream()) {
            byte[] buf = new byte[FrameCodec.MAX_DATA_PAYLOAD];
            int n;
            while ((n = BodyChunks.readAvailable(in, buf, 0, buf.length)) >= 0) {
                pieces.add(n);
                total += n;
            }
        }
        assertThat(total).isEqualTo(size);
        // Far fewer pieces than Jetty's chunks: most are full frames.
        assertThat(pieces.stream().filter(n -> n == FrameCodec.MAX_DATA_PAYLOAD).count())
                .as("pieces %s", pieces).isGreaterThanOrEqualTo(pieces.size() / 2);
    }

    @Test
    void aTrickleIsHandedOverAtOnce() throws Exception {
        CountDownLatch next = new CountDownLatch(1);
        String url = serve(out -> {
            out.write("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: 20\r\n\r\ndata: one\n\n"
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            next.await(10, TimeUnit.SECONDS);
            out.write("data: 2\n\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
        });
        CountingResponseListener listener = new CountingResponseListener();
        http.newRequest(url).send(listener);
        listener.get(10, TimeUnit.SECONDS);
        try (InputStream in = listener.getInputStream()) {
            byte[] buf = new byte[FrameCodec.MAX_DATA_PAYLOAD];
            // The first event comes back on its own while the server holds the rest back: nothing waits to fill a frame.
            int n = BodyChunks.readAvailable(in, buf, 0, buf.length);
            assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("data: one\n\n");
            assertThat(in.available()).isZero();
            next.countDown();
            n = BodyChunks.readAvailable(in, buf, 0, buf.length);
            assertThat(new String(buf, 0, n, StandardCharsets.US_ASCII)).isEqualTo("data: 2\n\n");
            assertThat(BodyChunks.readAvailable(in, buf, 0, buf.length)).isEqualTo(-1);
        }
    }
}
