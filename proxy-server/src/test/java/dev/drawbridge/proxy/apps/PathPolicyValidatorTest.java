package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Proves {@link PathPolicyValidator}: paths only in their plain spelling (every other spelling refused naming
 * {@code paths[i].path}), one rule per path in any letter case, {@code DIRECTORY} only on a pre-authenticated app, no users
 * or policies on a passthrough path, users and groups resolved to ids, unknown ones and unknown policies refused; all
 * problems together.
 */
class PathPolicyValidatorTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final Map<String, String> PRINCIPALS = Map.of("alice@corp.example", "u-alice", "u-alice", "u-alice", "Admins", "g-admins",
            "g-admins", "g-admins");
    final PathPolicyValidator validator = new PathPolicyValidator(k -> Optional.ofNullable(PRINCIPALS.get(k)), "p-mfa"::equals);

    static PublishedApp app(PreAuthentication p) {
        return new PublishedApp("app", "Intranet", URI.create("https://intra.example.com/"), "intra.example.com", "/",
                URI.create("http://backend/"), "g", BackendTimeout.DEFAULT, true, p, AccessSettings.DEFAULTS, T, T, false);
    }

    List<Problem.FieldError> errors(PublishedApp app, PathPolicy... rules) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> validator.validate(app, List.of(rules)));
        assertThat(e).as("expected a refusal").isNotNull();
        return e.errors();
    }

    @Test
    void rulesAreStoredPlainWithPrincipalsAsIds() throws Exception {
        List<PathPolicy> stored = validator.validate(app(PreAuthentication.DIRECTORY), List.of(
                new PathPolicy("/admin/", null, List.of("alice@corp.example", " Admins ", "u-alice"), List.of("p-mfa", "p-mfa")),
                new PathPolicy("/public", PreAuthentication.PASSTHROUGH, null, null),
                new PathPolicy("/", null, List.of(), List.of())));
        assertThat(stored).containsExactly(new PathPolicy("/admin", null, List.of("u-alice", "g-admins"), List.of("p-mfa")),
                new PathPolicy("/public", PreAuthentication.PASSTHROUGH, List.of(), List.of()), new PathPolicy("/", null, List.of(), List.of()));
        assertThat(validator.validate(app(PreAuthentication.DIRECTORY), List.of())).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"admin", "", " ", "/%61dmin", "/admin%2Fx", "/admin;x", "/admin/./x", "/admin/../x", "/x/..", "/admin.",
            "/admin%20", "/admin\\x", "//admin", "/admin//x", "/ａｄｍｉｎ", "/admin?x", "/admin#x", "/admin%3F", "/admin%00",
            "/.drawbridge/callback", "/.DrawBridge", "/%2e%2e/admin"})
    void onlyThePlainSpellingOfAPathIsTaken(String path) {
        assertThat(errors(app(PreAuthentication.DIRECTORY), new PathPolicy(path, null, List.of(), List.of())))
                .extracting(Problem.FieldError::field).containsExactly("paths[0].path");
    }

    @Test
    void onePerPathInAnyLetterCase() {
        assertThat(errors(app(PreAuthentication.DIRECTORY), new PathPolicy("/admin", null, null, null), new PathPolicy("/x", null, null, null),
                new PathPolicy("/admin/", PreAuthentication.PASSTHROUGH, null, null), new PathPolicy("/Admin", null, null, null)))
                .extracting(Problem.FieldError::field).containsExactly("paths[2].path", "paths[3].path");
    }

    @Test
    void signInNeedsAPreAuthenticatedAppAndAPassthroughPathNamesNobody() {
        assertThat(errors(app(PreAuthentication.PASSTHROUGH), new PathPolicy("/admin", PreAuthentication.DIRECTORY, null, null),
                new PathPolicy("/x", null, List.of("Admins"), null), new PathPolicy("/y", null, null, List.of("p-mfa"))))
                .extracting(Problem.FieldError::field).containsExactly("paths[0].preAuthentication", "paths[1].users", "paths[2].policies");
        assertThat(errors(app(PreAuthentication.DIRECTORY), new PathPolicy("/p", PreAuthentication.PASSTHROUGH, List.of("Admins"), null)))
                .extracting(Problem.FieldError::field).containsExactly("paths[0].users");
    }

    @Test
    void unknownPrincipalsAndPoliciesAreRefusedNamingTheField() {
        assertThat(errors(app(PreAuthentication.DIRECTORY), new PathPolicy("/a", null, List.of("nobody@corp.example"), List.of("p-none")),
                new PathPolicy("/b", null, List.of(" "), null)))
                .extracting(Problem.FieldError::field).containsExactly("paths[0].users", "paths[0].policies", "paths[1].users");
    }

    @Test
    void atMostAHundredRules() {
        List<PathPolicy> many = IntStream.range(0, PathPolicyValidator.MAX_RULES + 1)
                .mapToObj(i -> new PathPolicy("/p" + i, null, null, null)).toList();
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> validator.validate(app(PreAuthentication.DIRECTORY), many));
        assertThat(e.errors()).extracting(Problem.FieldError::field).containsExactly("paths");
    }
}
