package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.InetAddress;
import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * What pre-authenticated users hold open through the proxy: WebSockets and streaming responses outlive the request
 * that authorized them, so a change of the user's standing would not reach them. Each such exchange takes a
 * {@link Lease} naming the app, the user, the session's auth time and the request's conditional-access origin;
 * {@link #recheck} (run every few seconds by the server, on every node, from the database) cuts every lease that a new
 * request would no longer pass: the user gone, disabled or their sessions revoked after the auth time; the app deleted
 * or its pre-authentication changed; and whatever {@link AccessCheck} (the request path's own authorization) now
 * refuses: an assignment removed, a conditional-access policy that blocks or wants a second factor, the identity provider
 * of the session no longer offered by the app. Exchanges nobody
 * signed in to (passthrough apps) hold anonymous leases, cut when their app is deleted or starts pre-authenticating.
 * The WebSocket closes
 * with 1008, the stream is reset; one log line per cut says why.
 *
 * <p>A recheck reads the directory in a few batched queries for all leases at once ({@link LiveDirectory}), never one
 * query per lease; conditional access and the published apps are the in-memory snapshots the request path uses.
 */
public final class LiveSessions {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSessions.class);

    /** One exchange's hold on a user's access to an app; close it when the exchange ends. */
    public final class Lease implements AutoCloseable {
        private final String appId;
        private final String appName;
        private final String kind;
        private final PreAuthentication preAuthentication;
        private final String userId;
        private final Instant authTime;
        private final AccessCheck.Origin origin;
        private final AtomicReference<Consumer<String>> cut = new AtomicReference<>(reason -> {
        });
        private final AtomicReference<String> revoked = new AtomicReference<>();

        private Lease(PublishedApp app, String kind, String userId, Instant authTime, AccessCheck.Origin origin) {
            this.appId = app.id();
            this.appName = app.name();
            this.kind = kind;
            this.preAuthentication = app.preAuthentication();
            this.userId = userId;
            this.authTime = authTime;
            this.origin = origin;
        }

        /**
         * What to do when access is revoked, given the reason (replaces what was set before); runs at once if it
         * already was.
         */
        public void onRevoke(Consumer<String> action) {
            cut.set(action);
            String reason = revoked.get();
            if (reason != null) {
                action.accept(reason);
            }
        }

        private void revoke(String reason) {
            if (revoked.compareAndSet(null, reason)) {
                open.remove(this);
                cut.get().accept(reason);
            }
        }

        @Override
        public void close() {
            open.remove(this);
        }
    }

    private final LiveDirectory directory;
    private final Supplier<? extends Iterable<PublishedApp>> apps;
    private final Supplier<ConditionalAccess> policies;
    private final Clock clock;
    private final Set<Lease> open = ConcurrentHashMap.newKeySet();
    private final AtomicBoolean stopped = new AtomicBoolean();

    /**
     * @param directory the users, groups and assignments, read from the database at each recheck
     * @param apps      the published apps now (the route table the request path uses)
     * @param policies  conditional access now (the snapshot the request path uses)
     */
    public LiveSessions(LiveDirectory directory, Supplier<? extends Iterable<PublishedApp>> apps, Supplier<ConditionalAccess> policies,
                        Clock clock) {
        this.directory = directory;
        this.apps = apps;
        this.policies = policies;
        this.clock = clock;
    }

    /** Leases that nothing ever cuts (for dispatchers without a directory). */
    public static LiveSessions none() {
        LiveSessions none = new LiveSessions(null, List::of, () -> null, Clock.systemUTC());
        none.stopped.set(true);
        return none;
    }

    /** A lease for an exchange of {@code identity} with {@code app}, authorized for {@code origin}. */
    public Lease open(PublishedApp app, Identity identity, AccessCheck.Origin origin) {
        return open(app, "connection", identity, origin);
    }

    /** As above; {@code kind} names the exchange in the log ("WebSocket", "response"). */
    public Lease open(PublishedApp app, String kind, Identity identity, AccessCheck.Origin origin) {
        return hold(new Lease(app, kind, identity.user().id(), identity.authTime(), origin));
    }

    /**
     * A lease for an exchange nobody signed in to (a passthrough app's): cut only when the app is deleted or its
     * pre-authentication changed (the app now wants its users signed in).
     */
    public Lease openAnonymous(PublishedApp app, String kind, InetAddress from) {
        return hold(new Lease(app, kind, null, Instant.EPOCH, new AccessCheck.Origin(from, AccessPolicy.ClientType.BROWSER, List.of())));
    }

    private Lease hold(Lease l) {
        if (!stopped.get()) {
            open.add(l);
        }
        return l;
    }

    /** Leases open now (for tests and metrics). */
    public int size() {
        return open.size();
    }

    /** Cuts every lease whose exchange a new request would no longer be let through for; returns how many. */
    public int recheck() {
        List<Lease> leases = List.copyOf(open);
        if (leases.isEmpty()) {
            return 0;
        }
        Map<String, PublishedApp> current = new HashMap<>();
        LiveDirectory.Snapshot now;
        try {
            apps.get().forEach(a -> current.put(a.id(), a));
            now = directory.read(leases.stream().map(l -> l.userId).filter(Objects::nonNull).collect(Collectors.toSet()),
                    leases.stream().map(l -> l.appId).filter(current::containsKey).collect(Collectors.toSet()));
        } catch (RuntimeException e) {
            // The database is away for a moment: the next recheck decides (a scheduled task must not die).
            LOG.warn("cannot recheck the live connections: {}", e.toString());
            return 0;
        }
        ConditionalAccess ca = policies.get();
        Instant at = clock.instant();
        int cuts = 0;
        for (Lease l : leases) {
            try {
                Optional<String> why = why(l, Optional.ofNullable(current.get(l.appId)), now, ca, at);
                if (why.isPresent()) {
                    cuts++;
                    LOG.info("cutting a live {} of {} to {} from {}: {}", l.kind, l.userId == null ? "an anonymous user"
                            : now.user(l.userId).map(DirectoryUser::upn).orElse("user " + l.userId), l.appName,
                            l.origin.address().getHostAddress(), why.get());
                    l.revoke(why.get());
                }
            } catch (RuntimeException e) {
                // One lease's failure must neither spare the others nor end the scheduled recheck.
                LOG.warn("rechecking a live {} to {} failed: {}", l.kind, l.appName, e.toString());
            }
        }
        return cuts;
    }

    /** Why a lease must be cut, or empty when it stands. */
    private static Optional<String> why(Lease l, Optional<PublishedApp> app, LiveDirectory.Snapshot now, ConditionalAccess ca,
                                        Instant at) {
        if (app.isEmpty()) {
            return Optional.of("the app was deleted");
        }
        if (app.get().preAuthentication() != l.preAuthentication) {
            return Optional.of("the app's pre-authentication changed");
        }
        if (l.userId == null) {
            return Optional.empty();
        }
        Optional<DirectoryUser> user = now.user(l.userId);
        if (user.isEmpty()) {
            return Optional.of("the user was deleted");
        }
        if (!user.get().enabled()) {
            return Optional.of("the user was disabled");
        }
        if (!l.authTime.isAfter(user.get().sessionsValidAfter())) {
            return Optional.of("the user's sessions were revoked");
        }
        return switch (AccessCheck.decide(now, ca, app.get(), user.get(), l.origin, at)) {
            case AccessCheck.Verdict.ProviderNotOffered p -> Optional.of("the app no longer offers sign-in with the identity provider "
                    + p.providerId());
            case AccessCheck.Verdict.NotAssigned n -> Optional.of("the user is no longer assigned to the app");
            case AccessCheck.Verdict.PathNotAllowed p -> Optional.of("the user is no longer among the users of the path " + p.rule());
            case AccessCheck.Verdict.Blocked b -> Optional.of("conditional access now blocks it (" + b.decision().summary() + ")");
            case AccessCheck.Verdict.NeedsStepUp s -> Optional.of("conditional access now requires two-step verification ("
                    + s.decision().summary() + ")");
            case AccessCheck.Verdict.Allowed a -> Optional.empty();
        };
    }
}
