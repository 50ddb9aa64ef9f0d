package dev.drawbridge.model.api;

/** Where a connector group's update rollout stands ({@link RolloutView#state()}). */
public enum RolloutState {
    /** No bundle is uploaded: connectors run the version their package installed. */
    NO_UPDATES,
    /** Every active connector of the group runs the target version. */
    UP_TO_DATE,
    /** Connectors are being updated to the target version, one at a time. */
    ROLLING,
    /** An administrator paused it: no connector starts updating until it is resumed. */
    PAUSED,
    /** A connector's update failed (rolled back, or it did not come back healthy in time): nothing more until an
     * administrator changes the rollout's settings. */
    HALTED
}
