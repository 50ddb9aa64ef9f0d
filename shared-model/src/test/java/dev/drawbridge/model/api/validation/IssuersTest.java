package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.Problem.FieldError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Issuer URLs of an external OpenID Connect provider, and which hosts count as this machine. */
class IssuersTest {
    @ParameterizedTest
    @ValueSource(strings = {"https://idp.corp.example/realms/corp", "https://idp.corp.example", "https://IDP.corp.example:8443/x/",
            "http://127.0.0.1:8080/realms/test", "http://localhost:8080", "http://[::1]:9000/", "http://127.1.2.3/",
            "  https://idp.corp.example/realms/corp  "})
    void accepted(String issuer) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(Issuers.parse(issuer, errors)).contains(URI.create(issuer.strip()));
        assertThat(errors).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "idp.corp.example", "/realms/corp", "http://idp.corp.example", "http://10.0.0.1/",
            "http://localhost.evil.example/", "http://127.0.0.1.nip.io/", "ftp://idp.corp.example", "https://idp.corp.example/?x=1",
            "https://idp.corp.example/#f", "https://user:pw@idp.corp.example/", "https://", "https://idp corp", "HTTP://localhost/"})
    void refusedNamingTheIssuer(String issuer) {
        List<FieldError> errors = new ArrayList<>();
        assertThat(Issuers.parse(issuer, errors)).isEmpty();
        assertThat(errors).singleElement().satisfies(e -> {
            assertThat(e.field()).isEqualTo("issuer");
            assertThat(e.message()).startsWith(Issuers.HINT);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "127.0.0.1", "127.255.0.9", "[::1]", "::1", "[0:0:0:0:0:0:0:1]"})
    void loopbackHosts(String host) {
        assertThat(LoopbackHosts.isLoopback(host)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "localhost.", "LOCALHOST.evil", "a.localhost", "10.0.0.1", "[::2]", "0.0.0.0", "example.com", "[fe80::1]",
            "127.0.0.1.evil.example"})
    void notLoopbackHosts(String host) {
        assertThat(LoopbackHosts.isLoopback(host)).isFalse();
    }
}
