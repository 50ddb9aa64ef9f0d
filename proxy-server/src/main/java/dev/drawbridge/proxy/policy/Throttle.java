package dev.drawbridge.proxy.policy;

import dev.drawbridge.proxy.config.ServerConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request throttling with token buckets (Bucket4j): one for the whole server and one per app.
 * A request over either limit is refused with how long to wait.
 */
public final class Throttle {
    private final ServerConfig.Throttling limits;
    private final Bucket global;
    private final ConcurrentHashMap<String, Bucket> perApp = new ConcurrentHashMap<>();

    public Throttle(ServerConfig.Throttling limits) {
        this.limits = limits;
        this.global = bucket(limits.globalPerSecond(), limits.globalBurst());
    }

    private static Bucket bucket(int perSecond, int burst) {
        return Bucket.builder().addLimit(Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build()).build();
    }

    /** Empty when the request may go on; otherwise how long the client should wait. */
    public Optional<Duration> admit(String appId) {
        ConsumptionProbe app = perApp.computeIfAbsent(appId, id -> bucket(limits.appPerSecond(), limits.appBurst()))
                .tryConsumeAndReturnRemaining(1);
        if (!app.isConsumed()) {
            return Optional.of(Duration.ofNanos(app.getNanosToWaitForRefill()));
        }
        ConsumptionProbe all = global.tryConsumeAndReturnRemaining(1);
        return all.isConsumed() ? Optional.empty() : Optional.of(Duration.ofNanos(all.getNanosToWaitForRefill()));
    }
}
