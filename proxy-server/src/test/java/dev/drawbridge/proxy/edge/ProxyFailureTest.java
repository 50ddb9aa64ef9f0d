package dev.drawbridge.proxy.edge;

import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@link ProxyFailure}, answered by a real Jetty server: its status, the generated-response header, no caching,
 * a readable HTML page or a problem document, and {@code WWW-Authenticate}/{@code Retry-After} where they belong.
 * The list must name every permitted variant, so a new failure cannot go untested.
 */
class ProxyFailureTest {
    /** What administrators wrote for the maintenance page: shown as text, never as markup. */
    static final String MAINTENANCE_MESSAGE = "Back at <b>6</b> & \"soon\"<script>alert(1)</script>";
    static final Map<ProxyFailure, Integer> STATUS = Map.ofEntries(
            entry(new ProxyFailure.NoSuchApp("x.example.com", "/a"), 404),
            entry(new ProxyFailure.BadPath("because"), 400),
            entry(new ProxyFailure.ConnectorOffline("App", "Group"), 502),
            entry(new ProxyFailure.UpstreamUnreachable("App", "refused"), 502),
            entry(new ProxyFailure.UpstreamFailed("App", "closed"), 502),
            entry(new ProxyFailure.UpstreamTimeout("App", 85), 504),
            entry(new ProxyFailure.TunnelLost("App"), 502),
            entry(new ProxyFailure.InMaintenance("App", Optional.of(MAINTENANCE_MESSAGE)), 503),
            entry(new ProxyFailure.SsoRefused("App", "no identity came with the request"), 502),
            entry(new ProxyFailure.ConnectorTooOld("App", "Default"), 502),
            entry(new ProxyFailure.StoredPasswordNeeded("App", "https://login.example.com/passwords/1", false, false), 403),
            entry(new ProxyFailure.SharedPasswordFailed("App", "its shared user name and password are not set"), 502),
            entry(new ProxyFailure.Throttled("App", 3), 429),
            entry(new ProxyFailure.SignInLinkExpired(), 400),
            entry(new ProxyFailure.SignInRequired("App", true), 401),
            entry(new ProxyFailure.CrossOriginWebSocket("App"), 403),
            entry(new ProxyFailure.NotAssigned("App", "u@example.com", "https://login.example.com/request?app=1"), 403),
            entry(new ProxyFailure.Blocked("App", "u@example.com", List.of("p1")), 403),
            entry(new ProxyFailure.InvalidToken(), 401),
            entry(new ProxyFailure.TokenNotAssigned("u@example.com"), 403),
            entry(new ProxyFailure.PathNotAllowed("App", "u@example.com", false), 403),
            entry(new ProxyFailure.TokenBlocked(List.of("p1")), 403),
            entry(new ProxyFailure.TokenNeedsStepUp(), 401));
    static final List<ProxyFailure> ALL = List.copyOf(STATUS.keySet());
    static TestServer server;

    @BeforeAll
    static void start() throws Exception {
        server = TestServer.start(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                ALL.get(Integer.parseInt(request.getHttpURI().getQuery())).respond(response, callback);
                return true;
            }
        });
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @Test
    void everyVariantIsCovered() {
        assertThat(ALL.stream().map(Object::getClass).distinct()).containsExactlyInAnyOrder(ProxyFailure.class.getPermittedSubclasses());
        assertThat(Arrays.stream(ProxyFailure.class.getPermittedSubclasses())).hasSize(ALL.size());
    }

    static List<ProxyFailure> failures() {
        return ALL;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("failures")
    void isAnsweredWithItsStatusAndTheGeneratedHeader(ProxyFailure failure) throws Exception {
        TestServer.Answer a = server.get("any.example.com", "/?" + ALL.indexOf(failure));
        assertThat(a.status()).isEqualTo(STATUS.get(failure));
        assertThat(a.generated()).isTrue();
        assertThat(a.header("Cache-Control")).contains("no-store");
        String type = a.header("Content-Type").orElseThrow();
        if (type.startsWith("text/html")) {
            assertThat(a.body()).startsWith("<!DOCTYPE html>").contains("Drawbridge · " + a.status());
        } else {
            assertThat(type).startsWith("application/problem+json");
            assertThat(a.body()).contains("\"status\":" + a.status());
        }
        if (a.status() == 401) {
            assertThat(a.header("WWW-Authenticate")).get().asString().startsWith("Bearer");
        }
        if (a.status() == 429) {
            assertThat(a.header("Retry-After")).contains("3");
        }
        if (a.status() == 503) {
            assertThat(a.header("Retry-After")).contains("300");
            assertThat(a.body()).contains("Back at &lt;b&gt;6&lt;/b&gt; &amp;").doesNotContain("<script>").doesNotContain("<b>6");
        }
    }
}
