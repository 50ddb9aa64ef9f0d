package dev.drawbridge.proxy.keys;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.drawbridge.model.api.SigningKeyView;
import dev.drawbridge.model.api.SigningKeysView;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;

/**
 * A node's two signing key sets, live ({@link SigningKeySet}), and their rotation (docs/security.md, "Signing keys and their
 * rotation"). {@link #rotate()} adds a new key to each set in the store ({@link SigningKeyStore}: the data directory, or the
 * cluster's database rows), which then reaches this node at once and the others with their reload ({@link #reload()}: on
 * the rows' notification, or the periodic fallback); the new keys sign after {@link Settings#activationDelay()}, the
 * previous ones verify until every token they signed has expired.
 *
 * <p>The SSO set's public keys go to the connectors ({@code ssoPublished}) <em>before</em> this node takes the set: a new
 * key is on every tunnel of the node before the node can sign with it, even when the set reaches the node after its
 * activation time.
 */
public final class SigningKeys {
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    /** The automatic rotation's job (its lease row). */
    public static final String ROTATION_JOB = "signing-keys.rotate";

    /**
     * How the sets rotate.
     *
     * @param activationDelay how long a new key is published before it signs
     * @param longestSigned   the longest life of a token the signing set signs (sessions, admin and OAuth tokens, assertions)
     * @param longestSso      the longest a connector accepts an identity the SSO set signed
     */
    public record Settings(Duration activationDelay, Duration longestSigned, Duration longestSso) {
        public Settings {
            if (activationDelay.isNegative() || !longestSigned.isPositive() || !longestSso.isPositive()) {
                throw new IllegalArgumentException("the activation delay must not be negative, the lifetimes positive");
            }
        }
    }

    private final SigningKeyStore store;
    private final SigningKeySet signing;
    private final SigningKeySet sso;
    private final Consumer<JWKSet> ssoPublished;
    private final Settings settings;
    private final KeyGenerationFloor floor;

    /**
     * @param ssoPublished told each SSO set this node is about to take, before it does (it sends the public keys to the
     *                     node's connectors)
     * @param floor        where the generations this node takes are recorded, so that a restart refuses older ones
     */
    public SigningKeys(SigningKeyStore store, SigningKeySet signing, SigningKeySet sso, Consumer<JWKSet> ssoPublished, Settings settings,
                       KeyGenerationFloor floor) {
        this.floor = Objects.requireNonNull(floor);
        this.store = Objects.requireNonNull(store);
        this.signing = Objects.requireNonNull(signing);
        this.sso = Objects.requireNonNull(sso);
        this.ssoPublished = Objects.requireNonNull(ssoPublished);
        this.settings = Objects.requireNonNull(settings);
    }

    public SigningKeySet signing() {
        return signing;
    }

    public SigningKeySet sso() {
        return sso;
    }

    /**
     * Adds a new key to each set, signing after the activation delay, and retires the others; this node takes the result
     * at once. Returns the sets as they are now.
     */
    public SigningKeysView rotate() throws IOException {
        Instant now = signing.clock().instant();
        SigningKeyStore.Sets after = store.update(
                s -> KeyLifecycle.rotate(base("signing", signing, s), now, settings.activationDelay(), settings.longestSigned()),
                s -> KeyLifecycle.rotate(base("sso", sso, s), now, settings.activationDelay(), settings.longestSso()));
        take(after);
        LOG.info("signing keys rotated (generation {}): new keys {} and {} sign from {}", KeyLifecycle.generation(after.signing()),
                newest(after.signing()), newest(after.sso()), now.plus(settings.activationDelay()));
        return view();
    }

    /**
     * Rotates if the newest key of the signing set was made {@code period} ago or more (by this node's clock), after reading
     * the stored sets, so a rotation another node made counts: the automatic rotation ({@code --signing-key-rotation-period}),
     * run once across the cluster by a leased job. Returns whether it rotated; a full set is logged and left for the next
     * check.
     */
    public boolean rotateIfDue(Duration period) throws IOException {
        reload();
        Instant now = signing.clock().instant();
        Instant newest = signing.current().getKeys().stream().map(k -> Optional.ofNullable(k.getIssueTime()).map(d -> d.toInstant())
                .orElse(KeyLifecycle.activation(k))).max(Comparator.naturalOrder()).orElse(Instant.EPOCH);
        if (newest.plus(period).isAfter(now)) {
            return false;
        }
        try {
            rotate();
        } catch (KeySetFullException e) {
            LOG.warn("the automatic signing key rotation is due but refused: {}", e.getMessage());
            return false;
        }
        LOG.info("signing keys rotated on schedule (every {} days; the newest key was made {})", period.toDays(), newest);
        return true;
    }

    /**
     * Retires the key {@code kid} (of either set) now, after a leak: it verifies nothing from now on, here at once and on
     * every other node with its reload (the rows' notification, or the fallback); what it signed (sessions, tokens; SSO:
     * identities) is refused from then on, so its users sign in again. The signing key is retired only when a newer key
     * exists, which then signs at once. Returns the sets as they are now.
     *
     * @throws KeyRetireException when no key has that id, it is already retired, or it signs and no newer key exists
     */
    public SigningKeysView retire(String kid) throws IOException {
        Instant now = signing.clock().instant();
        boolean[] found = new boolean[1];
        SigningKeyStore.Sets after = store.update(s -> {
            JWKSet b = base("signing", signing, s);
            found[0] = KeyLifecycle.holds(b, kid);
            return found[0] ? KeyLifecycle.retire(b, kid, now) : b;
        }, s -> {
            JWKSet b = base("sso", sso, s);
            if (KeyLifecycle.holds(b, kid)) {
                return KeyLifecycle.retire(b, kid, now);
            }
            if (!found[0]) {
                throw new KeyRetireException(KeyRetireException.Reason.UNKNOWN, "no signing key has the id " + kid);
            }
            return b;
        });
        take(after);
        LOG.warn("signing key {} retired (signing generation {}, sso generation {}): what it signed is refused from now on", kid,
                KeyLifecycle.generation(after.signing()), KeyLifecycle.generation(after.sso()));
        return view();
    }

    /**
     * What a rotation starts from: the stored set, unless this node holds a newer one (the stored row is an older one put
     * back). Rotating on top of the older row would bring back the keys the newer set retired (a stolen one too) with a
     * fresh retirement; rotating on top of the held set stores a generation above every node's, which they all take.
     */
    private static JWKSet base(String name, SigningKeySet held, JWKSet stored) {
        JWKSet own = held.current();
        if (KeyLifecycle.generation(stored) >= KeyLifecycle.generation(own)) {
            return stored;
        }
        LOG.warn("the stored {} key set is of generation {}, older than this node's {}: rotating this node's set instead",
                name, KeyLifecycle.generation(stored), KeyLifecycle.generation(own));
        return own;
    }

    /** Reads the stored sets and takes those newer than this node's; logs (and keeps its own) when they cannot be read. */
    public void reload() {
        SigningKeyStore.Sets stored;
        try {
            stored = store.load();
        } catch (IOException | RuntimeException e) {
            LOG.warn("cannot read the signing keys ({}); keeping those this node has", e.getMessage());
            return;
        }
        take(stored);
    }

    /**
     * Synchronized: a reload and a rotation taking sets at once would otherwise push their SSO sets in either order, and
     * the connectors could end with the older one while this node signs with the newer one's key.
     */
    private synchronized void take(SigningKeyStore.Sets sets) {
        refuseOlder("signing", signing, sets.signing());
        refuseOlder("sso", sso, sets.sso());
        if (sso.isNewer(sets.sso())) {
            Optional<String> problem = KeyLifecycle.problem(sets.sso(), sso.clock().instant());
            if (problem.isPresent()) {
                LOG.warn("the stored sso signing key set cannot be used ({}); keeping the one this node has", problem.get());
            } else {
                ssoPublished.accept(sets.sso());
                sso.offer(sets.sso());
            }
        }
        if (signing.isNewer(sets.signing()) && !signing.offer(sets.signing())) {
            LOG.warn("the stored signing key set cannot be used ({}); keeping the one this node has",
                    KeyLifecycle.problem(sets.signing(), signing.clock().instant()).orElse("changed meanwhile"));
        }
        try {
            floor.raise(KeyGenerationFloor.Generations.of(signing.current(), sso.current()));
        } catch (IOException | RuntimeException e) {
            // The sets are taken either way; only a restart's refusal of an older row depends on the file.
            LOG.warn("cannot record the signing key generations in {} ({})", floor.file(), e.getMessage());
        }
    }

    /**
     * A stored set older than the one held is a row put back (or a node's rotation lost): an ERROR once per reload, not
     * taken; this node keeps signing with and accepting only its own set's keys.
     */
    private static void refuseOlder(String name, SigningKeySet held, JWKSet stored) {
        long had = KeyLifecycle.generation(held.current()), got = KeyLifecycle.generation(stored);
        if (got < had) {
            LOG.error("the stored {} key set is of generation {}, older than this node's {}: an earlier row was put back; it is not"
                    + " taken (rotate the keys to store a newer one)", name, got, had);
        }
    }

    private static String newest(JWKSet set) {
        return set.getKeys().stream().max(Comparator.comparing(KeyLifecycle::activation)).map(JWK::getKeyID).orElse("");
    }

    /** Both sets' keys and their states now. */
    public SigningKeysView view() {
        Instant now = signing.clock().instant();
        List<SigningKeyView> keys = new ArrayList<>();
        add(keys, "signing", signing.current(), now);
        add(keys, "sso", sso.current(), now);
        return new SigningKeysView(KeyLifecycle.generation(signing.current()), keys);
    }

    private static void add(List<SigningKeyView> out, String name, JWKSet set, Instant now) {
        String signer = KeyLifecycle.signer(set, now).map(JWK::getKeyID).orElse("");
        set.getKeys().stream().sorted(Comparator.comparing(KeyLifecycle::activation)).forEach(k -> {
            Instant activation = KeyLifecycle.activation(k);
            String state = KeyLifecycle.retired(k, now) ? "retired" : k.getKeyID().equals(signer) ? "signing"
                    : activation.isAfter(now) ? "pending" : "retiring";
            out.add(new SigningKeyView(name, k.getKeyID(), state, Optional.ofNullable(k.getIssueTime()).map(d -> d.toInstant()).orElse(activation),
                    activation, Optional.ofNullable(k.getExpirationTime()).map(d -> d.toInstant()).orElse(null)));
        });
    }
}
