package dev.drawbridge.proxy.policy;

import dev.drawbridge.model.api.AppThrottle;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.config.ServerConfig;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * Request throttling with token buckets (Bucket4j): one for the whole server and one per app, at the app's own limit
 * ({@code AppLimits}) or else the server's per-app default. An app's bucket is built anew, full, when its limit changes.
 * A request over either limit is refused with how long to wait; one the app's bucket refuses is not counted globally.
 * <p>
 * On a node of several, each bucket admits only this node's share of its limit ({@link #share}), which {@link ThrottleSync}
 * sets from what every node was asked to admit lately; the buckets count what they were asked and what they admitted for it
 * ({@link #drain}). The request path never waits for the database. Alone (H2), every share is the whole limit.
 */
public final class Throttle {
    /** The scope key of the global bucket; an app's is {@code app:<id>}. */
    public static final String GLOBAL_KEY = "global";

    private final ServerConfig.Throttling limits;
    private final Counted global;
    private final ConcurrentHashMap<String, AppBucket> perApp = new ConcurrentHashMap<>();
    /** The share a bucket made between two syncs starts with. */
    private volatile double newShare = 1.0;

    /** An app's bucket and the limit it was built for. */
    private record AppBucket(AppThrottle limit, Counted counted) {
    }

    /** A bucket at this node's share of its limit, and what it saw since the last {@link #drain}. */
    private static final class Counted {
        final int perSecond;
        final int burst;
        final Bucket bucket;
        final LongAdder asked = new LongAdder();
        final LongAdder admitted = new LongAdder();
        volatile double share;

        Counted(int perSecond, int burst, double share) {
            this.perSecond = perSecond;
            this.burst = burst;
            this.share = share;
            this.bucket = Bucket.builder().addLimit(bandwidth(perSecond, burst, share)).build();
        }

        void share(double s) {
            // Small moves are noise: the bucket is reconfigured only when the share moves by 2% or more.
            if (Math.abs(s - share) >= 0.02 * Math.max(s, share)) {
                bucket.replaceConfiguration(BucketConfiguration.builder().addLimit(bandwidth(perSecond, burst, s)).build(),
                        TokensInheritanceStrategy.AS_IS);
                share = s;
            }
        }
    }

    public Throttle(ServerConfig.Throttling limits) {
        this.limits = limits;
        this.global = new Counted(limits.globalPerSecond(), limits.globalBurst(), 1.0);
    }

    /**
     * {@code share} of a limit: that part of its rate (one token every 1/rate, so that a third of 10 a second is 3.33, not 3)
     * and of its burst (at least 1). The whole limit is the bucket it always was.
     */
    static Bandwidth bandwidth(int perSecond, int burst, double share) {
        if (share >= 1.0) {
            return Bandwidth.builder().capacity(burst).refillGreedy(perSecond, Duration.ofSeconds(1)).build();
        }
        double rate = perSecond * share;
        long capacity = Math.max(1, Math.round(burst * share));
        return Bandwidth.builder().capacity(capacity).refillGreedy(1, Duration.ofNanos(Math.max(1, Math.round(1e9 / rate)))).build();
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
                : new AppBucket(limit, new Counted(limit.requestsPerSecond(), limit.burst(), old == null ? newShare : old.counted().share)));
        Counted own = b.counted();
        own.asked.increment();
        ConsumptionProbe ownProbe = own.bucket.tryConsumeAndReturnRemaining(1);
        if (!ownProbe.isConsumed()) {
            return Optional.of(new Limited(Duration.ofNanos(ownProbe.getNanosToWaitForRefill()), Scope.APP));
        }
        own.admitted.increment();
        global.asked.increment();
        ConsumptionProbe all = global.bucket.tryConsumeAndReturnRemaining(1);
        if (!all.isConsumed()) {
            return Optional.of(new Limited(Duration.ofNanos(all.getNanosToWaitForRefill()), Scope.GLOBAL));
        }
        global.admitted.increment();
        return Optional.empty();
    }

    /** What a scope's bucket saw since the last drain: requests asked (admitted or not), and admitted; and its limit. */
    public record Counts(long asked, long admitted, int perSecond) {
    }

    /** Every scope's counts since the last call (then zero), by scope key ({@link #GLOBAL_KEY}, {@code app:<id>}). */
    public Map<String, Counts> drain() {
        Map<String, Counts> m = new HashMap<>();
        m.put(GLOBAL_KEY, new Counts(global.asked.sumThenReset(), global.admitted.sumThenReset(), global.perSecond));
        perApp.forEach((id, b) -> m.put("app:" + id, new Counts(b.counted().asked.sumThenReset(), b.counted().admitted.sumThenReset(),
                b.counted().perSecond)));
        return m;
    }

    /**
     * Sets this node's share (0 to 1) of each scope's limit; scopes not named, and buckets made from now on, get
     * {@code otherwise}.
     */
    public void share(Map<String, Double> shares, double otherwise) {
        newShare = otherwise;
        global.share(shares.getOrDefault(GLOBAL_KEY, otherwise));
        perApp.forEach((id, b) -> b.counted().share(shares.getOrDefault("app:" + id, otherwise)));
    }

    /** This node's current share of a scope's limit (1 alone); empty for an app it has not seen. */
    public Optional<Double> shareOf(String scope) {
        if (scope.equals(GLOBAL_KEY)) {
            return Optional.of(global.share);
        }
        return scope.startsWith("app:") ? Optional.ofNullable(perApp.get(scope.substring(4))).map(b -> b.counted().share) : Optional.empty();
    }
}
