package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.PathAccess;
import dev.drawbridge.proxy.apps.PathRules;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RequestPath;
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
import java.util.function.Function;
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
 * of the session no longer offered by the app. The app's path rules are decided again for the exchange's path: a rule
 * added, removed or tightened since the exchange began is judged as it would judge a new request on that path (its
 * users, its policies), and a path whose pre-authentication changed (a passthrough path that now wants sign-in) or that
 * the rules now refuse is cut. Exchanges nobody signed in to (passthrough apps and passthrough paths) hold anonymous
 * leases, cut when their app is deleted, starts pre-authenticating, or their path stops being passthrough.
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
        /** The routed path whose rule was decided when the exchange began; null when no path rule applies to it. */
        private final RequestPath path;
        private final AtomicReference<Consumer<String>> cut = new AtomicReference<>(reason -> {
        });
        private final AtomicReference<String> revoked = new AtomicReference<>();

        private Lease(PublishedApp app, String kind, String userId, Instant authTime, AccessCheck.Origin origin, RequestPath path) {
            this.path = path;
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
    private final Function<PublishedApp, PathRules> pathRules;
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
        this(directory, apps, policies, app -> PathRules.of(app, List.of()), clock);
    }

    /** As above, for apps with path rules: {@code pathRules} gives an app's current rules (what the request path uses). */
    public LiveSessions(LiveDirectory directory, Supplier<? extends Iterable<PublishedApp>> apps, Supplier<ConditionalAccess> policies,
                        Function<PublishedApp, PathRules> pathRules, Clock clock) {
        this.directory = directory;
        this.apps = apps;
        this.policies = policies;
        this.pathRules = pathRules;
        this.clock = clock;
    }

    /** Leases that nothing ever cuts (for dispatchers without a directory). */
    public static LiveSessions none() {
        LiveSessions none = new LiveSessions(null, List::of, () -> null, app -> PathRules.of(app, List.of()), Clock.systemUTC());
        none.stopped.set(true);
        return none;
    }

    /** A lease for an exchange of {@code identity} with {@code app}, authorized for {@code origin}. */
    public Lease open(PublishedApp app, Identity identity, AccessCheck.Origin origin) {
        return open(app, "connection", identity, origin);
    }

    /** As above; {@code kind} names the exchange in the log ("WebSocket", "response"); under no path rule. */
    public Lease open(PublishedApp app, String kind, Identity identity, AccessCheck.Origin origin) {
        return open(app, kind, identity, origin, null);
    }

    /**
     * As above, for an exchange on {@code path} (the routed path, whose rule {@code origin.path()} is): the app's path
     * rules are decided again for it at each recheck. Null: the proxy's own namespace, no path rule applies.
     */
    public Lease open(PublishedApp app, String kind, Identity identity, AccessCheck.Origin origin, RequestPath path) {
        return hold(new Lease(app, kind, identity.user().id(), identity.authTime(), origin, path));
    }

    /**
     * A lease for an exchange nobody signed in to (a passthrough app's): cut only when the app is deleted or its
     * pre-authentication changed (the app now wants its users signed in).
     */
    public Lease openAnonymous(PublishedApp app, String kind, InetAddress from) {
        return openAnonymous(app, kind, from, AccessCheck.Origin.NO_PATH_RULE, null);
    }

    /**
     * As above, on {@code path} under {@code access} (a passthrough path of an app that pre-authenticates, or a path of
     * a passthrough app): cut also when the path's rules no longer let it through without sign-in.
     */
    public Lease openAnonymous(PublishedApp app, String kind, InetAddress from, PathAccess access, RequestPath path) {
        return hold(new Lease(app, kind, null, Instant.EPOCH, new AccessCheck.Origin(from, AccessPolicy.ClientType.BROWSER, List.of(), access),
                path));
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
        Map<String, PathRules> rules = new HashMap<>();
        int cuts = 0;
        for (Lease l : leases) {
            try {
                Optional<PublishedApp> app = Optional.ofNullable(current.get(l.appId));
                Optional<String> why = why(l, app, app.map(a -> rules.computeIfAbsent(a.id(), id -> pathRules.apply(a))), now, ca, at);
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
    private static Optional<String> why(Lease l, Optional<PublishedApp> app, Optional<PathRules> rules, LiveDirectory.Snapshot now,
                                        ConditionalAccess ca, Instant at) {
        if (app.isEmpty()) {
            return Optional.of("the app was deleted");
        }
        if (app.get().preAuthentication() != l.preAuthentication) {
            return Optional.of("the app's pre-authentication changed");
        }
        AccessCheck.Origin origin = l.origin;
        if (l.path != null && rules.isPresent()) {
            // Judged as a new request on the same path would be: the rule that applies now, with its users and policies.
            switch (rules.get().decide(l.path)) {
                case PathRules.Decision.Refused r -> {
                    return Optional.of("the app's path rules now refuse its path");
                }
                case PathRules.Decision.Apply a -> {
                    if (a.access().preAuthentication() != origin.path().preAuthentication()) {
                        return Optional.of("the pre-authentication of its path changed");
                    }
                    origin = new AccessCheck.Origin(origin.address(), origin.clientType(), origin.amr(), a.access());
                }
            }
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
        return switch (AccessCheck.decide(now, ca, app.get(), user.get(), origin, at)) {
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
