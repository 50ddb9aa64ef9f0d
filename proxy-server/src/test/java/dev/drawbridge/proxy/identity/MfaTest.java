package dev.drawbridge.proxy.identity;

import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.store.Database;
import dev.samstevens.totp.code.DefaultCodeGenerator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static org.assertj.core.api.Assertions.assertThat;

/** TOTP enrollment and verification: skew tolerance of one step, no code reuse, one-time recovery codes, secret encrypted at rest. */
class MfaTest {
    @TempDir
    Path dir;
    Database db;
    Mfa mfa;
    DirectoryUser user;
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-25T12:00:10Z"));

    @BeforeEach
    void setUp() throws Exception {
        db = Database.h2(dir);
        mfa = new Mfa(db, DataKey.loadOrCreate(dir), clock, "Drawbridge test");
        user = new DirectoryStore(db).createUser("alice@corp.example", "Alice", Optional.empty(), Optional.empty(), Optional.empty(), clock.instant());
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    String code(String secret, long stepOffset) throws Exception {
        return new DefaultCodeGenerator().generate(secret, Math.floorDiv(clock.instant().getEpochSecond(), 30) + stepOffset);
    }

    @Test
    void enrollVerifyAndRefuseReuse() throws Exception {
        assertThat(mfa.isEnrolled(user.id())).isFalse();
        Mfa.Enrollment e = mfa.begin(user);
        assertThat(e.otpauthUri()).startsWith("otpauth://totp/").contains("secret=" + e.secret());
        assertThat(e.qrPngDataUri()).startsWith("data:image/png;base64,");
        assertThat(mfa.confirm(user.id(), "000000".equals(code(e.secret(), 0)) ? "111111" : "000000")).isEmpty();
        List<String> recovery = mfa.confirm(user.id(), code(e.secret(), 0)).orElseThrow();
        assertThat(recovery).hasSize(10).doesNotHaveDuplicates();
        assertThat(mfa.isEnrolled(user.id())).isTrue();
        // The secret is not stored in clear.
        String stored = db.dsl().select(DIRECTORY_USER.TOTP_SECRET).from(DIRECTORY_USER).fetchOne(DIRECTORY_USER.TOTP_SECRET);
        assertThat(stored).startsWith("v1:").doesNotContain(e.secret());

        // The code used to confirm cannot be used again; the next step's code (clock skew) can, once.
        assertThat(mfa.verify(user.id(), code(e.secret(), 0))).isFalse();
        assertThat(mfa.verify(user.id(), code(e.secret(), 1))).isTrue();
        assertThat(mfa.verify(user.id(), code(e.secret(), 1))).isFalse();
        // Two steps away is outside the tolerance.
        clock.advance(Duration.ofSeconds(300));
        assertThat(mfa.verify(user.id(), code(e.secret(), 2))).isFalse();
        assertThat(mfa.verify(user.id(), code(e.secret(), -2))).isFalse();
        assertThat(mfa.verify(user.id(), code(e.secret(), -1))).isTrue();

        // Recovery codes work once each.
        assertThat(mfa.verify(user.id(), recovery.get(3))).isTrue();
        assertThat(mfa.verify(user.id(), recovery.get(3))).isFalse();
        assertThat(mfa.verify(user.id(), "not-a-code")).isFalse();

        mfa.reset(user.id());
        assertThat(mfa.isEnrolled(user.id())).isFalse();
        assertThat(mfa.verify(user.id(), recovery.get(4))).isFalse();
    }
}
