package dev.drawbridge.model.api;

import java.util.Optional;

/**
 * Password vaulting for login forms (Entra's "password-based single sign-on" for apps with a sign-in page of their own):
 * when the backend answers a request with its login form (the login path answered with a form, or a redirect to it),
 * the connector fills in the form with the user's stored user name and password, posts it to the app's own internal
 * origin with the backend's cookies of that exchange (hidden fields such as CSRF tokens carried over), and the browser
 * gets the backend's answer to that post (its session cookie, its redirect) instead of the form. Credentials are stored
 * as for {@link BasicSso} (My Apps, sealed with the server's data key).
 *
 * @param loginPath     the login form's path on the backend, as the backend names it in its redirects (e.g.
 *                      {@code /login}); starts with {@code /}, no query
 * @param usernameField the name of the form's user-name field; absent: detected (the last text or e-mail field before
 *                      the password field)
 * @param passwordField the name of the form's password field; absent: detected (the form's one password field)
 * @param credentials   whose user name and password are sent (absent: {@link BasicSso.Credentials#USER})
 */
public record FormsSso(String loginPath, String usernameField, String passwordField, BasicSso.Credentials credentials) {
    public FormsSso {
        credentials = credentials == null ? BasicSso.Credentials.USER : credentials;
        usernameField = usernameField == null || usernameField.isEmpty() ? null : usernameField;
        passwordField = passwordField == null || passwordField.isEmpty() ? null : passwordField;
    }

    /** Each user's own credentials, with both field names detected from the form at {@code loginPath}. */
    public static FormsSso detect(String loginPath) {
        return new FormsSso(loginPath, null, null, BasicSso.Credentials.USER);
    }

    /** The configured user-name field's name; empty: detected from the form. */
    public Optional<String> username() {
        return Optional.ofNullable(usernameField);
    }

    /** The configured password field's name; empty: detected from the form. */
    public Optional<String> password() {
        return Optional.ofNullable(passwordField);
    }
}
