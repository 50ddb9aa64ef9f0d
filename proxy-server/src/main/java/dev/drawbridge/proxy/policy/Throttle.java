package dev.drawbridge.proxy.policy;

import dev.drawbridge.model.api.AppThrottle;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.config.ServerConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.ConsumptionProbe;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Request throttling with token buckets (Bucket4j): one for the whole server and one per app, at the app's own limit
 * ({@code AppLimits}) or else the server's per-app default. An app's bucket is built anew, full, when its limit changes.
 * A request over either limit is refused with how long to wait; one the app's bucket refuses is not counted globally.
 */
public final class Throttle {
    private final ServerConfig.Throttling limits;
    private final Bucket global;
    private final ConcurrentHashMap<String, AppBucket> perApp = new ConcurrentHashMap<>();

    /** An app's bucket and the limit it was built for. */
    private record AppBucket(AppThrottle limit, Bucket bucket) {
    }

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

    /** Empty when the request may go on (it is counted); otherwise how long to wait and which limit refused it. */
    public Optional<Limited> check(PublishedApp app) {
        AppThrottle limit = app.limits().throttle().orElseGet(() -> new AppThrottle(limits.appPerSecond(), limits.appBurst()));
        AppBucket b = perApp.compute(app.id(), (id, old) -> old != null && old.limit().equals(limit) ? old
                : new AppBucket(limit, bucket(limit.requestsPerSecond(), limit.burst())));
        ConsumptionProbe own = b.bucket().tryConsumeAndReturnRemaining(1);
        if (!own.isConsumed()) {
            return Optional.of(new Limited(Duration.ofNanos(own.getNanosToWaitForRefill()), Scope.APP));
        }
        ConsumptionProbe all = global.tryConsumeAndReturnRemaining(1);
        return all.isConsumed() ? Optional.empty() : Optional.of(new Limited(Duration.ofNanos(all.getNanosToWaitForRefill()), Scope.GLOBAL));
    }
}
