package dev.drawbridge.connector.operations;

import dev.drawbridge.model.operations.Meter;

import java.util.List;

/**
 * Every meter the connector registers under {@code drawbridge_connector_}: its Micrometer name, its name and type as
 * Prometheus scrapes it, its labels and what it means. The one list: {@link ConnectorMetrics} registers from it,
 * docs/operations.md documents it, and a test keeps the three in step.
 */
public enum ConnectorMeter implements Meter {
    STREAMS("drawbridge.connector.streams", "drawbridge_connector_streams", Kind.GAUGE, List.of(),
            "Streams in flight on this connector's tunnels (requests, WebSockets, TCP streams)"),
    TUNNELS("drawbridge.connector.tunnels", "drawbridge_connector_tunnels", Kind.GAUGE, List.of("state"),
            "This connector's tunnels by state: connected, or disconnected (dialling, waiting to retry)"),
    UPSTREAM("drawbridge.connector.upstream", "drawbridge_connector_upstream_seconds", Kind.HISTOGRAM, List.of("app", "outcome"),
            "Streams from the OPEN received to the response head sent back (single sign-on and the internal app's answer): by app and "
                    + "outcome (the head's status class, or the reset code of a stream that got none)"),
    TUNNEL_BYTES("drawbridge.connector.tunnel.bytes", "drawbridge_connector_tunnel_bytes_total", Kind.COUNTER, List.of("direction"),
            "Bytes of tunnel messages (frames, bodies included), by direction: to_server, from_server"),
    RECONNECTS("drawbridge.connector.reconnects", "drawbridge_connector_reconnects_total", Kind.COUNTER, List.of(),
            "Tunnel connections opened after a tunnel's first (after a drop, or replacing a retired connection)"),
    CONNECT_FAILURES("drawbridge.connector.connect.failures", "drawbridge_connector_connect_failures_total", Kind.COUNTER, List.of(),
            "Attempts to open a tunnel connection that failed (retried with backoff)"),
    INFO("drawbridge.connector.info", "drawbridge_connector_info", Kind.GAUGE, List.of("connector", "version"),
            "Always 1: this connector's id and version, to join with the server's drawbridge_tunnels{connector}");

    private final Spec spec;

    ConnectorMeter(String meterName, String prometheusName, Kind kind, List<String> labels, String meaning) {
        this.spec = new Spec(meterName, prometheusName, kind, labels, meaning);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
