package dev.drawbridge.model.api;

/** Where a user's access request is ({@link AccessRequestView#status()}): pending until an app owner or an admin decides it once. */
public enum AccessRequestStatus {
    /** Waiting for a decision. */
    PENDING,
    /** Approved: the user was assigned to the app. */
    APPROVED,
    /** Denied: nothing changed; the user may ask again. */
    DENIED
}
