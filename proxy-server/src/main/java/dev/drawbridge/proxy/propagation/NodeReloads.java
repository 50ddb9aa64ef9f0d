package dev.drawbridge.proxy.propagation;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Collection;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * What a node reloads when something changed, and the one map from a {@link Topic} to those reloads. Two callers: the
 * notifications of {@link ChangeListener} (at once, one coalesced run per topic however many rows changed) and the
 * periodic fallback (every few seconds, whatever was or was not notified). The two never run the same reload at once:
 * a periodic reload that read the database before a change cannot overwrite, after it, what the notified reload read.
 */
public final class NodeReloads {
    private static final Logger LOG = LoggerFactory.getLogger(NodeReloads.class);
    /** How often each reload runs without being told to: the fallback, and all there is on H2. */
    static final Duration FALLBACK = Duration.ofSeconds(5);
    /** Certificates change seldom and cost a decryption each: as before, every 30 s without notifications. */
    static final Duration CERTIFICATES_FALLBACK = Duration.ofSeconds(30);

    /**
     * What there is to reload on a node; each keeps what it had and logs when the database cannot be read.
     *
     * @param routes       the route table (published apps)
     * @param pathRules    the apps' path rules
     * @param policies     the conditional access snapshot
     * @param maintenances the connector groups in maintenance mode
     * @param connectors   the standing of the connectors whose tunnels the node holds (revoked, removed, moved), which also
     *                     sends their groups' settings where they changed
     * @param groupConfigs the connector groups' settings (Kerberos), sent to the tunnels where they changed
     * @param liveSessions the recheck of the WebSockets and streams held open by users
     * @param certificates uploaded certificates and the server certificate
     * @param signingKeys  the signing key sets (a rotation made on another node), whose SSO keys go to the connectors
     */
    public record Targets(Runnable routes, Runnable pathRules, Runnable policies, Runnable maintenances, Runnable connectors,
                          Runnable groupConfigs, Runnable liveSessions, Runnable certificates, Runnable signingKeys) {
        public Targets {
            Objects.requireNonNull(routes);
            Objects.requireNonNull(pathRules);
            Objects.requireNonNull(policies);
            Objects.requireNonNull(maintenances);
            Objects.requireNonNull(connectors);
            Objects.requireNonNull(groupConfigs);
            Objects.requireNonNull(liveSessions);
            Objects.requireNonNull(certificates);
            Objects.requireNonNull(signingKeys);
        }

        Runnable of(Reload r) {
            return switch (r) {
                case ROUTES -> routes;
                case PATH_RULES -> pathRules;
                case POLICIES -> policies;
                case MAINTENANCES -> maintenances;
                case CONNECTORS -> connectors;
                case GROUP_CONFIGS -> groupConfigs;
                case LIVE_SESSIONS -> liveSessions;
                case CERTIFICATES -> certificates;
                case SIGNING_KEYS -> signingKeys;
            };
        }
    }

    /** One thing a node reloads. */
    enum Reload { ROUTES, PATH_RULES, POLICIES, MAINTENANCES, CONNECTORS, GROUP_CONFIGS, LIVE_SESSIONS, CERTIFICATES, SIGNING_KEYS }

    /**
     * The one map: what a change of {@code topic} makes a node reload, in this order. The live sessions' recheck comes
     * after the routes and the policies, which it reads.
     */
    static List<Reload> reloadsOf(Topic topic) {
        return switch (topic) {
            case APPS -> List.of(Reload.ROUTES, Reload.LIVE_SESSIONS);
            case PATH_RULES -> List.of(Reload.PATH_RULES, Reload.LIVE_SESSIONS);
            case POLICIES -> List.of(Reload.POLICIES, Reload.LIVE_SESSIONS);
            case DIRECTORY -> List.of(Reload.LIVE_SESSIONS);
            case CONNECTORS -> List.of(Reload.CONNECTORS);
            case MAINTENANCE -> List.of(Reload.MAINTENANCES);
            case GROUP_CONFIGS -> List.of(Reload.GROUP_CONFIGS);
            case CERTIFICATES -> List.of(Reload.CERTIFICATES);
            case SECRETS -> List.of(Reload.SIGNING_KEYS);
        };
    }

    /** How often {@code reload} runs as the fallback; empty when another covers it (the connectors' recheck sends configs). */
    static Optional<Duration> fallbackPeriod(Reload reload, Duration liveRecheck) {
        return switch (reload) {
            case LIVE_SESSIONS -> Optional.of(liveRecheck);
            case CERTIFICATES -> Optional.of(CERTIFICATES_FALLBACK);
            case GROUP_CONFIGS -> Optional.empty();
            default -> Optional.of(FALLBACK);
        };
    }

    private final Targets targets;
    private final Map<Reload, ReentrantLock> locks = new EnumMap<>(Reload.class);
    private final Map<Topic, CoalescedRun> runs = new EnumMap<>(Topic.class);

    /** @param executor where notified reloads run (one run per topic at a time) */
    public NodeReloads(Targets targets, Executor executor) {
        this.targets = targets;
        for (Reload r : Reload.values()) {
            locks.put(r, new ReentrantLock());
        }
        for (Topic t : Topic.values()) {
            runs.put(t, new CoalescedRun(t.wireName(), () -> reloadsOf(t).forEach(this::run), executor));
        }
    }

    /** These topics changed: their reloads run soon, once for all the changes notified until they start. Never blocks. */
    public void changed(Collection<Topic> topics) {
        topics.forEach(t -> runs.get(t).request());
    }

    /** Anything may have changed (notifications were lost, or one this version does not know came): everything reloads. */
    public void everything() {
        changed(List.of(Topic.values()));
    }

    /** Schedules the periodic fallback on {@code scheduler}. */
    public void scheduleFallback(ScheduledExecutorService scheduler, Duration liveRecheck) {
        for (Reload r : Reload.values()) {
            fallbackPeriod(r, liveRecheck).ifPresent(p -> scheduler.scheduleWithFixedDelay(() -> run(r), p.toMillis(), p.toMillis(),
                    TimeUnit.MILLISECONDS));
        }
    }

    /** Runs {@code r} now, after any run of it in progress (the fallback's way; the notified runs go through their topic). */
    void run(Reload r) {
        ReentrantLock lock = locks.get(r);
        lock.lock();
        try {
            targets.of(r).run();
        } catch (RuntimeException | Error e) {
            // A periodic task that throws is never run again, silently; the reloads log their own failures, this is for
            // the rest (an Error too: an OutOfMemoryError while reading a large table must not end the fallback for good).
            LOG.warn("reloading {} failed: {}", r, e.toString());
        } finally {
            lock.unlock();
        }
    }

    /** Whether a run of {@code r} is waiting for another to finish (tests). */
    boolean waiting(Reload r) {
        return locks.get(r).hasQueuedThreads();
    }
}
