package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.Problem.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** A native OAuth client's registration: every field's rule, each problem naming its field. */
class OAuthClientRulesTest {
    static final List<String> REDIRECTS = List.of("http://127.0.0.1/callback");
    static final List<OAuthGrant> BOTH = List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN);

    static List<String> fields(OAuthClientSpec spec, boolean idRequired) {
        return OAuthClientRules.check(spec, idRequired).stream().map(FieldError::field).toList();
    }

    @Test
    void aCompleteRegistrationPasses() {
        assertThat(OAuthClientRules.check(new OAuthClientSpec("com.example.cli", "CLI", REDIRECTS, BOTH, List.of("app-1")), true)).isEmpty();
        assertThat(OAuthClientRules.check(new OAuthClientSpec(null, "CLI", REDIRECTS, List.of(OAuthGrant.AUTHORIZATION_CODE), List.of()), false))
                .as("the server makes up an absent id on create").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "cli app", "cli/app", "cli%20", "cli?x", "cli#", "cli@corp", "cli:x", "é", "cli\n", "a+b"})
    void clientIdsOutsideTheUnreservedCharactersAreRefused(String id) {
        assertThat(fields(new OAuthClientSpec(id, "CLI", REDIRECTS, BOTH, List.of()), false)).containsExactly("clientId");
    }

    @Test
    void clientIdLengthAndPresence() {
        assertThat(OAuthClientRules.isClientId("a".repeat(100))).isTrue();
        assertThat(OAuthClientRules.isClientId("a".repeat(101))).isFalse();
        assertThat(fields(new OAuthClientSpec(null, "CLI", REDIRECTS, BOTH, List.of()), true)).containsExactly("clientId");
    }

    @Test
    void displayNameIsRequired() {
        assertThat(fields(new OAuthClientSpec("cli", " ", REDIRECTS, BOTH, List.of()), true)).containsExactly("displayName");
        assertThat(fields(new OAuthClientSpec("cli", "x".repeat(201), REDIRECTS, BOTH, List.of()), true)).containsExactly("displayName");
    }

    @Test
    void redirectUrisOneToTwentyValidAndDistinct() {
        assertThat(fields(new OAuthClientSpec("cli", "CLI", null, BOTH, List.of()), true)).containsExactly("redirectUris");
        List<String> many = IntStream.range(0, 21).mapToObj(i -> "http://127.0.0.1/cb" + i).toList();
        assertThat(fields(new OAuthClientSpec("cli", "CLI", many, BOTH, List.of()), true)).containsExactly("redirectUris");
        assertThat(fields(new OAuthClientSpec("cli", "CLI", List.of("https://evil.example/cb"), BOTH, List.of()), true)).containsExactly("redirectUris");
        assertThat(fields(new OAuthClientSpec("cli", "CLI", List.of(REDIRECTS.getFirst(), REDIRECTS.getFirst()), BOTH, List.of()), true))
                .containsExactly("redirectUris");
        assertThat(fields(new OAuthClientSpec("cli", "CLI", Arrays.asList("http://127.0.0.1/cb", null), BOTH, List.of()), true))
                .containsExactly("redirectUris");
    }

    @Test
    void grantsIncludeTheAuthorizationCodeOnce() {
        for (List<OAuthGrant> grants : List.of(List.<OAuthGrant>of(), List.of(OAuthGrant.REFRESH_TOKEN),
                Collections.<OAuthGrant>singletonList(null), List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.AUTHORIZATION_CODE))) {
            assertThat(fields(new OAuthClientSpec("cli", "CLI", REDIRECTS, grants, List.of()), true)).as(grants.toString()).containsExactly("grants");
        }
        assertThat(fields(new OAuthClientSpec("cli", "CLI", REDIRECTS, null, List.of()), true)).containsExactly("grants");
    }

    @Test
    void appIdsAreIdsListedOnce() {
        assertThat(fields(new OAuthClientSpec("cli", "CLI", REDIRECTS, BOTH, List.of("a", "a")), true)).containsExactly("appIds");
        assertThat(fields(new OAuthClientSpec("cli", "CLI", REDIRECTS, BOTH, List.of(" ")), true)).containsExactly("appIds");
        assertThat(fields(new OAuthClientSpec("cli", "CLI", REDIRECTS, BOTH, Collections.nCopies(101, "a")), true)).contains("appIds");
    }

    @Test
    void theAppListIsRequiredAndAnEmptyListIsTheExplicitAnyApp() {
        List<FieldError> absent = OAuthClientRules.check(new OAuthClientSpec("cli", "CLI", REDIRECTS, BOTH, null), true);
        assertThat(absent).extracting(FieldError::field).containsExactly("appIds");
        assertThat(absent.getFirst().message()).isEqualTo("appIds is required: list the apps, or [] for any app");
        assertThat(OAuthClientRules.check(new OAuthClientSpec(null, "CLI", REDIRECTS, BOTH, null), false)).extracting(FieldError::field)
                .as("on create as on replace").containsExactly("appIds");
        assertThat(new OAuthClientSpec("cli", "CLI", REDIRECTS, BOTH, null).appIds()).as("absent stays absent").isNull();
        assertThat(fields(new OAuthClientSpec("cli", "CLI", REDIRECTS, BOTH, List.of()), true)).isEmpty();
    }
}
