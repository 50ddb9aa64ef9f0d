package dev.drawbridge.model.tunnel;

/** Why a tunnel stream was aborted. The wire value is the ordinal's fixed code below. */
public enum ResetCode {
    /** The sender gave up on the stream (client went away, caller cancelled). */
    CANCEL(1),
    /** The connector could not connect to the internal app (refused, unknown host, TLS failure). */
    UPSTREAM_UNREACHABLE(2),
    /** The internal app did not answer within the app's backend timeout. */
    UPSTREAM_TIMEOUT(3),
    /** The internal app failed mid-response. */
    UPSTREAM_ERROR(4),
    /** The connector is draining and did not start this stream: safe to retry elsewhere. */
    REFUSED_STREAM(5),
    /** A peer broke the protocol (flow-control overrun, unknown stream, bad frame). */
    PROTOCOL_ERROR(6),
    /** The tunnel connection carrying the stream closed. */
    TUNNEL_CLOSED(7),
    /**
     * The connector could not sign the user in to the internal app (single sign-on): no verified identity, an
     * instruction it cannot carry out, a refusal of the directory. The message says why; the request never reached the
     * app. Sent only on streams whose OPEN carried a single sign-on instruction (so only to proxies that know it).
     */
    SSO_REFUSED(8);

    private final int code;

    ResetCode(int code) {
        this.code = code;
    }

    public int code() {
        return code;
    }

    public static ResetCode fromCode(int code) {
        for (ResetCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return PROTOCOL_ERROR;
    }
}
