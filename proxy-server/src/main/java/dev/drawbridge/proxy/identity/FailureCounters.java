package dev.drawbridge.proxy.identity;

import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;

/**
 * The per-account failure counters behind the lockout, one per factor, kept in the database so that they hold
 * across requests, threads and nodes. An attempt is <em>charged before it is checked</em>: one statement
 * ({@code SET n = n + 1 ... WHERE not locked}) admits it and, when this charge reaches the threshold, already sets
 * the lock it would earn if it fails. However many attempts race, the row lock of that one statement orders them,
 * so at most {@code threshold} of them are ever checked before the account locks; a success then clears what it
 * must. Nothing is read, computed and written back (no stale read-modify-write).
 *
 * <p>After the threshold every further failure (one per lock period) locks for twice as long, up to an hour.
 */
final class FailureCounters {
    static final Duration MAX_LOCKOUT = Duration.ofHours(1);

    /** Which counter an attempt is charged to. */
    enum Factor {
        PASSWORD(DIRECTORY_USER.FAILED_ATTEMPTS), SECOND_FACTOR(DIRECTORY_USER.MFA_FAILURES);

        final Field<Integer> column;

        Factor(Field<Integer> column) {
            this.column = column;
        }
    }

    /** What charging an attempt gave. */
    sealed interface Charge {
        /** The attempt may be checked; {@code lockIfWrong} is the lock already set should it fail. */
        record Admitted(Optional<Instant> lockIfWrong) implements Charge {
        }

        /** The account is locked (or gone): the attempt must not be checked. */
        record Locked(Instant until) implements Charge {
        }
    }

    private final DSLContext dsl;
    private final int passwordThreshold;
    private final int secondFactorThreshold;
    private final Duration baseLockout;

    FailureCounters(DSLContext dsl, int passwordThreshold, int secondFactorThreshold, Duration baseLockout) {
        if (passwordThreshold < 1 || secondFactorThreshold < 1 || !baseLockout.isPositive()) {
            throw new IllegalArgumentException("thresholds must be at least 1 and the lockout positive");
        }
        this.dsl = dsl;
        this.passwordThreshold = passwordThreshold;
        this.secondFactorThreshold = secondFactorThreshold;
        this.baseLockout = baseLockout;
    }

    int threshold(Factor f) {
        return f == Factor.PASSWORD ? passwordThreshold : secondFactorThreshold;
    }

    /** Charges one attempt of {@code factor} to the user, atomically; see the class comment. */
    Charge charge(String userId, Factor factor, Instant now) {
        int threshold = threshold(factor);
        Field<Integer> next = factor.column.plus(1);
        // The lock this attempt earns if it fails, decided from the counter's value inside the same statement.
        var lock = DSL.when(next.lt(threshold), DIRECTORY_USER.LOCKED_UNTIL);
        Duration d = baseLockout;
        for (int n = threshold; d.compareTo(MAX_LOCKOUT) < 0; n++, d = d.multipliedBy(2)) {
            lock = lock.when(next.eq(n), DSL.val(utc(now.plus(d))));
        }
        int updated = dsl.update(DIRECTORY_USER).set(factor.column, next).set(DIRECTORY_USER.LOCKED_UNTIL, lock.otherwise(DSL.val(utc(now.plus(MAX_LOCKOUT)))))
                .where(DIRECTORY_USER.ID.eq(userId))
                .and(DIRECTORY_USER.LOCKED_UNTIL.isNull().or(DIRECTORY_USER.LOCKED_UNTIL.le(utc(now))))
                .execute();
        var row = dsl.select(factor.column, DIRECTORY_USER.LOCKED_UNTIL).from(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(userId)).fetchOne();
        if (row == null) {
            return new Charge.Locked(now.plus(MAX_LOCKOUT));
        }
        Optional<Instant> until = Optional.ofNullable(row.value2()).map(OffsetDateTime::toInstant).filter(now::isBefore);
        if (updated == 0) {
            return new Charge.Locked(until.orElse(now));
        }
        return new Charge.Admitted(until);
    }

    /**
     * A correct password: its own failures are forgiven, and the lock with them unless the second factor has
     * reached its threshold (a correct password never unlocks guessing of the second factor).
     */
    void passwordCorrect(String userId) {
        dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.FAILED_ATTEMPTS, 0)
                .set(DIRECTORY_USER.LOCKED_UNTIL, DSL.when(DIRECTORY_USER.MFA_FAILURES.ge(secondFactorThreshold), DIRECTORY_USER.LOCKED_UNTIL)
                        .otherwise(DSL.castNull(DIRECTORY_USER.LOCKED_UNTIL.getDataType())))
                .where(DIRECTORY_USER.ID.eq(userId)).execute();
    }

    /** The whole sign-in succeeded (every factor it needed): every counter and the lock are cleared. */
    void signInComplete(String userId) {
        dsl.update(DIRECTORY_USER).set(DIRECTORY_USER.FAILED_ATTEMPTS, 0).set(DIRECTORY_USER.MFA_FAILURES, 0)
                .setNull(DIRECTORY_USER.LOCKED_UNTIL).where(DIRECTORY_USER.ID.eq(userId)).execute();
    }

    /** The current lock, if any. */
    Optional<Instant> lockedUntil(String userId, Instant now) {
        return dsl.select(DIRECTORY_USER.LOCKED_UNTIL).from(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(userId))
                .fetchOptional(DIRECTORY_USER.LOCKED_UNTIL).map(OffsetDateTime::toInstant).filter(now::isBefore);
    }

    private static OffsetDateTime utc(Instant i) {
        return i.atOffset(ZoneOffset.UTC);
    }
}
