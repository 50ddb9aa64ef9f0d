package dev.drawbridge.connector.operations;

import dev.drawbridge.connector.tunnel.TunnelClient;
import dev.drawbridge.model.tunnel.TunnelStream;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
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
import java.util.Locale;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;

/**
 * The connector's metrics ({@link ConnectorMeter}), in a Prometheus registry with the JVM's and the process's, fed by
 * its tunnels ({@link TunnelClient.Observer}). Label values are bounded: app ids, status classes, reset codes, fixed
 * words; never a URL or a user.
 */
public final class ConnectorMetrics implements TunnelClient.Observer, AutoCloseable {
    /** The bucket boundaries of the latency histogram (as the server's). */
    static final Duration[] LATENCY_BUCKETS = {Duration.ofMillis(5), Duration.ofMillis(10), Duration.ofMillis(25),
            Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60),
            Duration.ofSeconds(120)};
    private static final String[] STATUS_CLASSES = {"1xx", "2xx", "3xx", "4xx", "5xx"};

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final JvmGcMetrics gc = new JvmGcMetrics();
    private final Counter toServer;
    private final Counter fromServer;
    private final Counter reconnects;
    private final Counter connectFailures;
    private final ConcurrentHashMap<String, ConcurrentHashMap<String, Timer>> upstream = new ConcurrentHashMap<>();

    /**
     * @param streams   streams in flight on all tunnels
     * @param connected tunnels connected now
     * @param tunnels   tunnels configured ({@code --tunnels})
     */
    public ConnectorMetrics(String connectorId, String version, IntSupplier streams, IntSupplier connected, IntSupplier tunnels) {
        new JvmMemoryMetrics().bindTo(registry);
        gc.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
        Gauge.builder(ConnectorMeter.STREAMS.meterName(), streams, IntSupplier::getAsInt).description(ConnectorMeter.STREAMS.meaning())
                .strongReference(true).register(registry);
        Gauge.builder(ConnectorMeter.TUNNELS.meterName(), connected, IntSupplier::getAsInt).description(ConnectorMeter.TUNNELS.meaning())
                .tag("state", "connected").strongReference(true).register(registry);
        Gauge.builder(ConnectorMeter.TUNNELS.meterName(), () -> tunnels.getAsInt() - connected.getAsInt())
                .description(ConnectorMeter.TUNNELS.meaning()).tag("state", "disconnected").strongReference(true).register(registry);
        Gauge.builder(ConnectorMeter.INFO.meterName(), () -> 1).description(ConnectorMeter.INFO.meaning())
                .tags("connector", connectorId, "version", version).strongReference(true).register(registry);
        toServer = bytes("to_server");
        fromServer = bytes("from_server");
        reconnects = Counter.builder(ConnectorMeter.RECONNECTS.meterName()).description(ConnectorMeter.RECONNECTS.meaning()).register(registry);
        connectFailures = Counter.builder(ConnectorMeter.CONNECT_FAILURES.meterName()).description(ConnectorMeter.CONNECT_FAILURES.meaning())
                .register(registry);
    }

    private Counter bytes(String direction) {
        return Counter.builder(ConnectorMeter.TUNNEL_BYTES.meterName()).description(ConnectorMeter.TUNNEL_BYTES.meaning())
                .baseUnit("bytes").tag("direction", direction).register(registry);
    }

    /** The registry (tests look into it). */
    public MeterRegistry registry() {
        return registry;
    }

    /** The exposition in Prometheus' text format (version 0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    @Override
    public void connected(boolean reconnect) {
        if (reconnect) {
            reconnects.increment();
        }
    }

    @Override
    public void connectFailed() {
        connectFailures.increment();
    }

    @Override
    public void bytesToServer(int bytes) {
        toServer.increment(bytes);
    }

    @Override
    public void bytesFromServer(int bytes) {
        fromServer.increment(bytes);
    }

    /** The time from the OPEN to the head sent back (or, without one, to the end), by app and outcome; TCP streams are not an app's. */
    @Override
    public void streamClosed(TunnelStream stream) {
        if (stream.request().isTcp()) {
            return;
        }
        String outcome = outcome(stream);
        long nanos = stream.nanosToHead().orElseGet(stream::nanosSinceOpen);
        String app = stream.request().appId();
        upstream.computeIfAbsent(app, a -> new ConcurrentHashMap<>())
                .computeIfAbsent(outcome, o -> Timer.builder(ConnectorMeter.UPSTREAM.meterName()).description(ConnectorMeter.UPSTREAM.meaning())
                        .tags(Tags.of("app", app, "outcome", o)).serviceLevelObjectives(LATENCY_BUCKETS).register(registry))
                .record(nanos, TimeUnit.NANOSECONDS);
    }

    /** The head's status class, or the reset code (lower case) of a stream that got no head. */
    static String outcome(TunnelStream stream) {
        if (stream.headStatus().isPresent()) {
            int status = stream.headStatus().getAsInt();
            return status >= 100 && status < 600 ? STATUS_CLASSES[status / 100 - 1] : "other";
        }
        return stream.resetCode().map(c -> c.name().toLowerCase(Locale.ROOT)).orElse("closed");
    }

    @Override
    public void close() {
        gc.close();
        registry.close();
    }
}
