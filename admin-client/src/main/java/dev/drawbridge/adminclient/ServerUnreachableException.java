package dev.drawbridge.adminclient;

/**
 * The admin API could not be reached: {@link #reason()} says why in a word a program can act on, {@link #why()} in
 * words, and the message names the server ("Cannot reach admin.example.com:8443: nothing answers on ...").
 */
public final class ServerUnreachableException extends AdminClientException {
    /** Why the call got no answer. */
    public enum Reason {
        /** The server's certificate does not chain to a trusted CA. */
        UNTRUSTED_CERTIFICATE,
        /** The server's certificate is trusted but does not name the host. */
        WRONG_HOST_NAME,
        /** The TLS handshake failed otherwise (no common protocol or cipher suite, a plain-HTTP port, ...). */
        TLS_FAILED,
        /** The connection was refused: nothing listens on that host and port. */
        CONNECTION_REFUSED,
        /** The host name does not resolve. */
        UNKNOWN_HOST,
        /** No connection, or no complete answer (headers and whole body), within the timeout. */
        TIMEOUT,
        /** The calling thread was interrupted. */
        INTERRUPTED,
        /** Another I/O failure (the connection was reset, ...). */
        OTHER
    }

    private final Reason reason;
    private final String server;
    private final String why;

    ServerUnreachableException(Reason reason, String server, String why, Throwable cause) {
        super("Cannot reach " + server + ": " + why, cause);
        this.reason = reason;
        this.server = server;
        this.why = why;
    }

    public Reason reason() {
        return reason;
    }

    /** host:port of the server. */
    public String server() {
        return server;
    }

    /** Why, in words, without the server's name. */
    public String why() {
        return why;
    }
}
