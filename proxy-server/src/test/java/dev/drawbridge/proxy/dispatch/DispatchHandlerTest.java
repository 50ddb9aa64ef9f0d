package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of {@link DispatchHandler} on a real Jetty server, behind real app routing, with a fake stream
 * opener over an in-memory tunnel whose connector side the test plays: the request head goes up with the app's
 * internal URL, the answer comes back untouched; a missing connector, an unreachable or slow app and a lost tunnel
 * become {@code ProxyFailure} pages carrying the connector's typed reason; a stream the connector refused unstarted
 * goes to another tunnel.
 */
@Timeout(60)
class DispatchHandlerTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final PublishedApp APP = new PublishedApp("app", "Payroll", URI.create("https://pay.example.com/"), "pay.example.com", "/",
            URI.create("http://intranet:8080/payroll/"), "group-1", BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, T, T);
    static TunnelPair tunnel;
    static TestServer server;
    static final AtomicInteger opened = new AtomicInteger();
    static volatile boolean offline, tooOld;

    @BeforeAll
    static void start() throws Exception {
        tunnel = new TunnelPair();
        StreamOpener opener = (group, head, attempt) -> {
            if (offline || tooOld) {
                throw new ConnectorOfflineException("Group " + group, tooOld);
            }
            opened.incrementAndGet();
            try {
                return tunnel.proxy.open(head);
            } catch (IOException e) {
                throw new ConnectorOfflineException("Group " + group);
            }
        };
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(APP)));
        Handler.Wrapper authorized = new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                Authorized.ATTRIBUTE.set(request, new Authorized(Optional.empty(), false));
                return super.handle(request, response, callback);
            }
        };
        routing.setHandler(authorized);
        authorized.setHandler(new DispatchHandler(opener, id -> "Group " + id, new WebSocketRelay(null), t -> Duration.ofSeconds(5),
                (app, identity) -> List.of(), LiveSessions.none()));
        server = TestServer.start(routing);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        tunnel.close();
    }

    @BeforeEach
    void reset() {
        opened.set(0);
        offline = false;
        tooOld = false;
    }

    /** Sends a GET from another thread; the caller plays the connector meanwhile. */
    private static CompletableFuture<TestServer.Answer> get(String target) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.get("pay.example.com", target, "X-Client: yes");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    @Test
    void theRequestGoesUpWithTheInternalUrlAndTheAnswerComesBack() throws Exception {
        CompletableFuture<TestServer.Answer> answer = get("/reports/a%20b?y=2026");
        TunnelStream upstream = tunnel.accept();
        assertThat(upstream.request().method()).isEqualTo("GET");
        assertThat(upstream.request().upstreamUri()).isEqualTo("http://intranet:8080/payroll/reports/a%20b?y=2026");
        assertThat(upstream.request().headers()).contains(new HeaderField("X-Client", "yes"));
        upstream.sendWhole(new ResponseHead(201, List.of(new HeaderField("X-Upstream", "1"))), "made".getBytes(StandardCharsets.UTF_8));
        TestServer.Answer a = answer.get();
        assertThat(a.status()).isEqualTo(201);
        assertThat(a.header("X-Upstream")).contains("1");
        assertThat(a.body()).isEqualTo("made");
        assertThat(a.generated()).isFalse();
    }

    @Test
    void aLargeBodyIsWrittenFromRetainedSlicesEachReleasedOnce() throws Exception {
        int before = TunnelPair.RETAINED.get();
        CompletableFuture<TestServer.Answer> answer = get("/big");
        TunnelStream upstream = tunnel.accept();
        byte[] body = "0123456789abcdef".repeat(192 * 1024).getBytes(StandardCharsets.US_ASCII);
        upstream.sendHead(new ResponseHead(200, List.of(new HeaderField("Content-Length", Integer.toString(body.length)))));
        upstream.write(body, 0, body.length);
        upstream.endOutput();
        TestServer.Answer a = answer.get();
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.body()).isEqualTo(new String(body, StandardCharsets.US_ASCII));
        assertThat(TunnelPair.RETAINED.get() - before).as("64 KiB DATA frames as slices").isGreaterThanOrEqualTo(body.length / (64 * 1024) - 8);
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (TunnelPair.RELEASED.get() != TunnelPair.RETAINED.get() && System.nanoTime() < deadline) {
            Thread.onSpinWait(); // the last release runs once Jetty completed the write; the condition is awaited
        }
        assertThat(TunnelPair.RELEASED.get()).isEqualTo(TunnelPair.RETAINED.get());
    }

    @Test
    void noConnectorMeansA502NamingTheGroup() throws Exception {
        offline = true;
        TestServer.Answer a = get("/").get();
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.generated()).isTrue();
        assertThat(a.body()).contains("connector group &#39;Group group-1&#39;").contains("Payroll");
    }

    @Test
    void aSingleSignOnRefusalIsA502WithTheConnectorsReason() throws Exception {
        CompletableFuture<TestServer.Answer> answer = get("/");
        tunnel.accept().reset(ResetCode.SSO_REFUSED, "single sign-on refused: no identity came with the request");
        TestServer.Answer a = answer.get();
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.generated()).isTrue();
        assertThat(a.body()).contains("Single sign-on to the app failed").contains("sign you in to &#39;Payroll&#39;")
                .contains("Reason: no identity came with the request").doesNotContain("SSO_REFUSED");
    }

    @Test
    void onlyConnectorsTooOldForSingleSignOnIsA502AskingForAnUpdate() throws Exception {
        tooOld = true;
        TestServer.Answer a = get("/").get();
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.body()).contains("need an update").contains("&#39;Group group-1&#39;").contains("Payroll");
    }

    @Test
    void anUnreachableAppShowsTheConnectorsReasonWithoutItsCode() throws Exception {
        CompletableFuture<TestServer.Answer> answer = get("/");
        tunnel.accept().reset(ResetCode.UPSTREAM_UNREACHABLE, "connection refused by intranet:8080");
        TestServer.Answer a = answer.get();
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.generated()).isTrue();
        assertThat(a.body()).contains("could not connect to the internal app &#39;Payroll&#39;: connection refused by intranet:8080")
                .doesNotContain("UPSTREAM_UNREACHABLE");
    }

    @Test
    void anAppThatFailsOrTimesOutGets502Or504() throws Exception {
        CompletableFuture<TestServer.Answer> failed = get("/");
        tunnel.accept().reset(ResetCode.UPSTREAM_ERROR, "connection closed mid-answer");
        assertThat(failed.get().status()).isEqualTo(502);
        assertThat(failed.get().body()).contains("did not give a complete answer: connection closed mid-answer");
        CompletableFuture<TestServer.Answer> slow = get("/");
        tunnel.accept().reset(ResetCode.UPSTREAM_TIMEOUT, "no answer");
        assertThat(slow.get().status()).isEqualTo(504);
        assertThat(slow.get().generated()).isTrue();
    }

    @Test
    void aStreamRefusedUnstartedGoesToAnotherTunnel() throws Exception {
        CompletableFuture<TestServer.Answer> answer = get("/again");
        tunnel.accept().reset(ResetCode.REFUSED_STREAM, "draining");
        TunnelStream second = tunnel.accept();
        assertThat(second.request().upstreamUri()).endsWith("/payroll/again");
        second.sendWhole(new ResponseHead(200, List.of()), "second".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.get().body()).isEqualTo("second");
        assertThat(opened.get()).isEqualTo(2);
    }

    @Test
    void aResetForAnyOtherReasonIsNotRetried() throws Exception {
        CompletableFuture<TestServer.Answer> answer = get("/");
        tunnel.accept().reset(ResetCode.CANCEL, "connector shutting down");
        TestServer.Answer a = answer.get();
        assertThat(a.status()).isEqualTo(502);
        assertThat(a.body()).contains("went away");
        assertThat(opened.get()).isEqualTo(1);
    }
}
