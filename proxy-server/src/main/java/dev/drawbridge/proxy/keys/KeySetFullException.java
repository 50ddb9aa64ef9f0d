package dev.drawbridge.proxy.keys;

import java.time.Instant;

/**
 * A rotation refused because the set already holds {@link KeyLifecycle#MAX_KEYS} keys not yet retired: a key is never
 * dropped before its retirement (tokens it signed would stop verifying), so the set stays as it is until its oldest key
 * retires. Bounds what a loop of rotations can do to the size of every node's set and every connector's tunnel frame.
 */
public final class KeySetFullException extends RuntimeException {
    private final transient Instant oldestRetires;

    public KeySetFullException(int keys, Instant oldestRetires) {
        super("the signing key set already holds " + keys + " keys not yet retired; the next one retires at " + oldestRetires);
        this.oldestRetires = oldestRetires;
    }

    /** When a rotation can succeed again. */
    public Instant oldestRetires() {
        return oldestRetires;
    }
}
