package dev.drawbridge.proxy.identity;

import org.jooq.DSLContext;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import static dev.drawbridge.proxy.store.db.Tables.MFA_CHALLENGE;

/**
 * The pending second-factor states: what a browser holds between a correct first factor and its code (the
 * id is the {@code jti} of the short-lived pending cookie). Each can be used {@link #MAX_USES} times at most,
 * and not at all once the sign-in it belongs to completed, so a captured or replayed pending cookie buys
 * no more guesses than the user would have had; more guesses need the password again (itself rate-limited
 * and counted). The counting is one conditional {@code UPDATE}, so parallel replays cannot overrun it.
 */
public final class MfaChallenges {
    /** An honest user mistypes a code once or twice; the third miss sends them back to the password. */
    public static final int MAX_USES = 3;

    private final DSLContext dsl;

    MfaChallenges(DSLContext dsl) {
        this.dsl = dsl;
    }

    /** A new pending state for {@code userId}, valid until {@code expiresAt}; returns its id. */
    public String start(String userId, Instant now, Instant expiresAt) {
        dsl.deleteFrom(MFA_CHALLENGE).where(MFA_CHALLENGE.EXPIRES_AT.lt(now.atOffset(ZoneOffset.UTC))).execute();
        String id = UUID.randomUUID().toString();
        dsl.insertInto(MFA_CHALLENGE).set(MFA_CHALLENGE.ID, id).set(MFA_CHALLENGE.USER_ID, userId).set(MFA_CHALLENGE.USES, 0)
                .set(MFA_CHALLENGE.EXPIRES_AT, expiresAt.atOffset(ZoneOffset.UTC)).execute();
        return id;
    }

    /** Uses the state once for a code: false when it is unknown, another user's, expired, finished or used up. */
    public boolean use(String id, String userId, Instant now) {
        return dsl.update(MFA_CHALLENGE).set(MFA_CHALLENGE.USES, MFA_CHALLENGE.USES.plus(1))
                .where(MFA_CHALLENGE.ID.eq(id)).and(MFA_CHALLENGE.USER_ID.eq(userId)).and(MFA_CHALLENGE.USES.lt(MAX_USES))
                .and(MFA_CHALLENGE.EXPIRES_AT.gt(now.atOffset(ZoneOffset.UTC))).execute() == 1;
    }

    /** The sign-in completed (or was abandoned): the state is gone. */
    public void finish(String id) {
        dsl.deleteFrom(MFA_CHALLENGE).where(MFA_CHALLENGE.ID.eq(id)).execute();
    }
}
