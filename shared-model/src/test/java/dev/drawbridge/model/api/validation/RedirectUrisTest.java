package dev.drawbridge.model.api.validation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Native clients' redirect URIs: which can be registered, and every spelling of a requested one that must not match a
 * registered one (host case, trailing slash, extra path or query, user info, look-alike hosts, percent-encoding, other
 * IPv6 and IPv4 spellings of loopback, ports of non-loopback redirects), besides the ones that must.
 */
class RedirectUrisTest {
    static final String V4 = "http://127.0.0.1/callback";
    static final String V6 = "http://[::1]/callback";
    static final String NAME = "http://localhost/callback";
    static final String APP = "com.example.app:/callback";

    @ParameterizedTest
    @ValueSource(strings = {V4, V6, NAME, APP, "http://127.0.0.1:8400/callback", "http://[::1]:65535/", "http://localhost:1/cb?x=1",
            "http://127.0.0.1/", "com.example.app:/", "dev.drawbridge.cli:/oauth2/callback", "com.example-corp.app2:/cb?client=1",
            "http://127.0.0.1/a%20b"})
    void registrable(String uri) {
        assertThat(RedirectUris.problem(uri)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " http://127.0.0.1/cb", "http://127.0.0.1/cb ", "http://127.0.0.1/c b", "http://127.0.0.1/cb\n",
            "http://127.0.0.1/cb#frag", "http://127.0.0.1/cb#", "http://127.0.0.1/*", "http://127.0.0.1:*/cb", "com.example.*:/cb",
            "https://127.0.0.1/cb", "https://app.example.com/cb", "https://localhost/cb", "http://app.example.com/cb",
            "http://127.0.0.2/cb", "http://[0:0:0:0:0:0:0:1]/cb", "http://[::ffff:127.0.0.1]/cb", "http://2130706433/cb",
            "http://0x7f000001/cb", "http://127.1/cb", "http://LOCALHOST/cb", "HTTP://127.0.0.1/cb", "http://localhost.evil.com/cb",
            "http://127.0.0.1.nip.io/cb", "http://127.0.0.1@evil.example/cb", "http://user@127.0.0.1/cb", "http://127.0.0.1",
            "http://127.0.0.1:0/cb", "http://127.0.0.1:65536/cb", "http://127.0.0.1:/cb", "http://127.0.0.1:99999/cb",
            "myapp:/callback", "com.example.app://callback", "com.example.app:callback", "com.example.app://host/cb",
            "Com.Example.App:/cb", "javascript:alert(1)", "data:text/html,x", "file:///etc/passwd", "/callback", "callback",
            "http://127.0.0.1/cb\u00e9", "http://127.0.0.1/%zz"})
    void refused(String uri) {
        assertThat(RedirectUris.problem(uri)).as(uri).isPresent();
    }

    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
            V4 + " " + V4, V4 + " http://127.0.0.1:53682/callback", V4 + " http://127.0.0.1:1/callback",
            V4 + " http://127.0.0.1:65535/callback", "http://127.0.0.1:8400/callback " + V4,
            "http://127.0.0.1:8400/callback http://127.0.0.1:9000/callback", V6 + " http://[::1]:4000/callback",
            NAME + " http://localhost:4000/callback", APP + " " + APP, "http://127.0.0.1/cb?a=1 http://127.0.0.1:5/cb?a=1"})
    void matches(String registered, String requested) {
        assertThat(RedirectUris.matches(registered, requested)).isTrue();
    }

    /** Every spelling that is not the registered URI (port aside for loopback) is another URI. */
    @ParameterizedTest
    @CsvSource(delimiter = ' ', value = {
            // host letter case, scheme letter case
            NAME + " http://LOCALHOST/callback", NAME + " http://LocalHost:80/callback", V4 + " HTTP://127.0.0.1/callback",
            APP + " COM.EXAMPLE.APP:/callback", APP + " com.example.App:/callback",
            // path: trailing slash, extra path, other case, dot segments, empty, double slash
            V4 + " http://127.0.0.1/callback/", V4 + " http://127.0.0.1:5000/callback/", V4 + " http://127.0.0.1/callback/x",
            V4 + " http://127.0.0.1/callbackx", V4 + " http://127.0.0.1/Callback", V4 + " http://127.0.0.1/./callback",
            V4 + " http://127.0.0.1/x/../callback", V4 + " http://127.0.0.1//callback", V4 + " http://127.0.0.1",
            V4 + " http://127.0.0.1/", APP + " com.example.app:/callback/", APP + " com.example.app:/callback/x",
            APP + " com.example.app://callback", APP + " com.example.app:callback",
            // query and fragment
            V4 + " http://127.0.0.1/callback?", V4 + " http://127.0.0.1/callback?x=1", V4 + " http://127.0.0.1:80/callback#x",
            V4 + " http://127.0.0.1/callback#", APP + " com.example.app:/callback?x=1", APP + " com.example.app:/callback#x",
            "http://127.0.0.1/cb?a=1 http://127.0.0.1/cb?a=1&b=2", "http://127.0.0.1/cb?a=1 http://127.0.0.1/cb?a=2",
            "http://127.0.0.1/cb?a=1 http://127.0.0.1/cb",
            // user info, look-alike hosts
            V4 + " http://127.0.0.1@evil.example/callback", V4 + " http://127.0.0.1:80@evil.example/callback",
            V4 + " http://evil.example@127.0.0.1/callback", V4 + " http://127.0.0.1.evil.example/callback",
            V4 + " http://127.0.0.1.nip.io/callback", NAME + " http://localhost.evil.com/callback", NAME + " http://localhost./callback",
            NAME + " http://evil.localhost/callback", V4 + " http://127.0.0.1%2f@evil.example/callback",
            V4 + " http://127.0.0.1\\@evil.example/callback", V4 + " http://127.0.0.1%40evil.example/callback",
            // percent-encoding of any part
            V4 + " http://127.0.0.1/%63allback", V4 + " http://127.0.0.1/callbac%6B", V4 + " http://127.0.0.1/callback%2F",
            V4 + " http://%31%32%37.0.0.1/callback", APP + " com.example.app:/%63allback", APP + " com.example.app:%2Fcallback",
            // other loopback spellings: another address of 127/8, IPv4 forms, IPv6 forms, localhost vs the literals
            V4 + " http://127.0.0.2/callback", V4 + " http://127.1/callback", V4 + " http://2130706433/callback",
            V4 + " http://0x7f.0.0.1/callback", V4 + " http://0177.0.0.1/callback", V4 + " http://127.000.000.001/callback",
            V4 + " http://[::ffff:127.0.0.1]/callback", V4 + " http://localhost/callback", V4 + " http://[::1]/callback",
            V6 + " http://[0:0:0:0:0:0:0:1]/callback", V6 + " http://[::0001]/callback", V6 + " http://[0::1]/callback",
            V6 + " http://[::1%25lo]/callback", V6 + " http://::1/callback", V6 + " http://127.0.0.1/callback",
            NAME + " http://127.0.0.1/callback",
            // ports that are no port, https, whitespace
            V4 + " http://127.0.0.1:0/callback", V4 + " http://127.0.0.1:65536/callback", V4 + " http://127.0.0.1:/callback",
            V4 + " http://127.0.0.1:-1/callback", V4 + " http://127.0.0.1:+80/callback", V4 + " http://127.0.0.1:８０/callback",
            V4 + " https://127.0.0.1/callback", V4 + " http://127.0.0.1/callback%20", V4 + " http://127.0.0.1/callback%00",
            // another scheme for the same path; ports on a non-loopback redirect are not ignored
            APP + " com.example.app2:/callback", APP + " com.example:/callback", "com.example.app:/cb?port=1 com.example.app:/cb?port=2"})
    void doesNotMatch(String registered, String requested) {
        assertThat(RedirectUris.matches(registered, requested)).as(requested).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {V4 + " ", " " + V4, V4 + "\t", V4 + "\r\n", "\u0000" + V4})
    void whiteSpaceAroundIsAnotherUri(String requested) {
        assertThat(RedirectUris.matches(V4, requested)).isFalse();
    }

    @Test
    void nothingMatchesNothing() {
        assertThat(RedirectUris.matches(V4, null)).isFalse();
        assertThat(RedirectUris.matches(null, V4)).isFalse();
        assertThat(RedirectUris.matches(V4, "")).isFalse();
    }
}
