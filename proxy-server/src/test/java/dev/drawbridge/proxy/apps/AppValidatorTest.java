package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.proxy.pki.OwnHosts;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * Proves {@link AppValidator}: valid specs are normalised (lower-case host, default port dropped, trailing
 * slash added) and take the documented defaults; each invalid spec is refused with errors naming the
 * offending field, all problems reported together.
 */
class AppValidatorTest {
    private static final Instant CREATED = Instant.parse("2025-01-01T00:00:00Z");
    private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
    private final AppValidator validator = new AppValidator("Apps.Example.com", 443);

    private static AppSpec spec(String name, String external, String internal) {
        return new AppSpec(name, external, internal, null, null, null, null);
    }

    private PublishedApp valid(AppValidator v, AppSpec spec) throws ValidationException {
        return v.validate("id-1", spec, "group-1", CREATED, NOW);
    }

    private static List<Problem.FieldError> errors(AppValidator v, AppSpec spec) {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> v.validate("id-1", spec, "group-1", CREATED, NOW));
        assertThat(e).as("expected %s to be refused", spec).isNotNull();
        assertThat(e.errors()).isNotEmpty();
        return e.errors();
    }

    @ParameterizedTest(name = "{0} + {1} -> {2} + {3}")
    @CsvSource({
            "https://hr.apps.example.com,            http://intranet:8080,        https://hr.apps.example.com/,         http://intranet:8080/",
            "https://HR.Apps.Example.COM/portal,     http://intranet/hr,          https://hr.apps.example.com/portal/,  http://intranet/hr/",
            "https://hr.apps.example.com:443/a/b/,   HTTPS://Intranet.corp:8443/, https://hr.apps.example.com/a/b/,     https://Intranet.corp:8443/",
            "'  https://hr.apps.example.com/x  ',    '  http://10.0.0.5/app  ',   https://hr.apps.example.com/x/,       http://10.0.0.5/app/",
    })
    void validSpecsAreNormalised(String external, String internal, String expectedExternal, String expectedInternal) throws Exception {
        PublishedApp app = valid(validator, spec("  HR portal ", external, internal));
        assertThat(app.externalUrl()).hasToString(expectedExternal);
        assertThat(app.internalUrl()).hasToString(expectedInternal);
        assertThat(app.externalHost()).isEqualTo("hr.apps.example.com");
        assertThat(expectedExternal).endsWith(app.externalPath());
        assertThat(app.externalPath()).startsWith("/").endsWith("/");
        assertThat(app.internalPath()).endsWith("/");
        assertThat(app.name()).isEqualTo("HR portal");
        assertThat(app.id()).isEqualTo("id-1");
        assertThat(app.connectorGroupId()).isEqualTo("group-1");
        assertThat(app.createdAt()).isEqualTo(CREATED);
        assertThat(app.updatedAt()).isEqualTo(NOW);
    }

    @Test
    void absentOptionsTakeTheDefaults() throws Exception {
        PublishedApp app = valid(validator, spec("hr", "https://hr.apps.example.com/", "http://intranet/"));
        assertThat(app.backendTimeout()).isEqualTo(BackendTimeout.DEFAULT);
        assertThat(app.backendTimeout().duration()).isEqualTo(Duration.ofSeconds(85));
        assertThat(app.translateHostHeader()).isTrue();
        assertThat(app.preAuthentication()).isEqualTo(PreAuthentication.PASSTHROUGH);
    }

    @Test
    void givenOptionsAreKept() throws Exception {
        PublishedApp app = valid(validator, new AppSpec("hr", "https://hr.apps.example.com/", "http://intranet/", null,
                BackendTimeout.LONG, false, PreAuthentication.DIRECTORY));
        assertThat(app.backendTimeout()).isEqualTo(BackendTimeout.LONG);
        assertThat(app.translateHostHeader()).isFalse();
        assertThat(app.preAuthentication()).isEqualTo(PreAuthentication.DIRECTORY);
    }

    @Test
    void nonDefaultPublicPortIsRequiredAndKept() throws Exception {
        AppValidator on8443 = new AppValidator("apps.example.com", 8443);
        assertThat(valid(on8443, spec("hr", "https://hr.apps.example.com:8443/x", "http://intranet/")).externalUrl())
                .hasToString("https://hr.apps.example.com:8443/x/");
        assertThat(errors(on8443, spec("hr", "https://hr.apps.example.com:443/", "http://intranet/")))
                .extracting(Problem.FieldError::field).containsExactly("externalUrl");
    }

    @ParameterizedTest(name = "[{index}] {0}: {1}")
    @CsvSource(delimiter = '|', value = {
            "name        | ''                                  | https://hr.apps.example.com/        | http://intranet/",
            "name        | '   '                               | https://hr.apps.example.com/        | http://intranet/",
            "name        | NULL                                | https://hr.apps.example.com/        | http://intranet/",
            "externalUrl | hr                                  | NULL                                | http://intranet/",
            "externalUrl | hr                                  | '  '                                | http://intranet/",
            "externalUrl | hr                                  | not a URL                           | http://intranet/",
            "externalUrl | hr                                  | http://hr.apps.example.com/         | http://intranet/",
            "externalUrl | hr                                  | https://hr.other.com/               | http://intranet/",
            "externalUrl | hr                                  | https://hr.apps.example.com.evil/   | http://intranet/",
            "externalUrl | hr                                  | https://apps.example.com/           | http://intranet/",
            "externalUrl | hr                                  | https://a.b.apps.example.com/       | http://intranet/",
            "externalUrl | hr                                  | https://hrapps.example.com/         | http://intranet/",
            "externalUrl | hr                                  | https://hr.apps.example.com:8443/   | http://intranet/",
            "externalUrl | hr                                  | https://hr.apps.example.com/?a=1    | http://intranet/",
            "externalUrl | hr                                  | https://hr.apps.example.com/#top    | http://intranet/",
            "externalUrl | hr                                  | https://u:p@hr.apps.example.com/    | http://intranet/",
            "externalUrl | hr                                  | https://hr.apps.example.com/a%20b/  | http://intranet/",
            "externalUrl | hr                                  | https://hr.apps.example.com//a/     | http://intranet/",
            "externalUrl | hr                                  | https://hr.apps.example.com/a/../b/ | http://intranet/",
            "externalUrl | hr                                  | https://hr.apps.example.com/a/.     | http://intranet/",
            "externalUrl | hr                                  | /relative/                          | http://intranet/",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | not a URL",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | NULL",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | ftp://files.corp/",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | intranet:8080",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | http://intranet/?a=b",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | http://intranet/#x",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | http://user:pw@intranet/",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | http://intranet/a/../hr/",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | http://intranet/%2e%2e/hr/",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | http://intranet/./hr/",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | http://intranet/hr%00/",
            "internalUrl | hr                                  | https://hr.apps.example.com/        | http://intranet/%C0%AF/",
    }, nullValues = "NULL")
    void invalidSpecIsRefusedNamingTheField(String field, String name, String external, String internal) {
        List<Problem.FieldError> errors = errors(validator, spec(name, external, internal));
        assertThat(errors).extracting(Problem.FieldError::field).containsOnly(field);
        assertThat(errors).allSatisfy(e -> assertThat(e.message()).isNotBlank());
    }

    /**
     * The server's own admin and sign-in hosts are one label under the domain like any app host, but no app may claim
     * them, in any spelling and even when a custom-domain certificate would seem to cover them.
     */
    @ParameterizedTest
    @CsvSource({"https://admin.apps.example.com/", "https://login.apps.example.com/", "https://ADMIN.Apps.Example.COM/x/",
            "https://Login.apps.example.com:443/portal/", "https://admin.apps.example.com./", "https://LOGIN.APPS.EXAMPLE.COM./"})
    void theServersOwnHostsAreNoAppsHosts(String external) {
        AppValidator withOwnHosts = new AppValidator("apps.example.com", 443,
                new OwnHosts("admin.apps.example.com", "login.apps.example.com"), host -> true);
        List<Problem.FieldError> errors = errors(withOwnHosts, spec("hr", external, "http://intranet/"));
        assertThat(errors).extracting(Problem.FieldError::field).containsExactly("externalUrl");
        assertThat(errors.getFirst().message()).contains("own admin or sign-in host");
    }

    @Test
    void hostsBesideTheOwnHostsStayPublishable() throws Exception {
        AppValidator withOwnHosts = new AppValidator("apps.example.com", 443,
                new OwnHosts("admin.apps.example.com", "login.apps.example.com"), host -> false);
        for (String external : List.of("https://administration.apps.example.com/", "https://login2.apps.example.com/",
                "https://hr.apps.example.com/admin/")) {
            assertThat(valid(withOwnHosts, spec("hr", external, "http://intranet/")).externalUrl()).hasToString(external);
        }
    }

    /** java.net.URI does not range-check ports, so the validator has to. */
    @ParameterizedTest
    @CsvSource({"http://intranet:99999/", "http://intranet:65536/"})
    void internalPortOutOfRangeIsRefused(String internal) {
        assertThat(errors(validator, spec("hr", "https://hr.apps.example.com/", internal)))
                .extracting(Problem.FieldError::field).containsExactly("internalUrl");
    }

    @Test
    void nameLongerThan200CharactersIsRefused() throws Exception {
        assertThat(errors(validator, spec("x".repeat(201), "https://hr.apps.example.com/", "http://intranet/")))
                .extracting(Problem.FieldError::field).containsExactly("name");
        assertThat(valid(validator, spec("x".repeat(200), "https://hr.apps.example.com/", "http://intranet/")).name())
                .hasSize(200);
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        List<Problem.FieldError> errors = errors(validator, spec(" ", "http://hr.other.com:9999/?q", "ftp://files/"));
        assertThat(errors).extracting(Problem.FieldError::field).contains("name", "externalUrl", "internalUrl");
        // the external URL alone has four problems: scheme, host, port and query
        assertThat(errors).filteredOn(e -> e.field().equals("externalUrl")).hasSize(4);
    }

    @Test
    void exceptionMessageNamesEveryField() {
        ValidationException e = catchThrowableOfType(ValidationException.class,
                () -> validator.validate("id", spec("", "nope", "nope"), "g", CREATED, NOW));
        assertThat(e.getMessage()).contains("name:", "externalUrl:", "internalUrl:");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource({"https://hr.apps.example.com/hr;x/", "https://hr.apps.example.com/hr./", "https://hr.apps.example.com/a/b../",
            "https://hr.apps.example.com/a;/", "https://hr.apps.example.com/..x./"})
    void anExternalPathThatReadsDifferentlyOnceNormalisedIsRefused(String external) {
        assertThat(errors(validator, spec("hr", external, "http://intranet/"))).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("externalUrl"))
                .satisfies(e -> assertThat(e.message()).contains("must be plain"));
    }

    /**
     * {@code <prefix>.drawbridge/} is the proxy's on every app host (the sign-in callback, sign-out): an app published
     * there would take the callbacks, with their one-time codes, of the app whose path it extends.
     */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://hr.apps.example.com/.drawbridge/",
            "https://hr.apps.example.com/hr/.drawbridge/", "https://hr.apps.example.com/hr/.Drawbridge/callback/",
            "https://hr.apps.example.com/.DRAWBRIDGE/x/", "https://hr.apps.example.com/a/b/.drawbridge/signout/"})
    void anExternalPathInTheProxysReservedNamespaceIsRefused(String external) {
        assertThat(errors(validator, spec("hr", external, "http://intranet/"))).singleElement()
                .satisfies(e -> assertThat(e.field()).isEqualTo("externalUrl"))
                .satisfies(e -> assertThat(e.message()).contains(".drawbridge"));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"https://hr.apps.example.com/Pay_Roll-2.0~x/", "https://hr.apps.example.com/a.b/c/",
            "https://hr.apps.example.com/.well-known/", "https://hr.apps.example.com/a+b=c:d@e!f$g&h'i(j)k*l,m/",
            "https://hr.apps.example.com/.drawbridge-docs/", "https://hr.apps.example.com/x.drawbridge/"})
    void plainExternalPathsAreAccepted(String external) throws Exception {
        assertThat(valid(validator, spec("hr", external, "http://intranet/")).externalUrl()).hasToString(external);
    }

    @Test
    void pathsAreCaseSensitiveUnlessTheSpecSaysOtherwise() throws Exception {
        assertThat(valid(validator, spec("hr", "https://hr.apps.example.com/hr/", "http://intranet/")).caseInsensitivePaths()).isFalse();
        assertThat(valid(validator, new AppSpec("hr", "https://hr.apps.example.com/hr/", "http://intranet/", null, null, null, null, null,
                true)).caseInsensitivePaths()).isTrue();
        assertThat(valid(validator, new AppSpec("hr", "https://hr.apps.example.com/hr/", "http://intranet/", null, null, null, null, null,
                false)).caseInsensitivePaths()).isFalse();
    }
}
