package dev.drawbridge.proxy.federation;

/** A federated sign-in that cannot go on; the message is safe to log and show (no tokens, no secrets). */
public final class FederationException extends Exception {
    public FederationException(String message) {
        super(message);
    }
}
