package dev.drawbridge.proxy.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.drawbridge.model.tunnel.FrameCodec;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The lifecycle written on the keys: a new key verifies at once and signs after the activation delay; the previous one
 * signs until then and verifies until everything it signed has expired (plus the clock margin), then nothing; a retired
 * key is dropped at the next rotation; two quick rotations lose no key that can have signed; the generation counts up.
 */
class KeyLifecycleTest {
    private static final Instant T0 = Instant.parse("2026-12-07T12:00:00Z");
    private static final Duration DELAY = Duration.ofSeconds(30);
    private static final Duration LONGEST = Duration.ofHours(8);

    private static List<String> ids(JWKSet set) {
        return set.getKeys().stream().map(JWK::getKeyID).toList();
    }

    private static String signer(JWKSet set, Instant at) {
        return KeyLifecycle.signer(set, at).orElseThrow().getKeyID();
    }

    @Test
    void aRotatedKeyVerifiesAtOnceSignsAfterTheDelayAndThePreviousRetiresAfterItsLongestToken() throws Exception {
        // A set as every data directory had it before rotation: one key, iat only, no generation.
        JWKSet legacy = new JWKSet(List.of(KeyLifecycle.newKey(T0.minusSeconds(86_400), T0.minusSeconds(86_400))));
        String old = ids(legacy).getFirst();
        assertThat(KeyLifecycle.generation(legacy)).isZero();

        Instant at = T0.plusSeconds(10);
        JWKSet rotated = KeyLifecycle.rotate(JWKSet.parse(legacy.toString(false)), at, DELAY, LONGEST);
        rotated = JWKSet.parse(rotated.toString(false)); // as stored and read back: the times and the generation survive
        assertThat(KeyLifecycle.generation(rotated)).isEqualTo(1);
        String fresh = ids(rotated).get(1);
        assertThat(ids(rotated)).containsExactly(old, fresh);

        assertThat(ids(KeyLifecycle.verifying(rotated, at))).as("both verify at once").containsExactly(old, fresh);
        assertThat(KeyLifecycle.verifying(rotated, at).getKeys()).noneMatch(JWK::isPrivate);
        assertThat(signer(rotated, at)).as("the old key signs until the delay is over").isEqualTo(old);
        assertThat(signer(rotated, at.plus(DELAY).minusSeconds(1))).isEqualTo(old);
        assertThat(signer(rotated, at.plus(DELAY))).as("then the new one").isEqualTo(fresh);

        Instant retires = at.plus(DELAY).plus(LONGEST).plus(KeyLifecycle.CLOCK_MARGIN);
        assertThat(ids(KeyLifecycle.verifying(rotated, retires.minusSeconds(1)))).containsExactly(old, fresh);
        assertThat(ids(KeyLifecycle.verifying(rotated, retires))).as("retired at its exp").containsExactly(fresh);
        assertThat(KeyLifecycle.problem(rotated, at)).isEmpty();

        // The next rotation drops the retired key.
        JWKSet again = KeyLifecycle.rotate(rotated, retires.plusSeconds(1), DELAY, LONGEST);
        assertThat(ids(again)).doesNotContain(old).startsWith(fresh).hasSize(2);
        assertThat(KeyLifecycle.generation(again)).isEqualTo(2);
    }

    @Test
    void twoQuickRotationsKeepEveryKeyThatCanHaveSignedUntilItsTokensExpired() {
        JWKSet first = KeyLifecycle.initial(T0);
        String k0 = ids(first).getFirst();
        JWKSet one = KeyLifecycle.rotate(first, T0.plusSeconds(5), DELAY, LONGEST);
        String k1 = ids(one).get(1);
        // Before k1 signs, a second rotation (another node, or the same administrator twice).
        JWKSet two = KeyLifecycle.rotate(one, T0.plusSeconds(10), DELAY, LONGEST);
        String k2 = ids(two).get(2);
        assertThat(ids(two)).containsExactly(k0, k1, k2);
        assertThat(signer(two, T0.plusSeconds(20))).isEqualTo(k0);
        assertThat(signer(two, T0.plusSeconds(35))).as("k1 signs from its own activation").isEqualTo(k1);
        assertThat(signer(two, T0.plusSeconds(40))).isEqualTo(k2);
        // k1 signed from 35 s to 40 s: it verifies until its tokens expired.
        Instant lastTokenOfK1Expires = T0.plusSeconds(40).plus(LONGEST);
        assertThat(ids(KeyLifecycle.verifying(two, lastTokenOfK1Expires))).contains(k0, k1, k2);
        // A retirement already set earlier is never pushed later by a rotation.
        Instant k0Retires = two.getKeyByKeyId(k0).getExpirationTime().toInstant();
        assertThat(k0Retires).isEqualTo(T0.plusSeconds(35).plus(LONGEST).plus(KeyLifecycle.CLOCK_MARGIN));
    }

    /**
     * Every key verifies for the longest token life after the last moment it signs, whatever order the rotations' times
     * come in: a rotation whose "now" is earlier than the previous one's (another node's clock a few seconds behind, or a
     * time read before waiting for the rows' lock) must not leave the previous pending key signing past its retirement.
     * Failed before: the earlier-dated key activated first, the previous key (later activation) became the signer and was
     * retired at the earlier key's activation + longest, cutting the sessions it signed during its last 8 hours.
     */
    @Test
    void aRotationDatedBeforeThePreviousOneRetiresNoKeyBeforeItsTokensExpired() {
        JWKSet first = KeyLifecycle.initial(T0);
        JWKSet one = KeyLifecycle.rotate(first, T0.plusSeconds(10), DELAY, LONGEST);
        // The second rotation's clock reads 10 s earlier than the first's.
        JWKSet two = KeyLifecycle.rotate(one, T0, DELAY, LONGEST);
        String newest = ids(two).getLast();
        Instant end = T0.plus(LONGEST.multipliedBy(3));
        for (Instant t = T0; t.isBefore(end); t = t.plusSeconds(7)) {
            String s = signer(two, t);
            assertThat(ids(KeyLifecycle.verifying(two, t.plus(LONGEST)))).as("the key signing at %s verifies its tokens to their end", t)
                    .contains(s);
            if (!t.isBefore(KeyLifecycle.activation(two.getKeyByKeyId(newest)))) {
                assertThat(s).as("the latest rotation's key signs once active").isEqualTo(newest);
            }
        }
    }

    /**
     * A loop of rotations (a script gone wrong, a hostile global administrator) cannot grow a set without bound: every key
     * stays until its retirement, so a full set refuses the next rotation (the keys in use unchanged) until its oldest
     * retires. Failed before: the set grew by a key per rotation, and the SSO set's public half, sent to every connector in
     * one tunnel frame, passed the frame limit (the push failed, the tunnel was closed, and again on every redial).
     */
    @Test
    void aLoopOfRotationsCannotGrowTheSetWithoutBoundNorEvictAKeyEarly() {
        JWKSet set = KeyLifecycle.initial(T0);
        Instant at = T0;
        int refused = 0;
        for (int i = 0; i < 1_200; i++) {
            at = at.plusMillis(100);
            try {
                set = KeyLifecycle.rotate(set, at, DELAY, Duration.ofSeconds(60));
            } catch (KeySetFullException e) {
                refused++;
                assertThat(e.getMessage()).contains("retires at");
            }
        }
        assertThat(set.getKeys()).hasSizeLessThanOrEqualTo(KeyLifecycle.MAX_KEYS);
        assertThat(refused).isPositive();
        assertThat(new JWKSet(KeyLifecycle.verifying(set, at).getKeys()).toString().length())
                .as("the SSO keys fit a tunnel frame many times over").isLessThan(FrameCodec.MAX_FRAME_SIZE / 8);
        // Every key kept verifies until its own retirement; none was dropped early to make room.
        JWKSet full = set;
        Instant firstRetirement = full.getKeys().stream().map(JWK::getExpirationTime).filter(Objects::nonNull)
                .map(Date::toInstant).min(Instant::compareTo).orElseThrow();
        assertThat(KeyLifecycle.verifying(full, firstRetirement.minusSeconds(1)).getKeys()).hasSameSizeAs(full.getKeys());
        // Once the oldest retired, rotation works again.
        JWKSet later = KeyLifecycle.rotate(full, firstRetirement.plusSeconds(1), DELAY, Duration.ofSeconds(60));
        assertThat(KeyLifecycle.generation(later)).isEqualTo(KeyLifecycle.generation(full) + 1);
    }

    @Test
    void aSetNoKeyOfWhichSignsNowIsRefused() {
        JWKSet rotated = KeyLifecycle.rotate(KeyLifecycle.initial(T0), T0, DELAY, Duration.ofMinutes(1));
        Instant allRetiredButPending = T0.plus(DELAY).plus(Duration.ofMinutes(1)).plus(KeyLifecycle.CLOCK_MARGIN);
        assertThat(KeyLifecycle.problem(rotated, allRetiredButPending)).isEmpty();
        JWKSet onlyPending = new JWKSet(List.of(KeyLifecycle.newKey(T0, T0.plusSeconds(60))), Map.of("generation", 3L));
        assertThat(KeyLifecycle.problem(onlyPending, T0)).contains("none of its keys signs now (all retired or pending)");
        JWKSet publicOnly = new JWKSet(List.of(KeyLifecycle.newKey(T0, T0).toPublicJWK()));
        assertThat(KeyLifecycle.problem(publicOnly, T0)).isPresent();
    }

    @Test
    void retiringTheSigningKeyNeedsANewerOneWhichThenSignsAtOnce() {
        JWKSet first = KeyLifecycle.initial(T0);
        String old = ids(first).getFirst();
        Instant at = T0.plusSeconds(100);
        assertThatThrownBy(() -> KeyLifecycle.retire(first, old, at)).isInstanceOf(KeyRetireException.class)
                .hasMessageContaining("rotate the keys first")
                .satisfies(e -> assertThat(((KeyRetireException) e).reason()).isEqualTo(KeyRetireException.Reason.CONFLICT));
        assertThatThrownBy(() -> KeyLifecycle.retire(first, "nope", at))
                .satisfies(e -> assertThat(((KeyRetireException) e).reason()).isEqualTo(KeyRetireException.Reason.UNKNOWN));

        JWKSet rotated = KeyLifecycle.rotate(first, at, DELAY, LONGEST);
        String fresh = ids(rotated).get(1);
        Instant leak = at.plusSeconds(5);
        JWKSet retired = KeyLifecycle.retire(rotated, old, leak);
        assertThat(KeyLifecycle.generation(retired)).isEqualTo(KeyLifecycle.generation(rotated) + 1);
        assertThat(ids(KeyLifecycle.verifying(retired, leak))).as("the leaked key verifies nothing from now on").containsExactly(fresh);
        assertThat(signer(retired, leak)).as("the newer key signs at once, not after the delay").isEqualTo(fresh);
        assertThat(KeyLifecycle.problem(retired, leak)).isEmpty();
        assertThatThrownBy(() -> KeyLifecycle.retire(retired, old, leak.plusSeconds(1))).hasMessageContaining("already retired");
        assertThatThrownBy(() -> KeyLifecycle.retire(retired, fresh, leak.plusSeconds(1))).hasMessageContaining("rotate the keys first");
        // The next rotation drops it.
        assertThat(ids(KeyLifecycle.rotate(retired, leak.plusSeconds(60), DELAY, LONGEST))).doesNotContain(old);
    }

    /**
     * A retirement holds on a node whose clock is behind the retiring node's, within the clock margin every node is assumed
     * to keep: the key verifies nothing there either, and the newer key signs there at once. Failed before: the key's exp
     * was the retiring node's now, so a node 2 minutes behind went on accepting what the leaked key signed, and signing
     * with it, for 2 more minutes (and a retiring key, not the signer, verified there as long).
     */
    @Test
    void aRetiredKeyIsRetiredOnANodeWhoseClockIsBehindWithinTheMargin() {
        JWKSet first = KeyLifecycle.initial(T0);
        String old = ids(first).getFirst();
        Instant at = T0.plus(Duration.ofDays(1));
        JWKSet rotated = KeyLifecycle.rotate(first, at, DELAY, LONGEST);
        String fresh = ids(rotated).get(1);
        Instant leak = at.plusSeconds(5);
        Instant behind = leak.minus(Duration.ofMinutes(2));
        JWKSet retired = KeyLifecycle.retire(rotated, old, leak);
        assertThat(ids(KeyLifecycle.verifying(retired, behind))).as("the leaked key, on a node 2 min behind").containsExactly(fresh);
        assertThat(signer(retired, behind)).as("what signs there").isEqualTo(fresh);
        assertThat(KeyLifecycle.problem(retired, behind)).isEmpty();
        assertThat(signer(retired, leak)).isEqualTo(fresh);

        // A retiring key (the signer no more): the same.
        Instant later = leak.plus(Duration.ofHours(1));
        JWKSet again = KeyLifecycle.rotate(retired, later, DELAY, LONGEST);
        String newest = ids(again).getLast();
        JWKSet third = KeyLifecycle.retire(again, fresh, later.plus(DELAY).plusSeconds(10));
        Instant thirdBehind = later.plus(DELAY).plusSeconds(10).minus(Duration.ofMinutes(2));
        assertThat(ids(KeyLifecycle.verifying(third, thirdBehind))).doesNotContain(fresh).contains(newest);
        assertThat(signer(third, later.plus(DELAY).plusSeconds(10))).isEqualTo(newest);
    }

    @Test
    void retiringAPendingKeyLeavesThePreviousSigningForever() {
        JWKSet first = KeyLifecycle.initial(T0);
        String old = ids(first).getFirst();
        JWKSet rotated = KeyLifecycle.rotate(first, T0, DELAY, LONGEST);
        String pending = ids(rotated).get(1);
        JWKSet retired = KeyLifecycle.retire(rotated, pending, T0.plusSeconds(10));
        assertThat(ids(KeyLifecycle.verifying(retired, T0.plusSeconds(10)))).containsExactly(old);
        Instant muchLater = T0.plus(LONGEST).plus(Duration.ofDays(30));
        assertThat(signer(retired, muchLater)).as("the old key got its exp only because the pending one was to replace it").isEqualTo(old);
        assertThat(KeyLifecycle.problem(retired, muchLater)).isEmpty();
    }

    @Test
    void retiringARetiringKeyEndsItNowAndChangesNoOther() {
        JWKSet twice = KeyLifecycle.rotate(KeyLifecycle.rotate(KeyLifecycle.initial(T0), T0, DELAY, LONGEST), T0.plusSeconds(60), DELAY,
                LONGEST);
        Instant now = T0.plusSeconds(120);
        List<String> before = ids(twice);
        String retiring = before.getFirst();
        JWKSet retired = KeyLifecycle.retire(twice, retiring, now);
        assertThat(ids(KeyLifecycle.verifying(retired, now))).containsExactly(before.get(1), before.get(2));
        assertThat(signer(retired, now)).isEqualTo(signer(twice, now));
        assertThat(signer(retired, now.plus(DELAY))).isEqualTo(signer(twice, now.plus(DELAY)));
        assertThat(retired.getKeyByKeyId(before.get(1)).getExpirationTime()).isEqualTo(twice.getKeyByKeyId(before.get(1)).getExpirationTime());
    }
}
