package dev.drawbridge.proxy.signin;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.vault.VaultFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where My Apps sends the user back after they stored a password: only a URL on the app's own origin (scheme, host and
 * port exactly) and under its own path; every other spelling (another host, scheme, port, user info, scheme-relative,
 * backslashes, encoded slashes, dot segments, control characters, another app's path on the same host, a prefix of the
 * host) goes to the app's root instead.
 */
class PasswordPagesReturnTest {
    static final PublishedApp APP = new PublishedApp("a", "HR", URI.create("https://intra.example.com:8443/hr/"), "intra.example.com",
            "/hr/", URI.create("http://hr.corp/"), "g", BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY,
            AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH, false, VaultFixture.users());
    static final String ROOT = "https://intra.example.com:8443/hr/";

    @ParameterizedTest
    @ValueSource(strings = {"https://intra.example.com:8443/hr/", "https://intra.example.com:8443/hr/reports/a%20b?y=2026&z=%2F",
            "https://intra.example.com:8443/hr/q?next=//not-a-host"})
    void aUrlOnTheAppIsKept(String url) {
        assertThat(PasswordPages.safeReturn(APP, url)).isEqualTo(url);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "https://evil.example/hr/", "http://intra.example.com:8443/hr/", "https://intra.example.com/hr/",
            "https://intra.example.com:443/hr/", "https://intra.example.com:8443.evil.example/hr/", "https://intra.example.com:8443@evil.example/hr/",
            "https://user@intra.example.com:8443/hr/", "https://intra.example.com.evil.example:8443/hr/", "https://INTRA.example.com:8443/hr/x",
            "//intra.example.com:8443/hr/", "/hr/", "hr/", "javascript:alert(1)//https://intra.example.com:8443/hr/",
            "https://intra.example.com:8443//evil.example/hr/", "https://intra.example.com:8443/\\evil.example", "https://intra.example.com:8443/hr/%5c%5cevil",
            "https://intra.example.com:8443/payroll/", "https://intra.example.com:8443/", "https://intra.example.com:8443/hr/../payroll/",
            "https://intra.example.com:8443/hr/%2e%2e/payroll/", "https://intra.example.com:8443/hr/..%2Fpayroll",
            "https://intra.example.com:8443/hr/\r\nSet-Cookie: x=1", "https://intra.example.com:8443/HR/x", "https://intra.example.com:8443"})
    void everyOtherSpellingGoesToTheAppsRoot(String attempt) {
        assertThat(PasswordPages.safeReturn(APP, attempt)).as(attempt).isEqualTo(ROOT);
    }

    @Test
    void nothingGivenGoesToTheAppsRoot() {
        assertThat(PasswordPages.safeReturn(APP, null)).isEqualTo(ROOT);
    }
}
