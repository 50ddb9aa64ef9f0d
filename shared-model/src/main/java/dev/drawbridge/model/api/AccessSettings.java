package dev.drawbridge.model.api;

import java.util.List;

/**
 * Per-app access settings for pre-authenticated (DIRECTORY) apps.
 *
 * @param assignmentRequired only users assigned (directly or through a group) may use the app
 * @param cookieHttpOnly     the app's session cookie is invisible to scripts
 * @param cookieSecure       kept for compatibility: the app's session cookie is a {@code __Host-} cookie, which is always
 *                           Secure (sent over HTTPS only), whatever this says
 * @param cookiePersistent   the cookie outlives the browser session (until the session lifetime ends)
 * @param identityProviders  the ids of the external identity providers offered on the app's sign-in page and accepted for
 *                           it ({@code /identity-providers/{id}}); empty (the default): every configured provider. A
 *                           provider not listed is refused for the app at the start of a sign-in and again at its callback.
 *                           Left out (null) of a replacement, the app keeps its list: a client of an earlier version, which
 *                           does not know the field, does not widen an app's choice by editing it
 */
public record AccessSettings(boolean assignmentRequired, boolean cookieHttpOnly, boolean cookieSecure,
                             boolean cookiePersistent, List<String> identityProviders) {
    public static final AccessSettings DEFAULTS = new AccessSettings(true, true, true, false);

    public AccessSettings {
        identityProviders = identityProviders == null ? null : List.copyOf(identityProviders);
    }

    /** Settings that offer every identity provider. */
    public AccessSettings(boolean assignmentRequired, boolean cookieHttpOnly, boolean cookieSecure, boolean cookiePersistent) {
        this(assignmentRequired, cookieHttpOnly, cookieSecure, cookiePersistent, List.of());
    }

    /** Whether the provider {@code id} may be used to sign in to the app. */
    public boolean allowsIdentityProvider(String id) {
        return identityProviders == null || identityProviders.isEmpty() || identityProviders.contains(id);
    }
}
