package dev.drawbridge.proxy.federation;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.openid.connect.sdk.Nonce;
import com.nimbusds.openid.connect.sdk.validators.IDTokenValidator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The ID token checks of federation, with keys of our own standing in for the provider's: a good
 * token passes; another audience, another issuer, an expired token, a wrong nonce, a tampered
 * payload, another key, an unsigned token and an HMAC token (keyed with the client secret) do not.
 */
class IdTokensTest {
    static final String ISSUER = "https://idp.corp.example/realms/corp";
    static final String CLIENT = "drawbridge";
    static final Nonce NONCE = new Nonce("n-0S6_WzA2Mj");
    static RSAKey key;
    static RSAKey otherKey;
    static IDTokenValidator validator;

    @BeforeAll
    static void keys() throws Exception {
        key = new RSAKeyGenerator(2048).keyID("k1").generate();
        otherKey = new RSAKeyGenerator(2048).keyID("k1").generate();
        validator = IdTokens.validator(ISSUER, CLIENT, IdTokens.accepted(List.of(JWSAlgorithm.RS256, JWSAlgorithm.HS256)),
                new ImmutableJWKSet<SecurityContext>(new JWKSet(key.toPublicJWK())));
    }

    static JWTClaimsSet.Builder claims() {
        long now = System.currentTimeMillis();
        return new JWTClaimsSet.Builder().issuer(ISSUER).subject("f2c1").audience(CLIENT).issueTime(new Date(now))
                .expirationTime(new Date(now + 300_000)).claim("nonce", NONCE.getValue()).claim("email", "alice@corp.example");
    }

    static SignedJWT signed(RSAKey with, Consumer<JWTClaimsSet.Builder> change) throws Exception {
        JWTClaimsSet.Builder b = claims();
        change.accept(b);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("k1").type(JOSEObjectType.JWT).build(), b.build());
        jwt.sign(new RSASSASigner(with));
        return jwt;
    }

    @Test
    void aGoodTokenPasses() throws Exception {
        assertThat(validator.validate(signed(key, b -> { }), NONCE).getSubject().getValue()).isEqualTo("f2c1");
    }

    @Test
    void onlyAsymmetricAlgorithmsAreAccepted() {
        assertThat(IdTokens.accepted(List.of(JWSAlgorithm.HS256, JWSAlgorithm.ES256, JWSAlgorithm.PS256)))
                .containsExactly(JWSAlgorithm.ES256, JWSAlgorithm.PS256);
        assertThat(IdTokens.accepted(List.of())).isEqualTo(Set.of(JWSAlgorithm.RS256));
    }

    @Test
    void aTokenForAnotherAudienceIsRefused() {
        assertThatThrownBy(() -> validator.validate(signed(key, b -> b.audience("another-client")), NONCE))
                .hasMessageContaining("audience");
    }

    @Test
    void aTokenFromAnotherIssuerIsRefused() {
        assertThatThrownBy(() -> validator.validate(signed(key, b -> b.issuer("https://evil.example/")), NONCE))
                .hasMessageContaining("issuer");
    }

    @Test
    void anExpiredTokenIsRefused() {
        long past = System.currentTimeMillis() - 3_600_000;
        assertThatThrownBy(() -> validator.validate(signed(key, b -> b.issueTime(new Date(past)).expirationTime(new Date(past + 300_000))), NONCE))
                .hasMessageContaining("xpired");
    }

    @Test
    void aTokenOfAnotherSignInIsRefused() {
        assertThatThrownBy(() -> validator.validate(signed(key, b -> { }), new Nonce("another")))
                .hasMessageContaining("nonce");
        assertThatThrownBy(() -> validator.validate(signed(key, b -> b.claim("nonce", null)), NONCE))
                .hasMessageContaining("nonce");
    }

    @Test
    void aTamperedTokenIsRefused() throws Exception {
        String[] parts = signed(key, b -> { }).serialize().split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1])).replace("alice@corp.example", "admin@corp.example");
        String forged = parts[0] + "." + Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes()) + "." + parts[2];
        assertThatThrownBy(() -> validator.validate(SignedJWT.parse(forged), NONCE)).hasMessageContaining("signature");
    }

    @Test
    void aTokenSignedWithAnotherKeyIsRefused() {
        assertThatThrownBy(() -> validator.validate(signed(otherKey, b -> { }), NONCE)).hasMessageContaining("signature");
    }

    @Test
    void unsignedAndHmacTokensAreRefused() throws Exception {
        assertThatThrownBy(() -> validator.validate(new PlainJWT(claims().build()), NONCE)).isInstanceOf(Exception.class);
        SignedJWT hmac = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        hmac.sign(new MACSigner("a-client-secret-that-is-at-least-32-bytes-long"));
        assertThatThrownBy(() -> validator.validate(hmac, NONCE)).isInstanceOf(Exception.class);
        assertThatCode(() -> validator.validate(signed(key, b -> { }), NONCE)).doesNotThrowAnyException();
    }
}
