package dev.drawbridge.proxy.operations;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.policy.Throttle;
import dev.drawbridge.proxy.sso.SsoRefusals;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ProxyMetrics} registers only what its catalogue ({@link ProxyMeter}) lists, under the documented names, types
 * and labels, and counts what it is told: requests by app and status class, streams by outcome, sign-ins by event and
 * result, throttling by scope, single sign-on refusals by method and reason.
 */
class ProxyMetricsTest {
    private static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    private static final PublishedApp HR = new PublishedApp("hr-id", "HR", URI.create("https://hr.example.com/"), "hr.example.com", "/",
            URI.create("http://intranet/"), "g", BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, T, T)
            .withSso(SsoSettings.basic(BasicSso.USER));
    private final ProxyMetrics metrics = new ProxyMetrics();

    @AfterEach
    void close() {
        metrics.close();
    }

    /** A stream the proxy opened and the connector answered with {@code status}, or reset with {@code code}. */
    private static TunnelStream stream(String app, int status, ResetCode code) throws Exception {
        Multiplexer mux = new Multiplexer(frame -> { }, null, Runnable::run);
        TunnelStream s = mux.open(new RequestHead(app, "GET", "http://intranet/", List.of(), Duration.ofSeconds(5), false, false));
        if (code == null) {
            mux.receive(new Frame.Whole(s.id(), new ResponseHead(status, List.of()), new byte[0]));
        } else {
            s.reset(code, "test");
        }
        return s;
    }

    private void exerciseEverything() throws Exception {
        metrics.request("hr-id", 200, 1_000_000);
        metrics.request("hr-id", 503, 2_000_000);
        metrics.request("unrouted", 404, 10_000);
        metrics.request("hr-id", 0, 5_000_000);
        metrics.streamClosed(stream("hr-id", 200, null));
        metrics.streamClosed(stream("hr-id", 0, ResetCode.UPSTREAM_UNREACHABLE));
        metrics.signIn(SignInRecord.signIn(SignInResult.FAILURE, "wrong password", "192.0.2.1"));
        metrics.throttled(HR, Throttle.Scope.APP);
        metrics.throttled(HR, Throttle.Scope.GLOBAL);
        metrics.ssoRefused(HR, SsoRefusals.Reason.PASSWORD_NOT_STORED);
        metrics.changeNotified("apps");
        metrics.changeListener(() -> true);
    }

    @Test
    void everyRegisteredMeterIsInTheCatalogueWithItsLabels() throws Exception {
        exerciseEverything();
        List<Meter> ours = Search.in(metrics.registry()).meters().stream()
                .filter(m -> m.getId().getName().startsWith(ProxyMetrics.PREFIX + ".")).toList();
        assertThat(ours).isNotEmpty();
        for (Meter m : ours) {
            ProxyMeter spec = Arrays.stream(ProxyMeter.values()).filter(p -> p.meterName().equals(m.getId().getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(m.getId().getName() + " is not in ProxyMeter"));
            assertThat(m.getId().getTags()).extracting(Tag::getKey).as(spec.name()).containsExactlyInAnyOrderElementsOf(spec.labels());
        }
    }

    @Test
    void theExpositionHasEachDocumentedFamilyWithItsTypeAndNoOther() throws Exception {
        exerciseEverything();
        String text = metrics.scrape();
        Matcher types = Pattern.compile("(?m)^# TYPE (drawbridge_\\w+) (\\w+)$").matcher(text);
        Set<String> families = types.results().map(r -> r.group(1) + " " + r.group(2)).collect(Collectors.toSet());
        for (ProxyMeter m : ProxyMeter.values()) {
            if (m.kind() != ProxyMeter.Kind.GAUGE) {
                // The per-connector gauges have no series without tunnels (the system test scrapes them).
                assertThat(families).contains(m.prometheusName() + " " + m.kind().prometheus());
            }
        }
        Set<String> known = Arrays.stream(ProxyMeter.values()).flatMap(m -> List.of(m.prometheusName(), m.prometheusName() + "_max").stream())
                .collect(Collectors.toSet());
        assertThat(families).allSatisfy(f -> assertThat(known).contains(f.split(" ")[0]));
    }

    @Test
    void requestsAreCountedByAppAndStatusClass() throws Exception {
        exerciseEverything();
        String text = metrics.scrape();
        assertThat(text).contains("drawbridge_requests_seconds_count{app=\"hr-id\",status=\"2xx\"} 1")
                .contains("drawbridge_requests_seconds_count{app=\"hr-id\",status=\"5xx\"} 1")
                .contains("drawbridge_requests_seconds_count{app=\"hr-id\",status=\"aborted\"} 1")
                .contains("drawbridge_requests_seconds_count{app=\"unrouted\",status=\"4xx\"} 1")
                .contains("drawbridge_requests_seconds_bucket{app=\"hr-id\",status=\"2xx\",le=\"0.005\"} 1")
                .contains("drawbridge_upstream_seconds_count{app=\"hr-id\",outcome=\"2xx\"} 1")
                .contains("drawbridge_upstream_seconds_count{app=\"hr-id\",outcome=\"upstream_unreachable\"} 1")
                .contains("drawbridge_sign_ins_total{event=\"sign_in\",result=\"failure\"} 1")
                .contains("drawbridge_sign_ins_total{event=\"access\",result=\"success\"} 0")
                .contains("drawbridge_throttled_total{app=\"hr-id\",scope=\"app\"} 1")
                .contains("drawbridge_throttled_total{app=\"hr-id\",scope=\"global\"} 1")
                .contains("drawbridge_sso_refusals_total{app=\"hr-id\",method=\"basic\",reason=\"password_not_stored\"} 1")
                .contains("drawbridge_change_notifications_total{topic=\"apps\"} 1")
                .contains("drawbridge_change_listener_up 1");
    }

    @Test
    void everySignInEventAndResultHasASeriesFromTheStart() {
        String text = metrics.scrape();
        for (SignInEvent e : SignInEvent.values()) {
            for (SignInResult r : SignInResult.values()) {
                assertThat(text).contains("drawbridge_sign_ins_total{event=\"" + e.name().toLowerCase() + "\",result=\""
                        + r.name().toLowerCase() + "\"} 0");
            }
        }
    }

    @Test
    void directorySyncStreamsAreNotAnApps() throws Exception {
        Multiplexer mux = new Multiplexer(frame -> { }, null, Runnable::run);
        TunnelStream tcp = mux.open(RequestHead.tcp("ldap", "dc1.corp.example", 636, Duration.ofSeconds(5)));
        tcp.reset(ResetCode.CANCEL, "test");
        metrics.streamClosed(tcp);
        assertThat(metrics.scrape()).doesNotContain("drawbridge_upstream_seconds_count");
    }
}
