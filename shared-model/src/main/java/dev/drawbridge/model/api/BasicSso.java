package dev.drawbridge.model.api;

/**
 * Password vaulting for HTTP Basic (Entra's "password-based single sign-on" for apps that ask for a user name and
 * password): the connector sends {@code Authorization: Basic} (RFC 7617, UTF-8) with a stored user name and password,
 * which travel to it with each request only, sealed at rest with the server's data key and never shown again.
 *
 * @param credentials whose user name and password are sent (absent: {@link Credentials#USER})
 */
public record BasicSso(Credentials credentials) {
    public BasicSso {
        credentials = credentials == null ? Credentials.USER : credentials;
    }

    /** Each user's own credentials, stored by the user in My Apps. */
    public static final BasicSso USER = new BasicSso(Credentials.USER);
    /** The app's one shared credential (a service account), set by an administrator. */
    public static final BasicSso SHARED = new BasicSso(Credentials.SHARED);

    /** Whose user name and password the backend gets (Entra's "user" and "shared" modes). */
    public enum Credentials {
        /** Each user stores their own once, in My Apps; a user who has none is asked for them first. */
        USER,
        /** One set for the app, set by an administrator ({@code PUT /apps/{id}/sso/shared-credential}); every user signs in with it. */
        SHARED
    }
}
