package dev.drawbridge.proxy.web;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** DrainHandler's count of requests in flight, on a real Jetty server on loopback. */
class DrainHandlerTest {
    private Server server;
    private ServerConnector connector;
    private final DrainHandler drain = new DrainHandler();

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    private void start(Handler app) throws Exception {
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        drain.setHandler(app);
        server.setHandler(drain);
        server.start();
    }

    private String get() throws IOException {
        try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }

    /**
     * A handler that completes its request and then throws counts once: before, the request left the count twice (the
     * callback's completion and the throw), so the count went below the requests really in flight and a drain could end
     * with one of them still running (its tunnel then closed under it).
     */
    @Test
    void aRequestCompletedAndThenThrowingLeavesTheCountOnce() throws Exception {
        start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                callback.succeeded();
                throw new IllegalStateException("a handler's bug after its answer");
            }
        });
        assertThat(get()).startsWith("HTTP/1.1 200");
        assertThat(settledCount()).isZero();
        assertThat(get()).startsWith("HTTP/1.1 200");
        assertThat(settledCount()).isZero();
    }

    /**
     * An answer of unknown length to an HTTP/1.0 client that fails in the middle ends with a reset, so the client sees an
     * error: before, Jetty closed the connection in order (FIN) and the client, which has only the close to tell the end
     * by, read the first half as the whole answer.
     */
    @Test
    void anHttp10AnswerCutInTheMiddleEndsWithAResetNotAnOrderlyClose() throws Exception {
        start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(false, ByteBuffer.wrap("the first half;".getBytes(StandardCharsets.US_ASCII)), Callback.from(
                        () -> callback.failed(new IOException("the app's connection dropped")), callback::failed));
                return true;
            }
        });
        try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            byte[] buf = new byte[4096];
            assertThatThrownBy(() -> {
                for (int n; (n = in.read(buf)) >= 0; ) {
                    got.write(buf, 0, n);
                }
            }).as("reading to the end: an orderly close would look like a whole answer").isInstanceOf(SocketException.class)
                    .hasMessageContaining("reset");
        }
        assertThat(settledCount()).isZero();
    }

    /**
     * A client that dribbles its request headers holds no drain: once the drain's grace for headers is over, its
     * connection is closed, while one carrying a request in flight is left alone. Before, such a connection was never
     * closed (not at the start of a request, not busy): it held the drain to its stop timeout.
     */
    @Test
    void aDrainClosesAConnectionStillInTheMiddleOfItsHeadersButNotOneServingARequest() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                entered.countDown();
                release.await(10, TimeUnit.SECONDS);
                callback.succeeded();
                return true;
            }
        });
        try (Socket serving = new Socket("127.0.0.1", connector.getLocalPort());
             Socket dribbling = new Socket("127.0.0.1", connector.getLocalPort())) {
            serving.setSoTimeout(10_000);
            dribbling.setSoTimeout(10_000);
            serving.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            dribbling.getOutputStream().write("GET / HTTP/1.1\r\nHost: a\r\nX-Slow: ".getBytes(StandardCharsets.US_ASCII));
            dribbling.getOutputStream().flush();
            drain.drain();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (drain.openHttpConnections(connector) < 2 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Duration quiet = Duration.ofSeconds(30);
            assertThat(drain.closeIdle(connector, quiet)).as("within the grace: nothing to close").isZero();
            // After it: the half-sent request (once the server has read what was sent of it).
            int cut = drain.closeIdle(connector, quiet, true);
            while (cut == 0 && System.nanoTime() < deadline) {
                Thread.sleep(5);
                cut = drain.closeIdle(connector, quiet, true);
            }
            assertThat(cut).as("connections cut").isEqualTo(1);
            assertThat(dribbling.getInputStream().read()).as("closed").isEqualTo(-1);
            release.countDown();
            assertThat(new String(serving.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1)).isEqualTo("HTTP/1.1 200");
        }
    }

    /**
     * A request the node serves outside the count of app requests (the sign-in host's, the admin API's: on the public
     * listener, not below the drain handler) is not cut by the drain's cut of half-sent headers: its headers are whole, it
     * is being answered. Failed before: the cut took any HTTP/1 connection not at the start of a request and not counted
     * as busy, so from 1.5 s into a drain a sign-in POST or an admin call in progress lost its connection without an answer.
     */
    @Test
    void aDrainDoesNotCutARequestServedOutsideTheAppCount() throws Exception {
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Handler outside = new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                entered.countDown();
                release.await(10, TimeUnit.SECONDS);
                response.write(true, ByteBuffer.wrap("signed in".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        };
        server = new Server();
        connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        drain.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                callback.succeeded();
                return true;
            }
        });
        // As the public chain: the sign-in host's requests go to their handler, the apps' through the drain handler.
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                return Request.getPathInContext(request).startsWith("/sign-in") ? outside.handle(request, response, callback)
                        : drain.handle(request, response, callback);
            }
        });
        server.start();
        try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("POST /sign-in HTTP/1.1\r\nHost: a\r\nContent-Length: 3\r\n\r\nabc")
                    .getBytes(StandardCharsets.US_ASCII));
            assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue();
            drain.drain();
            assertThat(drain.closeIdle(connector, Duration.ofSeconds(30), true)).as("a request being answered is not cut").isZero();
            release.countDown();
            String answer = new String(s.getInputStream().readNBytes(12), StandardCharsets.ISO_8859_1);
            assertThat(answer).isEqualTo("HTTP/1.1 200");
        }
    }

    /** A whole HTTP/1.0 answer still ends in order. */
    @Test
    void aWholeHttp10AnswerEndsInOrder() throws Exception {
        start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                response.write(true, ByteBuffer.wrap("all of it".getBytes(StandardCharsets.US_ASCII)), callback);
                return true;
            }
        });
        try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.0\r\nHost: a\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("all of it");
        }
    }

    /**
     * The count once the request has left it: the answer can reach the client before the handler's thread counts the
     * request out, so wait (up to 5 s) while it is still above zero; a count gone below zero shows at once.
     */
    private long settledCount() throws InterruptedException {
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (drain.inFlight() > 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        return drain.inFlight();
    }
}
