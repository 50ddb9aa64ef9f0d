package dev.drawbridge.proxy.signin;

import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.PublishedApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** The return path after sign-in can only be a path on the app the user came from: no open redirects. */
class SafeReturnPathTest {
    static final PublishedApp APP = new PublishedApp("a", "HR", URI.create("https://hr.example.com/portal/"), "hr.example.com",
            "/portal/", URI.create("http://hr.corp/"), "g", BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY,
            Instant.EPOCH, Instant.EPOCH);

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example", "//evil.example/portal/", "https:evil.example", "https://evil.example/portal/",
            "/\\evil.example", "/portal/\\\\evil.example", "/portal/%5c%5cevil.example", "\\\\evil.example", "/other/",
            "javascript:alert(1)", "/portal/\r\nSet-Cookie: x=1", "", "evil.example", "%2F%2Fevil.example", "/%2F/evil.example"})
    void attacksFallBackToTheAppRoot(String attempt) {
        assertThat(SignInService.safeReturnPath(APP, attempt)).isEqualTo("/portal/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"/portal/", "/portal/a/b?x=1&y=%2F", "/portal/reports?q=//not-a-host"})
    void pathsOnTheAppAreKept(String path) {
        assertThat(SignInService.safeReturnPath(APP, path)).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/portal/../admin/", "/portal/%2e%2e/admin/", "/portal/..%2Fadmin", "/portal/x/../../admin", "/portal/.;/x",
            "/portal/%00", "/portal", "/PORTAL/x"})
    void pathsABrowserWouldResolveOutOfTheAppFallBackToItsRoot(String attempt) {
        // WHATWG URL parsing resolves dot segments (also %2e), so "/portal/../admin/" would land on another app's path.
        assertThat(SignInService.safeReturnPath(APP, attempt)).isEqualTo("/portal/");
    }

    @Test
    void aCaseInsensitiveAppKeepsItsPathsInAnyCase() {
        PublishedApp iis = new PublishedApp("a", "HR", URI.create("https://hr.example.com/portal/"), "hr.example.com", "/portal/",
                URI.create("http://hr.corp/"), "g", BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY,
                AccessSettings.DEFAULTS, Instant.EPOCH, Instant.EPOCH, true);
        assertThat(SignInService.safeReturnPath(iis, "/PORTAL/Reports?x=1")).isEqualTo("/PORTAL/Reports?x=1");
        assertThat(SignInService.safeReturnPath(iis, "/PORTAL/../admin")).isEqualTo("/portal/");
    }
}
