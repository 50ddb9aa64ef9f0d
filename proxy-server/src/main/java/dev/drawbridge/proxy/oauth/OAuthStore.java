package dev.drawbridge.proxy.oauth;

import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.Database;
import org.jooq.DSLContext;

import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.OAUTH_CODE;
import static dev.drawbridge.proxy.store.db.Tables.REFRESH_TOKEN;

/** Authorization codes and refresh tokens of the token issuer, stored as SHA-256 hashes, each usable once. */
final class OAuthStore {
    /** A redeemed authorization code. */
    record Code(String userId, String appId, String clientId, String redirectUri, String codeChallenge, List<String> amr, Instant authTime) {
    }

    /** A redeemed refresh token. */
    record Refresh(String userId, String appId, String clientId, List<String> amr, Instant authTime) {
    }

    private final DSLContext dsl;

    OAuthStore(Database db) {
        this.dsl = db.dsl();
    }

    static String hash(String secret) {
        return HexFormat.of().formatHex(ServerKeys.sha256(secret));
    }

    String newCode(String userId, String appId, String clientId, String redirectUri, String challenge, List<String> amr,
                   Instant authTime, Instant expiresAt) {
        String code = ServerKeys.randomToken(32);
        dsl.insertInto(OAUTH_CODE).set(OAUTH_CODE.CODE_HASH, hash(code)).set(OAUTH_CODE.USER_ID, userId).set(OAUTH_CODE.APP_ID, appId)
                .set(OAUTH_CODE.CLIENT_ID, clientId).set(OAUTH_CODE.REDIRECT_URI, redirectUri).set(OAUTH_CODE.CODE_CHALLENGE, challenge)
                .set(OAUTH_CODE.AMR, String.join(" ", amr)).set(OAUTH_CODE.AUTH_TIME, authTime.atOffset(ZoneOffset.UTC))
                .set(OAUTH_CODE.EXPIRES_AT, expiresAt.atOffset(ZoneOffset.UTC)).execute();
        return code;
    }

    Optional<Code> redeemCode(String code, Instant now) {
        String h = hash(code);
        var r = dsl.selectFrom(OAUTH_CODE).where(OAUTH_CODE.CODE_HASH.eq(h)).fetchOne();
        if (r == null || r.getUsedAt() != null || !r.getExpiresAt().toInstant().isAfter(now)) {
            return Optional.empty();
        }
        int n = dsl.update(OAUTH_CODE).set(OAUTH_CODE.USED_AT, now.atOffset(ZoneOffset.UTC)).where(OAUTH_CODE.CODE_HASH.eq(h))
                .and(OAUTH_CODE.USED_AT.isNull()).execute();
        return n == 1 ? Optional.of(new Code(r.getUserId(), r.getAppId(), r.getClientId(), r.getRedirectUri(), r.getCodeChallenge(),
                List.of(r.getAmr().split(" ")), r.getAuthTime().toInstant())) : Optional.empty();
    }

    String newRefresh(String userId, String appId, String clientId, List<String> amr, Instant authTime, Instant expiresAt) {
        String token = "dbrt_" + ServerKeys.randomToken(32);
        dsl.insertInto(REFRESH_TOKEN).set(REFRESH_TOKEN.TOKEN_HASH, hash(token)).set(REFRESH_TOKEN.USER_ID, userId)
                .set(REFRESH_TOKEN.APP_ID, appId).set(REFRESH_TOKEN.CLIENT_ID, clientId).set(REFRESH_TOKEN.AMR, String.join(" ", amr))
                .set(REFRESH_TOKEN.AUTH_TIME, authTime.atOffset(ZoneOffset.UTC)).set(REFRESH_TOKEN.EXPIRES_AT, expiresAt.atOffset(ZoneOffset.UTC))
                .execute();
        return token;
    }

    /** Redeems a refresh token once (rotation: the client gets a new one with the new access token). */
    Optional<Refresh> redeemRefresh(String token, Instant now) {
        String h = hash(token);
        var r = dsl.selectFrom(REFRESH_TOKEN).where(REFRESH_TOKEN.TOKEN_HASH.eq(h)).fetchOne();
        if (r == null || r.getUsedAt() != null || !r.getExpiresAt().toInstant().isAfter(now)) {
            return Optional.empty();
        }
        int n = dsl.update(REFRESH_TOKEN).set(REFRESH_TOKEN.USED_AT, now.atOffset(ZoneOffset.UTC)).where(REFRESH_TOKEN.TOKEN_HASH.eq(h))
                .and(REFRESH_TOKEN.USED_AT.isNull()).execute();
        return n == 1 ? Optional.of(new Refresh(r.getUserId(), r.getAppId(), r.getClientId(), List.of(r.getAmr().split(" ")),
                r.getAuthTime().toInstant())) : Optional.empty();
    }
}
