package dev.drawbridge.proxy.secrets;

/**
 * The cluster key cannot be used, or the database's shared secrets cannot be opened with it: the node refuses to start
 * (exit 2, since starting again cannot help until an operator acts). The message is one sentence naming the setting to
 * fix; it never holds the key or a secret.
 */
public final class ClusterKeyException extends RuntimeException {
    public ClusterKeyException(String message) {
        super(message);
    }
}
