package dev.drawbridge.connector.http;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.Result;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client of internal apps completes a response on the thread that read it (its selector), not on a virtual thread
 * started for it: the hand-off per request that {@link Clients#upstreamClient} removes. The other clients keep Jetty's
 * default, which hands each read to a (virtual) thread. The app answers 30 ms late, so the answer is never already there
 * when the request has been written: CI once saw a completion on "main", the sending thread reading an answer that had
 * arrived while it wrote, which says nothing about either client's hand-off.
 */
class UpstreamClientInvocationTest {
    private static final long ANSWER_DELAY_MS = 30;
    private static Server app;
    private static String url;
    private static ScheduledExecutorService later;

    @BeforeAll
    static void startApp() throws Exception {
        later = Executors.newSingleThreadScheduledExecutor();
        app = new Server();
        ServerConnector http = new ServerConnector(app);
        http.setHost("127.0.0.1");
        app.addConnector(http);
        app.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                later.schedule(() -> response.write(true, ByteBuffer.wrap(new byte[1024]), callback),
                        ANSWER_DELAY_MS, TimeUnit.MILLISECONDS);
                return true;
            }
        });
        app.start();
        url = "http://127.0.0.1:" + http.getLocalPort() + "/1k";
    }

    @AfterAll
    static void stopApp() throws Exception {
        app.stop();
        later.shutdownNow();
    }

    @Test
    void theUpstreamClientCompletesASmallAnswerOnTheThreadThatReadIt() throws Exception {
        Completion done = completionOn(Clients.upstreamClient(Clients.serverTls()));
        assertThat(done.status).isEqualTo(200);
        assertThat(done.virtual).as("completed on a virtual thread (a hand-off)").isFalse();
        assertThat(done.thread).as("the selector").startsWith("connector-io");
    }

    @Test
    void theDefaultClientHandsTheResponseToAVirtualThread() throws Exception {
        Completion done = completionOn(Clients.httpClient(Clients.serverTls()));
        assertThat(done.status).isEqualTo(200);
        assertThat(done.virtual).as("completed on a virtual thread, not on " + done.thread).isTrue();
    }

    private record Completion(int status, boolean virtual, String thread) {
    }

    /** Sends several requests on one connection (so the answers arrive on an open connection's read) and returns the last's. */
    private static Completion completionOn(HttpClient http) throws Exception {
        http.start();
        try {
            Completion last = null;
            for (int i = 0; i < 5; i++) {
                CompletableFuture<Completion> done = new CompletableFuture<>();
                http.newRequest(url).send((Result result) -> {
                    Thread t = Thread.currentThread();
                    done.complete(new Completion(result.isFailed() ? -1 : result.getResponse().getStatus(), t.isVirtual(), t.getName()));
                });
                last = done.get(10, TimeUnit.SECONDS);
            }
            return last;
        } finally {
            http.stop();
        }
    }
}
