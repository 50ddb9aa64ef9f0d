package dev.drawbridge.connector.sso;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import dev.drawbridge.model.sso.SsoKeys;
import dev.drawbridge.model.tunnel.RequestHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The identity verifier, by class of forgery: every way a token can be wrong (key, algorithm, type, audience, stream,
 * tunnel, time, claims, shape) is refused, each beside the one valid token it differs from; no identity is "absent",
 * never verified; a bad key set is refused when it arrives.
 */
class IdentityVerifierTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");
    private static final String TUNNEL = "tunnel-a";
    private static final int STREAM = 7;
    private static final ECKey KEY = key("k1"), OTHER_KEY = key("k1");
    private static final IdentityVerifier VERIFIER = new IdentityVerifier(
            new SsoKeys(TUNNEL, new JWKSet(KEY.toPublicJWK()).toString()), Clock.fixed(NOW, ZoneOffset.UTC));

    private static ECKey key(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer("https://login.example").subject("u-1").audience("app-1")
                .issueTime(Date.from(NOW)).expirationTime(Date.from(NOW.plusSeconds(30))).jwtID("j1")
                .claim("stm", TUNNEL + "/" + STREAM).claim("upn", "alice@corp.example").claim("name", "Alice")
                .claim("email", "alice@mail.example").claim("groups", List.of("staff", "hr")).claim("claims", Map.of("department", "HR"));
    }

    private static JWSHeader.Builder header() {
        return new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1").type(new JOSEObjectType("drawbridge-sso+jwt"));
    }

    private static String sign(JWSHeader.Builder header, JWTClaimsSet.Builder claims, ECKey key) {
        try {
            SignedJWT jwt = new SignedJWT(header.build(), claims.build());
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static Verification verify(String token) {
        return VERIFIER.verify(head("app-1").withIdentity(token), STREAM);
    }

    private static RequestHead head(String appId) {
        return new RequestHead(appId, "GET", "http://intranet/", List.of(), Duration.ofSeconds(30), false, false);
    }

    private static void assertRefused(String token) {
        assertThat(verify(token)).isInstanceOf(Verification.Refused.class);
        assertThat(verify(token).identity()).isEmpty();
    }

    @Test
    void theValidTokenGivesTheUser() {
        Verification v = verify(sign(header(), claims(), KEY));
        assertThat(v).isInstanceOf(Verification.Verified.class);
        var user = v.identity().orElseThrow();
        assertThat(user.subject()).isEqualTo("u-1");
        assertThat(user.upn()).isEqualTo("alice@corp.example");
        assertThat(user.name()).isEqualTo("Alice");
        assertThat(user.email()).contains("alice@mail.example");
        assertThat(user.groups()).containsExactly("staff", "hr");
        assertThat(user.claims()).containsEntry("department", "HR");
        assertThat(user.onPremUpn()).isEmpty();
    }

    @Test
    void noIdentityIsAbsentNeverVerified() {
        assertThat(VERIFIER.verify(head("app-1"), STREAM)).isEqualTo(Verification.ABSENT);
        assertThat(VERIFIER.verify(head("app-1"), STREAM).identity()).isEmpty();
    }

    @Test
    void anotherKeyWithTheSameKeyIdIsRefused() {
        assertRefused(sign(header(), claims(), OTHER_KEY));
    }

    @Test
    void anUnknownKeyIdOrNoneIsRefused() {
        assertRefused(sign(header().keyID("k2"), claims(), KEY));
        assertRefused(sign(new JWSHeader.Builder(JWSAlgorithm.ES256).type(new JOSEObjectType("drawbridge-sso+jwt")), claims(), KEY));
    }

    @Test
    void anotherAppsTokenIsRefused() {
        String token = sign(header(), claims(), KEY);
        assertThat(VERIFIER.verify(head("app-2").withIdentity(token), STREAM)).isInstanceOf(Verification.Refused.class);
        assertRefused(sign(header(), claims().audience(List.of("app-1", "app-2")), KEY));
        assertRefused(sign(header(), claims().audience("APP-1"), KEY));
        assertRefused(sign(header(), claims().audience((String) null), KEY));
    }

    @Test
    void anotherStreamOrTunnelIsRefused() {
        String token = sign(header(), claims(), KEY);
        assertThat(VERIFIER.verify(head("app-1").withIdentity(token), STREAM + 2)).isInstanceOf(Verification.Refused.class);
        assertRefused(sign(header(), claims().claim("stm", "tunnel-b/" + STREAM), KEY));
        assertRefused(sign(header(), claims().claim("stm", TUNNEL + "/" + STREAM + "0"), KEY));
        assertRefused(sign(header(), claims().claim("stm", null), KEY));
        assertRefused(sign(header(), claims().claim("stm", List.of(TUNNEL + "/" + STREAM)), KEY));
        IdentityVerifier otherTunnel = new IdentityVerifier(new SsoKeys("tunnel-b", new JWKSet(KEY.toPublicJWK()).toString()),
                Clock.fixed(NOW, ZoneOffset.UTC));
        assertThat(otherTunnel.verify(head("app-1").withIdentity(token), STREAM)).isInstanceOf(Verification.Refused.class);
    }

    @Test
    void expiredBeyondTheSkewIsRefusedWithinItAccepted() {
        UnaryOperator<JWTClaimsSet.Builder> expiredBy = b -> b.issueTime(Date.from(NOW.minusSeconds(61)))
                .expirationTime(Date.from(NOW.minus(IdentityVerifier.SKEW).minusMillis(1)));
        assertRefused(sign(header(), expiredBy.apply(claims()), KEY));
        assertThat(verify(sign(header(), claims().issueTime(Date.from(NOW.minusSeconds(50)))
                .expirationTime(Date.from(NOW.minusSeconds(20))), KEY))).isInstanceOf(Verification.Verified.class);
    }

    @Test
    void missingOrOutOfRangeTimesAreRefused() {
        assertRefused(sign(header(), claims().expirationTime(null), KEY));
        assertRefused(sign(header(), claims().issueTime(null), KEY));
        assertRefused(sign(header(), claims().issueTime(Date.from(NOW.plusSeconds(31))).expirationTime(Date.from(NOW.plusSeconds(60))), KEY));
        assertRefused(sign(header(), claims().expirationTime(Date.from(NOW.plus(Duration.ofHours(1)))), KEY));
        assertRefused(sign(header(), claims().notBeforeTime(Date.from(NOW.plusSeconds(31))), KEY));
    }

    @Test
    void missingSubjectOrUpnOrMistypedClaimsAreRefused() {
        assertRefused(sign(header(), claims().subject(null), KEY));
        assertRefused(sign(header(), claims().claim("upn", null), KEY));
        assertRefused(sign(header(), claims().claim("upn", 42), KEY));
        assertRefused(sign(header(), claims().claim("groups", "staff"), KEY));
    }

    @ParameterizedTest
    @ValueSource(strings = {"JWT", "drawbridge-app-session+jwt", "drawbridge-login+jwt", "at+jwt", "drawbridge-admin+jwt",
            "application/drawbridge-sso+jwt", "drawbridge-sso", "sso+jwt"})
    void aTokenOfAnotherKindIsRefused(String type) {
        assertRefused(sign(header().type(new JOSEObjectType(type)), claims(), KEY));
    }

    @Test
    void theTypeInAnotherLetterCaseIsTheSameMediaType() {
        // Media types compare case-insensitively (RFC 7515 §4.1.9; Nimbus follows it): no other kind of token has it.
        assertThat(verify(sign(header().type(new JOSEObjectType("DRAWBRIDGE-SSO+JWT")), claims(), KEY)))
                .isInstanceOf(Verification.Verified.class);
    }

    @Test
    void noTypeIsRefused() {
        assertRefused(sign(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID("k1"), claims(), KEY));
    }

    @Test
    void algNoneIsRefused() {
        String unsigned = new PlainJWT(new PlainHeader.Builder().type(new JOSEObjectType("drawbridge-sso+jwt")).build(),
                claims().build()).serialize();
        assertRefused(unsigned);
        // A signed token's header swapped for alg none, signature kept or dropped.
        String[] parts = sign(header(), claims(), KEY).split("\\.");
        String none = b64("{\"alg\":\"none\",\"kid\":\"k1\",\"typ\":\"drawbridge-sso+jwt\"}");
        assertRefused(none + "." + parts[1] + ".");
        assertRefused(none + "." + parts[1] + "." + parts[2]);
    }

    @Test
    void hs256WithThePublicKeyAsSecretIsRefused() throws Exception {
        byte[] secret = new JWKSet(KEY.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        for (JWSAlgorithm alg : List.of(JWSAlgorithm.HS256, JWSAlgorithm.HS512)) {
            SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(alg).keyID("k1").type(new JOSEObjectType("drawbridge-sso+jwt")).build(),
                    claims().build());
            jwt.sign(new MACSigner(secret.length >= 64 ? secret : KEY.toPublicJWK().toJSONString().repeat(4).getBytes(StandardCharsets.UTF_8)));
            assertRefused(jwt.serialize());
        }
    }

    @Test
    void es384OrEs256kHeadersAreRefused() {
        String[] parts = sign(header(), claims(), KEY).split("\\.");
        for (String alg : List.of("ES384", "ES256K", "RS256", "PS256", "EdDSA")) {
            assertRefused(b64("{\"alg\":\"" + alg + "\",\"kid\":\"k1\",\"typ\":\"drawbridge-sso+jwt\"}") + "." + parts[1] + "." + parts[2]);
        }
    }

    @Test
    void tamperedClaimsOrGarbageAreRefused() {
        String[] parts = sign(header(), claims(), KEY).split("\\.");
        String otherUser = sign(header(), claims().claim("upn", "admin@corp.example"), KEY).split("\\.")[1];
        assertRefused(parts[0] + "." + otherUser + "." + parts[2]);
        for (String junk : List.of("x", "a.b.c", "..", parts[0] + "." + parts[1], "e30.e30.e30")) {
            assertRefused(junk);
        }
    }

    @Test
    void aKeySetWithPrivateOrForeignKeysIsRefusedOnArrival() throws Exception {
        assertThatThrownBy(() -> new IdentityVerifier(new SsoKeys(TUNNEL, new JWKSet(KEY).toString(false)), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
        ECKey p384 = new ECKeyGenerator(Curve.P_384).keyID("k3").generate();
        assertThatThrownBy(() -> new IdentityVerifier(new SsoKeys(TUNNEL, new JWKSet(p384.toPublicJWK()).toString()), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentityVerifier(new SsoKeys(TUNNEL, "{\"keys\":[]}"), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new IdentityVerifier(new SsoKeys(TUNNEL, "not json"), Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static String b64(String json) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void afterARotationBothKeysVerifyUntilTheOldOneRetiresThenOnlyTheNewOne() throws Exception {
        // The set a rotation pushes: the old key retiring at its exp, the new one (published before it signs).
        Instant retires = NOW.plusSeconds(90);
        ECKey old = new ECKey.Builder(key("old")).expirationTime(Date.from(retires)).build();
        ECKey fresh = new ECKey.Builder(key("new")).notBeforeTime(Date.from(NOW.plusSeconds(30))).build();
        String jwks = new JWKSet(List.of(old.toPublicJWK(), fresh.toPublicJWK())).toString();
        SettableClock clock = new SettableClock(NOW);
        IdentityVerifier v = new IdentityVerifier(new SsoKeys(TUNNEL, jwks), clock);
        String byOld = sign(header().keyID("old"), claims(), old);
        String byNew = sign(header().keyID("new"), claims(), fresh);
        assertThat(v.verify(head("app-1").withIdentity(byOld), STREAM)).isInstanceOf(Verification.Verified.class);
        assertThat(v.verify(head("app-1").withIdentity(byNew), STREAM)).isInstanceOf(Verification.Verified.class);
        // A token naming a key the set does not hold, signed by it: refused whatever else is right.
        ECKey stranger = key("stranger");
        assertThat(v.verify(head("app-1").withIdentity(sign(header().keyID("stranger"), claims(), stranger)), STREAM))
                .isInstanceOf(Verification.Refused.class);
        // The old key's name on a token the new key signed (and the other way round): the signature does not match.
        assertThat(v.verify(head("app-1").withIdentity(sign(header().keyID("old"), claims(), fresh)), STREAM))
                .isInstanceOf(Verification.Refused.class);

        // At the old key's exp it verifies nothing, even a token still within the connector's tolerance.
        clock.set(retires);
        JWTClaimsSet.Builder late = claims().issueTime(Date.from(retires.minusSeconds(5))).expirationTime(Date.from(retires.plusSeconds(25)));
        assertThat(v.verify(head("app-1").withIdentity(sign(header().keyID("old"), late, old)), STREAM))
                .isInstanceOf(Verification.Refused.class);
        assertThat(v.verify(head("app-1").withIdentity(sign(header().keyID("new"), late, fresh)), STREAM))
                .isInstanceOf(Verification.Verified.class);
    }

    /** A clock the test moves. */
    private static final class SettableClock extends Clock {
        private volatile Instant now;

        SettableClock(Instant now) {
            this.now = now;
        }

        void set(Instant at) {
            now = at;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
