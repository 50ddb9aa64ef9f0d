package dev.drawbridge.proxy.identity;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.PlainHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every way a session token can be wrong is refused: expired, not yet valid, wrong audience (a
 * cookie of app A on app B), wrong issuer, {@code alg: none}, HMAC keyed with the public key, a
 * signature by another key, tampered claims, unknown key id, garbage.
 */
class SessionTokensTest {
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
    static final String ISSUER = "https://login.example.com";
    static final String AUD = SessionTokens.appAudience("app-a");
    final ECKey key = gen("k1");
    final SessionTokens tokens = new SessionTokens(new JWKSet(key), ISSUER, Clock.fixed(NOW, ZoneOffset.UTC));

    static ECKey gen(String kid) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    String valid() {
        return tokens.session(TokenKind.APP_SESSION, AUD, "user-1", "sid", List.of("pwd"), NOW.minusSeconds(60), NOW.plus(Duration.ofHours(8)), NOW);
    }

    JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(AUD).subject("user-1").jwtID("sid")
                .issueTime(Date.from(NOW.minusSeconds(10))).notBeforeTime(Date.from(NOW.minusSeconds(10)))
                .expirationTime(Date.from(NOW.plusSeconds(3600))).claim("auth_ms", NOW.toEpochMilli()).claim("last", NOW.getEpochSecond());
    }

    String signed(JWTClaimsSet c, ECKey with) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(with.getKeyID()).type(TokenKind.APP_SESSION.type()).build(), c);
        jwt.sign(new ECDSASigner(with));
        return jwt.serialize();
    }

    @Test
    void aValidTokenVerifiesWithItsClaims() {
        Optional<SessionTokens.Session> s = tokens.verify(valid(), TokenKind.APP_SESSION, AUD);
        assertThat(s).isPresent();
        assertThat(s.get().userId()).isEqualTo("user-1");
        assertThat(s.get().amr()).containsExactly("pwd");
        assertThat(s.get().authTime()).isEqualTo(NOW.minusSeconds(60));
    }

    @Test
    void aCookieOfAppAIsRefusedOnAppB() {
        assertThat(tokens.verify(valid(), TokenKind.APP_SESSION, SessionTokens.appAudience("app-b"))).isEmpty();
        assertThat(tokens.verify(valid(), TokenKind.APP_SESSION, SessionTokens.LOGIN_AUDIENCE)).isEmpty();
    }

    @Test
    void expiredNotYetValidWrongIssuerAreRefused() throws Exception {
        assertThat(tokens.verify(signed(claims().expirationTime(Date.from(NOW.minusSeconds(1))).build(), key), TokenKind.APP_SESSION, AUD)).isEmpty();
        assertThat(tokens.verify(signed(claims().notBeforeTime(Date.from(NOW.plusSeconds(600))).build(), key), TokenKind.APP_SESSION, AUD)).isEmpty();
        assertThat(tokens.verify(signed(claims().issueTime(Date.from(NOW.plusSeconds(600))).build(), key), TokenKind.APP_SESSION, AUD)).isEmpty();
        assertThat(tokens.verify(signed(claims().issuer("https://evil.example").build(), key), TokenKind.APP_SESSION, AUD)).isEmpty();
        assertThat(tokens.verify(signed(claims().build(), key), TokenKind.APP_SESSION, AUD)).as("control: the same claims, valid").isPresent();
    }

    @Test
    void algNoneIsRefused() {
        String none = new PlainJWT(new PlainHeader(), claims().build()).serialize();
        assertThat(tokens.verify(none, TokenKind.APP_SESSION, AUD)).isEmpty();
    }

    @Test
    void hmacKeyedWithThePublicKeyIsRefused() throws Exception {
        byte[] publicKeyBytes = key.toPublicJWK().toJSONString().getBytes();
        byte[] secret = Arrays.copyOf(publicKeyBytes, Math.max(32, publicKeyBytes.length));
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID("k1").type(TokenKind.APP_SESSION.type()).build(), claims().build());
        jwt.sign(new MACSigner(secret));
        assertThat(tokens.verify(jwt.serialize(), TokenKind.APP_SESSION, AUD)).isEmpty();
    }

    @Test
    void aSignatureByAnotherKeyIsRefusedEvenWithTheRightKeyId() throws Exception {
        ECKey other = gen("k1");
        assertThat(tokens.verify(signed(claims().build(), other), TokenKind.APP_SESSION, AUD)).isEmpty();
        assertThat(tokens.verify(signed(claims().build(), gen("unknown")), TokenKind.APP_SESSION, AUD)).isEmpty();
    }

    @Test
    void tamperedTokensAreRefused() {
        String t = valid();
        String[] parts = t.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("user-1", "admin-1");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        assertThat(tokens.verify(forged, TokenKind.APP_SESSION, AUD)).isEmpty();
        int i = t.length() - 10; // inside the signature, away from the padding bits of the last character
        String flipped = t.substring(0, i) + (t.charAt(i) == 'A' ? 'B' : 'A') + t.substring(i + 1);
        assertThat(tokens.verify(flipped, TokenKind.APP_SESSION, AUD)).isEmpty();
        assertThat(tokens.verify("not.a.jwt", TokenKind.APP_SESSION, AUD)).isEmpty();
        assertThat(tokens.verify("", TokenKind.APP_SESSION, AUD)).isEmpty();
        assertThat(tokens.verify(null, TokenKind.APP_SESSION, AUD)).isEmpty();
    }

    @Test
    void assertionsCarryTheUserAndVerifyWithThePublishedKeys() throws Exception {
        DirectoryUser u = new DirectoryUser("u1", "alice@corp.example", "Alice", Optional.of("alice@corp.example"),
                Optional.of("HR"), true, true, 0, Optional.empty(), NOW.minusSeconds(100), NOW.minusSeconds(100));
        String a = tokens.assertion("https://hr.example.com/", u, List.of("HR staff"), Duration.ofSeconds(60));
        SignedJWT jwt = SignedJWT.parse(a);
        assertThat(jwt.verify(new ECDSAVerifier(
                ((ECKey) tokens.publicKeys().getKeyByKeyId(jwt.getHeader().getKeyID())).toECPublicKey()))).isTrue();
        assertThat(tokens.publicKeys().getKeys()).allSatisfy(k -> assertThat(k.isPrivate()).isFalse());
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getAudience()).containsExactly("https://hr.example.com/");
        assertThat(c.getStringClaim("upn")).isEqualTo("alice@corp.example");
        assertThat(c.getStringListClaim("groups")).containsExactly("HR staff");
        assertThat(c.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(60));
    }
}
