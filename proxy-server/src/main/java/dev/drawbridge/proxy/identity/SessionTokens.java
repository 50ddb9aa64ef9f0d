package dev.drawbridge.proxy.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.drawbridge.proxy.keys.SigningKeySet;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Signs and verifies the server's JWTs (ES256 with the signing key set's current signer, {@link SigningKeySet}), one {@link TokenKind} each:
 * sign-in sessions on the sign-in host, MFA-pending markers, app-scoped sessions (audience = one app), OAuth access
 * tokens, admin tokens, and the short-lived identity assertions forwarded to internal apps. Every token carries its
 * kind's JOSE {@code typ}; verification names the kind it expects and accepts that type only (Nimbus's JWT processor
 * with a type verifier per kind), ES256 only, and checks signature, key id (one of the set's keys verifying now: a pending,
 * signing or retiring key; an unknown or retired one is refused), issuer, audience, expiry, not-before and
 * issue time, with the injected clock. A token of a kind's legacy type ({@link TokenKind#legacyType}) is accepted
 * only if it was issued before this instance was created (server start-up).
 */
public final class SessionTokens {
    public static final String LOGIN_AUDIENCE = "drawbridge:login";
    private static final Duration SKEW = Duration.ofSeconds(30);
    private static final Set<TokenKind> SESSION_KINDS = EnumSet.of(TokenKind.LOGIN_SESSION, TokenKind.MFA_PENDING, TokenKind.APP_SESSION);
    private static final Set<TokenKind> ACCESS_KINDS = EnumSet.of(TokenKind.ACCESS_TOKEN, TokenKind.ADMIN_TOKEN);

    /** The verified claims of a session. */
    public record Session(String userId, String sessionId, List<String> amr, Instant authTime, Instant issuedAt,
                          Instant lastSeen, Instant expiresAt) {
    }

    /** What one verification expects beyond the kind: the audience, and whether the token carries its legacy type. */
    private record Expected(String audience, boolean legacyType) implements SecurityContext {
    }

    private final SigningKeySet keys;
    private final String issuer;
    private final Clock clock;
    /** Tokens of a legacy type issued from here on did not come from a server of an earlier version. */
    private final Instant typedSince;
    private final Map<TokenKind, DefaultJWTProcessor<Expected>> processors = new EnumMap<>(TokenKind.class);

    /** With a key set that never rotates (tests, tools). */
    public SessionTokens(JWKSet keys, String issuer, Clock clock) {
        this(new SigningKeySet(keys, clock), issuer, clock);
    }

    /** With the node's live key set: a rotation that reaches it changes the signer and the verifying keys, no restart. */
    public SessionTokens(SigningKeySet keys, String issuer, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.clock = clock;
        this.typedSince = clock.instant();
        for (TokenKind kind : TokenKind.values()) {
            processors.put(kind, processor(kind));
        }
    }

    public String issuer() {
        return issuer;
    }

    public static String appAudience(String appId) {
        return "drawbridge:app:" + appId;
    }

    /** The public keys that verify now (the signing one, a pending one, retiring ones), for the JWKS endpoint. */
    public JWKSet publicKeys() {
        return new JWKSet(keys.published().getKeys());
    }

    /**
     * A session token of {@code kind} (a sign-in session, an MFA-pending marker or an app session) for {@code audience};
     * {@code lastSeen} supports the idle timeout.
     */
    public String session(TokenKind kind, String audience, String userId, String sessionId, List<String> amr, Instant authTime,
                          Instant expiresAt, Instant lastSeen) {
        require(kind, SESSION_KINDS);
        Instant now = clock.instant();
        return sign(new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(userId).jwtID(sessionId)
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(expiresAt))
                .claim("auth_time", authTime.getEpochSecond()).claim("auth_ms", authTime.toEpochMilli()).claim("amr", amr).claim("last",
                        lastSeen.getEpochSecond())
                .build(), kind);
    }

    /**
     * A bearer token of {@code kind}: an OAuth access token (RFC 9068 {@code at+jwt}) for one app's URL, or an admin
     * token; verifiable with {@link #verify}.
     */
    public String accessToken(TokenKind kind, String audience, String userId, String clientId, List<String> amr, Instant authTime,
                              Duration ttl) {
        require(kind, ACCESS_KINDS);
        Instant now = clock.instant();
        return sign(new JWTClaimsSet.Builder().issuer(issuer).audience(audience).subject(userId).jwtID(UUID.randomUUID().toString())
                .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(ttl)))
                .claim("client_id", clientId).claim("auth_time", authTime.getEpochSecond()).claim("auth_ms", authTime.toEpochMilli())
                .claim("amr", amr).claim("last", now.getEpochSecond()).build(), kind);
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
        return sign(b.build(), TokenKind.ASSERTION);
    }

    private static void require(TokenKind kind, Set<TokenKind> allowed) {
        if (!allowed.contains(kind)) {
            throw new IllegalArgumentException(kind + " is not one of " + allowed);
        }
    }

    private String sign(JWTClaimsSet claims, TokenKind kind) {
        try {
            ECKey signingKey = keys.signer();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID())
                    .type(kind.type()).build(), claims);
            jwt.sign(new ECDSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign token", e);
        }
    }

    /** Nimbus's processor for one kind: its type (or legacy type), ES256 with one of our keys, and our claim checks. */
    private DefaultJWTProcessor<Expected> processor(TokenKind kind) {
        Set<JOSEObjectType> types = new HashSet<>(Set.of(kind.type()));
        kind.legacyType().ifPresent(types::add);
        DefaultJWTProcessor<Expected> p = new DefaultJWTProcessor<>();
        p.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(types));
        p.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, keys.<Expected>verificationSource()));
        p.setJWTClaimsSetVerifier(this::checkClaims);
        return p;
    }

    private void checkClaims(JWTClaimsSet c, Expected expected) throws BadJWTException {
        Instant now = clock.instant();
        if (!issuer.equals(c.getIssuer()) || c.getAudience() == null || !c.getAudience().contains(expected.audience())
                || c.getSubject() == null || c.getExpirationTime() == null || c.getIssueTime() == null
                || !c.getExpirationTime().toInstant().isAfter(now)
                || (c.getNotBeforeTime() != null && c.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW)))
                || c.getIssueTime().toInstant().isAfter(now.plus(SKEW))) {
            throw new BadJWTException("claims not valid here and now");
        }
        if (expected.legacyType() && !c.getIssueTime().toInstant().isBefore(typedSince)) {
            throw new BadJWTException("a legacy token type on a token issued since start-up");
        }
    }

    /** Verifies a token of {@code kind} for {@code audience}; empty when anything about it is wrong. */
    public Optional<Session> verify(String token, TokenKind kind, String audience) {
        if (token == null || token.isEmpty() || token.length() > 8192) {
            return Optional.empty();
        }
        try {
            SignedJWT jwt = SignedJWT.parse(token);
            if (jwt.getHeader().getKeyID() == null) {
                return Optional.empty();
            }
            boolean legacy = kind.legacyType().isPresent() && kind.legacyType().get().equals(jwt.getHeader().getType());
            JWTClaimsSet c = processors.get(kind).process(jwt, new Expected(audience, legacy));
            // Milliseconds: a sign-in right after a sign-out in the same second must still count as later.
            Long authTime = c.getLongClaim("auth_ms");
            Long last = c.getLongClaim("last");
            List<String> amr = c.getStringListClaim("amr");
            return Optional.of(new Session(c.getSubject(), c.getJWTID(), amr == null ? List.of() : amr,
                    Instant.ofEpochMilli(authTime == null ? 0 : authTime), c.getIssueTime().toInstant(),
                    Instant.ofEpochSecond(last == null ? 0 : last), c.getExpirationTime().toInstant()));
        } catch (ParseException | BadJOSEException | JOSEException | ClassCastException e) {
            return Optional.empty();
        }
    }
}
