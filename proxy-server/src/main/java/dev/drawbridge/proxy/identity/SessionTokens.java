package dev.drawbridge.proxy.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Signs and verifies the server's JWTs (ES256 with the signing keys of the data directory):
 * sign-in sessions on the sign-in host, app-scoped sessions (audience = one app), and the
 * short-lived identity assertions forwarded to internal apps. Verification accepts ES256 only and
 * checks signature, key id, issuer, audience, expiry, not-before and issue time, with the injected clock.
 */
public final class SessionTokens {
    public static final String LOGIN_AUDIENCE = "drawbridge:login";
    private static final Duration SKEW = Duration.ofSeconds(30);

    /** The verified claims of a session. */
    public record Session(String userId, String sessionId, List<String> amr, Instant authTime, Instant issuedAt,
                          Instant lastSeen, Instant expiresAt) {
    }

    private final JWKSet keys;
    private final ECKey signingKey;
    private final String issuer;
    private final Clock clock;

    public SessionTokens(JWKSet keys, String issuer, Clock clock) {
        this.keys = keys;
        this.signingKey = (ECKey) keys.getKeys().stream().filter(k -> k instanceof ECKey && k.isPrivate()).findFirst()
                .orElseThrow(() -> new IllegalStateException("no private EC signing key"));
        this.issuer = issuer;
        this.clock = clock;
    }

    public String issuer() {
        return issuer;
    }

    public static String appAudience(String appId) {
        return "drawbridge:app:" + appId;
    }

    /** The public keys, for the JWKS endpoint. */
    public JWKSet publicKeys() {
        return keys.toPublicJWKSet();
    }

    /** A session token for {@code audience}; {@code lastSeen} supports the idle timeout. */
    public String session(String audience, String userId, String sessionId, List<String> amr, Instant authTime,
                          Instant expiresAt, Instant lastSeen) {
        Instant now = clock.instant();
        return sign(new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(userId).jwtID(sessionId)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(expiresAt))
                .claim("auth_time", authTime.getEpochSecond()).claim("auth_ms", authTime.toEpochMilli()).claim("amr", amr).claim("last", lastSeen.getEpochSecond())
                .build(), "session+jwt");
    }

    /** An OAuth access token (RFC 9068 {@code at+jwt}) for one app's URL; verifiable with {@link #verify}. */
    public String accessToken(String audience, String userId, String clientId, List<String> amr, Instant authTime, Duration ttl) {
        Instant now = clock.instant();
        return sign(new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(userId).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .claim("client_id", clientId).claim("auth_time", authTime.getEpochSecond()).claim("auth_ms", authTime.toEpochMilli())
                .claim("amr", amr).claim("last", now.getEpochSecond()).build(), "at+jwt");
    }

    /** A short-lived assertion of who the user is, for the internal app (header X-Drawbridge-Assertion). */
    public String assertion(String audience, DirectoryUser user, List<String> groups, Duration ttl) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(user.id())
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl))).claim("upn", user.upn()).claim("name", user.displayName())
                .claim("groups", groups);
        user.email().ifPresent(e -> b.claim("email", e));
        user.department().ifPresent(d -> b.claim("department", d));
        return sign(b.build(), "JWT");
    }

    private String sign(JWTClaimsSet claims, String type) {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID())
                    .type(new JOSEObjectType(type)).build(), claims);
            jwt.sign(new ECDSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    /** Verifies a session token for {@code audience}; empty when anything about it is wrong. */
    public Optional<Session> verify(String token, String audience) {
        if (token == null || token.isEmpty() || token.length() > 8192) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (!JWSAlgorithm.ES256.equals(jwt.getHeader().getAlgorithm())) {
                return Optional.empty();
            }
            JWK key = keys.getKeyByKeyId(jwt.getHeader().getKeyID());
            if (!(key instanceof ECKey ec) || !jwt.verify(new ECDSAVerifier(ec.toECPublicKey()))) {
                return Optional.empty();
            }
            JWTClaimsSet c = jwt.getJWTClaimsSet();
            Instant now = clock.instant();
            if (!issuer.equals(c.getIssuer()) || c.getAudience() == null || !c.getAudience().contains(audience)
                    || c.getSubject() == null || c.getExpirationTime() == null || c.getIssueTime() == null
                    || !c.getExpirationTime().toInstant().isAfter(now)
                    || (c.getNotBeforeTime() != null && c.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW)))
                    || c.getIssueTime().toInstant().isAfter(now.plus(SKEW))) {
                return Optional.empty();
            }
            // Milliseconds: a sign-in right after a sign-out in the same second must still count as later.
            Long authTime = c.getLongClaim("auth_ms");
            Long last = c.getLongClaim("last");
            List<String> amr = c.getStringListClaim("amr");
            return Optional.of(new Session(c.getSubject(), c.getJWTID(), amr == null ? List.of() : amr,
                    Instant.ofEpochMilli(authTime == null ? 0 : authTime), c.getIssueTime().toInstant(),
                    Instant.ofEpochSecond(last == null ? 0 : last), c.getExpirationTime().toInstant()));
        } catch (ParseException | JOSEException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
