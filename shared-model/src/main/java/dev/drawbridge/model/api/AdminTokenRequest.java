package dev.drawbridge.model.api;

/**
 * {@code POST /api/v1/auth/token}: an admin signs in with directory credentials.
 *
 * @param mfaCode the current TOTP code (or a recovery code) when the account has MFA or a policy requires it
 */
public record AdminTokenRequest(String username, String password, String mfaCode) {
    @Override
    public String toString() {
        return "AdminTokenRequest[username=" + username + ", password=***, mfaCode=" + (mfaCode == null ? null : "***") + "]";
    }
}
