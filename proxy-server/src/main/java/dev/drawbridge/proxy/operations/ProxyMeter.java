package dev.drawbridge.proxy.operations;

import dev.drawbridge.model.operations.Meter;

import java.time.Duration;
import java.util.List;

/**
 * Every meter the server registers under {@code drawbridge_}: its Micrometer name, its name and type as Prometheus
 * scrapes it, its labels and what it means. The one list: {@link ProxyMetrics} registers from it, docs/operations.md
 * documents it, and a test keeps the three in step.
 */
public enum ProxyMeter implements Meter {
    REQUESTS("drawbridge.requests", "drawbridge_requests_seconds", Kind.HISTOGRAM, List.of("app", "status"),
            "Requests on the public listener, from the first handler to the response complete: by app (its id, or admin, signin, "
                    + "unrouted) and status class (1xx to 5xx, aborted)"),
    UPSTREAM("drawbridge.upstream", "drawbridge_upstream_seconds", Kind.HISTOGRAM, List.of("app", "outcome"),
            "Streams to connectors, from the OPEN sent to the response head received (tunnel, connector and app together): by app "
                    + "and outcome (the head's status class, or the reset code of a stream that got none)"),
    SIGN_INS("drawbridge.sign.ins", "drawbridge_sign_ins_total", Kind.COUNTER, List.of("event", "result"),
            "Sign-in log entries: by event (sign_in, access, admin_sign_in, backend_sso) and result (success, failure, denied, "
                    + "interrupted)"),
    THROTTLED("drawbridge.throttled", "drawbridge_throttled_total", Kind.COUNTER, List.of("app", "scope"),
            "Requests refused with 429 by throttling: by app and the limit hit (app, global)"),
    SSO_REFUSALS("drawbridge.sso.refusals", "drawbridge_sso_refusals_total", Kind.COUNTER, List.of("app", "method", "reason"),
            "Requests single sign-on to the backend could not serve: by app, its method (headers, kerberos, basic, forms, saml) and "
                    + "reason (connector, password_not_stored, password_moved, password_refused)"),
    TUNNELS("drawbridge.tunnels", "drawbridge_tunnels", Kind.GAUGE, List.of("connector", "group"),
            "Tunnels connected to this server, by connector (its id) and connector group (its id)"),
    TUNNEL_STREAMS("drawbridge.tunnel.streams", "drawbridge_tunnel_streams", Kind.GAUGE, List.of("connector"),
            "Streams in flight on this server's tunnels, by connector"),
    CHANGE_LISTENER_UP("drawbridge.change.listener.up", "drawbridge_change_listener_up", Kind.GAUGE, List.of(),
            "1 while this node listens for changes made on other nodes (PostgreSQL LISTEN), 0 during an outage (the periodic reload "
                    + "carries them then); no series on embedded H2"),
    CHANGE_NOTIFICATIONS("drawbridge.change.notifications", "drawbridge_change_notifications_total", Kind.COUNTER, List.of("topic"),
            "Change notifications this node received from the database, by topic (apps, path_rules, policies, directory, connectors, "
                    + "maintenance, group_configs, certificates)");

    /** The bucket boundaries of the latency histograms: from 5 ms to the LONG backend timeout's range. */
    public static final List<Duration> LATENCY_BUCKETS = List.of(Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(120));

    private final Spec spec;

    ProxyMeter(String meterName, String prometheusName, Kind kind, List<String> labels, String meaning) {
        this.spec = new Spec(meterName, prometheusName, kind, labels, meaning);
    }

    @Override
    public Spec spec() {
        return spec;
    }
}
