package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.proxy.apps.AppLimits;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.preauth.Authorized;
import dev.drawbridge.proxy.preauth.LiveSessions;
import dev.drawbridge.proxy.tunnel.ConnectorOfflineException;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of an app's own backend timeout in seconds at dispatch, on a real Jetty server with an in-memory tunnel
 * whose connector side the test plays and never answers: the request head carries the app's timeout to the connector
 * (which enforces it on the wire's millisecond field), and the proxy itself answers 504 once it passes, although the
 * server's DEFAULT means far longer. An app without its own timeout carries what its {@code BackendTimeout} means.
 */
@Timeout(60)
class AppBackendTimeoutTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static TunnelPair tunnel;
    static TestServer server;

    static PublishedApp app(String id, AppLimits limits) {
        return new PublishedApp(id, "App " + id, URI.create("https://" + id + ".example.com/"), id + ".example.com", "/",
                URI.create("http://intranet/"), "g", BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, AccessSettings.DEFAULTS,
                T, T, false, SsoSettings.NONE, false, limits);
    }

    @BeforeAll
    static void start() throws Exception {
        tunnel = new TunnelPair();
        StreamOpener opener = (group, head, attempt) -> {
            try {
                return tunnel.proxy.open(head);
            } catch (IOException e) {
                throw new ConnectorOfflineException("Group " + group);
            }
        };
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(app("quick", new AppLimits(0, 0, 2)), app("plain", AppLimits.NONE))));
        Handler.Wrapper authorized = new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Authorized.ATTRIBUTE.set(request, new Authorized(Optional.empty(), false));
                return super.handle(request, response, callback);
            }
        };
        routing.setHandler(authorized);
        // The server's DEFAULT: 85 s, far beyond the test's patience.
        authorized.setHandler(new DispatchHandler(opener, id -> "Group " + id, new WebSocketRelay(null), BackendTimeout::duration,
                (app, identity) -> List.of(), LiveSessions.none()));
        server = TestServer.start(routing);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        tunnel.close();
    }

    private static CompletableFuture<TestServer.Answer> get(String host) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.get(host, "/slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void anAppsOwnTimeoutGoesOnTheWireAndTheProxyAnswers504WhenItPasses() throws Exception {
        long t0 = System.nanoTime();
        CompletableFuture<TestServer.Answer> answer = get("quick.example.com");
        TunnelStream upstream = tunnel.accept();
        assertThat(upstream.request().timeout()).isEqualTo(Duration.ofSeconds(2));
        // The connector never answers.
        TestServer.Answer a = answer.get();
        Duration took = Duration.ofNanos(System.nanoTime() - t0);
        assertThat(a.status()).isEqualTo(504);
        assertThat(a.generated()).isTrue();
        assertThat(a.body()).contains("App quick");
        assertThat(took).isBetween(Duration.ofMillis(1900), Duration.ofSeconds(30));
    }

    @Test
    void anAppWithoutItsOwnTimeoutCarriesWhatItsBackendTimeoutMeans() throws Exception {
        CompletableFuture<TestServer.Answer> answer = get("plain.example.com");
        TunnelStream upstream = tunnel.accept();
        assertThat(upstream.request().timeout()).isEqualTo(Duration.ofSeconds(85));
        upstream.reset(ResetCode.UPSTREAM_ERROR, "done");
        assertThat(answer.get().status()).isEqualTo(502);
    }
}
