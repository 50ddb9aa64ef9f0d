package dev.drawbridge.proxy.keys;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jwt.SignedJWT;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.sso.IdentityTokens;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * One node's rotation on its data directory's files, through the signer and verifier the server uses: a session signed
 * before still verifies; new tokens name the new key only after the activation delay; the old key's tokens are refused
 * from its retirement on; a token naming an unknown key is refused; the files are replaced in place (mode 0600); a set read
 * back older than the one held (a file or row put back) is not taken; the SSO set reaches the connectors before this node
 * signs with it.
 */
class SigningKeysTest {
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration LONGEST = Duration.ofHours(8);

    @TempDir
    Path dir;
    private final SettableClock clock = new SettableClock(Instant.parse("2026-12-07T12:00:00Z"));
    private final List<String> events = new ArrayList<>();

    private SigningKeys node(Path dataDir) throws Exception {
        ServerKeys keys = ServerKeys.loadOrCreate(dataDir, clock);
        SigningKeySet signing = new SigningKeySet(keys.signingKeys(), clock);
        SigningKeySet sso = new SigningKeySet(keys.ssoSigningKeys(), clock);
        return new SigningKeys(new FileSigningKeys(dataDir), signing, sso,
                set -> events.add("pushed " + KeyLifecycle.generation(set) + " while signing with generation "
                        + KeyLifecycle.generation(sso.current())),
                new SigningKeys.Settings(DELAY, LONGEST, IdentityTokens.LONGEST_ACCEPTED), new KeyGenerationFloor(dataDir));
    }

    private static String kid(String jws) throws Exception {
        return SignedJWT.parse(jws).getHeader().getKeyID();
    }

    private String session(SessionTokens tokens) {
        Instant now = clock.instant();
        return tokens.session(TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE, "u1", "s1", List.of("pwd"), now, now.plus(LONGEST), now);
    }

    @Test
    void oldSessionsVerifyUntilRetirementAndNewOnesNameTheNewKeyAfterTheDelay() throws Exception {
        SigningKeys keys = node(dir);
        SessionTokens tokens = new SessionTokens(keys.signing(), "https://login.localhost", clock);
        String before = session(tokens);
        String oldKid = kid(before);

        Instant rotatedAt = clock.instant();
        var view = keys.rotate();
        assertThat(view.generation()).isEqualTo(1);
        assertThat(view.keys()).extracting(k -> k.set() + ":" + k.state())
                .containsExactly("signing:signing", "signing:pending", "sso:signing", "sso:pending");
        String newKid = view.keys().get(1).keyId();
        assertThat(Files.readString(dir.resolve("secrets/signing-keys.jwks"))).as("rotated in place").contains(newKid);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets/signing-keys.jwks"))))
                .isEqualTo("rw-------");

        assertThat(tokens.verify(before, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).isPresent();
        assertThat(tokens.publicKeys().getKeys()).extracting(k -> k.getKeyID()).containsExactly(oldKid, newKid);
        assertThat(kid(session(tokens))).as("within the activation delay").isEqualTo(oldKid);
        clock.advance(DELAY.minusSeconds(1));
        String lastByOld = session(tokens); // the old key's last session, living as long as a session may
        assertThat(kid(lastByOld)).isEqualTo(oldKid);
        clock.advance(Duration.ofSeconds(1));
        String after = session(tokens);
        assertThat(kid(after)).isEqualTo(newKid);
        assertThat(tokens.verify(after, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).isPresent();

        // Every token of the old key has expired by its retirement (a session lives LONGEST at most); until then it verifies.
        clock.advance(LONGEST.minusSeconds(2));
        assertThat(tokens.verify(lastByOld, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).as("its last session").isPresent();
        clock.set(rotatedAt.plus(DELAY).plus(LONGEST).plus(KeyLifecycle.CLOCK_MARGIN));
        // A token the old key signed with an expiry past its retirement (forged by whoever held the old key): refused.
        SessionTokens oldKeyForever = new SessionTokens(new JWKSet(List.of(JWKSet.parse(Files.readString(dir.resolve("secrets/signing-keys.jwks")))
                .getKeyByKeyId(oldKid))), "https://login.localhost", new SettableClock(clock.instant().minus(Duration.ofHours(1))));
        Instant now = clock.instant();
        String forged = oldKeyForever.session(TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE, "u1", "s9", List.of("pwd"),
                now.minusSeconds(60), now.plus(Duration.ofDays(30)), now.minusSeconds(60));
        assertThat(kid(forged)).isEqualTo(oldKid);
        assertThat(tokens.verify(forged, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).as("the retired key verifies nothing").isEmpty();
        assertThat(tokens.publicKeys().getKeys()).extracting(k -> k.getKeyID()).containsExactly(newKid);
        assertThat(keys.view().keys().getFirst().state()).isEqualTo("retired");
    }

    @Test
    void aTokenNamingAnUnknownKeyOrNoneIsRefused() throws Exception {
        SigningKeys keys = node(dir);
        SessionTokens tokens = new SessionTokens(keys.signing(), "https://login.localhost", clock);
        // Another data directory's key, same issuer and claims: its kid is unknown here.
        SigningKeys stranger = node(dir.resolve("other"));
        String foreign = session(new SessionTokens(stranger.signing(), "https://login.localhost", clock));
        assertThat(tokens.verify(foreign, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).isEmpty();
        assertThat(tokens.verify(session(tokens), TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).isPresent();
    }

    @Test
    void aSetOlderThanTheOneHeldIsNotTakenAndTheSsoSetIsPushedBeforeItSigns() throws Exception {
        SigningKeys keys = node(dir);
        String oldSigningFile = Files.readString(dir.resolve("secrets/signing-keys.jwks"));
        keys.rotate();
        assertThat(events).containsExactly("pushed 1 while signing with generation 0");
        long held = KeyLifecycle.generation(keys.signing().current());
        // The file put back as it was (a restored backup, a replayed row): this node keeps its newer set.
        Files.writeString(dir.resolve("secrets/signing-keys.jwks"), oldSigningFile);
        keys.reload();
        assertThat(KeyLifecycle.generation(keys.signing().current())).isEqualTo(held);
        // Nothing newer: nothing pushed again.
        keys.reload();
        assertThat(events).hasSize(1);

        // Another writer of the same store (another node in a cluster) rotates: a reload takes it, the SSO keys pushed first.
        SigningKeys other = node(dir);
        other.reload();
        other.rotate();
        keys.reload();
        assertThat(KeyLifecycle.generation(keys.sso().current())).isEqualTo(2);
        assertThat(events).last().isEqualTo("pushed 2 while signing with generation 1");
    }

    /**
     * The operator does what the warning about an older stored set says (rotate): the rotation must start from this node's
     * newer set, not from the row put back, else a key the newer set retired (the stolen key a rotation was for) comes back
     * with a fresh retirement, and the next rotation, of a higher generation, puts it on every node. Failed before: the
     * forged session verified again.
     */
    @Test
    void aRotationAfterAnOlderSetWasPutBackDoesNotBringBackARetiredKey() throws Exception {
        SigningKeys keys = node(dir);
        SessionTokens tokens = new SessionTokens(keys.signing(), "https://login.localhost", clock);
        Path file = dir.resolve("secrets/signing-keys.jwks");
        String beforeRotation = Files.readString(file);
        String stolenKid = kid(session(tokens));
        JWKSet stolen = new JWKSet(List.of(JWKSet.parse(beforeRotation).getKeyByKeyId(stolenKid)));

        keys.rotate();
        clock.advance(DELAY.plus(LONGEST).plus(KeyLifecycle.CLOCK_MARGIN));
        long held = KeyLifecycle.generation(keys.signing().current());
        Instant now = clock.instant();
        String forged = new SessionTokens(stolen, "https://login.localhost", clock).session(TokenKind.LOGIN_SESSION,
                SessionTokens.LOGIN_AUDIENCE, "u1", "s9", List.of("pwd"), now, now.plus(Duration.ofDays(2)), now);
        assertThat(tokens.verify(forged, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).as("retired").isEmpty();

        // The set of before the rotation put back (a replayed row); the node keeps its own, and the operator rotates twice.
        Files.writeString(file, beforeRotation);
        keys.reload();
        keys.rotate();
        keys.rotate();
        assertThat(KeyLifecycle.generation(keys.signing().current())).as("the rotations reached this node").isGreaterThan(held);
        assertThat(KeyLifecycle.generation(JWKSet.parse(Files.readString(file)))).isGreaterThan(held);
        assertThat(JWKSet.parse(Files.readString(file)).getKeyByKeyId(stolenKid)).as("the retired key is not stored again").isNull();
        assertThat(tokens.verify(forged, TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE)).as("still retired").isEmpty();
    }

    @Test
    void aFullSetRefusesTheRotationAndKeepsTheStoredAndHeldSets() throws Exception {
        SigningKeys keys = node(dir);
        for (int i = 1; i < KeyLifecycle.MAX_KEYS; i++) {
            keys.rotate();
            clock.advance(Duration.ofSeconds(1));
        }
        String stored = Files.readString(dir.resolve("secrets/signing-keys.jwks"));
        long held = KeyLifecycle.generation(keys.signing().current());
        assertThatThrownBy(keys::rotate).isInstanceOf(KeySetFullException.class).hasMessageContaining("retires at");
        assertThat(Files.readString(dir.resolve("secrets/signing-keys.jwks"))).isEqualTo(stored);
        assertThat(KeyLifecycle.generation(keys.signing().current())).isEqualTo(held);
        assertThat(keys.signing().current().getKeys()).hasSize(KeyLifecycle.MAX_KEYS);
    }

    /**
     * A reload and a rotation on one node at once (the rows' notification of another node's rotation arriving while this
     * node's administrator rotates): the connectors must end with the keys of the set the node signs with. Failed before:
     * the reload's push of the older set landed after the rotation's, so the connectors held a set without the key the
     * node signs with after the activation delay, and refused every identity from then on.
     */
    @Test
    void aReloadAndARotationAtOnceLeaveTheConnectorsWithTheSetTheNodeSignsWith() throws Exception {
        ServerKeys serverKeys = ServerKeys.loadOrCreate(dir, clock);
        SigningKeySet signing = new SigningKeySet(serverKeys.signingKeys(), clock);
        SigningKeySet sso = new SigningKeySet(serverKeys.ssoSigningKeys(), clock);
        CountDownLatch release = new CountDownLatch(1);
        List<Long> pushed = new CopyOnWriteArrayList<>();
        SigningKeys keys = new SigningKeys(new FileSigningKeys(dir), signing, sso, set -> {
            if (KeyLifecycle.generation(set) == 1) {
                try {
                    release.await(10, TimeUnit.SECONDS); // the reload's push, slow on a busy tunnel
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            pushed.add(KeyLifecycle.generation(set));
        }, new SigningKeys.Settings(DELAY, LONGEST, IdentityTokens.LONGEST_ACCEPTED), new KeyGenerationFloor(dir));
        node(dir).rotate(); // another node's rotation: generation 1 in the store

        Thread reload = Thread.ofPlatform().start(keys::reload);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (reload.getState() != Thread.State.TIMED_WAITING && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        Thread rotate = Thread.ofPlatform().start(() -> {
            try {
                keys.rotate();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        // Until the rotation pushed its set or waits for the reload (bounded: 10 s).
        deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!pushed.contains(2L) && rotate.getState() != Thread.State.BLOCKED && rotate.isAlive() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
        }
        release.countDown();
        reload.join(10_000);
        rotate.join(10_000);
        assertThat(KeyLifecycle.generation(sso.current())).isEqualTo(2);
        assertThat(pushed).as("the last set pushed is the one held").last().isEqualTo(2L);
    }

    @Test
    void theScheduledRotationRunsOnlyOnceThePeriodHasPassedSinceTheNewestKey() throws Exception {
        SigningKeys keys = node(dir);
        Duration period = Duration.ofDays(90);
        clock.advance(period.minusSeconds(1));
        assertThat(keys.rotateIfDue(period)).isFalse();
        assertThat(keys.view().generation()).isZero();
        clock.advance(Duration.ofSeconds(1));
        assertThat(keys.rotateIfDue(period)).isTrue();
        assertThat(keys.view().generation()).isEqualTo(1);
        assertThat(keys.rotateIfDue(period)).as("counted from the new key").isFalse();
        // A rotation by hand (here, or read from the store) restarts the period.
        clock.advance(period.minusDays(1));
        keys.rotate();
        clock.advance(Duration.ofDays(2));
        assertThat(keys.rotateIfDue(period)).isFalse();
        assertThat(keys.view().generation()).isEqualTo(2);
    }
}
