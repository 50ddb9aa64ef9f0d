package dev.drawbridge.proxy.sso;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.model.sso.SsoWire;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.keys.KeyLifecycle;
import dev.drawbridge.proxy.keys.SigningKeySet;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Signs the identity of a request's user for the connector ({@code typ} {@value SsoWire#TOKEN_TYPE}, ES256 with the
 * server's SSO key, which signs nothing else): audience the app's id, {@value #TTL_SECONDS} s of life, bound to one
 * stream of one tunnel connection ({@value SsoWire#STREAM_CLAIM}). The connector verifies it with the public keys
 * ({@link #publicJwks()}) its tunnel received in a CONFIG frame ({@code connector.sso.IdentityVerifier}), sent again when a
 * rotation changes the set, before its new key signs (docs/security.md, "Signing keys and their rotation").
 */
public final class IdentityTokens {
    static final int TTL_SECONDS = 30;
    /** How long an identity is valid: the OPEN reaches the connector within it, and a stream id is never reused. */
    public static final Duration TTL = Duration.ofSeconds(TTL_SECONDS);
    /**
     * The longest a connector may accept an identity: its life and the clock difference connectors tolerate
     * ({@code connector.sso.IdentityVerifier.SKEW}, 30 s). A retiring SSO key verifies at least this long after it signed last.
     */
    public static final Duration LONGEST_ACCEPTED = TTL.plusSeconds(30);
    /** The claim of the user's department (header single sign-on's CLAIM source names it). */
    public static final String DEPARTMENT = "department";

    private final SigningKeySet keys;
    private final String issuer;
    private final Clock clock;

    /** @param keys the SSO signing key set, never rotated (tests) */
    public IdentityTokens(JWKSet keys, String issuer, Clock clock) {
        this(new SigningKeySet(keys, clock), issuer, clock);
    }

    /** @param keys the node's live SSO signing key set: its signer signs, whatever a rotation made it */
    public IdentityTokens(SigningKeySet keys, String issuer, Clock clock) {
        this.keys = keys;
        this.issuer = issuer;
        this.clock = clock;
    }

    /** The public key set connectors verify identities with now (JWKS JSON; no private part, no retired key). */
    public String publicJwks() {
        return publicJwks(keys.current(), clock);
    }

    /** The public keys of {@code set} that verify now, as sent to connectors (JWKS JSON). */
    public static String publicJwks(JWKSet set, Clock clock) {
        return new JWKSet(KeyLifecycle.verifying(set, clock.instant()).getKeys()).toString();
    }

    /**
     * What the directory knows of a user, as an identity: the on-premises UPN and SAM account name that directory sync
     * gave them (none for local and federated users), and the claims {@value #DEPARTMENT} (when known).
     */
    public static SsoIdentity identityOf(DirectoryUser user, List<String> groups) {
        return new SsoIdentity(user.id(), user.upn(), user.displayName(), user.email(), user.onPremUpn(), user.samAccountName(), groups,
                user.department().map(d -> Map.of(DEPARTMENT, d)).orElse(Map.of()));
    }

    /** The identity of {@code user} for stream {@code streamId} of tunnel {@code tunnelId}, for app {@code appId}. */
    public String sign(String appId, SsoIdentity user, String tunnelId, int streamId) {
        Instant now = clock.instant();
        JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer(issuer).audience(appId).subject(user.subject())
                .jwtID(UUID.randomUUID().toString()).issueTime(Date.from(now)).expirationTime(Date.from(now.plus(TTL)))
                .claim(SsoWire.STREAM_CLAIM, SsoWire.streamBinding(tunnelId, streamId)).claim(SsoWire.UPN, user.upn())
                .claim(SsoWire.NAME, user.name()).claim(SsoWire.GROUPS, user.groups());
        user.email().ifPresent(e -> b.claim(SsoWire.EMAIL, e));
        user.onPremUpn().ifPresent(u -> b.claim(SsoWire.ON_PREM_UPN, u));
        user.samAccountName().ifPresent(s -> b.claim(SsoWire.SAM, s));
        if (!user.claims().isEmpty()) {
            b.claim(SsoWire.CLAIMS, Map.copyOf(user.claims()));
        }
        try {
            ECKey signingKey = keys.signer();
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(signingKey.getKeyID())
                    .type(new JOSEObjectType(SsoWire.TOKEN_TYPE)).build(), b.build());
            jwt.sign(new ECDSASigner(signingKey));
            return jwt.serialize();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign an identity", e);
        }
    }
}
