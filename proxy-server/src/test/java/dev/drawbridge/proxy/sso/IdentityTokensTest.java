package dev.drawbridge.proxy.sso;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.proxy.identity.DirectoryUser;
import org.junit.jupiter.api.Test;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The identities the proxy signs for connectors: ES256 with the SSO key, type drawbridge-sso+jwt, audience the app id,
 * 30 s of life, bound to tunnel and stream, the user's claims; the key set handed to connectors is public only.
 */
class IdentityTokensTest {
    private static final Instant NOW = Instant.parse("2026-12-06T12:00:00Z");

    @Test
    void signsABoundShortLivedIdentityOfTheSsoType() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("sso-1").generate();
        IdentityTokens tokens = new IdentityTokens(new JWKSet(key), "https://login.example", Clock.fixed(NOW, ZoneOffset.UTC));
        SsoIdentity alice = new SsoIdentity("u-1", "alice@corp.example", "Alice", Optional.of("alice@mail.example"), Optional.empty(),
                Optional.of("ALICE"), List.of("staff"), Map.of("department", "HR"));

        SignedJWT jwt = SignedJWT.parse(tokens.sign("app-1", alice, "tunnel-a", 41));

        assertThat(jwt.verify(new ECDSAVerifier(key.toPublicJWK()))).isTrue();
        assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
        assertThat(jwt.getHeader().getType().getType()).isEqualTo("drawbridge-sso+jwt");
        assertThat(jwt.getHeader().getKeyID()).isEqualTo("sso-1");
        JWTClaimsSet c = jwt.getJWTClaimsSet();
        assertThat(c.getAudience()).containsExactly("app-1");
        assertThat(c.getSubject()).isEqualTo("u-1");
        assertThat(c.getIssuer()).isEqualTo("https://login.example");
        assertThat(c.getIssueTime().toInstant()).isEqualTo(NOW);
        assertThat(c.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(30));
        assertThat(c.getStringClaim("stm")).isEqualTo("tunnel-a/41");
        assertThat(c.getStringClaim("upn")).isEqualTo("alice@corp.example");
        assertThat(c.getStringClaim("email")).isEqualTo("alice@mail.example");
        assertThat(c.getStringClaim("sam")).isEqualTo("ALICE");
        assertThat(c.getClaim("onprem_upn")).isNull();
        assertThat(c.getStringListClaim("groups")).containsExactly("staff");
        assertThat(c.getJSONObjectClaim("claims")).containsEntry("department", "HR");
        assertThat(c.getJWTID()).isNotBlank();
        assertThat(SignedJWT.parse(tokens.sign("app-1", alice, "tunnel-a", 41)).getJWTClaimsSet().getJWTID()).isNotEqualTo(c.getJWTID());
    }

    @Test
    void aSyncedUsersIdentityCarriesTheirOnPremisesNamesAndDepartmentAndALocalUsersNone() throws Exception {
        DirectoryUser local = new DirectoryUser("u-2", "bob@corp.example", "Bob", Optional.empty(), Optional.empty(), true, true, 0,
                Optional.empty(), NOW, NOW);
        DirectoryUser synced = new DirectoryUser("u-1", "alice@corp.example", "Alice", Optional.of("alice@mail.example"), Optional.of("HR"),
                true, false, 0, Optional.empty(), NOW, NOW, Optional.of("Alice.Smith@CORP.example"), Optional.of("ASmith"));

        SsoIdentity alice = IdentityTokens.identityOf(synced, List.of("staff"));
        assertThat(alice.onPremUpn()).contains("Alice.Smith@CORP.example");
        assertThat(alice.samAccountName()).contains("ASmith");
        assertThat(alice.claims()).isEqualTo(Map.of("department", "HR"));
        SsoIdentity bob = IdentityTokens.identityOf(local, List.of());
        assertThat(bob.onPremUpn()).isEmpty();
        assertThat(bob.samAccountName()).isEmpty();
        assertThat(bob.claims()).isEmpty();

        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("sso-1").generate();
        IdentityTokens tokens = new IdentityTokens(new JWKSet(key), "https://login.example", Clock.fixed(NOW, ZoneOffset.UTC));
        JWTClaimsSet c = SignedJWT.parse(tokens.sign("app-1", alice, "tunnel-a", 1)).getJWTClaimsSet();
        assertThat(c.getStringClaim("onprem_upn")).isEqualTo("Alice.Smith@CORP.example");
        assertThat(c.getStringClaim("sam")).isEqualTo("ASmith");
        assertThat(c.getJSONObjectClaim("claims")).isEqualTo(Map.of("department", "HR"));
        JWTClaimsSet none = SignedJWT.parse(tokens.sign("app-1", bob, "tunnel-a", 2)).getJWTClaimsSet();
        assertThat(none.getClaims()).doesNotContainKeys("onprem_upn", "sam", "claims");
    }

    @Test
    void theKeySetForConnectorsHasNoPrivatePart() throws Exception {
        ECKey key = new ECKeyGenerator(Curve.P_256).keyID("sso-1").generate();
        IdentityTokens tokens = new IdentityTokens(new JWKSet(key), "i", Clock.systemUTC());
        JWKSet published = JWKSet.parse(tokens.publicJwks());
        assertThat(published.getKeys()).hasSize(1);
        assertThat(published.getKeys().getFirst().isPrivate()).isFalse();
        assertThat(tokens.publicJwks()).doesNotContain("\"d\"");
        assertThatThrownBy(() -> new IdentityTokens(published, "i", Clock.systemUTC())).isInstanceOf(IllegalStateException.class);
    }
}
