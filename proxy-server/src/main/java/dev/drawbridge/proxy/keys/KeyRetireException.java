package dev.drawbridge.proxy.keys;

/**
 * A retirement refused: no key of that id in either set ({@link Reason#UNKNOWN}), the key already retired, or the key
 * that signs now with no newer key to sign instead ({@link Reason#CONFLICT}: rotate first). The message names the key id
 * and why, never a key.
 */
public final class KeyRetireException extends RuntimeException {
    /** Why. */
    public enum Reason { UNKNOWN, CONFLICT }

    private final Reason reason;

    public KeyRetireException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
