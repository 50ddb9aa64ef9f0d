package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.proxy.apps.PublishedApp;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link ResponseRewriter}: absolute Location/Content-Location URLs under the app's internal base (with
 * or without its default port written out) move to the external base with the path prefix mapped; anything else
 * is left alone; Set-Cookie domains naming the internal host and paths under the internal path are translated;
 * hop-by-hop headers are dropped and the rest kept in order.
 */
class ResponseRewriterTest {

    static PublishedApp app(String external, String internal) {
        URI ex = URI.create(external);
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        return new PublishedApp("id", "app", ex, ex.getHost(), ex.getRawPath(), URI.create(internal), "g",
                BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, t, t);
    }

    private static final ResponseRewriter PREFIXED = new ResponseRewriter(
            app("https://hr.apps.example.com/portal/", "http://intranet:8080/hr/"));

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "http://intranet:8080/hr/,              https://hr.apps.example.com/portal/",
            "http://intranet:8080/hr,               https://hr.apps.example.com/portal/",
            "http://intranet:8080/hr/login?next=%2F, https://hr.apps.example.com/portal/login?next=%2F",
            "http://intranet:8080/hr/a/b#frag,      https://hr.apps.example.com/portal/a/b#frag",
            "HTTP://INTRANET:8080/hr/x,             https://hr.apps.example.com/portal/x",
            // not under the internal base: untouched
            "http://intranet:8080/hrx,              http://intranet:8080/hrx",
            "http://intranet:8080/other/,           http://intranet:8080/other/",
            "http://intranet:8081/hr/x,             http://intranet:8081/hr/x",
            "http://intranet/hr/x,                  http://intranet/hr/x",
            "https://intranet:8080/hr/x,            https://intranet:8080/hr/x",
            "http://elsewhere:8080/hr/x,            http://elsewhere:8080/hr/x",
            "https://www.example.org/,              https://www.example.org/",
            // relative references: untouched
            "/hr/x,                                 /hr/x",
            "x/y,                                   x/y",
            "//intranet:8080/hr/x,                  //intranet:8080/hr/x",
    })
    void locationWithPathPrefix(String location, String expected) {
        assertThat(PREFIXED.rewriteUrl(location)).isEqualTo(expected);
        List<HeaderField> out = PREFIXED.rewrite(List.of(new HeaderField("Location", location),
                new HeaderField("Content-Location", location)));
        assertThat(out).containsExactly(new HeaderField("Location", expected), new HeaderField("Content-Location", expected));
    }

    @ParameterizedTest(name = "{0} / {1} -> {2}")
    @CsvSource({
            // internal URL without a port: the default port may be written out or not
            "http://intranet/,        http://intranet/a,       https://hr.apps.example.com/a",
            "http://intranet/,        http://intranet:80/a,    https://hr.apps.example.com/a",
            "http://intranet/,        http://intranet:8080/a,  http://intranet:8080/a",
            "http://intranet/,        https://intranet/a,      https://intranet/a",
            // internal URL with its default port written out
            "http://intranet:80/,     http://intranet/a,       https://hr.apps.example.com/a",
            "http://intranet:80/,     http://intranet:80/a,    https://hr.apps.example.com/a",
            "https://intranet/,       https://intranet:443/a,  https://hr.apps.example.com/a",
            "https://intranet:443/,   https://intranet/a,      https://hr.apps.example.com/a",
            "https://intranet/,       https://intranet:80/a,   https://intranet:80/a",
            "https://intranet/,       http://intranet/a,       http://intranet/a",
    })
    void locationWithAndWithoutDefaultPort(String internal, String location, String expected) {
        ResponseRewriter r = new ResponseRewriter(app("https://hr.apps.example.com/", internal));
        assertThat(r.rewriteUrl(location)).isEqualTo(expected);
    }

    @Test
    void externalPortIsKeptInRewrittenUrls() {
        ResponseRewriter r = new ResponseRewriter(app("https://hr.apps.example.com:8443/", "http://intranet/"));
        assertThat(r.rewriteUrl("http://intranet/x")).isEqualTo("https://hr.apps.example.com:8443/x");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "sid=1; Domain=intranet; Path=/hr/; HttpOnly           | sid=1; Domain=hr.apps.example.com; Path=/portal/; HttpOnly",
            "sid=1; Domain=.INTRANET; Path=/hr/app; Secure         | sid=1; Domain=hr.apps.example.com; Path=/portal/app; Secure",
            "sid=1;domain=intranet;path=/hr/x                      | sid=1; Domain=hr.apps.example.com; Path=/portal/x",
            "sid=1; Domain=other.corp; Path=/elsewhere/             | sid=1; Domain=other.corp; Path=/elsewhere/",
            "sid=1; Path=/                                          | sid=1; Path=/",
            "sid=1                                                  | sid=1",
            "a=b=c; Max-Age=60; SameSite=Lax                        | a=b=c; Max-Age=60; SameSite=Lax",
    })
    void setCookieDomainAndPath(String cookie, String expected) {
        assertThat(PREFIXED.rewrite(List.of(new HeaderField("Set-Cookie", cookie))))
                .containsExactly(new HeaderField("Set-Cookie", expected));
    }

    /** A wildcard app's backend is whatever host a label names: it may not toss cookies to the parent domain's hosts. */
    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            "sid=1; Domain=apps.example.com; Path=/             | sid=1; Path=/",
            "sid=1; Domain=.example.com; Secure                 | sid=1; Secure",
            "sid=1; domain=corp.local; HttpOnly                 | sid=1; HttpOnly",
            "sid=1; Domain=evil.corp.local; Path=/              | sid=1; Domain=evil.apps.example.com; Path=/",
            "sid=1; Path=/                                      | sid=1; Path=/",
    })
    void aWildcardAppsInstanceSetsCookiesForItsOwnHostOnly(String cookie, String expected) {
        URI ex = URI.create("https://*.apps.example.com/");
        Instant t = Instant.parse("2025-01-01T00:00:00Z");
        PublishedApp wild = new PublishedApp("w", "w", ex, ex.getRawAuthority(), "/", URI.create("http://*.corp.local/"), "g",
                BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, t, t);
        assertThat(new ResponseRewriter(wild.forLabel("evil")).rewrite(List.of(new HeaderField("Set-Cookie", cookie))))
                .containsExactly(new HeaderField("Set-Cookie", expected));
    }

    @ParameterizedTest
    @ValueSource(strings = {"drawbridge_app=forged; Path=/", "DRAWBRIDGE_APP=x",
            "__Host-drawbridge_nonce_0123456789abcdef=planted; Path=/; Secure", "__HOST-DRAWBRIDGE_nonce_x=1",
            "__Host-drawbridge_flow_app=1; Path=/; Secure", "__Secure-drawbridge_x=1; Secure", " drawbridge_app = x", "drawbridge_app",
            "__Host-drawbridge_app_hr=forged; Path=/; Secure",
            // Nameless cookies: a browser sends "=x=y" back as "x=y", i.e. as the cookie x.
            "=__Host-drawbridge_nonce_0123456789abcdef=planted; Path=/; Secure", " = __Host-drawbridge_app_hr=x; Path=/; Secure",
            "=drawbridge_app=x; Path=/hr/", "=__host-DRAWBRIDGE_app_hr"})
    void anAppCannotSetDrawbridgesOwnCookies(String cookie) {
        assertThat(PREFIXED.rewrite(List.of(new HeaderField("Set-Cookie", cookie), new HeaderField("set-cookie", "mine=1"))))
                .containsExactly(new HeaderField("set-cookie", "mine=1"));
    }

    /** Servlet containers set the session cookie's path to the context path without a trailing slash. */
    @Test
    void setCookiePathEqualToTheInternalPrefixWithoutSlashIsTranslated() {
        assertThat(PREFIXED.rewrite(List.of(new HeaderField("Set-Cookie", "JSESSIONID=abc; Path=/hr; HttpOnly"))))
                .containsExactly(new HeaderField("Set-Cookie", "JSESSIONID=abc; Path=/portal; HttpOnly"));
    }

    @Test
    void samePathsLeaveCookiePathAlone() {
        ResponseRewriter same = new ResponseRewriter(app("https://hr.apps.example.com/hr/", "http://intranet:8080/hr/"));
        assertThat(same.rewrite(List.of(new HeaderField("Set-Cookie", "a=1; Path=/hr/x; Domain=intranet"))))
                .containsExactly(new HeaderField("Set-Cookie", "a=1; Path=/hr/x; Domain=hr.apps.example.com"));
    }

    @Test
    void hopByHopDroppedOthersKeptInOrderWithDuplicates() {
        List<HeaderField> in = List.of(new HeaderField("Content-Type", "text/html"),
                new HeaderField("Connection", "keep-alive, X-Internal"), new HeaderField("X-Internal", "secret"),
                new HeaderField("Transfer-Encoding", "chunked"), new HeaderField("Set-Cookie", "a=1"),
                new HeaderField("Location", "http://intranet:8080/hr/next"), new HeaderField("Set-Cookie", "b=2"),
                new HeaderField("Keep-Alive", "timeout=5"), new HeaderField("Cache-Control", "no-store"));
        assertThat(PREFIXED.rewrite(in)).containsExactly(new HeaderField("Content-Type", "text/html"),
                new HeaderField("Set-Cookie", "a=1"), new HeaderField("Location", "https://hr.apps.example.com/portal/next"),
                new HeaderField("Set-Cookie", "b=2"), new HeaderField("Cache-Control", "no-store"));
    }

    @Test
    void otherHeadersAreNeverRewritten() {
        List<HeaderField> in = List.of(new HeaderField("Link", "<http://intranet:8080/hr/x>; rel=next"),
                new HeaderField("Refresh", "0; url=http://intranet:8080/hr/x"));
        assertThat(PREFIXED.rewrite(in)).isEqualTo(in);
    }
}
