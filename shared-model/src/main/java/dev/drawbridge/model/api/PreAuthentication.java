package dev.drawbridge.model.api;

/** How users are pre-authenticated before their requests reach an app. */
public enum PreAuthentication {
    /** No sign-in at the proxy: every request goes through. */
    PASSTHROUGH,
    /** Users sign in against Drawbridge's directory first (identity issue). */
    DIRECTORY
}
