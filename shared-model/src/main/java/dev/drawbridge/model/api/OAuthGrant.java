package dev.drawbridge.model.api;

/**
 * An OAuth 2.0 grant a registered native client may use at the token issuer (RFC 6749). A client that may not use
 * {@link #REFRESH_TOKEN} gets no refresh token, and one presented for it is refused.
 */
public enum OAuthGrant {
    /** Authorization code with PKCE (S256): the user signs in in the system browser. Every client needs it. */
    AUTHORIZATION_CODE,
    /** Rotating refresh tokens (14 days, each usable once). */
    REFRESH_TOKEN
}
