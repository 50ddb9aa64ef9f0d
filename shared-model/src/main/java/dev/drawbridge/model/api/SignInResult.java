package dev.drawbridge.model.api;

/** How a sign-in log entry ended ({@link SignInLogEntry#result()}). */
public enum SignInResult {
    SUCCESS,
    /** Bad credentials, a locked account, too many attempts. */
    FAILURE,
    /** Signed in, but not let through: not assigned, or blocked by conditional access. */
    DENIED,
    /** A second factor was asked for; not a failure. */
    INTERRUPTED
}
