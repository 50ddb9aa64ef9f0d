package dev.drawbridge.model.api;

/**
 * An app's shared user name and password for password vaulting ({@link BasicSso.Credentials#SHARED}), as an
 * administrator sets it ({@code PUT /api/v1/apps/{id}/sso/shared-credential}). Write-only: the server seals it with its
 * data key and never returns it; audit entries name the user name only. Checked by
 * {@link dev.drawbridge.model.api.validation.SsoRules#checkCredential}. {@link #toString} never shows the password.
 *
 * @param username the user name the backend gets (RFC 7617: no {@code :}, no control character)
 * @param password the password (no control character)
 */
public record SharedCredential(String username, String password) {
    @Override
    public String toString() {
        return "SharedCredential[" + username + ", password " + (password == null ? "absent" : "hidden") + "]";
    }
}
