package dev.drawbridge.proxy.identity;

import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lockout counters under attack, on H2 and on PostgreSQL: parallel guesses of the second factor by someone who
 * knows the password are never checked more than {@link Directory#SECOND_FACTOR_THRESHOLD} times, a correct password
 * between wrong codes does not reset the second-factor count, password failures race safely too, and locked, unknown,
 * disabled and wrong-password attempts each cost exactly one Argon2id hash.
 */
class SecondFactorLockoutTest {
    static final String PASSWORD = "s3cret-pass-word";
    @TempDir
    Path dir;
    Database db;
    Directory directory;
    DirectoryStore store;
    PasswordHasher hasher;
    DirectoryUser alice;
    final SettableClock clock = new SettableClock(Instant.parse("2026-11-25T12:00:00Z"));

    void open(String database) throws Exception {
        db = database.equals("postgres") ? PostgresTestDatabase.fresh() : Database.h2(dir);
        // Cheap parameters and enough permits for the parallel tests; production uses PasswordHasher.owaspDefault().
        hasher = new PasswordHasher(1024, 1, 1, 64, Duration.ofSeconds(60));
        store = new DirectoryStore(db);
        directory = new Directory(store, hasher, clock, 5, Duration.ofSeconds(30));
        alice = store.createUser("alice@corp.example", "Alice", Optional.empty(), Optional.empty(), Optional.of(hasher.hash(PASSWORD)),
                clock.instant());
    }

    @AfterEach
    void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void fiftyParallelWrongCodesWithTheRightPasswordAreCheckedAtMostFiveTimes(String database) throws Exception {
        open(database);
        // The attacker knows the password.
        assertThat(directory.signIn("alice@corp.example", PASSWORD)).isInstanceOf(Directory.SignIn.Ok.class);
        AtomicInteger checked = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(50);
        List<Future<Directory.SecondFactor>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 50; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return directory.secondFactor(alice.id(), () -> {
                        checked.incrementAndGet();
                        return false;
                    });
                }));
            }
        }
        int wrong = 0;
        for (Future<Directory.SecondFactor> f : results) {
            if (f.get() instanceof Directory.SecondFactor.Wrong) {
                wrong++;
            }
        }
        assertThat(checked.get()).isEqualTo(Directory.SECOND_FACTOR_THRESHOLD);
        assertThat(wrong).isEqualTo(Directory.SECOND_FACTOR_THRESHOLD);
        assertThat(mfaFailures()).isEqualTo(Directory.SECOND_FACTOR_THRESHOLD);
        assertThat(directory.lockedUntil(alice.id())).contains(clock.instant().plusSeconds(30));
        // Locked: even the right password and the right code are not checked any more.
        assertThat(directory.signIn("alice@corp.example", PASSWORD)).isInstanceOf(Directory.SignIn.Refused.class);
        assertThat(directory.secondFactor(alice.id(), () -> true)).isInstanceOf(Directory.SecondFactor.Locked.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aCorrectPasswordBetweenWrongCodesDoesNotResetTheCount(String database) throws Exception {
        open(database);
        for (int i = 0; i < 4; i++) {
            assertThat(directory.signIn("alice@corp.example", PASSWORD)).isInstanceOf(Directory.SignIn.Ok.class);
            assertThat(directory.secondFactor(alice.id(), () -> false)).isEqualTo(new Directory.SecondFactor.Wrong(Optional.empty()));
        }
        assertThat(directory.signIn("alice@corp.example", PASSWORD)).isInstanceOf(Directory.SignIn.Ok.class);
        assertThat(directory.secondFactor(alice.id(), () -> false))
                .isEqualTo(new Directory.SecondFactor.Wrong(Optional.of(clock.instant().plusSeconds(30))));
        // After the lock the next failure locks twice as long, and a correct password in between changes nothing.
        clock.advance(Duration.ofSeconds(31));
        assertThat(directory.signIn("alice@corp.example", PASSWORD)).isInstanceOf(Directory.SignIn.Ok.class);
        assertThat(directory.secondFactor(alice.id(), () -> false))
                .isEqualTo(new Directory.SecondFactor.Wrong(Optional.of(clock.instant().plusSeconds(60))));
        clock.advance(Duration.ofSeconds(61));
        // Only a completed sign-in clears the count.
        assertThat(directory.secondFactor(alice.id(), () -> true)).isInstanceOf(Directory.SecondFactor.Ok.class);
        assertThat(mfaFailures()).isZero();
        assertThat(directory.secondFactor(alice.id(), () -> false)).isEqualTo(new Directory.SecondFactor.Wrong(Optional.empty()));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void parallelWrongPasswordsAreCheckedAtMostThresholdTimes(String database) throws Exception {
        open(database);
        CyclicBarrier start = new CyclicBarrier(40);
        List<Future<String>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 40; i++) {
                int n = i;
                results.add(pool.submit(() -> {
                    start.await();
                    return ((Directory.SignIn.Refused) directory.signIn("alice@corp.example", "guess-" + n)).reason();
                }));
            }
        }
        long checked = 0;
        for (Future<String> f : results) {
            if (f.get().startsWith("wrong password")) {
                checked++;
            }
        }
        assertThat(checked).isEqualTo(5);
        assertThat(db.dsl().select(DIRECTORY_USER.FAILED_ATTEMPTS).from(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(alice.id()))
                .fetchOne(DIRECTORY_USER.FAILED_ATTEMPTS)).isEqualTo(5);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void unknownDisabledLockedAndWrongCostOneHashEachAndLookAlike(String database) throws Exception {
        open(database);
        var bob = store.createUser("bob@corp.example", "Bob", Optional.empty(), Optional.empty(), Optional.of(hasher.hash(PASSWORD)), clock.instant());
        store.setEnabled(bob.id(), false, clock.instant());
        store.createUser("carol@corp.example", "Carol", Optional.empty(), Optional.empty(), Optional.empty(), clock.instant());
        for (int i = 0; i < 5; i++) {
            directory.signIn("alice@corp.example", "guess");
        }
        assertThat(directory.lockedUntil(alice.id())).isPresent();
        for (String upn : List.of("alice@corp.example", "nobody@corp.example", "bob@corp.example", "carol@corp.example", "")) {
            long before = hasher.derivations();
            assertThat(directory.signIn(upn, PASSWORD)).as(upn).isInstanceOf(Directory.SignIn.Refused.class);
            assertThat(hasher.derivations() - before).as(upn).isEqualTo(1);
        }
    }

    /**
     * An account synced from LDAP is checked by an LDAP bind instead of a local hash: it must still cost one Argon2id
     * hash (of the dummy), or its refusal comes back tens of milliseconds sooner than an unknown name's and every
     * synced account can be told apart by timing alone, with LDAP verification on (a quick bind) or off (no bind).
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2"})
    void anLdapSyncedAccountCostsOneHashLikeAnUnknownName(String database) throws Exception {
        open(database);
        store.upsertSyncedUser("uid=dave,ou=people,dc=corp,dc=example", "dave@corp.example", "Dave", Optional.empty(), Optional.empty(),
                clock.instant());
        AtomicBoolean ldapVerifies = new AtomicBoolean(true);
        AtomicInteger binds = new AtomicInteger();
        Directory withLdap = new Directory(store, hasher, clock, 5, Duration.ofSeconds(30), (id, pw) -> store.externalId(id).map(dn -> {
            if (!ldapVerifies.get()) {
                return false;
            }
            binds.incrementAndGet();
            return pw.equals("ldap-password");
        }));
        record Attempt(String upn, String password, boolean ldapOn, Class<?> outcome) {
        }
        for (Attempt a : List.of(new Attempt("nobody@corp.example", "guess", true, Directory.SignIn.Refused.class),
                new Attempt("dave@corp.example", "guess", true, Directory.SignIn.Refused.class),
                new Attempt("dave@corp.example", "guess", false, Directory.SignIn.Refused.class),
                new Attempt("dave@corp.example", "ldap-password", true, Directory.SignIn.Ok.class))) {
            ldapVerifies.set(a.ldapOn());
            long before = hasher.derivations();
            assertThat(withLdap.signIn(a.upn(), a.password())).as(a.toString()).isInstanceOf(a.outcome());
            assertThat(hasher.derivations() - before).as(a.toString()).isEqualTo(1);
        }
        assertThat(binds.get()).isEqualTo(2);
    }

    int mfaFailures() {
        return db.dsl().select(DIRECTORY_USER.MFA_FAILURES).from(DIRECTORY_USER).where(DIRECTORY_USER.ID.eq(alice.id()))
                .fetchOne(DIRECTORY_USER.MFA_FAILURES);
    }
}
