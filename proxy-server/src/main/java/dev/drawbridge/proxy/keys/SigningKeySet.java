package dev.drawbridge.proxy.keys;

import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/**
 * One signing key set as a node uses it right now, swapped whole when a rotation reaches the node (no restart): the signer
 * and the verifiers read it at each use, and decide by the {@link KeyLifecycle} times on its keys with the injected clock,
 * so a key starts signing and stops verifying at its stated times even if the set itself does not change then.
 */
public final class SigningKeySet {
    /** The set and its public keys, computed once per set (verification runs on every request). */
    private record Held(JWKSet set, List<JWK> publicKeys) {
        static Held of(JWKSet set) {
            return new Held(set, set.toPublicJWKSet().getKeys());
        }
    }

    private final AtomicReference<Held> current;
    private final Clock clock;

    /** @throws IllegalStateException when {@code initial} cannot be used ({@link KeyLifecycle#problem}) */
    public SigningKeySet(JWKSet initial, Clock clock) {
        this.clock = Objects.requireNonNull(clock);
        KeyLifecycle.problem(initial, clock.instant()).ifPresent(p -> {
            throw new IllegalStateException("the signing key set cannot be used: " + p);
        });
        this.current = new AtomicReference<>(Held.of(initial));
    }

    /** The whole set (private keys included): what is stored. */
    public JWKSet current() {
        return current.get().set();
    }

    /** The key to sign with now. */
    public ECKey signer() {
        return KeyLifecycle.signer(current.get().set(), clock.instant())
                .orElseThrow(() -> new IllegalStateException("no signing key is active now"));
    }

    /** The public keys that verify now (pending ones included, retired ones not): for JWKS documents and connectors. */
    public JWKSet published() {
        return new JWKSet(verifyingNow());
    }

    private List<JWK> verifyingNow() {
        Instant now = clock.instant();
        return current.get().publicKeys().stream().filter(k -> !KeyLifecycle.retired(k, now)).toList();
    }

    /**
     * The keys that verify now, for Nimbus's key selector: matched by the token's key id (a token without one is refused
     * before), so an unknown id, or a retired key's, finds no key.
     */
    public <C extends SecurityContext> JWKSource<C> verificationSource() {
        return (selector, context) -> selector.select(new JWKSet(verifyingNow()));
    }

    /**
     * Takes {@code candidate} if it is newer (a higher {@linkplain KeyLifecycle#generation generation}) than the set held
     * and usable; returns whether it did. An older or equal generation, a replayed or rolled-back row, is not taken.
     */
    public synchronized boolean offer(JWKSet candidate) {
        JWKSet held = current.get().set();
        if (KeyLifecycle.generation(candidate) <= KeyLifecycle.generation(held)) {
            return false;
        }
        if (KeyLifecycle.problem(candidate, clock.instant()).isPresent()) {
            return false;
        }
        current.set(Held.of(candidate));
        return true;
    }

    /** Whether {@code candidate} would be taken by {@link #offer} (newer than the set held). */
    public boolean isNewer(JWKSet candidate) {
        return KeyLifecycle.generation(candidate) > KeyLifecycle.generation(current.get().set());
    }

    public Clock clock() {
        return clock;
    }
}
