package dev.drawbridge.proxy.operations;

import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.policy.Throttle;
import dev.drawbridge.proxy.sso.SsoRefusals;
import dev.drawbridge.proxy.tunnel.TunnelConnection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * The server's metrics ({@link ProxyMeter}), in a Prometheus registry with the JVM's and the process's. Label values
 * are bounded: app ids, connector and group ids, status classes, enum names; never a path, a host a client chose, or a
 * user. The hot paths ({@link #request}, {@link #streamClosed}) find their timer in a map by app and an array by class,
 * so a request costs a lookup and a histogram update (a few dozen nanoseconds), no allocation.
 */
public final class ProxyMetrics implements AutoCloseable {
    /** The {@code status} label of a request whose response was aborted (the client saw a broken answer or none). */
    public static final String ABORTED = "aborted";
    /** The prefix of every meter of the server's own. */
    public static final String PREFIX = "drawbridge";
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx", ABORTED};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final ConcurrentHashMap<String, AtomicReferenceArray<Timer>> requests = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Timer>> upstream = new ConcurrentHashMap<>();
    private final Counter[][] signIns = new Counter[SignInEvent.values().length][SignInResult.values().length];
    private final MultiGauge tunnels;
    private final MultiGauge tunnelStreams;
    private volatile Supplier<Collection<TunnelConnection>> liveTunnels = List::of;

    public ProxyMetrics() {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        // Every event and result from the start, at 0: rates work from the first scrape.
        for (SignInEvent e : SignInEvent.values()) {
            for (SignInResult r : SignInResult.values()) {
                signIns[e.ordinal()][r.ordinal()] = Counter.builder(ProxyMeter.SIGN_INS.meterName()).description(ProxyMeter.SIGN_INS.meaning())
                        .tags("event", label(e.name()), "result", label(r.name())).register(registry);
            }
        }
        tunnels = MultiGauge.builder(ProxyMeter.TUNNELS.meterName()).description(ProxyMeter.TUNNELS.meaning()).register(registry);
        tunnelStreams = MultiGauge.builder(ProxyMeter.TUNNEL_STREAMS.meterName()).description(ProxyMeter.TUNNEL_STREAMS.meaning())
                .register(registry);
    }

    /** Whether this node listens for changes made on other nodes (PostgreSQL only), sampled at each scrape. */
    public void changeListener(BooleanSupplier listening) {
        Gauge.builder(ProxyMeter.CHANGE_LISTENER_UP.meterName(), () -> listening.getAsBoolean() ? 1 : 0)
                .description(ProxyMeter.CHANGE_LISTENER_UP.meaning()).register(registry);
    }

    /** A change notification received from the database, by topic. */
    public void changeNotified(String topic) {
        Counter.builder(ProxyMeter.CHANGE_NOTIFICATIONS.meterName()).description(ProxyMeter.CHANGE_NOTIFICATIONS.meaning())
                .tags("topic", topic).register(registry).increment();
    }

    /** The registry (tests look into it; binders may add to it). */
    public MeterRegistry registry() {
        return registry;
    }

    /** Where the per-connector gauges come from: this node's live tunnels, sampled at each scrape. */
    public void tunnels(Supplier<Collection<TunnelConnection>> source) {
        this.liveTunnels = source;
    }

    /** The exposition in Prometheus' text format (version 0.0.4), the per-connector gauges sampled now. */
    public String scrape() {
        sampleTunnels();
        return registry.scrape();
    }

    /** A request on the public listener done: {@code status} 0 when its response was aborted. */
    public void request(String app, int status, long nanos) {
        int c = status >= 100 && status < 600 ? status / 100 - 1 : STATUS_CLASSES.length - 1;
        AtomicReferenceArray<Timer> byClass = requests.computeIfAbsent(app, a -> new AtomicReferenceArray<>(STATUS_CLASSES.length));
        Timer t = byClass.get(c);
        if (t == null) {
            // Racing threads register the same meter; the registry hands both the one instance.
            t = histogram(ProxyMeter.REQUESTS, Tags.of("app", app, "status", STATUS_CLASSES[c]));
            byClass.set(c, t);
        }
        t.record(nanos, TimeUnit.NANOSECONDS);
    }

    /**
     * A stream of this node's tunnels done: the time from its OPEN to its response head (or, without one, to its end),
     * by app and outcome. Raw TCP streams (directory sync) are not an app's and are left out.
     */
    public void streamClosed(TunnelStream stream) {
        if (stream.request().isTcp()) {
            return;
        }
        String outcome = stream.headStatus().isPresent() ? statusClass(stream.headStatus().getAsInt())
                : stream.resetCode().map(ProxyMetrics::resetLabel).orElse("closed");
        long nanos = stream.nanosToHead().orElseGet(stream::nanosSinceOpen);
        upstream.computeIfAbsent(stream.request().appId(), a -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> histogram(ProxyMeter.UPSTREAM, Tags.of("app", stream.request().appId(), "outcome", o)))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** A sign-in log entry. */
    public void signIn(SignInRecord line) {
        signIns[line.event().ordinal()][line.result().ordinal()].increment();
    }

    /** A request refused by throttling. */
    public void throttled(PublishedApp app, Throttle.Scope scope) {
        Counter.builder(ProxyMeter.THROTTLED.meterName()).description(ProxyMeter.THROTTLED.meaning())
                .tags("app", app.id(), "scope", label(scope.name())).register(registry).increment();
    }

    /** A request single sign-on could not serve. */
    public void ssoRefused(PublishedApp app, SsoRefusals.Reason reason) {
        Counter.builder(ProxyMeter.SSO_REFUSALS.meterName()).description(ProxyMeter.SSO_REFUSALS.meaning())
                .tags("app", app.id(), "method", label(app.sso().method().name()), "reason", reason.label()).register(registry).increment();
    }

    private Timer histogram(ProxyMeter meter, Tags tags) {
        return Timer.builder(meter.meterName()).description(meter.meaning()).tags(tags)
                .serviceLevelObjectives(ProxyMeter.LATENCY_BUCKETS.toArray(Duration[]::new)).register(registry);
    }

    private void sampleTunnels() {
        Map<String, List<TunnelConnection>> byConnector = new LinkedHashMap<>();
        for (TunnelConnection t : liveTunnels.get()) {
            byConnector.computeIfAbsent(t.connectorId(), id -> new ArrayList<>()).add(t);
        }
        List<MultiGauge.Row<?>> counts = new ArrayList<>(), streams = new ArrayList<>();
        byConnector.forEach((connector, list) -> {
            counts.add(MultiGauge.Row.of(Tags.of("connector", connector, "group", list.getFirst().groupId()), list.size()));
            streams.add(MultiGauge.Row.of(Tags.of("connector", connector), list.stream().mapToInt(t -> t.mux().activeStreams()).sum()));
        });
        // Connectors gone since the last scrape drop out.
        tunnels.register(counts, true);
        tunnelStreams.register(streams, true);
    }

    static String statusClass(int status) {
        return status >= 100 && status < 600 ? STATUS_CLASSES[status / 100 - 1] : "other";
    }

    private static String resetLabel(ResetCode code) {
        return label(code.name());
    }

    private static String label(String enumName) {
        return enumName.toLowerCase(Locale.ROOT);
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
