package dev.drawbridge.proxy.web;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

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
