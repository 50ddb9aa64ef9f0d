package dev.drawbridge.proxy.signin;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Where a sign-in on the sign-in host itself may go back to: an authorization request, the way back to a SAML request
 * ({@code /saml/<app id>/continue?r=<handle>}) or an IdP-initiated SAML sign-in ({@code /saml/<app id>/start}), in
 * exactly those shapes; anything else is My Apps. No open redirect, no other path under {@code /saml/}.
 */
class LoginPathTest {
    static final String HANDLE = "aB3-_xaB3-_xaB3-_xaB3-_xaB3-_xaB3-_xaB3-_xz";

    @ParameterizedTest
    @ValueSource(strings = {"/saml/3f1c-9a/start", "/saml/hr/continue?r=" + HANDLE, "/authorize?client_id=x&redirect_uri=y"})
    void theWaysBackAreKept(String p) {
        assertThat(SignInHandler.loginPath(p)).isEqualTo(p);
    }

    @ParameterizedTest
    @ValueSource(strings = {"/saml/hr/metadata", "/saml/hr/sso?SAMLRequest=x", "/saml/hr/continue?r=" + HANDLE + "&x=//evil.example",
            "/saml/hr/continue?r=" + HANDLE + "/../../x", "/saml/../signout", "/saml//evil.example/start", "//evil.example/saml/hr/start",
            "https://evil.example/saml/hr/start", "/saml/hr/start?next=//evil.example", "/saml/hr/continue?r=short",
            "/saml/h%2Fr/start", "/saml/hr/start\r\nSet-Cookie: x=1", "/SAML/hr/start"})
    void everythingElseIsMyApps(String p) {
        assertThat(SignInHandler.loginPath(p)).isEqualTo("/");
    }
}
