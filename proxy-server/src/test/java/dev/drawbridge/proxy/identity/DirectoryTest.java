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
        assertThat(directory.signIn("alice@corp.example", "S3cret-pass-word")).isInstanceOf(Directory.SignIn.BadCredentials.class);
        assertThat(directory.signIn("nobody@corp.example", "s3cret-pass-word")).isInstanceOf(Directory.SignIn.BadCredentials.class);
    }

    @Test
    void bruteForceLocksTheAccountWithGrowingBackOff() {
        assertThat(directory.signIn("alice@corp.example", "guess-1")).isInstanceOf(Directory.SignIn.BadCredentials.class);
        assertThat(directory.signIn("alice@corp.example", "guess-2")).isInstanceOf(Directory.SignIn.BadCredentials.class);
        var third = directory.signIn("alice@corp.example", "guess-3");
        assertThat(third).isInstanceOf(Directory.SignIn.LockedOut.class);
        assertThat(((Directory.SignIn.LockedOut) third).until()).isEqualTo(clock.instant().plusSeconds(30));
        // Even the right password is refused while locked.
        assertThat(directory.signIn("alice@corp.example", "s3cret-pass-word")).isInstanceOf(Directory.SignIn.LockedOut.class);
        clock.advance(Duration.ofSeconds(31));
        var fourth = directory.signIn("alice@corp.example", "guess-4");
        assertThat(((Directory.SignIn.LockedOut) fourth).until()).isEqualTo(clock.instant().plusSeconds(60));
        clock.advance(Duration.ofSeconds(61));
        assertThat(directory.signIn("alice@corp.example", "s3cret-pass-word")).isInstanceOf(Directory.SignIn.Ok.class);
        // Success resets the counter.
        assertThat(directory.signIn("alice@corp.example", "guess-5")).isInstanceOf(Directory.SignIn.BadCredentials.class);
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
