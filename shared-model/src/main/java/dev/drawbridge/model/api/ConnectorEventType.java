package dev.drawbridge.model.api;

/** What happened to a connector, as {@link ConnectorEvent#type()} names it. */
public enum ConnectorEventType {
    /** It registered with a one-time token. */
    REGISTERED,
    /** Its first tunnel came up. */
    CONNECTED,
    /** Its last tunnel went down. */
    DISCONNECTED,
    /** A tunnel missed its heartbeats and was closed. */
    HEARTBEAT_MISSED,
    /** An administrator revoked it; its tunnels were cut. */
    REVOKED,
    /** An administrator moved it to another connector group. */
    MOVED,
    /** It was deleted. */
    REMOVED,
    /**
     * Its client certificate expired: its tunnels were cut, or the tunnel port refused it (at most once an hour per connector);
     * it must register again.
     */
    CERTIFICATE_EXPIRED,
    /** It renewed its client certificate (new key and serial); the previous one is accepted for a short grace. */
    CERTIFICATE_RENEWED,
    /**
     * A renewal with its previous certificate asked for another key than the one its renewal certified, and was refused:
     * the previous key may be in other hands.
     */
    CERTIFICATE_RENEWAL_REFUSED,
    /** It started updating to another version (its group's turn: one connector at a time). */
    UPDATE_STARTED,
    /** It came back healthy on the new version. */
    UPDATED,
    /** Its update failed or was rolled back, or it did not come back in time: its group's rollout halted. */
    UPDATE_FAILED
}
