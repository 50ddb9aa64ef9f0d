package dev.drawbridge.proxy.signin;

import dev.drawbridge.proxy.federation.ProvidersFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static dev.drawbridge.proxy.federation.ProvidersFixture.settings;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sign-in page offers the password form when someone could use it: always without identity providers; with them,
 * only once the directory has a user with a password (or synced from LDAP). A directory of federated users only shows
 * the providers alone.
 */
class PasswordFormTest {
    @TempDir
    Path dir;

    @Test
    void thePasswordFormIsShownWhenTheDirectoryHasPasswordUsersOrNothingElseIsOffered() throws Exception {
        try (ProvidersFixture f = new ProvidersFixture(dir)) {
            assertThat(f.login("/signin").getContentAsString()).contains("id=\"password\"");
            assertThat(f.admin("POST", "identity-providers", settings("corp", f.issuer("corp"), "Corp ID", List.of("corp.example")))
                    .getStatus()).isEqualTo(201);
            String federatedOnly = f.login("/signin").getContentAsString();
            assertThat(federatedOnly).contains("id=\"federated-corp\"", "id=\"email\"").doesNotContain("id=\"password\"");
            assertThat(f.admin("POST", "users", Map.of("upn", "local@corp.example", "displayName", "Local", "password",
                    "correct horse battery staple")).getStatus()).isEqualTo(201);
            assertThat(f.login("/signin").getContentAsString()).contains("id=\"password\"", "id=\"federated-corp\"");
        }
    }
}
