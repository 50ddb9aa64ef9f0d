package dev.drawbridge.model.sso;

import dev.drawbridge.model.api.SsoSettings;

import java.util.Objects;

/**
 * What the proxy tells the connector about one stream's single sign-on (JSON, after an OPEN's identity, flag bit 3):
 * the app's settings, and for password vaulting the credential to use for this stream only. The connector keeps no app
 * configuration and no password between streams. {@link #toString} never shows the password.
 *
 * @param settings   the app's single sign-on settings (no secret)
 * @param credential the stored user name and password for this stream's user (or the app's shared one); absent for
 *                   the methods that need none
 */
public record SsoInstruction(SsoSettings settings, Credential credential) {
    public SsoInstruction {
        Objects.requireNonNull(settings, "settings");
    }

    /** Settings only. */
    public static SsoInstruction of(SsoSettings settings) {
        return new SsoInstruction(settings, null);
    }

    /** A user name and password from the vault. */
    public record Credential(String username, String password) {
        public Credential {
            Objects.requireNonNull(username, "username");
            Objects.requireNonNull(password, "password");
        }

        @Override
        public String toString() {
            return "Credential[" + username + ", password hidden]";
        }
    }
}
