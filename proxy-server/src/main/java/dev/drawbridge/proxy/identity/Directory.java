package dev.drawbridge.proxy.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Password sign-in against the built-in directory, with lockout: after {@code threshold}
 * consecutive failures the account is locked, for {@code baseLockout} doubling with each further
 * failure (capped at an hour). Unknown users cost the same hashing time as known ones.
 */
public final class Directory {
    private static final Logger LOG = LoggerFactory.getLogger(Directory.class);
    private static final Duration MAX_LOCKOUT = Duration.ofHours(1);

    /** The outcome of a password check. */
    public sealed interface SignIn {
        record Ok(DirectoryUser user) implements SignIn {
        }

        record BadCredentials() implements SignIn {
        }

        record LockedOut(Instant until) implements SignIn {
        }
    }

    private final DirectoryStore store;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final int threshold;
    private final Duration baseLockout;
    private final String dummyHash;
    private final ExternalPasswords external;

    /** Checks passwords of users whose credentials live elsewhere (LDAP); empty for local users. */
    @FunctionalInterface
    public interface ExternalPasswords {
        Optional<Boolean> verify(String userId, String password);
    }

    public Directory(DirectoryStore store, PasswordHasher hasher, Clock clock, int threshold, Duration baseLockout) {
        this(store, hasher, clock, threshold, baseLockout, (id, pw) -> Optional.empty());
    }

    public Directory(DirectoryStore store, PasswordHasher hasher, Clock clock, int threshold, Duration baseLockout,
                     ExternalPasswords external) {
        this.external = external;
        this.store = store;
        this.hasher = hasher;
        this.clock = clock;
        this.threshold = threshold;
        this.baseLockout = baseLockout;
        this.dummyHash = hasher.hash("timing-equaliser");
    }

    public DirectoryStore store() {
        return store;
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    public SignIn signIn(String upn, String password) {
        Instant now = clock.instant();
        Optional<DirectoryUser> found = upn == null || upn.isBlank() ? Optional.empty() : store.userByUpn(upn.strip());
        if (found.isEmpty()) {
            hasher.verify(password == null ? "" : password, dummyHash);
            return new SignIn.BadCredentials();
        }
        DirectoryUser u = found.get();
        if (u.lockedUntil().filter(now::isBefore).isPresent()) {
            return new SignIn.LockedOut(u.lockedUntil().get());
        }
        boolean ok = u.enabled() && external.verify(u.id(), password)
                .orElseGet(() -> store.passwordHash(u.id()).map(h -> hasher.verify(password, h)).orElse(false));
        if (ok) {
            store.recordSuccess(u.id());
            return new SignIn.Ok(u);
        }
        return failed(u, now);
    }

    /** A wrong second factor counts like a wrong password towards the lockout. */
    public SignIn secondFactorFailed(DirectoryUser user) {
        DirectoryUser current = store.user(user.id()).orElse(user);
        return failed(current, clock.instant());
    }

    /** Whether the account is locked right now. */
    public Optional<Instant> lockedUntil(String userId) {
        Instant now = clock.instant();
        return store.user(userId).flatMap(DirectoryUser::lockedUntil).filter(now::isBefore);
    }

    private SignIn failed(DirectoryUser u, Instant now) {
        int attempts = u.failedAttempts() + 1;
        if (attempts >= threshold) {
            long factor = 1L << Math.min(20, attempts - threshold);
            Duration lock = baseLockout.multipliedBy(factor);
            Instant until = now.plus(lock.compareTo(MAX_LOCKOUT) > 0 ? MAX_LOCKOUT : lock);
            store.recordFailure(u.id(), attempts, Optional.of(until));
            LOG.warn("account {} locked until {} after {} failed sign-ins", u.upn(), until, attempts);
            return new SignIn.LockedOut(until);
        }
        store.recordFailure(u.id(), attempts, Optional.empty());
        return new SignIn.BadCredentials();
    }
}
