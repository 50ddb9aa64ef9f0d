package dev.drawbridge.model.api;

/** What a sign-in log entry records ({@link SignInLogEntry#event()}). */
public enum SignInEvent {
    /** A user signing in at the sign-in host (password, federation, second factor). */
    SIGN_IN,
    /** An access decision on an app: a request, or an authorization code for a native client. */
    ACCESS,
    /** An administrator signing in to the admin API ({@code POST /auth/token}). */
    ADMIN_SIGN_IN,
    /** The connector signing a user in to an app's backend (single sign-on); logged when it could not. */
    BACKEND_SSO
}
