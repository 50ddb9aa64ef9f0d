package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * What pre-authenticated users hold open through the proxy: WebSockets and streaming responses outlive the request
 * that checked their session, so a disable or a revocation ("sign out everywhere", a password reset) would not reach
 * them. Each such exchange takes a {@link Lease} naming the user and the session's auth time; {@link #recheck} (run
 * every few seconds by the server, on every node, from the database) cuts every lease whose user is gone, disabled,
 * or whose sessions were revoked after that auth time: the WebSocket closes with 1008, the stream is reset.
 */
public final class LiveSessions {
    private static final Logger LOG = LoggerFactory.getLogger(LiveSessions.class);

    /** One exchange's hold on a user's session; close it when the exchange ends. */
    public final class Lease implements AutoCloseable {
        private final String userId;
        private final Instant authTime;
        private final AtomicReference<Runnable> cut = new AtomicReference<>(() -> {
        });
        private final AtomicBoolean revoked = new AtomicBoolean();

        private Lease(String userId, Instant authTime) {
            this.userId = userId;
            this.authTime = authTime;
        }

        /** What to do when the session is revoked (replaces what was set before); runs at once if it already was. */
        public void onRevoke(Runnable action) {
            cut.set(action);
            if (revoked.get()) {
                action.run();
            }
        }

        private void revoke() {
            if (revoked.compareAndSet(false, true)) {
                open.remove(this);
                cut.get().run();
            }
        }

        @Override
        public void close() {
            open.remove(this);
        }
    }

    private final Function<String, Optional<DirectoryUser>> users;
    private final Set<Lease> open = ConcurrentHashMap.newKeySet();

    public LiveSessions(DirectoryStore store) {
        this(store::user);
    }

    /** @param users a user by id, read from the database at each recheck */
    public LiveSessions(Function<String, Optional<DirectoryUser>> users) {
        this.users = users;
    }

    /** A lease for an exchange of {@code identity}. */
    public Lease open(Identity identity) {
        Lease l = new Lease(identity.user().id(), identity.authTime());
        open.add(l);
        return l;
    }

    /** Leases open now (for tests and metrics). */
    public int size() {
        return open.size();
    }

    /** Cuts every lease whose session no longer stands (one user lookup per user holding leases). */
    public void recheck() {
        Map<String, List<Lease>> byUser = open.stream().collect(Collectors.groupingBy(l -> l.userId));
        byUser.forEach((userId, leases) -> {
            Optional<DirectoryUser> u;
            try {
                u = users.apply(userId);
            } catch (RuntimeException e) {
                // The database is away for a moment: the next recheck decides (a scheduled task must not die).
                LOG.warn("cannot recheck the live connections of {}: {}", userId, e.toString());
                return;
            }
            for (Lease l : leases) {
                if (u.isEmpty() || !u.get().enabled() || !l.authTime.isAfter(u.get().sessionsValidAfter())) {
                    LOG.info("cutting a live connection of {}: the user was disabled or their sessions revoked",
                            u.map(DirectoryUser::upn).orElse(userId));
                    try {
                        l.revoke();
                    } catch (RuntimeException e) {
                        LOG.warn("cutting a live connection of {} failed: {}", userId, e.toString());
                    }
                }
            }
        });
    }
}
