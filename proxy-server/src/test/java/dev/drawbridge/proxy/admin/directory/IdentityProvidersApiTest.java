package dev.drawbridge.proxy.admin.directory;

import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.proxy.federation.OidcProvider;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The stored client secret follows its destination: a settings change that moves the issuer or the client id must
 * carry the secret again (400 naming clientSecret), whether the secret is left out or sent back masked; the same
 * destination keeps it; and linking by verified email is off unless asked for.
 */
class IdentityProvidersApiTest {
    static final OidcProvider STORED = new OidcProvider(URI.create("https://idp.corp.example/realms/corp"), "drawbridge", "the-stored-secret",
            "Corp ID", List.of("openid", "profile", "email"), "email", "groups", true);

    static OidcProviderSettings settings(String issuer, String clientId, String secret) {
        return new OidcProviderSettings(issuer, clientId, secret, "Corp ID", List.of("profile", "email"), "email", "groups", true, null);
    }

    @Test
    void aNewIssuerOrClientIdNeedsTheSecretAgain() {
        for (String secret : new String[]{null, IdentityProvidersApi.MASK}) {
            for (OidcProviderSettings moved : List.of(settings("https://attacker.example/realms/corp", "drawbridge", secret),
                    settings("https://idp.corp.example/realms/other", "drawbridge", secret),
                    settings("https://idp.corp.example/realms/corp", "another-client", secret))) {
                assertThatThrownBy(() -> IdentityProvidersApi.validate(moved, Optional.of(STORED))).isInstanceOfSatisfying(ValidationException.class,
                        e -> assertThat(e.errors()).singleElement().satisfies(f -> {
                            assertThat(f.field()).isEqualTo("clientSecret");
                            assertThat(f.message()).contains("entered again");
                        }));
            }
        }
    }

    @Test
    void withTheSecretTheMoveIsAcceptedAndWithoutAMoveTheStoredSecretIsKept() throws Exception {
        OidcProvider moved = IdentityProvidersApi.validate(settings("https://idp2.corp.example/realms/corp", "drawbridge", "a-new-secret"), Optional.of(STORED));
        assertThat(moved.clientSecret()).isEqualTo("a-new-secret");
        assertThat(moved.issuer()).isEqualTo(URI.create("https://idp2.corp.example/realms/corp"));
        OidcProvider same = IdentityProvidersApi.validate(settings("https://idp.corp.example/realms/corp", "drawbridge", IdentityProvidersApi.MASK), Optional.of(STORED));
        assertThat(same.clientSecret()).isEqualTo("the-stored-secret");
        assertThat(same.linkByVerifiedEmail()).isFalse();
        OidcProviderSettings linking = new OidcProviderSettings("https://idp.corp.example/realms/corp", "drawbridge", null, "Corp ID",
                List.of(), "email", null, true, null, true);
        assertThat(IdentityProvidersApi.validate(linking, Optional.of(STORED)).linkByVerifiedEmail()).isTrue();
    }
}
