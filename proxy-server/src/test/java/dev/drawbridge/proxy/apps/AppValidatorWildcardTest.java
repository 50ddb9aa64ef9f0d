package dev.drawbridge.proxy.apps;

import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.proxy.pki.OwnHosts;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * {@link AppValidator} for wildcard apps: '*' only as the whole first label of both URLs (never one side alone), a
 * wildcard never covering the server's own hosts, and its host outside the server's domain only on a custom domain.
 * Each refusal names its field.
 */
class AppValidatorWildcardTest {
    static final Instant T = Instant.parse("2026-01-01T00:00:00Z");
    static final AppValidator VALIDATOR = new AppValidator("example.com", 443, new OwnHosts("admin.example.com", "login.example.com"),
            host -> host.equals("*.apps.example.com") || host.endsWith(".apps.example.com"));

    static AppSpec spec(String external, String internal) {
        return new AppSpec("wild", external, internal, null, null, null, null);
    }

    @ParameterizedTest(name = "{0} + {1}")
    @CsvSource({
            "https://*.apps.example.com,          http://*.corp.local,         https://*.apps.example.com/,   http://*.corp.local/",
            "https://*.Apps.Example.COM:443/x,    HTTPS://*.corp.local:8443/a, https://*.apps.example.com/x/, https://*.corp.local:8443/a/",
            "' https://*.apps.example.com/ ',     http://*.corp,               https://*.apps.example.com/,   http://*.corp/",
    })
    void wildcardAppsAreAcceptedAndNormalised(String external, String internal, String expectedExternal, String expectedInternal)
            throws Exception {
        PublishedApp app = VALIDATOR.validate("id", spec(external, internal), "g", T, T);
        assertThat(app.externalUrl()).hasToString(expectedExternal);
        assertThat(app.internalUrl()).hasToString(expectedInternal);
        assertThat(app.externalHost()).isEqualTo("*.apps.example.com");
        assertThat(app.isWildcard()).isTrue();
        assertThat(app.forLabel("a").internalUrl()).hasToString(expectedInternal.replace("*", "a"));
        assertThat(app.forLabel("a").externalUrl()).hasToString(expectedExternal.replace("*", "a"));
    }

    @ParameterizedTest(name = "{1} + {2} -> {0}")
    @CsvSource({
            "externalUrl, https://a*.apps.example.com/,  http://*.corp/",
            "externalUrl, https://*a.apps.example.com/,  http://*.corp/",
            "externalUrl, https://*.*.example.com/,      http://*.corp/",
            "externalUrl, https://x.*.apps.example.com/, http://*.corp/",
            "externalUrl, https://*/,                    http://*.corp/",
            "externalUrl, https://*./,                   http://*.corp/",
            "externalUrl, https://*..apps.example.com/,  http://*.corp/",
            "externalUrl, https://*:443/,                http://*.corp/",
            "externalUrl, https://*.example.com/,        http://*.corp/",
            "externalUrl, https://*.EXAMPLE.com./,       http://*.corp/",
            "externalUrl, https://*.other.com/,          http://*.corp/",
            "externalUrl, http://*.apps.example.com/,    http://*.corp/",
            "externalUrl, https://*.apps.example.com:8443/, http://*.corp/",
            "internalUrl, https://*.apps.example.com/,   http://intranet.corp/",
            "internalUrl, https://hr.apps.example.com/,  http://*.corp/",
            "internalUrl, https://*.apps.example.com/,   http://u@*.corp/",
            "internalUrl, https://*.apps.example.com/,   http://a*.corp/",
            "internalUrl, https://*.apps.example.com/,   http://*.*.corp/",
            "internalUrl, https://*.apps.example.com/,   http://*/",
            "internalUrl, https://*.apps.example.com/,   http://*:8080/",
            "internalUrl, https://*.apps.example.com/,   http://*.corp:99999/",
            "internalUrl, https://*.apps.example.com/,   ftp://*.corp/",
            "internalUrl, https://*.apps.example.com/,   http://*.0.0.1/",
            "internalUrl, https://*.apps.example.com/,   http://*.0.0.1:8080/",
            "internalUrl, https://*.apps.example.com/,   http://*.168.192.10./",
    })
    void misplacedOrOneSidedWildcardsAreRefusedNamingTheField(String field, String external, String internal) {
        ValidationException e = catchThrowableOfType(ValidationException.class, () -> VALIDATOR.validate("id", spec(external, internal), "g", T, T));
        assertThat(e).as("%s + %s", external, internal).isNotNull();
        List<String> fields = e.errors().stream().map(Problem.FieldError::field).toList();
        assertThat(fields).as(e.errors().toString()).contains(field);
    }
}
