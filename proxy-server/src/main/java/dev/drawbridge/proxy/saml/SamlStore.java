package dev.drawbridge.proxy.saml;

import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.preauth.IssuedResponses;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.exception.IntegrityConstraintViolationException;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import static dev.drawbridge.proxy.store.db.Tables.SAML_REQUEST;
import static dev.drawbridge.proxy.store.db.Tables.SAML_RESPONSE;

/**
 * What the identity provider remembers, in the database so that every node sees it: AuthnRequests waiting for the user
 * to sign in (found by a random handle the sign-in carries back, answered once; each request ID accepted once while it
 * is fresh, so a replayed AuthnRequest is refused), and the responses issued (by their hash; redeemed once at the app's
 * ACS URL, {@link IssuedResponses}). Rows are purged as soon as they are of no use (a request's after
 * {@link #REMEMBER_IDS}, a response's when it expires), whenever a request arrives.
 */
public final class SamlStore implements IssuedResponses {
    /** How long a request waits for the user to sign in (and for a second factor). */
    static final Duration WAIT_FOR_SIGN_IN = Duration.ofMinutes(10);
    /** How long a request's ID is remembered: longer than a request stays fresh either side of now. */
    static final Duration REMEMBER_IDS = RequestChecks.SKEW.multipliedBy(2).plus(WAIT_FOR_SIGN_IN);

    /** A request waiting for its answer. */
    record Pending(String appId, String requestId, Optional<String> relayState, boolean passive) {
    }

    /** How often the rows of no use are purged (by indexed columns, V36): not on every request of a flood. */
    static final Duration PURGE_INTERVAL = Duration.ofSeconds(10);

    private final DSLContext dsl;
    private final AtomicReference<Instant> lastPurge = new AtomicReference<>(Instant.MIN);

    public SamlStore(Database db) {
        this.dsl = db.dsl();
    }

    /** Remembers a request; the handle that finds it again, or empty when its ID was already received (a replay). */
    Optional<String> remember(String appId, AuthnRequest r, Optional<String> relayState, Instant now) {
        // Kept no longer than they are needed: a flood of requests from anyone costs rows for minutes, not hours; purged at
        // most every PURGE_INTERVAL (one caller does it), so a flood does not also cost two deletes per request.
        Instant last = lastPurge.get();
        if (!now.isBefore(last.plus(PURGE_INTERVAL)) && lastPurge.compareAndSet(last, now)) {
            dsl.deleteFrom(SAML_REQUEST).where(SAML_REQUEST.CREATED_AT.lt(utc(now.minus(REMEMBER_IDS)))).execute();
            dsl.deleteFrom(SAML_RESPONSE).where(SAML_RESPONSE.EXPIRES_AT.lt(utc(now))).execute();
        }
        String handle = ServerKeys.randomToken(32);
        try {
            dsl.insertInto(SAML_REQUEST).set(SAML_REQUEST.HANDLE_HASH, hash(handle)).set(SAML_REQUEST.APP_ID, appId)
                    .set(SAML_REQUEST.REQUEST_ID, r.id()).set(SAML_REQUEST.RELAY_STATE, relayState.orElse(null))
                    .set(SAML_REQUEST.PASSIVE, r.passive()).set(SAML_REQUEST.CREATED_AT, utc(now))
                    .set(SAML_REQUEST.EXPIRES_AT, utc(now.plus(WAIT_FOR_SIGN_IN))).execute();
            return Optional.of(handle);
        } catch (IntegrityConstraintViolationException replayed) {
            return Optional.empty();
        }
    }

    /** The request {@code handle} names, for {@code appId}, while it waits (not answered, not expired). */
    Optional<Pending> find(String handle, String appId, Instant now) {
        if (handle == null || handle.isEmpty() || handle.length() > 100) {
            return Optional.empty();
        }
        return dsl.selectFrom(SAML_REQUEST).where(SAML_REQUEST.HANDLE_HASH.eq(hash(handle))).and(SAML_REQUEST.APP_ID.eq(appId))
                .and(SAML_REQUEST.ANSWERED_AT.isNull()).and(SAML_REQUEST.EXPIRES_AT.gt(utc(now))).fetchOptional()
                .map(r -> new Pending(r.getAppId(), r.getRequestId(), Optional.ofNullable(r.getRelayState()), r.getPassive()));
    }

    /** Marks the request answered; false when it already was (two tabs, a reload, another node): only one answer goes out. */
    boolean answer(String handle, Instant now) {
        return dsl.update(SAML_REQUEST).set(SAML_REQUEST.ANSWERED_AT, utc(now)).where(SAML_REQUEST.HANDLE_HASH.eq(hash(handle)))
                .and(SAML_REQUEST.ANSWERED_AT.isNull()).and(SAML_REQUEST.EXPIRES_AT.gt(utc(now))).execute() == 1;
    }

    /** Records a response issued to {@code userId} (its base64 as the browser will post it). */
    void issued(String samlResponse, String appId, String userId, List<String> amr, Instant authTime, Instant expiresAt) {
        dsl.insertInto(SAML_RESPONSE).set(SAML_RESPONSE.RESPONSE_HASH, hash(samlResponse)).set(SAML_RESPONSE.APP_ID, appId)
                .set(SAML_RESPONSE.USER_ID, userId).set(SAML_RESPONSE.AMR, String.join(" ", amr))
                .set(SAML_RESPONSE.AUTH_TIME, utc(authTime)).set(SAML_RESPONSE.EXPIRES_AT, utc(expiresAt)).execute();
    }

    @Override
    public Optional<Grant> redeem(String appId, String samlResponse, Instant now) {
        if (samlResponse == null || samlResponse.isEmpty()) {
            return Optional.empty();
        }
        String h = hash(samlResponse);
        var r = dsl.selectFrom(SAML_RESPONSE).where(SAML_RESPONSE.RESPONSE_HASH.eq(h)).and(SAML_RESPONSE.APP_ID.eq(appId)).fetchOne();
        if (r == null || r.getRedeemedAt() != null || !r.getExpiresAt().toInstant().isAfter(now)) {
            return Optional.empty();
        }
        int n = dsl.update(SAML_RESPONSE).set(SAML_RESPONSE.REDEEMED_AT, utc(now)).where(SAML_RESPONSE.RESPONSE_HASH.eq(h))
                .and(SAML_RESPONSE.REDEEMED_AT.isNull()).execute();
        return n == 1 ? Optional.of(new Grant(r.getUserId(), List.of(r.getAmr().split(" ")), r.getAuthTime().toInstant()))
                : Optional.empty();
    }

    @Override
    public Optional<String> issuedTo(String appId, String samlResponse) {
        if (samlResponse == null || samlResponse.isEmpty()) {
            return Optional.empty();
        }
        return dsl.select(SAML_RESPONSE.USER_ID).from(SAML_RESPONSE).where(SAML_RESPONSE.RESPONSE_HASH.eq(hash(samlResponse)))
                .and(SAML_RESPONSE.APP_ID.eq(appId)).fetchOptional(SAML_RESPONSE.USER_ID);
    }

    private static String hash(String s) {
        return HexFormat.of().formatHex(ServerKeys.sha256(s));
    }

    private static OffsetDateTime utc(Instant t) {
        return t.atOffset(ZoneOffset.UTC);
    }
}
