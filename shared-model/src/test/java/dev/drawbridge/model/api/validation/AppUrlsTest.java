package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.Problem.FieldError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** The rules of app URLs that a client checks as the server does (the server adds its domain, hosts and port). */
class AppUrlsTest {
    private static List<FieldError> external(String url) {
        List<FieldError> errors = new ArrayList<>();
        AppUrls.parse("externalUrl", url, "https://myapp.example/", errors).ifPresent(u -> {
            AppUrls.checkExternalScheme(u, url, errors);
            AppUrls.checkExternalParts(u, errors);
        });
        return errors;
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://hr.example/", "https://hr.example", "https://hr.example/a/b-c_d~e/", "HTTPS://hr.example/x:y@z/"})
    void plainExternalUrls(String url) {
        assertThat(external(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://hr.example/", "https://hr.example/?q", "https://hr.example/#f", "https://u@hr.example/",
            "https://hr.example/a%2Fb/", "https://hr.example//", "https://hr.example/./", "https://hr.example/a/../",
            "https://hr.example/a;b/", "https://hr.example/a./", "https://hr.example/.drawbridge/", "https://hr.example/x/.DrawBridge/",
            "hr.example", "", "https://hr example/"})
    void externalUrlsThatAreRefusedNameTheField(String url) {
        assertThat(external(url)).isNotEmpty().allSatisfy(e -> assertThat(e.field()).isEqualTo("externalUrl"));
    }

    @Test
    void internalUrlsAreNormalisedAndTheirPathIsCheckedByTheCaller() {
        List<FieldError> errors = new ArrayList<>();
        assertThat(AppUrls.internal("HTTP://intranet:8080/hr", p -> Optional.empty(), errors)).contains(URI.create("http://intranet:8080/hr/"));
        assertThat(AppUrls.internal("https://intranet", p -> Optional.empty(), errors)).contains(URI.create("https://intranet/"));
        assertThat(errors).isEmpty();

        List<String> seen = new ArrayList<>();
        assertThat(AppUrls.internal("http://intranet/a/%2e%2e/", p -> {
            seen.add(p);
            return Optional.of("dot segment");
        }, errors)).isEmpty();
        assertThat(seen).containsExactly("/a/%2e%2e/");
        assertThat(errors).singleElement().isEqualTo(new FieldError("internalUrl",
                "internal URL path '/a/%2e%2e/' cannot be read safely: dot segment"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://intranet/", "http://intranet/?q", "http://intranet/#f", "http://u:p@intranet/", "http://intranet:0/",
            "http://intranet:65536/", "intranet:8080", "", "http://in tranet/"})
    void internalUrlsThatAreRefused(String url) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(AppUrls.internal(url, p -> Optional.empty(), errors)).isEmpty();
        assertThat(errors).singleElement().satisfies(e -> assertThat(e.field()).isEqualTo("internalUrl"));
    }
}
