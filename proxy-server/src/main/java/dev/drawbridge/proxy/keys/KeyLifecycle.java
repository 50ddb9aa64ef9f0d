package dev.drawbridge.proxy.keys;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Date;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * The life of the keys in one signing key set (docs/security.md, "Signing keys and their rotation"), as times written on
 * each key (JWK {@code iat}, {@code nbf}, {@code exp}) so that every node, reading the same set, decides the same:
 * <ul>
 *   <li><b>published</b> from its {@code iat}: it verifies, on every node and (SSO keys) every connector, but signs nothing
 *   yet;</li>
 *   <li><b>signing</b> from its {@code nbf} (the rotation's time plus the activation delay): the set's signer is the key
 *   with the latest {@code nbf} not in the future;</li>
 *   <li><b>retiring</b> once a newer key was added: it still verifies until its {@code exp}, the time by which every token it
 *   can have signed has expired;</li>
 *   <li><b>retired</b> at its {@code exp}: it verifies nothing from then on, and the next rotation drops it from the set.</li>
 * </ul>
 * A set carries a {@value #GENERATION} counter, raised by every rotation: a node takes a set from the database only if its
 * generation is higher than the one it holds, so an older sealed row put back (a replayed row) is refused.
 */
public final class KeyLifecycle {
    /**
     * How long a new key is published before it signs: the fallback reload (5 s) of every node, and the push to their
     * connectors, with room to spare.
     */
    public static final Duration ACTIVATION_DELAY = Duration.ofSeconds(30);
    /** Added to a retiring key's life for nodes whose clocks differ (one signing with it a little after the others stopped). */
    public static final Duration CLOCK_MARGIN = Duration.ofMinutes(5);
    /**
     * The most keys a set holds (none retired): a rotation beyond it is refused until the oldest retires. Routine rotations
     * keep two or three; this leaves room for several emergency ones within one token life.
     */
    public static final int MAX_KEYS = 16;
    /** The set's member counting its rotations. */
    static final String GENERATION = "generation";

    private KeyLifecycle() {
    }

    /** A first set: one key, signing at once (the state of every data directory before rotation existed). */
    public static JWKSet initial(Instant now) {
        return new JWKSet(List.of(newKey(now, now)), Map.of(GENERATION, 1L));
    }

    /** The set's rotation counter (0 for a set written before rotation existed). */
    public static long generation(JWKSet set) {
        return set.getAdditionalMembers().get(GENERATION) instanceof Number n ? n.longValue() : 0;
    }

    /**
     * {@code set} rotated at {@code now}: a new key, signing from {@code now + activationDelay}; every other key retires at
     * {@code now + activationDelay + longestToken + }{@link #CLOCK_MARGIN} (or earlier, if it already retired sooner), since
     * none signs after the new key's activation; keys already retired are dropped. The new key activates a second after
     * the latest activation in the set if that is later than {@code now + activationDelay} (a rotation dated before the
     * previous one), so it always signs last.
     *
     * @throws KeySetFullException when the set already holds {@link #MAX_KEYS} keys not retired Nothing is lost when two rotations
     * follow each other quickly: the pending key of the first retires like the others, after anything it can have signed.
     *
     * @param longestToken the longest life of a token this set signs
     */
    public static JWKSet rotate(JWKSet set, Instant at, Duration activationDelay, Duration longestToken) {
        if (activationDelay.isNegative() || !longestToken.isPositive()) {
            throw new IllegalArgumentException("activation delay must not be negative and the token lifetime positive");
        }
        // In whole seconds, as a JWK stores its times: the node that rotated holds the very times the others read.
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        // The new key activates after every key it replaces, even one a rotation dated later activates (another node's
        // clock ahead of this one): else that key, activated last, would sign on past the retirement computed here.
        Instant latest = set.getKeys().stream().filter(k -> !retired(k, now)).map(KeyLifecycle::activation).max(Comparator.naturalOrder())
                .orElse(Instant.EPOCH);
        Instant activates = now.plus(activationDelay);
        if (!activates.isAfter(latest)) {
            activates = latest.plusSeconds(1);
        }
        Instant retires = activates.plus(longestToken).plus(CLOCK_MARGIN);
        List<JWK> keys = new ArrayList<>();
        for (JWK k : set.getKeys()) {
            if (retired(k, now)) {
                continue;
            }
            Optional<Instant> exp = time(k.getExpirationTime());
            if (exp.isPresent() && !exp.get().isAfter(retires)) {
                keys.add(k);
            } else {
                keys.add(new ECKey.Builder(requireEc(k)).expirationTime(Date.from(retires)).build());
            }
        }
        if (keys.size() >= MAX_KEYS) {
            throw new KeySetFullException(keys.size(), keys.stream().map(k -> time(k.getExpirationTime()).orElse(retires))
                    .min(Comparator.naturalOrder()).orElse(retires));
        }
        keys.add(newKey(now, activates));
        Map<String, Object> members = new HashMap<>(set.getAdditionalMembers());
        members.put(GENERATION, generation(set) + 1);
        return new JWKSet(keys, members);
    }

    /** Whether {@code set} holds a key of id {@code kid}. */
    public static boolean holds(JWKSet set, String kid) {
        return set.getKeyByKeyId(kid) != null;
    }

    /**
     * {@code set} with the key {@code kid} retired at {@code at} (after a leak): its {@code exp} becomes now less the
     * {@link #CLOCK_MARGIN}, so it verifies nothing from now on, on every node that reads the set, one whose clock is behind
     * this one's by up to the margin included (tokens it signed stop verifying: their users sign in again).
     * The key that signs now is retired only if a newer key is in the set (a rotation's pending key): that key then signs
     * at once (it verified since the rotation, so every node that read the rotation accepts what it signs). Retiring the
     * newest key (a pending one) gives the key before it back its unlimited life, since it got its {@code exp} only
     * because that key was to replace it. Keys already retired are dropped; the generation goes up.
     *
     * @throws KeyRetireException when the set holds no such key, it is already retired, or it is the signing key and no
     * newer one exists (rotate first)
     */
    public static JWKSet retire(JWKSet set, String kid, Instant at) {
        Instant now = at.truncatedTo(ChronoUnit.SECONDS);
        JWK target = set.getKeyByKeyId(kid);
        if (target == null) {
            throw new KeyRetireException(KeyRetireException.Reason.UNKNOWN, "no signing key has the id " + kid);
        }
        if (retired(target, now)) {
            throw new KeyRetireException(KeyRetireException.Reason.CONFLICT, "the key " + kid + " is already retired");
        }
        List<JWK> others = set.getKeys().stream().filter(k -> !k.getKeyID().equals(kid) && !retired(k, now)).toList();
        Optional<JWK> newest = others.stream().max(Comparator.comparing(KeyLifecycle::activation).thenComparing(JWK::getKeyID));
        boolean signs = signer(set, now).map(k -> k.getKeyID().equals(kid)).orElse(false);
        if (signs && newest.filter(k -> activation(k).isAfter(activation(target))).isEmpty()) {
            throw new KeyRetireException(KeyRetireException.Reason.CONFLICT, "the key " + kid + " signs now and no newer key exists:"
                    + " rotate the keys first (the new key signs 30 s later), then retire this one");
        }
        boolean wasNewest = newest.map(k -> activation(target).isAfter(activation(k))).orElse(true);
        // Dated back by the clock margin: a node whose clock is behind this one's (within the margin every node is assumed
        // to keep) reads the key as retired at once too, rather than verify it, and sign with it, until its clock gets here.
        Instant retiredAt = now.minus(CLOCK_MARGIN);
        // The newer key that signs instead (the signing key retired), from as far back, so such a node has a signer too: yet
        // after every other key active already (it must sign last), and never later than now.
        Instant promoted = others.stream().filter(k -> !activation(k).isAfter(now)).map(k -> activation(k).plusSeconds(1))
                .reduce(retiredAt, KeyLifecycle::max);
        promoted = promoted.isAfter(now) ? now : promoted;
        List<JWK> keys = new ArrayList<>();
        for (JWK k : set.getKeys()) {
            if (k.getKeyID().equals(kid)) {
                keys.add(new ECKey.Builder(requireEc(k)).expirationTime(Date.from(retiredAt)).build());
            } else if (retired(k, now)) {
                continue;
            } else if (signs && k == newest.get() && activation(k).isAfter(now)) {
                keys.add(new ECKey.Builder(requireEc(k)).notBeforeTime(Date.from(promoted)).build());
            } else if (signs && activation(k).isAfter(now)) {
                // Another pending key (two rotations in a row): activated just before the newest, so the newest keeps signing.
                keys.add(new ECKey.Builder(requireEc(k)).notBeforeTime(Date.from(promoted.minusSeconds(1))).build());
            } else if (wasNewest && newest.isPresent() && k == newest.get()) {
                keys.add(new ECKey.Builder(requireEc(k)).expirationTime(null).build());
            } else {
                keys.add(k);
            }
        }
        Map<String, Object> members = new HashMap<>(set.getAdditionalMembers());
        members.put(GENERATION, generation(set) + 1);
        JWKSet after = new JWKSet(keys, members);
        problem(after, now).ifPresent(p -> {
            throw new KeyRetireException(KeyRetireException.Reason.CONFLICT, "retiring the key " + kid + " would leave a set where " + p);
        });
        return after;
    }

    /** The key that signs at {@code now}: of the private keys active and not retired, the one activated last. */
    public static Optional<ECKey> signer(JWKSet set, Instant now) {
        return set.getKeys().stream().filter(k -> k instanceof ECKey && k.isPrivate() && !retired(k, now) && !activation(k).isAfter(now))
                .max(Comparator.comparing(KeyLifecycle::activation).thenComparing(JWK::getKeyID)).map(ECKey.class::cast);
    }

    /** The public keys that verify at {@code now}: every key not retired, pending ones included. Keeps the set's members. */
    public static JWKSet verifying(JWKSet set, Instant now) {
        return new JWKSet(set.toPublicJWKSet().getKeys().stream().filter(k -> !retired(k, now)).toList(), set.getAdditionalMembers());
    }

    /** Whether {@code k} is retired at {@code now} (its {@code exp} reached). */
    public static boolean retired(JWK k, Instant now) {
        return time(k.getExpirationTime()).map(exp -> !exp.isAfter(now)).orElse(false);
    }

    /** When {@code k} signs from: its {@code nbf}, else its {@code iat}, else ever. */
    public static Instant activation(JWK k) {
        return time(k.getNotBeforeTime()).or(() -> time(k.getIssueTime())).orElse(Instant.EPOCH);
    }

    /**
     * Why {@code set} cannot be used (empty when it can): each key a private EC P-256 key with a key id, ids unique, and
     * one key that signs at {@code now}.
     */
    public static Optional<String> problem(JWKSet set, Instant now) {
        Set<String> ids = new HashSet<>();
        for (JWK k : set.getKeys()) {
            if (!(k instanceof ECKey ec) || !k.isPrivate() || !Curve.P_256.equals(ec.getCurve()) || k.getKeyID() == null) {
                return Optional.of("it holds a key that is not a private EC P-256 key with a key id");
            }
            if (!ids.add(k.getKeyID())) {
                return Optional.of("two of its keys have the same key id");
            }
        }
        return signer(set, now).isPresent() ? Optional.empty() : Optional.of("none of its keys signs now (all retired or pending)");
    }

    static ECKey newKey(Instant now, Instant activates) {
        try {
            return new ECKeyGenerator(Curve.P_256).keyUse(KeyUse.SIGNATURE).keyID(UUID.randomUUID().toString())
                    .issueTime(Date.from(now)).notBeforeTime(Date.from(activates)).generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot generate an EC P-256 key", e);
        }
    }

    private static ECKey requireEc(JWK k) {
        if (k instanceof ECKey ec) {
            return ec;
        }
        throw new IllegalArgumentException("the signing key set holds a key that is not an EC key: " + k.getKeyID());
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }

    private static Optional<Instant> time(Date d) {
        return Optional.ofNullable(d).map(Date::toInstant);
    }
}
