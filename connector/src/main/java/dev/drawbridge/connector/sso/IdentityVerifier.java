package dev.drawbridge.connector.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.model.sso.SsoKeys;
import dev.drawbridge.model.sso.SsoWire;
import dev.drawbridge.model.tunnel.RequestHead;

import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Verifies the identity the proxy signed for one stream of one tunnel connection, with the keys that tunnel's CONFIG
 * frame carried ({@link SsoKeys}; a later one, after the server rotated its keys, replaces them). An identity is accepted
 * only when all of this holds: a compact JWS with a key id, algorithm ES256 (so {@code none}, HMAC with the public key as
 * secret, RSA and the rest are refused before any key is tried), signed by one of those public EC P-256 keys not past its
 * {@code exp} (a key the server retired), of type {@value SsoWire#TOKEN_TYPE} and no other, audience exactly the OPEN's
 * app id, bound to this tunnel and stream ({@value SsoWire#STREAM_CLAIM} = {@code "<tunnel id>/<stream id>"}),
 * with subject and UPN, issued no later than now + {@link #SKEW}, not expired (now − {@link #SKEW}) and living at most
 * {@link #MAX_LIFETIME}. The stream binding is what stops a replay: stream ids are never reused on a tunnel, and the
 * tunnel id is new on every connection; the expiry only bounds how long a token could matter at all.
 */
public final class IdentityVerifier {
    /** Tolerated difference between the server's clock and the connector's. */
    public static final Duration SKEW = Duration.ofSeconds(30);
    /** Longest lifetime (exp − iat) accepted; the server signs for 30 s. */
    public static final Duration MAX_LIFETIME = Duration.ofMinutes(2);

    /** What one verification expects beyond the key and type. */
    private record Expected(String appId, String binding) implements SecurityContext {
    }

    private final String tunnelId;
    private final Clock clock;
    private final DefaultJWTProcessor<Expected> processor = new DefaultJWTProcessor<>();

    /** @throws IllegalArgumentException when the key set does not parse or holds anything but public EC P-256 keys */
    public IdentityVerifier(SsoKeys keys, Clock clock) {
        this.tunnelId = keys.tunnelId();
        this.clock = clock;
        JWKSet set;
        try {
            set = JWKSet.parse(keys.jwks());
        } catch (ParseException e) {
            throw new IllegalArgumentException("the SSO key set does not parse: " + e.getMessage());
        }
        if (set.getKeys().isEmpty()) {
            throw new IllegalArgumentException("the SSO key set is empty");
        }
        for (JWK k : set.getKeys()) {
            if (!(k instanceof ECKey ec) || k.isPrivate() || !Curve.P_256.equals(ec.getCurve()) || k.getKeyID() == null) {
                throw new IllegalArgumentException("the SSO key set may hold public EC P-256 keys with key ids only");
            }
        }
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(Set.of(new JOSEObjectType(SsoWire.TOKEN_TYPE))));
        // A key the server retired (its exp reached: every identity it signed has expired) verifies nothing, even before the
        // server's next key set reaches this tunnel.
        List<JWK> published = List.copyOf(set.getKeys());
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(JWSAlgorithm.ES256, (selector, context) -> selector.select(
                new JWKSet(published.stream().filter(k -> k.getExpirationTime() == null || k.getExpirationTime().toInstant().isAfter(clock.instant()))
                        .toList()))));
        processor.setJWTClaimsSetVerifier(this::checkClaims);
    }

    /** The id of the tunnel connection these keys came with. */
    public String tunnelId() {
        return tunnelId;
    }

    /** The user of stream {@code streamId} carrying {@code head}, verified; {@link Verification#ABSENT} when none came. */
    public Verification verify(RequestHead head, int streamId) {
        if (head.identity().isEmpty()) {
            return Verification.ABSENT;
        }
        try {
            SignedJWT jwt = SignedJWT.parse(head.identity().get());
            if (jwt.getHeader().getKeyID() == null) {
                return new Verification.Refused("the identity names no key");
            }
            JWTClaimsSet c = processor.process(jwt, new Expected(head.appId(), SsoWire.streamBinding(tunnelId, streamId)));
            return new Verification.Verified(identity(c));
        } catch (ParseException e) {
            return new Verification.Refused("the identity is not a signed token");
        } catch (BadJWTException e) {
            return new Verification.Refused("the identity is not valid here and now: " + e.getMessage());
        } catch (BadJOSEException | JOSEException e) {
            return new Verification.Refused("the identity's signature or type is not valid: " + e.getMessage());
        } catch (RuntimeException e) {
            // Malformed claim types (ClassCastException, a record's validation): refused, never thrown at the tunnel.
            return new Verification.Refused("the identity's claims are malformed");
        }
    }

    private void checkClaims(JWTClaimsSet c, Expected expected) throws BadJWTException {
        Instant now = clock.instant();
        if (c.getAudience() == null || !c.getAudience().equals(List.of(expected.appId()))) {
            throw new BadJWTException("issued for another app");
        }
        Object binding = c.getClaim(SsoWire.STREAM_CLAIM);
        if (!expected.binding().equals(binding)) {
            throw new BadJWTException("issued for another stream or tunnel");
        }
        if (c.getExpirationTime() == null || c.getIssueTime() == null) {
            throw new BadJWTException("no expiry or issue time");
        }
        Instant exp = c.getExpirationTime().toInstant(), iat = c.getIssueTime().toInstant();
        if (!exp.isAfter(now.minus(SKEW))) {
            throw new BadJWTException("expired");
        }
        if (iat.isAfter(now.plus(SKEW)) || exp.isBefore(iat) || Duration.between(iat, exp).compareTo(MAX_LIFETIME) > 0) {
            throw new BadJWTException("issue time or lifetime out of range");
        }
        if (c.getNotBeforeTime() != null && c.getNotBeforeTime().toInstant().isAfter(now.plus(SKEW))) {
            throw new BadJWTException("not valid yet");
        }
        if (c.getSubject() == null || c.getSubject().isBlank()) {
            throw new BadJWTException("no subject");
        }
    }

    private static SsoIdentity identity(JWTClaimsSet c) throws ParseException {
        String upn = c.getStringClaim(SsoWire.UPN);
        if (upn == null) {
            throw new IllegalArgumentException("no upn");
        }
        List<String> groups = c.getStringListClaim(SsoWire.GROUPS);
        Map<String, String> claims = new TreeMap<>();
        Map<String, Object> raw = c.getJSONObjectClaim(SsoWire.CLAIMS);
        if (raw != null) {
            raw.forEach((k, v) -> claims.put(k, String.valueOf(v)));
        }
        return new SsoIdentity(c.getSubject(), upn, Optional.ofNullable(c.getStringClaim(SsoWire.NAME)).orElse(upn),
                Optional.ofNullable(c.getStringClaim(SsoWire.EMAIL)), Optional.ofNullable(c.getStringClaim(SsoWire.ON_PREM_UPN)),
                Optional.ofNullable(c.getStringClaim(SsoWire.SAM)), groups == null ? List.of() : groups, claims);
    }
}
