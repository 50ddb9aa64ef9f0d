package dev.drawbridge.connector.operations;

import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.Multiplexer;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.search.Search;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectorMetrics} registers exactly its catalogue ({@link ConnectorMeter}) under the documented names, types and
 * labels, and counts what its tunnels tell it: streams by app and outcome, bytes each way, reconnects (not first
 * connections), failed connects; its gauges follow the connector's state.
 */
class ConnectorMetricsTest {
    private final AtomicInteger streams = new AtomicInteger(3), connected = new AtomicInteger(1);
    private final ConnectorMetrics metrics = new ConnectorMetrics("c-1", "1.2.3", streams::get, connected::get, () -> 4);

    @AfterEach
    void close() {
        metrics.close();
    }

    /** A stream the proxy opened on the connector, answered with {@code status} or reset with {@code code}. */
    private static TunnelStream served(int status, ResetCode code) throws Exception {
        AtomicReference<TunnelStream> accepted = new AtomicReference<>();
        Multiplexer mux = new Multiplexer(frame -> { }, accepted::set, Runnable::run);
        mux.receive(new Frame.Open(1, new RequestHead("hr-id", "GET", "http://intranet/", List.of(new HeaderField("X-Request-Id", "r1")),
                Duration.ofSeconds(5), false, false)));
        TunnelStream s = accepted.get();
        if (code == null) {
            s.sendWhole(new ResponseHead(status, List.of()), new byte[]{1, 2, 3});
        } else {
            s.reset(code, "test");
        }
        return s;
    }

    private void exerciseEverything() throws Exception {
        metrics.connected(false);
        metrics.connected(true);
        metrics.connected(true);
        metrics.connectFailed();
        metrics.bytesToServer(100);
        metrics.bytesToServer(20);
        metrics.bytesFromServer(7);
        metrics.streamClosed(served(302, null));
        metrics.streamClosed(served(0, ResetCode.SSO_REFUSED));
    }

    @Test
    void everyMeterIsInTheCatalogueWithItsLabelsAndEveryFamilyIsExposed() throws Exception {
        exerciseEverything();
        List<Meter> ours = Search.in(metrics.registry()).meters().stream().filter(m -> m.getId().getName().startsWith("drawbridge.")).toList();
        for (Meter m : ours) {
            ConnectorMeter spec = Arrays.stream(ConnectorMeter.values()).filter(c -> c.meterName().equals(m.getId().getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(m.getId().getName() + " is not in ConnectorMeter"));
            assertThat(m.getId().getTags()).extracting(Tag::getKey).as(spec.name()).containsExactlyInAnyOrderElementsOf(spec.labels());
        }
        Set<String> families = Pattern.compile("(?m)^# TYPE (drawbridge_\\w+) (\\w+)$").matcher(metrics.scrape()).results()
                .map(r -> r.group(1) + " " + r.group(2)).collect(Collectors.toSet());
        Set<String> expected = Arrays.stream(ConnectorMeter.values()).map(c -> c.prometheusName() + " " + c.kind().prometheus())
                .collect(Collectors.toSet());
        expected.add(ConnectorMeter.UPSTREAM.prometheusName() + "_max gauge");
        assertThat(families).isEqualTo(expected);
    }

    @Test
    void itCountsWhatTheTunnelsTellIt() throws Exception {
        exerciseEverything();
        String text = metrics.scrape();
        assertThat(text).contains("drawbridge_connector_reconnects_total 2.0")
                .contains("drawbridge_connector_connect_failures_total 1.0")
                .contains("drawbridge_connector_tunnel_bytes_total{direction=\"to_server\"} 120.0")
                .contains("drawbridge_connector_tunnel_bytes_total{direction=\"from_server\"} 7.0")
                .contains("drawbridge_connector_upstream_seconds_count{app=\"hr-id\",outcome=\"3xx\"} 1")
                .contains("drawbridge_connector_upstream_seconds_count{app=\"hr-id\",outcome=\"sso_refused\"} 1")
                .contains("drawbridge_connector_streams 3.0")
                .contains("drawbridge_connector_tunnels{state=\"connected\"} 1.0")
                .contains("drawbridge_connector_tunnels{state=\"disconnected\"} 3.0")
                .contains("drawbridge_connector_info{connector=\"c-1\",version=\"1.2.3\"} 1");
        streams.set(0);
        connected.set(4);
        assertThat(metrics.scrape()).contains("drawbridge_connector_streams 0.0").contains("drawbridge_connector_tunnels{state=\"disconnected\"} 0.0");
    }
}
