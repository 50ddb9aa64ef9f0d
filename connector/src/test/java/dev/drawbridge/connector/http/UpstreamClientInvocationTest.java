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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The client of internal apps completes a response on the thread that read it (its selector), not on a virtual thread
 * started for it: the hand-off per request that {@link Clients#upstreamClient} removes. The other clients keep Jetty's
 * default, which hands each read to a (virtual) thread. The sending thread can itself complete an answer that is
 * already there when it has written the request (CI saw it twice, under load, for either client): that is no hand-off
 * and says nothing about either client, so such completions are left out. The app answers 50 ms late so that they stay
 * rare, and at least one of the five answers must be read by the client's own threads.
 */
class UpstreamClientInvocationTest {
    private static final long ANSWER_DELAY_MS = 50;
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
        List<Completion> done = completionsOn(Clients.upstreamClient(Clients.serverTls()));
        assertThat(done).allSatisfy(c -> {
            assertThat(c.status).isEqualTo(200);
            assertThat(c.virtual).as("completed on a virtual thread (a hand-off): " + c.thread).isFalse();
        });
        assertThat(done).filteredOn(c -> !c.onSender).as("completions read by the client's own threads")
                .isNotEmpty().allSatisfy(c -> assertThat(c.thread).as("the selector").startsWith("connector-io"));
    }

    @Test
    void theDefaultClientHandsTheResponseToAVirtualThread() throws Exception {
        List<Completion> done = completionsOn(Clients.httpClient(Clients.serverTls()));
        assertThat(done).allSatisfy(c -> assertThat(c.status).isEqualTo(200));
        assertThat(done).filteredOn(c -> !c.onSender).as("completions read by the client's own threads")
                .isNotEmpty().allSatisfy(c -> assertThat(c.virtual).as("completed on a virtual thread, not on " + c.thread).isTrue());
    }

    /** Where one answer completed; {@code onSender}: on the thread that sent the request (see the class comment). */
    private record Completion(int status, boolean virtual, String thread, boolean onSender) {
    }

    /**
     * Sends several requests on one connection (so the answers arrive on an open connection's read), one after the
     * other, and returns where each completed.
     */
    private static List<Completion> completionsOn(HttpClient http) throws Exception {
        http.start();
        try {
            List<Completion> all = new ArrayList<>();
            Thread sender = Thread.currentThread();
            for (int i = 0; i < 5; i++) {
                CompletableFuture<Completion> done = new CompletableFuture<>();
                http.newRequest(url).send((Result result) -> {
                    Thread t = Thread.currentThread();
                    done.complete(new Completion(result.isFailed() ? -1 : result.getResponse().getStatus(), t.isVirtual(),
                            t.getName(), t == sender));
                });
                all.add(done.get(10, TimeUnit.SECONDS));
            }
            return all;
        } finally {
            http.stop();
        }
    }
}
