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

    /** Which limit refused a request. */
    public enum Scope {
        /** The app's own bucket. */
        APP,
        /** The whole server's bucket. */
        GLOBAL
    }

    /** A refused request: how long the client should wait, and which limit it hit. */
    public record Limited(Duration retryAfter, Scope scope) {
    }

    /** Empty when the request may go on; otherwise how long the client should wait. */
    public Optional<Duration> admit(String appId) {
        return check(appId).map(Limited::retryAfter);
    }

    /** Empty when the request may go on (it is counted); otherwise how long to wait and which limit refused it. */
    public Optional<Limited> check(String appId) {
        ConsumptionProbe app = perApp.computeIfAbsent(appId, id -> bucket(limits.appPerSecond(), limits.appBurst()))
                .tryConsumeAndReturnRemaining(1);
        if (!app.isConsumed()) {
            return Optional.of(new Limited(Duration.ofNanos(app.getNanosToWaitForRefill()), Scope.APP));
        }
        ConsumptionProbe all = global.tryConsumeAndReturnRemaining(1);
        return all.isConsumed() ? Optional.empty() : Optional.of(new Limited(Duration.ofNanos(all.getNanosToWaitForRefill()), Scope.GLOBAL));
    }
}
