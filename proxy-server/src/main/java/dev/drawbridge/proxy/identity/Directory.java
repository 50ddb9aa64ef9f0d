package dev.drawbridge.proxy.identity;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

/**
 * Sign-in against the built-in directory, with lockout ({@link FailureCounters}): password failures and
 * second-factor failures are counted apart, each attempt charged atomically before it is checked. After
 * {@code threshold} consecutive password failures, or {@link #SECOND_FACTOR_THRESHOLD} second-factor failures,
 * the account is locked for {@code baseLockout}, doubling with each further failure (capped at an hour).
 * A correct password forgives password failures only; the second-factor counter is cleared only when a
 * sign-in completes ({@link #signInComplete}).
 *
 * <p>To a caller that does not know the password, an unknown user, a disabled one, a locked one and a wrong
 * password look the same: each costs one Argon2id hash (of a dummy hash where there is nothing to check)
 * and ends in {@link SignIn.Refused}, whose {@code reason} is for the sign-in log only; an account checked by an LDAP
 * bind pays that hash too, alongside the bind.
 */
public final class Directory {
    private static final Logger LOG = LoggerFactory.getLogger(Directory.class);
    /**
     * Wrong second-factor codes before the account locks. A guess at a 6-digit TOTP code matches one of the three
     * accepted steps with probability 3 in a million; 5 guesses, then one per doubling lock period (at most one an
     * hour), leave an attacker who knows the password about 30 guesses a day (1 in 10 000 a day), while a user who
     * mistypes twice is not locked out.
     */
    public static final int SECOND_FACTOR_THRESHOLD = 5;

    /** The outcome of a password check. */
    public sealed interface SignIn {
        record Ok(DirectoryUser user) implements SignIn {
        }

        /** Unknown user, wrong password, disabled or locked account: the same answer for each. */
        record Refused(String reason) implements SignIn {
        }

        /** Too many password checks at once: nothing was checked or counted. */
        record Busy() implements SignIn {
        }
    }

    /** The outcome of a second-factor check. */
    public sealed interface SecondFactor {
        record Ok() implements SecondFactor {
        }

        /** The code was checked and is wrong; {@code lockedUntil} is set when this failure locked the account. */
        record Wrong(Optional<Instant> lockedUntil) implements SecondFactor {
        }

        /** The account is locked: the code was not even checked. */
        record Locked(Instant until) implements SecondFactor {
        }
    }

    private final DirectoryStore store;
    private final PasswordHasher hasher;
    private final Clock clock;
    private final FailureCounters counters;
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
        this.counters = new FailureCounters(store.dsl(), threshold, SECOND_FACTOR_THRESHOLD, baseLockout);
        this.dummyHash = hasher.hash("timing-equaliser");
    }

    public DirectoryStore store() {
        return store;
    }

    public PasswordHasher hasher() {
        return hasher;
    }

    /** Checks a password; on {@link SignIn.Ok} the caller goes on to the second factor or calls {@link #signInComplete}. */
    public SignIn signIn(String upn, String password) {
        String pw = password == null ? "" : password;
        Optional<DirectoryUser> found = upn == null || upn.isBlank() ? Optional.empty() : store.userByUpn(upn.strip());
        try (PasswordHasher.Permit permit = hasher.acquire()) {
            if (found.isEmpty()) {
                permit.verify(pw, dummyHash);
                return new SignIn.Refused("unknown user");
            }
            DirectoryUser u = found.get();
            Instant now = clock.instant();
            if (!u.enabled()) {
                permit.verify(pw, dummyHash);
                return new SignIn.Refused("account disabled");
            }
            if (counters.charge(u.id(), FailureCounters.Factor.PASSWORD, now) instanceof FailureCounters.Charge.Locked l) {
                permit.verify(pw, dummyHash);
                return new SignIn.Refused("account locked until " + l.until());
            }
            boolean ok;
            if (store.externalId(u.id()).isPresent()) {
                ok = externalCheck(u.id(), pw, permit);
            } else {
                Optional<String> hash = store.passwordHash(u.id());
                ok = permit.verify(pw, hash.orElse(dummyHash)) && hash.isPresent();
            }
            if (ok) {
                counters.passwordCorrect(u.id());
                return new SignIn.Ok(u);
            }
            Optional<Instant> locked = counters.lockedUntil(u.id(), now);
            locked.ifPresent(until -> LOG.warn("account {} locked until {} after repeated wrong passwords", u.upn(), until));
            return new SignIn.Refused(locked.map(until -> "wrong password; account locked until " + until).orElse("wrong password"));
        } catch (PasswordHasher.Busy busy) {
            return new SignIn.Busy();
        }
    }

    /**
     * A password checked elsewhere (an LDAP bind). It still costs one hash of the dummy, computed while the bind is in
     * flight: without it an account synced from LDAP answered tens of milliseconds sooner than an unknown name (at
     * once with LDAP verification off), which told every synced account apart by timing. The answer now comes after
     * the slower of the two; the bind holds no hashing permit once the hash is done.
     */
    private boolean externalCheck(String userId, String pw, PasswordHasher.Permit permit) {
        FutureTask<Boolean> bind = new FutureTask<>(() -> external.verify(userId, pw).orElse(false));
        Thread.ofVirtual().name("sign-in-bind").start(bind);
        permit.verify(pw, dummyHash);
        permit.close();
        try {
            return bind.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException("password check failed", e.getCause());
        }
    }

    /**
     * Checks a second factor with {@code check} (a TOTP or recovery code), charged to the user's second-factor
     * counter before it runs; a success completes the sign-in and clears every counter.
     */
    public SecondFactor secondFactor(String userId, BooleanSupplier check) {
        Instant now = clock.instant();
        switch (counters.charge(userId, FailureCounters.Factor.SECOND_FACTOR, now)) {
            case FailureCounters.Charge.Locked l -> {
                return new SecondFactor.Locked(l.until());
            }
            case FailureCounters.Charge.Admitted a -> {
                if (check.getAsBoolean()) {
                    counters.signInComplete(userId);
                    return new SecondFactor.Ok();
                }
                a.lockIfWrong().ifPresent(until -> LOG.warn("account {} locked until {} after repeated wrong second factors",
                        store.user(userId).map(DirectoryUser::upn).orElse(userId), until));
                return new SecondFactor.Wrong(a.lockIfWrong());
            }
        }
    }

    /** A sign-in completed without a second factor (none enrolled or required): every counter is cleared. */
    public void signInComplete(String userId) {
        counters.signInComplete(userId);
    }

    /** Whether the account is locked right now. */
    public Optional<Instant> lockedUntil(String userId) {
        return counters.lockedUntil(userId, clock.instant());
    }
}
