package dev.drawbridge.proxy.logs;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.TestApps;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Sign-in log lines written as typed {@link SignInRecord}s come back from the log as the admin API shows them
 * ({@link SignInLogEntry}): every field, the enums by name, a tried user name in lower case, texts cut to their columns.
 */
class SignInLogTest {
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private static final DirectoryUser ADA = new DirectoryUser("u-1", "ada@corp.example", "Ada", Optional.empty(), Optional.empty(), true,
            true, 0, Optional.empty(), NOW, NOW);
    private static final PublishedApp HR = TestApps.app("a-1", "HR", "hr.apps.example.com", "/", "g-1");

    @TempDir
    Path dataDir;
    private Database db;
    private SignInLog log;

    @BeforeEach
    void open() {
        db = Database.h2(dataDir);
        log = new SignInLog(db, Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private List<SignInLogEntry> all() {
        return log.query(new SignInLog.Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, 10)).reversed();
    }

    @Test
    void everyFieldOfATypedLineIsWrittenAndReadBack() {
        log.write(SignInRecord.signIn(SignInResult.SUCCESS, "password and authenticator code", "192.0.2.1").user(ADA).app(HR)
                .mfaUsed(true));
        log.write(SignInRecord.signIn(SignInResult.FAILURE, "wrong password", "192.0.2.2").upn("  Bob@Corp.EXAMPLE ").app(Optional.empty()));
        log.write(SignInRecord.access(SignInResult.DENIED, "blocked by conditional access", "192.0.2.3").user(Optional.of(ADA))
                .app(Optional.of(HR)).policies("Block outside (BLOCK)"));
        log.write(SignInRecord.adminSignIn(SignInResult.INTERRUPTED, "MFA code required", "192.0.2.4").user(ADA)
                .app("drawbridge-admin-api", "Admin API").clientType(AccessPolicy.ClientType.NATIVE));

        assertThat(all()).extracting(SignInLogEntry::at, SignInLogEntry::event, SignInLogEntry::result, SignInLogEntry::reason,
                SignInLogEntry::userId, SignInLogEntry::upn, SignInLogEntry::appId, SignInLogEntry::appName, SignInLogEntry::clientIp,
                SignInLogEntry::clientType, SignInLogEntry::mfaUsed, SignInLogEntry::policies).containsExactly(
                tuple(NOW, SignInEvent.SIGN_IN, SignInResult.SUCCESS, "password and authenticator code", "u-1", "ada@corp.example", "a-1", "HR", "192.0.2.1",
                        AccessPolicy.ClientType.BROWSER, true, ""),
                tuple(NOW, SignInEvent.SIGN_IN, SignInResult.FAILURE, "wrong password", null, "bob@corp.example", null, null, "192.0.2.2",
                        AccessPolicy.ClientType.BROWSER, false, ""),
                tuple(NOW, SignInEvent.ACCESS, SignInResult.DENIED, "blocked by conditional access", "u-1", "ada@corp.example", "a-1", "HR", "192.0.2.3",
                        AccessPolicy.ClientType.BROWSER, false, "Block outside (BLOCK)"),
                tuple(NOW, SignInEvent.ADMIN_SIGN_IN, SignInResult.INTERRUPTED, "MFA code required", "u-1", "ada@corp.example", "drawbridge-admin-api",
                        "Admin API", "192.0.2.4", AccessPolicy.ClientType.NATIVE, false, ""));
    }

    @Test
    void aBlankUserNameNamesNobodyAndLongTextsAreCut() {
        log.write(SignInRecord.signIn(SignInResult.FAILURE, "x".repeat(600), "y".repeat(100)).upn("   ").policies("p".repeat(3000)));

        SignInLogEntry e = all().getFirst();
        assertThat(e.upn()).isNull();
        assertThat(e.userId()).isNull();
        assertThat(e.reason()).hasSize(500);
        assertThat(e.clientIp()).hasSize(64);
        assertThat(e.policies()).hasSize(2000);
    }

    @Test
    void aLineNeedsItsEventResultReasonAndAddress() {
        assertThatThrownBy(() -> SignInRecord.signIn(null, "r", "192.0.2.1")).isInstanceOf(NullPointerException.class).hasMessage("result");
        assertThatThrownBy(() -> SignInRecord.access(SignInResult.DENIED, null, "192.0.2.1")).hasMessage("reason");
        assertThatThrownBy(() -> SignInRecord.adminSignIn(SignInResult.DENIED, "r", null)).hasMessage("clientIp");
        assertThatThrownBy(() -> SignInRecord.signIn(SignInResult.SUCCESS, "r", "192.0.2.1").policies(null)).hasMessage("policies");
    }
}
