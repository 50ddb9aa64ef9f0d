package dev.drawbridge.proxy.identity;

import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Password sign-in with Argon2id and lockout with back-off, on a real H2 database. */
class DirectoryTest {
    @TempDir
    Path dir;
    Database db;
    Directory directory;
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-25T12:00:00Z"));

    @BeforeEach
    void setUp() throws Exception {
        db = Database.h2(dir);
        // Cheap parameters keep the test fast; production uses PasswordHasher.owaspDefault().
        PasswordHasher hasher = new PasswordHasher(1024, 1, 1);
        DirectoryStore store = new DirectoryStore(db);
        directory = new Directory(store, hasher, clock, 3, Duration.ofSeconds(30));
        store.createUser("Alice@Corp.example", "Alice", Optional.empty(), Optional.empty(), Optional.of(hasher.hash("s3cret-pass-word")), clock.instant());
    }

    @AfterEach
    void tearDown() throws Exception {
        db.close();
    }

    @Test
    void rightPasswordCaseInsensitiveUpn() {
        assertThat(directory.signIn("ALICE@corp.example", "s3cret-pass-word")).isInstanceOf(Directory.SignIn.Ok.class);
        assertThat(directory.signIn("alice@corp.example", "S3cret-pass-word")).isInstanceOf(Directory.SignIn.Refused.class);
        assertThat(directory.signIn("nobody@corp.example", "s3cret-pass-word")).isInstanceOf(Directory.SignIn.Refused.class);
    }

    @Test
    void bruteForceLocksTheAccountWithGrowingBackOff() {
        assertThat(refused("guess-1")).isEqualTo("wrong password");
        assertThat(refused("guess-2")).isEqualTo("wrong password");
        assertThat(refused("guess-3")).isEqualTo("wrong password; account locked until " + clock.instant().plusSeconds(30));
        // Even the right password is refused while locked, and nothing is checked.
        assertThat(refused("s3cret-pass-word")).startsWith("account locked until");
        clock.advance(Duration.ofSeconds(31));
        assertThat(refused("guess-4")).isEqualTo("wrong password; account locked until " + clock.instant().plusSeconds(60));
        clock.advance(Duration.ofSeconds(61));
        assertThat(directory.signIn("alice@corp.example", "s3cret-pass-word")).isInstanceOf(Directory.SignIn.Ok.class);
        // A correct password forgives the password failures.
        assertThat(refused("guess-5")).isEqualTo("wrong password");
    }

    String refused(String password) {
        return ((Directory.SignIn.Refused) directory.signIn("alice@corp.example", password)).reason();
    }

    @Test
    void hashesAreArgon2idPhcStringsAndSalted() {
        PasswordHasher h = PasswordHasher.owaspDefault();
        String a = h.hash("same password"), b = h.hash("same password");
        assertThat(a).startsWith("$argon2id$v=19$m=19456,t=2,p=1$").isNotEqualTo(b);
        assertThat(h.verify("same password", a)).isTrue();
        assertThat(h.verify("same password ", a)).isFalse();
        assertThat(h.verify("x", "$argon2id$garbage")).isFalse();
    }
}
