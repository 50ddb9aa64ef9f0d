package dev.drawbridge.proxy.keys;

/**
 * The signing key sets in the store are older than those this node held before ({@link KeyGenerationFloor}), or the record
 * of those is damaged: the node refuses to start (exit 2; starting again cannot help until an operator acts). The message
 * names the file and the generations, never a key.
 */
public final class KeyGenerationException extends RuntimeException {
    public KeyGenerationException(String message) {
        super(message);
    }
}
