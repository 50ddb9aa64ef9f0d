package dev.drawbridge.proxy.oauth;

import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;
import org.jooq.Field;
import org.jooq.Select;
import org.jooq.impl.DSL;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CLIENT;
import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CODE;
import static dev.drawbridge.proxy.store.db.Tables.OAUTH_REVOKED_FAMILY;
import static dev.drawbridge.proxy.store.db.Tables.REFRESH_TOKEN;

/**
 * Authorization codes and refresh tokens of the token issuer, stored as SHA-256 hashes, each usable once. Each carries
 * its client's generation ({@link OAuthClientStore.Registration#generation()}) as it was when the request that wrote it
 * read the client, and is redeemed only while that is still the client's generation, checked in the statement that
 * marks it used. Each belongs to a family (a code and the refresh tokens descended from it): presenting a used one
 * again revokes the family, for good: the revocation is recorded, no code or refresh token of a revoked family is
 * redeemed (checked in the statement that marks it used) and none is written to it, so a successor written by a request
 * that redeemed its predecessor just before the replay is dead whichever statement ran first. Rows past their expiry
 * are purged on every redemption and every new code (used ones stay until then: a replay is detected by its row).
 */
final class OAuthStore {
    /** A code or refresh token presented: what it grants, and the generation and family it carries. */
    record Grant(String userId, String appId, String clientId, List<String> amr, Instant authTime, String generation, String family) {
        /** The same grant under {@code clientGeneration}: the generation of the client as the request read it. */
        Grant under(String clientGeneration) {
            return new Grant(userId, appId, clientId, amr, authTime, clientGeneration, family);
        }
    }

    /** A redeemed authorization code. */
    record Code(Grant grant, String redirectUri, String codeChallenge) {
    }

    /**
     * What presenting a code or refresh token came to: redeemed (once), replayed (it was used before: its family is
     * revoked, {@code revoked} refresh tokens with it), or neither (unknown, expired, or of another client generation).
     */
    record Presented<T>(Optional<T> redeemed, Optional<Grant> replayed, int revoked) {
        static <T> Presented<T> invalid() {
            return new Presented<>(Optional.empty(), Optional.empty(), 0);
        }
    }

    /** How long a revoked family is remembered after its last code or refresh token is gone (requests in flight). */
    private static final Duration REVOCATION_MARGIN = Duration.ofHours(1);

    private final DSLContext dsl;

    OAuthStore(Database db) {
        this.dsl = db.dsl();
    }

    static String hash(String secret) {
        return HexFormat.of().formatHex(ServerKeys.sha256(secret));
    }

    /** A new family id, for a new code (its refresh tokens inherit it). */
    static String newFamily() {
        return ServerKeys.randomToken(16);
    }

    String newCode(Grant g, String redirectUri, String challenge, Instant expiresAt) {
        String code = ServerKeys.randomToken(32);
        dsl.insertInto(OAUTH_CODE).set(OAUTH_CODE.CODE_HASH, hash(code)).set(OAUTH_CODE.USER_ID, g.userId()).set(OAUTH_CODE.APP_ID, g.appId())
                .set(OAUTH_CODE.CLIENT_ID, g.clientId()).set(OAUTH_CODE.REDIRECT_URI, redirectUri).set(OAUTH_CODE.CODE_CHALLENGE, challenge)
                .set(OAUTH_CODE.AMR, String.join(" ", g.amr())).set(OAUTH_CODE.AUTH_TIME, g.authTime().atOffset(ZoneOffset.UTC))
                .set(OAUTH_CODE.EXPIRES_AT, expiresAt.atOffset(ZoneOffset.UTC)).set(OAUTH_CODE.CLIENT_GENERATION, g.generation())
                .set(OAUTH_CODE.FAMILY_ID, g.family()).execute();
        return code;
    }

    /**
     * Redeems a code once, while its client generation is current; a used code presented again revokes its family. The
     * generation it returns is the one the UPDATE that marked it used saw (a change that moved it after it was read
     * makes the UPDATE fail, and the code stays unused).
     */
    Presented<Code> redeemCode(String code, Instant now) {
        purge(now);
        String h = hash(code);
        var r = dsl.selectFrom(OAUTH_CODE).where(OAUTH_CODE.CODE_HASH.eq(h)).fetchOne();
        if (r == null) {
            return Presented.invalid();
        }
        Grant g = new Grant(r.getUserId(), r.getAppId(), r.getClientId(), List.of(r.getAmr().split(" ")), r.getAuthTime().toInstant(),
                r.getClientGeneration(), r.getFamilyId());
        if (r.getUsedAt() == null && r.getExpiresAt().toInstant().isAfter(now)) {
            int n = dsl.update(OAUTH_CODE).set(OAUTH_CODE.USED_AT, now.atOffset(ZoneOffset.UTC)).where(OAUTH_CODE.CODE_HASH.eq(h))
                    .and(OAUTH_CODE.USED_AT.isNull()).and(OAUTH_CODE.CLIENT_GENERATION.eq(r.getClientGeneration()))
                    .and(OAUTH_CODE.CLIENT_GENERATION.eq(generationOf(OAUTH_CODE.CLIENT_ID)))
                    .andNotExists(revoked(OAUTH_CODE.FAMILY_ID)).execute();
            if (n == 1) {
                return new Presented<>(Optional.of(new Code(g, r.getRedirectUri(), r.getCodeChallenge())), Optional.empty(), 0);
            }
        }
        return usedBefore(dsl.select(OAUTH_CODE.USED_AT).from(OAUTH_CODE).where(OAUTH_CODE.CODE_HASH.eq(h)).fetchOne(OAUTH_CODE.USED_AT) != null, g, now);
    }

    /**
     * Writes a refresh token for {@code g} (under its generation, in its family), unless its family was revoked: then
     * nothing. One written while a revocation commits is refused at redemption.
     */
    Optional<String> newRefresh(Grant g, Instant expiresAt) {
        String token = "dbrt_" + ServerKeys.randomToken(32);
        int n = dsl.insertInto(REFRESH_TOKEN, REFRESH_TOKEN.TOKEN_HASH, REFRESH_TOKEN.USER_ID, REFRESH_TOKEN.APP_ID, REFRESH_TOKEN.CLIENT_ID,
                        REFRESH_TOKEN.AMR, REFRESH_TOKEN.AUTH_TIME, REFRESH_TOKEN.EXPIRES_AT, REFRESH_TOKEN.CLIENT_GENERATION, REFRESH_TOKEN.FAMILY_ID)
                .select(DSL.select(DSL.val(hash(token)), DSL.val(g.userId()), DSL.val(g.appId()), DSL.val(g.clientId()),
                                DSL.val(String.join(" ", g.amr())), DSL.val(g.authTime().atOffset(ZoneOffset.UTC)),
                                DSL.val(expiresAt.atOffset(ZoneOffset.UTC)), DSL.val(g.generation()), DSL.val(g.family()))
                        .whereNotExists(revoked(DSL.val(g.family()))))
                .execute();
        return n == 1 ? Optional.of(token) : Optional.empty();
    }

    /**
     * Redeems a refresh token once (rotation: the client gets a new one with the new access token), while its client
     * generation is current. One presented again after its rotation revokes its family.
     */
    Presented<Grant> redeemRefresh(String token, Instant now) {
        purge(now);
        String h = hash(token);
        var r = dsl.selectFrom(REFRESH_TOKEN).where(REFRESH_TOKEN.TOKEN_HASH.eq(h)).fetchOne();
        if (r == null) {
            return Presented.invalid();
        }
        Grant g = new Grant(r.getUserId(), r.getAppId(), r.getClientId(), List.of(r.getAmr().split(" ")), r.getAuthTime().toInstant(),
                r.getClientGeneration(), r.getFamilyId());
        if (r.getUsedAt() == null && r.getExpiresAt().toInstant().isAfter(now)) {
            int n = dsl.update(REFRESH_TOKEN).set(REFRESH_TOKEN.USED_AT, now.atOffset(ZoneOffset.UTC)).where(REFRESH_TOKEN.TOKEN_HASH.eq(h))
                    .and(REFRESH_TOKEN.USED_AT.isNull())
                    .and(REFRESH_TOKEN.CLIENT_GENERATION.eq(r.getClientGeneration()))
                    .and(REFRESH_TOKEN.CLIENT_GENERATION.eq(generationOf(REFRESH_TOKEN.CLIENT_ID))).andNotExists(revoked(REFRESH_TOKEN.FAMILY_ID))
                    .execute();
            if (n == 1) {
                return new Presented<>(Optional.of(g), Optional.empty(), 0);
            }
        }
        return usedBefore(dsl.select(REFRESH_TOKEN.USED_AT).from(REFRESH_TOKEN).where(REFRESH_TOKEN.TOKEN_HASH.eq(h))
                .fetchOne(REFRESH_TOKEN.USED_AT) != null, g, now);
    }

    /**
     * A replay when it was used before (by an earlier request or one just now): its family is revoked (recorded, so that a
     * successor written after this is dead too) and its refresh tokens end.
     */
    private <T> Presented<T> usedBefore(boolean used, Grant g, Instant now) {
        if (!used || g.family().isEmpty()) {
            return Presented.invalid();
        }
        dsl.insertInto(OAUTH_REVOKED_FAMILY).set(OAUTH_REVOKED_FAMILY.FAMILY_ID, g.family())
                .set(OAUTH_REVOKED_FAMILY.REVOKED_AT, now.atOffset(ZoneOffset.UTC)).onConflictDoNothing().execute();
        int revoked = dsl.deleteFrom(REFRESH_TOKEN).where(REFRESH_TOKEN.FAMILY_ID.eq(g.family())).and(REFRESH_TOKEN.USED_AT.isNull()).execute();
        return new Presented<>(Optional.empty(), Optional.of(g), revoked);
    }

    /**
     * Deletes the codes and refresh tokens past their expiry, and the revoked families with none left (after a margin
     * for requests in flight). Bounded by what expired since the last call.
     */
    void purge(Instant now) {
        dsl.deleteFrom(OAUTH_CODE).where(OAUTH_CODE.EXPIRES_AT.lt(now.atOffset(ZoneOffset.UTC))).execute();
        dsl.deleteFrom(REFRESH_TOKEN).where(REFRESH_TOKEN.EXPIRES_AT.lt(now.atOffset(ZoneOffset.UTC))).execute();
        dsl.deleteFrom(OAUTH_REVOKED_FAMILY).where(OAUTH_REVOKED_FAMILY.REVOKED_AT.lt(now.minus(REVOCATION_MARGIN).atOffset(ZoneOffset.UTC)))
                .andNotExists(DSL.selectOne().from(OAUTH_CODE).where(OAUTH_CODE.FAMILY_ID.eq(OAUTH_REVOKED_FAMILY.FAMILY_ID)))
                .andNotExists(DSL.selectOne().from(REFRESH_TOKEN).where(REFRESH_TOKEN.FAMILY_ID.eq(OAUTH_REVOKED_FAMILY.FAMILY_ID))).execute();
    }

    /** The revocation of the family {@code family}, if it was revoked. */
    private static Select<?> revoked(Field<String> family) {
        return DSL.selectOne().from(OAUTH_REVOKED_FAMILY).where(OAUTH_REVOKED_FAMILY.FAMILY_ID.eq(family));
    }

    /** The current generation of the client named by {@code clientId} (null, matching nothing, once it is deleted). */
    private static Field<String> generationOf(Field<String> clientId) {
        return DSL.field(DSL.select(OAUTH_CLIENT.GENERATION).from(OAUTH_CLIENT).where(OAUTH_CLIENT.CLIENT_ID.eq(clientId)));
    }
}
