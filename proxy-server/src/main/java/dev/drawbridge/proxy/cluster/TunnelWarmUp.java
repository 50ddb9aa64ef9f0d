package dev.drawbridge.proxy.cluster;

import dev.drawbridge.model.operations.HealthReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.function.ToIntFunction;

/**
 * Readiness of a node that joins a running cluster: not ready until the connectors online in the cluster (seen by some
 * node within the last heartbeats) hold a tunnel to it, or until a cap has passed. Without it, a node that starts (or
 * restarts in a rolling upgrade) was ready as soon as its listeners were, so the balancer sent it requests for apps whose
 * connectors had not dialled it yet, answered 502 for the 1–6 s that took (ClusterProcessesTest). The cap keeps a
 * connector that cannot reach this node (a firewall, its outbound proxy) from keeping the node out of the pool forever;
 * once ready, a node stays ready as far as this check goes (a connector leaving later is the dispatcher's business).
 */
public final class TunnelWarmUp {
    private static final Logger LOG = LoggerFactory.getLogger(TunnelWarmUp.class);

    private final ToIntFunction<String> tunnelsHere;
    private final Duration cap;
    private final LongSupplier nanoTime;
    private final long startedNanos;
    /** The connectors online in the cluster when this node started; null until read. */
    private final AtomicReference<Set<String>> expected = new AtomicReference<>();
    private volatile boolean done;

    /**
     * @param onlineInCluster the connectors some node saw lately (read once, from the database, off the caller's thread)
     * @param tunnelsHere     how many tunnels a connector holds to this node
     * @param cap             the longest the node waits for them
     */
    public TunnelWarmUp(Supplier<Set<String>> onlineInCluster, ToIntFunction<String> tunnelsHere, Duration cap, LongSupplier nanoTime) {
        this.tunnelsHere = tunnelsHere;
        this.cap = cap;
        this.nanoTime = nanoTime;
        this.startedNanos = nanoTime.getAsLong();
        Thread.ofVirtual().name("tunnel-warm-up").start(() -> {
            try {
                expected.set(Set.copyOf(onlineInCluster.get()));
            } catch (RuntimeException e) {
                // The database away at start: the node is not ready for its own database check anyway, which decides then.
                LOG.warn("cannot read which connectors are online in the cluster ({}); not waiting for their tunnels", e.toString());
                expected.set(Set.of());
            }
        });
    }

    /** The readiness check (in memory: never blocks). */
    public HealthReport.Check check() {
        if (done) {
            return HealthReport.Check.up("tunnels", "the connectors online in the cluster reached this node");
        }
        Set<String> want = expected.get();
        boolean capped = nanoTime.getAsLong() - startedNanos >= cap.toNanos();
        long missing = want == null ? -1 : want.stream().filter(id -> tunnelsHere.applyAsInt(id) == 0).count();
        if (missing == 0 || capped) {
            done = true;
            if (missing != 0) {
                LOG.warn("ready after {} s without the tunnels of {} connector(s) online in the cluster: they cannot reach this "
                        + "node's tunnel URL (advertise-tunnel-url, firewall, their outbound proxy)", cap.toSeconds(),
                        missing < 0 ? "some" : missing);
            }
            return HealthReport.Check.up("tunnels", "the connectors online in the cluster reached this node");
        }
        return HealthReport.Check.down("tunnels", want == null ? "reading which connectors are online in the cluster"
                : "waiting for the tunnels of " + missing + " of " + want.size() + " connector(s) online in the cluster (at most "
                + cap.toSeconds() + " s)");
    }
}
