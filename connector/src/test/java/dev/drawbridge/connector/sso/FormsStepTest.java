package dev.drawbridge.connector.sso;

import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResponseHead;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password vaulting for login forms, the step and its helpers: a stream without a usable credential is refused without
 * the password in the reason; the refusal marker, in every spelling, never goes to the app nor comes back from it; the
 * login page is asked for uncompressed; the proxy's JSON instruction gives a login step through the step; answers that
 * repeat the password in any spelling are found; the exchange's cookies follow the app's Set-Cookie.
 */
class FormsStepTest {
    private static final SsoIdentity ALICE = new SsoIdentity("u1", "alice@corp.example", "Alice", Optional.empty(), Optional.empty(),
            Optional.empty(), List.of(), Map.of());
    private static final FormsSso SETTINGS = FormsSso.detect("/login");

    private static RequestHead head(String uri, HeaderField... headers) {
        return new RequestHead("app", "GET", uri, List.of(headers), Duration.ofSeconds(5), false, false);
    }

    @Test
    void withoutAUsableCredentialTheStreamIsRefusedWithoutThePassword() {
        assertThat(FormsStep.apply(head("http://h/"), SETTINGS, null))
                .isEqualTo(new SsoStep.Outcome.Refuse("no stored user name and password came with the request"));
        for (Credential bad : List.of(new Credential("alice", "secret-1\r\n"), new Credential("", "secret-2"), new Credential("alice", ""))) {
            SsoStep.Outcome out = FormsStep.apply(head("http://h/"), SETTINGS, bad);
            assertThat(out).isInstanceOf(SsoStep.Outcome.Refuse.class);
            assertThat(((SsoStep.Outcome.Refuse) out).reason()).doesNotContain("secret");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Drawbridge-Sso-Refused", "x-drawbridge-sso-refused", "X_DRAWBRIDGE_SSO_REFUSED", "x-drawbridge.sso-refused"})
    void theRefusalMarkerInEverySpellingNeverGoesToTheAppNorComesBack(String spelling) {
        SsoStep.Outcome out = FormsStep.apply(head("http://h/page", new HeaderField(spelling, "password"), new HeaderField("Accept-Encoding", "gzip")),
                SETTINGS, new Credential("alice", "pw"));
        assertThat(out).isInstanceOf(SsoStep.Outcome.LogIn.class);
        SsoStep.Outcome.LogIn login = (SsoStep.Outcome.LogIn) out;
        assertThat(login.head().headers()).containsExactly(new HeaderField("Accept-Encoding", "gzip"));
        ResponseHead filtered = login.login().filter(new ResponseHead(200, List.of(new HeaderField(spelling, "1"), new HeaderField("A", "b"))));
        assertThat(filtered.headers()).containsExactly(new HeaderField("A", "b"));
    }

    @Test
    void theLoginPageIsAskedForUncompressed() {
        SsoStep.Outcome.LogIn login = (SsoStep.Outcome.LogIn) FormsStep.apply(head("http://h/login?next=/x",
                new HeaderField("accept-encoding", "gzip, br"), new HeaderField("Accept", "text/html")), SETTINGS, new Credential("alice", "pw"));
        assertThat(login.head().headers()).containsExactly(new HeaderField("Accept", "text/html"));
    }

    @Test
    void throughTheStepTheProxysInstructionGivesALoginStep() {
        String instruction = "{\"settings\":{\"method\":\"FORMS\",\"headers\":[],\"kerberos\":null,\"saml\":null,\"basic\":null,"
                + "\"forms\":{\"loginPath\":\"/login\",\"usernameField\":null,\"passwordField\":null,\"credentials\":\"USER\"}},"
                + "\"credential\":{\"username\":\"alice\",\"password\":\"pw\"}}";
        assertThat(SsoStep.WITHOUT_KERBEROS.apply(head("http://h/").withSso(instruction), new Verification.Verified(ALICE)))
                .isInstanceOf(SsoStep.Outcome.LogIn.class);
        assertThat(SsoStep.WITHOUT_KERBEROS.apply(head("http://h/").withSso(instruction), Verification.ABSENT)).isInstanceOf(SsoStep.Outcome.Refuse.class);
        String noForms = "{\"settings\":{\"method\":\"FORMS\"},\"credential\":{\"username\":\"alice\",\"password\":\"pw\"}}";
        assertThat(SsoStep.WITHOUT_KERBEROS.apply(head("http://h/").withSso(noForms), new Verification.Verified(ALICE))).isInstanceOf(SsoStep.Outcome.Refuse.class);
    }

    @Test
    void anAnswerRepeatingThePasswordInAnySpellingIsFound() {
        String pw = "p&ss wörd<1>";
        for (String body : List.of("you typed p&ss wörd<1>", "value=\"p&amp;ss wörd&lt;1&gt;\"", "q=p%26ss+w%C3%B6rd%3C1%3E",
                "q=p%26ss%20w%C3%B6rd%3C1%3E")) {
            assertThat(Reflection.repeats(fetched(List.of(), body), pw)).as(body).isTrue();
        }
        assertThat(Reflection.repeats(fetched(List.of(new HeaderField("Location", "/x?pw=p%26ss+w%C3%B6rd%3C1%3E")), ""), pw)).isTrue();
        assertThat(Reflection.repeats(fetched(List.of(new HeaderField("Location", "/home")), "welcome"), pw)).isFalse();
    }

    private static Fetched fetched(List<HeaderField> headers, String body) {
        return new Fetched(URI.create("http://h/"), 200, headers, body.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void theExchangesCookiesFollowTheAppsSetCookie() {
        CookieJar jar = CookieJar.of(List.of(new HeaderField("Cookie", "a=1; FSESSION=old"), new HeaderField("cookie", "b=2")));
        jar.take(List.of(new HeaderField("Set-Cookie", "FSESSION=new; Path=/; HttpOnly"), new HeaderField("set-cookie", "b=; Max-Age=0"),
                new HeaderField("Other", "x")));
        assertThat(jar.header()).contains("a=1; FSESSION=new");
        assertThat(jar.setCookies()).containsExactly("FSESSION=new; Path=/; HttpOnly", "b=; Max-Age=0");
    }
}
