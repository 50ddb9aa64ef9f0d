package dev.drawbridge.proxy.identity;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.signin.SignInService;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Revocation is compared to the millisecond, on H2 and PostgreSQL alike: a session whose sign-in began one millisecond
 * before a revocation (or a disable) is refused, also in the same second and after the user is enabled again, while
 * one begun a millisecond after it stands. A comparison in whole seconds (a column or a claim that dropped the
 * fraction) would let a credential issued just before the revocation through.
 */
class RevocationPrecisionTest {
    @TempDir
    Path dir;
    Database db;

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aSessionBegunAMillisecondBeforeTheRevocationIsRefused(String database) throws Exception {
        db = database.equals("postgres") ? PostgresTestDatabase.fresh() : Database.h2(dir);
        SettableClock clock = new SettableClock(Instant.parse("2026-11-25T12:00:00.500Z"));
        DirectoryStore store = new DirectoryStore(db);
        SessionTokens tokens = new SessionTokens(new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("k").generate()), "https://login.test", clock);
        SignInService service = new SignInService(store, tokens, ServerConfig.IdentitySettings.DEFAULTS, clock, "https://login.test",
                new SignInLog(db, clock));
        DirectoryUser u = store.createUser("ms@corp.example", "Ms", Optional.empty(), Optional.empty(), Optional.empty(),
                clock.instant().minusSeconds(60));
        Instant revokedAt = clock.instant().plusNanos(123_456);
        String before = session(service, u, revokedAt.minusMillis(1));
        String after = session(service, u, revokedAt.plusMillis(1));
        store.revokeSessions(u.id(), revokedAt);
        clock.advance(Duration.ofMillis(2));
        assertThat(service.check(before, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).as("begun 1 ms before the revocation").isEmpty();
        assertThat(service.check(after, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).as("begun 1 ms after it").isPresent();

        Instant disabledAt = revokedAt.plusMillis(300);
        String beforeDisable = session(service, u, disabledAt.minusMillis(1));
        store.setEnabled(u.id(), false, disabledAt);
        store.setEnabled(u.id(), true, disabledAt.plusMillis(100));
        clock.advance(Duration.ofMillis(500));
        assertThat(service.check(beforeDisable, TokenKind.LOGIN_SESSION,
                SessionTokens.LOGIN_AUDIENCE)).as("begun 1 ms before the disable, after enabling").isEmpty();
        assertThat(service.check(session(service, u, disabledAt.plusMillis(150)), TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).isPresent();
    }

    static String session(SignInService service, DirectoryUser u, Instant authTime) {
        return service.tokens().session(TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE, u.id(), "s", List.of("pwd"), authTime,
                authTime.plus(Duration.ofHours(8)), service.clock().instant());
    }
}
