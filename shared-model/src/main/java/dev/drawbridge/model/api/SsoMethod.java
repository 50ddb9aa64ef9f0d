package dev.drawbridge.model.api;

/**
 * How Drawbridge signs the user in to a pre-authenticated app's backend (Entra's "single sign-on" setting). Only apps
 * with {@link PreAuthentication#DIRECTORY} may have a method other than {@link #NONE}.
 */
public enum SsoMethod {
    /** The backend gets the request as the user sent it (plus Drawbridge's own signed assertion header). */
    NONE,
    /** The connector adds headers built from the verified user ({@link HeaderRule}), after removing every client-sent
     * spelling of their names. */
    HEADERS,
    /** Kerberos constrained delegation (Integrated Windows Authentication): {@link KerberosSso}. */
    KERBEROS,
    /** Drawbridge is the SAML identity provider of the app: {@link SamlSso}. */
    SAML,
    /** Password vaulting: the connector sends {@code Authorization: Basic} with a stored user name and password ({@link BasicSso}). */
    BASIC,
    /** Password vaulting for login forms: when the backend shows its login form, the connector submits it with a stored
     * user name and password ({@link FormsSso}). */
    FORMS
}
