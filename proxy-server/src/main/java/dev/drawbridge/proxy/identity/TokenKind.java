package dev.drawbridge.proxy.identity;

import com.nimbusds.jose.JOSEObjectType;

import java.util.Optional;

/**
 * The kinds of JWT the server signs, each with its own JOSE {@code typ} header (RFC 8725 §3.11, explicit typing).
 * {@link SessionTokens} signs every token with the type of its kind and accepts a token only as the kind the caller
 * names: all kinds share one signing key and issuer, so without the type a token of one kind would be accepted as
 * another wherever the audiences matched.
 *
 * <p>Tokens signed before kinds had types of their own carry a <em>legacy</em> type shared by several kinds
 * ({@code session+jwt} for every session, {@code at+jwt} for admin tokens too). Each of those kinds was only ever
 * signed for audiences of its own (the sign-in host, the MFA step, one app, the admin API), so a legacy token is
 * still accepted as its kind, but only when it was issued before this server started: no new token carries a legacy
 * type, and the old ones end with their own lifetimes (a session at most the session lifetime after sign-in).
 */
public enum TokenKind {
    /** The sign-in host's session cookie (audience {@link SessionTokens#LOGIN_AUDIENCE}). */
    LOGIN_SESSION("drawbridge-login+jwt", "session+jwt"),
    /** Between the password and the second factor: names the user and the pending MFA state, minutes long. */
    MFA_PENDING("drawbridge-mfa-pending+jwt", "session+jwt"),
    /** One app's session cookie (audience {@link SessionTokens#appAudience}). */
    APP_SESSION("drawbridge-app-session+jwt", "session+jwt"),
    /** An OAuth access token for one app's URL, for native and API clients (RFC 9068's type, unchanged). */
    ACCESS_TOKEN("at+jwt", null),
    /** A bearer token for the admin API. */
    ADMIN_TOKEN("drawbridge-admin+jwt", "at+jwt"),
    /**
     * The identity assertion forwarded to an app ({@code X-Drawbridge-Assertion}); the server never accepts one. Its
     * type stays the generic {@code JWT}, which no other kind carries: a backend verifying with a library's default
     * type rule (Nimbus accepts {@code JWT} or none) thereby refuses every other kind of Drawbridge token.
     */
    ASSERTION("JWT", null);

    private final JOSEObjectType type;
    private final Optional<JOSEObjectType> legacyType;

    TokenKind(String type, String legacyType) {
        this.type = new JOSEObjectType(type);
        this.legacyType = Optional.ofNullable(legacyType).map(JOSEObjectType::new);
    }

    /** The {@code typ} header every token of this kind is signed with. */
    public JOSEObjectType type() {
        return type;
    }

    /** The type this kind shared with others before it had its own, accepted only on tokens issued before start-up. */
    public Optional<JOSEObjectType> legacyType() {
        return legacyType;
    }
}
