package dev.drawbridge.proxy.identity;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import java.text.ParseException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every kind of token the server signs ({@link TokenKind}), presented to the verifier of every kind with that
 * verifier's own audience, is accepted only by its own: a sign-in session is not an app session, an app access token
 * not an admin token, an identity assertion (which every backend sees) nothing at all, whatever audience it names.
 * Tokens signed before kinds had types of their own are accepted as their kind only if issued before start-up.
 */
class TokenKindsTest {
    static final Instant START = Instant.parse("2026-11-25T12:00:00Z");
    static final String ISSUER = "https://login.example.com";
    /** The audience each kind's verifier is called with in production. */
    static final Map<TokenKind, String> AUDIENCE = new EnumMap<>(Map.of(
            TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE,
            TokenKind.MFA_PENDING, "drawbridge:mfa-pending",
            TokenKind.APP_SESSION, SessionTokens.appAudience("hr"),
            TokenKind.ACCESS_TOKEN, "https://hr.example.com/",
            TokenKind.ADMIN_TOKEN, "drawbridge:admin-api",
            TokenKind.ASSERTION, "https://hr.example.com/"));
    static final DirectoryUser ALICE = new DirectoryUser("u1", "alice@corp.example", "Alice", Optional.empty(), Optional.empty(),
            true, true, 0, Optional.empty(), START.minusSeconds(7200), START.minusSeconds(7200));

    final ECKey key = SessionTokensTest.gen("k1");
    final SettableClock clock = new SettableClock(START);
    final SessionTokens tokens = new SessionTokens(new JWKSet(key), ISSUER, clock);

    /** A token of {@code kind} for {@code audience}, signed the way the server signs that kind. */
    String mint(TokenKind kind, String audience) {
        Instant now = clock.instant();
        return switch (kind) {
            case LOGIN_SESSION, MFA_PENDING, APP_SESSION ->
                    tokens.session(kind, audience, ALICE.id(), "sid", List.of("pwd"), now.minusSeconds(60), now.plus(Duration.ofHours(8)), now);
            case ACCESS_TOKEN, ADMIN_TOKEN -> tokens.accessToken(kind, audience, ALICE.id(), "client", List.of("pwd"), now.minusSeconds(60),
                    Duration.ofMinutes(10));
            case ASSERTION -> tokens.assertion(audience, ALICE, List.of("HR"), Duration.ofSeconds(60));
        };
    }

    /** The kinds whose verifier accepts {@code token} with that verifier's own audience. */
    List<TokenKind> acceptedBy(Function<TokenKind, String> tokenFor) {
        List<TokenKind> accepted = new ArrayList<>();
        for (TokenKind verifier : TokenKind.values()) {
            if (tokens.verify(tokenFor.apply(verifier), verifier, AUDIENCE.get(verifier)).isPresent()) {
                accepted.add(verifier);
            }
        }
        return accepted;
    }

    @Test
    void everyKindIsAcceptedOnlyAsItselfEvenWithTheVerifiersAudience() {
        for (TokenKind minted : TokenKind.values()) {
            assertThat(acceptedBy(verifier -> mint(minted, AUDIENCE.get(verifier))))
                    .as("verifiers accepting a %s minted for their own audience", minted).containsExactly(minted);
        }
    }

    @Test
    void eachKindCarriesItsOwnType() {
        for (TokenKind kind : TokenKind.values()) {
            assertThat(typeOf(mint(kind, AUDIENCE.get(kind)))).as("%s", kind).isEqualTo(kind.type());
        }
        assertThat(Arrays.stream(TokenKind.values()).map(TokenKind::type).distinct()).hasSize(TokenKind.values().length);
        assertThat(TokenKind.ACCESS_TOKEN.type().getType()).as("RFC 9068").isEqualTo("at+jwt");
    }

    @Test
    void aTokenWithoutATypeOrWithAnotherIsRefusedByEveryVerifier() throws Exception {
        for (String type : new String[]{null, "jwt+session", "session+jwt+", "at+jwt2", "application/jwt", ""}) {
            assertThat(acceptedBy(verifier -> signed(type, claims(AUDIENCE.get(verifier), START.minusSeconds(3600)))))
                    .as("typ %s", type).isEmpty();
        }
    }

    @Test
    void aLegacyTypedTokenIssuedBeforeStartUpIsStillAcceptedAsItsKindOnly() {
        Instant before = START.minusSeconds(600);
        clock.advance(Duration.ofMinutes(5));
        // session+jwt was every session's type: the sign-in host's, the MFA step's and each app's, each with its audience.
        assertThat(acceptedBy(verifier -> signed("session+jwt", claims(AUDIENCE.get(verifier), before))))
                .containsExactly(TokenKind.LOGIN_SESSION, TokenKind.MFA_PENDING, TokenKind.APP_SESSION);
        // at+jwt was the admin tokens' type too, and stays the app access tokens'.
        assertThat(acceptedBy(verifier -> signed("at+jwt", claims(AUDIENCE.get(verifier), before))))
                .containsExactly(TokenKind.ACCESS_TOKEN, TokenKind.ADMIN_TOKEN);
        assertThat(acceptedBy(verifier -> signed("JWT", claims(AUDIENCE.get(verifier), before))))
                .containsExactly(TokenKind.ASSERTION);
    }

    @Test
    void aLegacyTypedTokenIssuedSinceStartUpIsRefused() {
        // Only a server of an earlier version signs these; one issued since this server started is not to be trusted.
        clock.advance(Duration.ofMinutes(5));
        for (Instant issued : List.of(START, START.plusSeconds(60))) {
            assertThat(acceptedBy(verifier -> signed("session+jwt", claims(AUDIENCE.get(verifier), issued)))).as("at %s", issued).isEmpty();
            assertThat(acceptedBy(verifier -> signed("at+jwt", claims(AUDIENCE.get(verifier), issued))))
                    .as("at %s", issued).containsExactly(TokenKind.ACCESS_TOKEN);
        }
    }

    @Test
    void aLegacyTokenStillEndsWithItsOwnLifetime() {
        String legacy = signed("session+jwt", claims(SessionTokens.LOGIN_AUDIENCE, START.minusSeconds(60)));
        assertThat(tokens.verify(legacy, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).isPresent();
        clock.advance(Duration.ofHours(1));
        assertThat(tokens.verify(legacy, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).isEmpty();
    }

    @Test
    void eachSigningMethodSignsOnlyItsOwnKinds() {
        for (TokenKind kind : List.of(TokenKind.ACCESS_TOKEN, TokenKind.ADMIN_TOKEN, TokenKind.ASSERTION)) {
            assertThatThrownBy(() -> tokens.session(kind, "a", "u", "s", List.of(), START, START.plusSeconds(60), START))
                    .isInstanceOf(IllegalArgumentException.class);
        }
        for (TokenKind kind : List.of(TokenKind.LOGIN_SESSION, TokenKind.MFA_PENDING, TokenKind.APP_SESSION, TokenKind.ASSERTION)) {
            assertThatThrownBy(() -> tokens.accessToken(kind, "a", "u", "c", List.of(), START, Duration.ofMinutes(1)))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    /** Claims as every earlier version signed them (valid one hour from {@code issued}). */
    static JWTClaimsSet claims(String audience, Instant issued) {
        return new JWTClaimsSet.Builder().issuer(ISSUER).audience(audience).subject(ALICE.id()).jwtID("sid")
                .issueTime(Date.from(issued)).notBeforeTime(Date.from(issued)).expirationTime(Date.from(issued.plusSeconds(3600)))
                .claim("auth_ms", issued.toEpochMilli()).claim("amr", List.of("pwd")).claim("last", issued.getEpochSecond()).build();
    }

    /** {@code claims} signed with the server's key under the given {@code typ} header (none when null). */
    String signed(String type, JWTClaimsSet claims) {
        try {
            JWSHeader.Builder h = new JWSHeader.Builder(JWSAlgorithm.ES256).keyID(key.getKeyID());
            if (type != null) {
                h.type(new JOSEObjectType(type));
            }
            SignedJWT jwt = new SignedJWT(h.build(), claims);
            jwt.sign(new ECDSASigner(key));
            return jwt.serialize();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static JOSEObjectType typeOf(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getType();
        } catch (ParseException e) {
            throw new IllegalStateException(e);
        }
    }
}
