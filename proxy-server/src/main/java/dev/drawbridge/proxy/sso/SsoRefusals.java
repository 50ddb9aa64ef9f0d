package dev.drawbridge.proxy.sso;

import dev.drawbridge.proxy.apps.PublishedApp;

import java.util.Locale;

/**
 * Told of every request that single sign-on to a backend could not serve, with a reason from a fixed set (metrics:
 * {@code drawbridge_sso_refusals_total}). The readable reason goes to the sign-in log; this one only counts.
 */
@FunctionalInterface
public interface SsoRefusals {
    SsoRefusals NONE = (app, reason) -> { };

    void refused(PublishedApp app, Reason reason);

    /** Why, in a few words that stay few (metric label values). */
    enum Reason {
        /** The connector refused the stream (SSO_REFUSED): no verified user, Kerberos delegation refused, the app refused
         * the credential, ... (its message, in the sign-in log, says which). */
        CONNECTOR,
        /** Password vaulting: no user name and password stored (the user's own, or the app's shared one). */
        PASSWORD_NOT_STORED,
        /** Password vaulting: the stored one was set for the app's former internal address. */
        PASSWORD_MOVED,
        /** Password vaulting: the app refused the stored user name and password. */
        PASSWORD_REFUSED;

        /** The metric label value, e.g. {@code password_not_stored}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }
}
