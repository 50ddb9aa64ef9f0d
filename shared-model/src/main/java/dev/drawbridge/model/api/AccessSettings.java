package dev.drawbridge.model.api;

/**
 * Per-app access settings for pre-authenticated (DIRECTORY) apps.
 *
 * @param assignmentRequired only users assigned (directly or through a group) may use the app
 * @param cookieHttpOnly     the app's session cookie is invisible to scripts
 * @param cookieSecure       kept for compatibility: the app's session cookie is a {@code __Host-} cookie, which is always
 *                           Secure (sent over HTTPS only), whatever this says
 * @param cookiePersistent   the cookie outlives the browser session (until the session lifetime ends)
 */
public record AccessSettings(boolean assignmentRequired, boolean cookieHttpOnly, boolean cookieSecure,
                             boolean cookiePersistent) {
    public static final AccessSettings DEFAULTS = new AccessSettings(true, true, true, false);
}
