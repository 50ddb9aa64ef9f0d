package dev.drawbridge.model.api.validation;

import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Single sign-on settings: header names are tokens, unique in every spelling, none reserved (every spelling of each
 * reserved name and family is refused); claims only with CLAIM; method and headers agree; each error names its field.
 */
class SsoRulesTest {
    private static List<String> fields(SsoSettings s) {
        return SsoRules.check(s).stream().map(FieldError::field).toList();
    }

    private static SsoSettings one(HeaderRule r) {
        return SsoSettings.headers(List.of(r));
    }

    @Test
    void aTypicalSetIsAccepted() {
        SsoSettings s = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
                new HeaderRule("X-WEBAUTH-USER", HeaderSource.UPN, null, true, true, null, null),
                new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, false, "grp:", ";"),
                new HeaderRule("X-Department", HeaderSource.CLAIM, "department", false, false, null, null),
                HeaderRule.of("Remote-User", HeaderSource.SAM_ACCOUNT_NAME)));
        assertThat(SsoRules.check(s)).isEmpty();
        assertThat(SsoRules.check(SsoSettings.NONE)).isEmpty();
        assertThat(SsoRules.check(new SsoSettings(null, null))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Host", "HOST", "cookie", "Authorization", "authorization", "Proxy-Authorization", "Connection",
            "Transfer-Encoding", "Transfer_Encoding", "transfer.encoding", "Content-Length", "content_type", "CONTENT-ENCODING",
            "Upgrade", "TE", "Trailer", "Expect", "Forwarded", "X-Forwarded-For", "x_forwarded_for", "X-Forwarded-Host",
            "X-Forwarded-Proto", "X-Forwarded-Port", "X-Forwarded-Prefix", "X-Drawbridge-User", "x_drawbridge_assertion",
            "X.Drawbridge.Anything", "Sec-WebSocket-Key", "sec_fetch_site", "If-None-Match", "Origin", "Referer",
            "Keep-Alive", "Proxy-Connection", "HTTP2-Settings"})
    void reservedNamesInEverySpellingAreRefused(String name) {
        assertThat(fields(one(HeaderRule.of(name, HeaderSource.UPN)))).containsExactly("headers[0].name");
        assertThat(SsoRules.headerNameProblem(name)).get().asString().contains("reserved");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "X User", "X:User", "X-User\r\nEvil: 1", "X(User)", "Ü-User", "X/User"})
    void nonTokensAreRefused(String name) {
        assertThat(fields(one(HeaderRule.of(name, HeaderSource.UPN)))).containsExactly("headers[0].name");
    }

    @Test
    void everySpellingOfOneNameCountsAsADuplicate() {
        for (String second : List.of("X-Remote-User", "x-remote-user", "X_Remote_User", "x.remote.user", "X-REMOTE_USER")) {
            SsoSettings s = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
                    HeaderRule.of(second, HeaderSource.EMAIL)));
            assertThat(fields(s)).as(second).containsExactly("headers[1].name");
        }
    }

    @Test
    void claimGoesWithClaimSourceOnly() {
        assertThat(fields(one(HeaderRule.of("X-D", HeaderSource.CLAIM)))).containsExactly("headers[0].claim");
        assertThat(fields(one(new HeaderRule("X-D", HeaderSource.CLAIM, " ", false, false, null, null)))).containsExactly("headers[0].claim");
        assertThat(fields(one(new HeaderRule("X-D", HeaderSource.UPN, "dept", false, false, null, null)))).containsExactly("headers[0].claim");
        assertThat(fields(one(new HeaderRule("X-D", null, null, false, false, null, null)))).containsExactly("headers[0].source");
    }

    @Test
    void prefixAndSeparatorHaveNoControlCharacters() {
        assertThat(fields(one(new HeaderRule("X-D", HeaderSource.UPN, null, false, false, "a\r\nb", null)))).containsExactly("headers[0].prefix");
        assertThat(fields(one(new HeaderRule("X-D", HeaderSource.GROUPS, null, false, false, null, "\n")))).containsExactly("headers[0].separator");
        assertThat(fields(one(new HeaderRule("X-D", HeaderSource.GROUPS, null, false, false, null, "")))).containsExactly("headers[0].separator");
        assertThat(fields(one(new HeaderRule("X-D", HeaderSource.GROUPS, null, false, false, "p".repeat(101), null)))).containsExactly("headers[0].prefix");
    }

    @Test
    void kerberosNeedsAServicePrincipalNameAndSettingsGoWithTheirMethod() {
        assertThat(SsoRules.check(new SsoSettings(SsoMethod.KERBEROS, null, new KerberosSso("HTTP/intranet.corp.example", null, false), null)))
                .isEmpty();
        assertThat(SsoRules.check(new SsoSettings(SsoMethod.KERBEROS, null,
                new KerberosSso("HTTP/intranet.corp.example:8443@CORP.EXAMPLE", KerberosSso.LoginIdentity.ON_PREM_SAM, true), null))).isEmpty();
        for (String bad : List.of("", "intranet", "HTTP/", "/host", "HTTP/host name", "HTTP/host\r\n", "HTTP/a/b", "HTTP/h:99999", "HTTP/h:0")) {
            assertThat(fields(new SsoSettings(SsoMethod.KERBEROS, null, new KerberosSso(bad, null, false), null))).as(bad)
                    .containsExactly("kerberos.spn");
        }
        assertThat(fields(new SsoSettings(SsoMethod.KERBEROS, null, null, null))).containsExactly("kerberos");
        assertThat(fields(new SsoSettings(SsoMethod.NONE, null, new KerberosSso("HTTP/h", null, false), null))).containsExactly("kerberos");
        assertThat(fields(new SsoSettings(SsoMethod.HEADERS, List.of(HeaderRule.of("X-U", HeaderSource.UPN)), null, new SamlSso("e", "u"))))
                .containsExactly("saml");
        assertThat(new KerberosSso("HTTP/h", null, false).loginIdentity()).isEqualTo(KerberosSso.LoginIdentity.UPN);
    }

    @Test
    void methodAndHeadersAgree() {
        assertThat(fields(SsoSettings.headers(List.of()))).containsExactly("headers");
        assertThat(fields(new SsoSettings(SsoMethod.NONE, List.of(HeaderRule.of("X-U", HeaderSource.UPN))))).containsExactly("headers");
        List<HeaderRule> many = new ArrayList<>();
        for (int i = 0; i <= SsoRules.MAX_HEADERS; i++) {
            many.add(HeaderRule.of("X-H" + i, HeaderSource.UPN));
        }
        assertThat(fields(SsoSettings.headers(many))).containsExactly("headers");
        List<HeaderRule> withNull = new ArrayList<>();
        withNull.add(null);
        assertThat(fields(SsoSettings.headers(withNull))).containsExactly("headers[0]");
    }

    @Test
    void formsNeedsALoginPathItsSettingsGoWithItsMethodOnlyAndTheVaultSeesWhoseCredentials() {
        assertThat(SsoRules.check(SsoSettings.forms(FormsSso.detect("/login")))).isEmpty();
        assertThat(SsoRules.check(SsoSettings.forms(new FormsSso("/auth/sign-in;jsessionid=1", "j_username", "j_password",
                BasicSso.Credentials.SHARED)))).isEmpty();
        assertThat(fields(new SsoSettings(SsoMethod.FORMS, null))).containsExactly("forms");
        assertThat(fields(new SsoSettings(SsoMethod.BASIC, null, null, null, null, FormsSso.detect("/login")))).containsExactly("forms");
        assertThat(fields(SsoSettings.forms(new FormsSso("/login", "same", "same", null)))).containsExactly("forms.passwordField");
        assertThat(fields(SsoSettings.forms(new FormsSso("/login", "a\nb", "p\u0000", null))))
                .containsExactly("forms.usernameField", "forms.passwordField");
        assertThat(SsoSettings.forms(FormsSso.detect("/login")).vaultCredentials()).contains(BasicSso.Credentials.USER);
        assertThat(SsoSettings.forms(new FormsSso("/login", "", "", BasicSso.Credentials.SHARED)).vaultCredentials())
                .contains(BasicSso.Credentials.SHARED);
        assertThat(new FormsSso("/login", "", "", null).username()).isEmpty();
        assertThat(new SsoSettings(SsoMethod.BASIC, null).vaultCredentials()).contains(BasicSso.Credentials.USER);
        assertThat(SsoSettings.headers(List.of(HeaderRule.of("X-U", HeaderSource.UPN))).vaultCredentials()).isEmpty();
        // The settings from before forms still build, without them.
        assertThat(new SsoSettings(SsoMethod.BASIC, List.of(), null, null, BasicSso.USER).forms()).isNull();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "login", "//evil.example/login", "/login?next=/", "/login#x", "/a/../login", "/a/./login", "/a/..",
        "http://evil/login", "/log in", "/login\r\n", "/%zz", "/\\evil"})
    void aLoginPathIsAPathOnTheBackendAndNothingElse(String path) {
        assertThat(fields(SsoSettings.forms(FormsSso.detect(path)))).containsExactly("forms.loginPath");
        assertThat(fields(SsoSettings.forms(FormsSso.detect("/" + "a".repeat(SsoRules.MAX_LOGIN_PATH))))).containsExactly("forms.loginPath");
        assertThat(fields(SsoSettings.forms(FormsSso.detect(null)))).containsExactly("forms.loginPath");
    }

    @Test
    void basicTakesUsersOwnCredentialsByDefaultAndItsSettingsGoWithItsMethodOnly() {
        assertThat(SsoRules.check(new SsoSettings(SsoMethod.BASIC, null))).isEmpty();
        assertThat(new SsoSettings(SsoMethod.BASIC, null).basic()).isEqualTo(BasicSso.USER);
        assertThat(SsoRules.check(SsoSettings.basic(BasicSso.SHARED))).isEmpty();
        assertThat(new BasicSso(null).credentials()).isEqualTo(BasicSso.Credentials.USER);
        assertThat(fields(new SsoSettings(SsoMethod.NONE, null, null, null, BasicSso.USER))).containsExactly("basic");
        assertThat(fields(new SsoSettings(SsoMethod.HEADERS, List.of(HeaderRule.of("X-U", HeaderSource.UPN)), null, null, BasicSso.SHARED)))
                .containsExactly("basic");
        assertThat(fields(new SsoSettings(SsoMethod.BASIC, List.of(HeaderRule.of("X-U", HeaderSource.UPN)), null, null, null)))
                .containsExactly("headers");
        // The settings from before password vaulting still build, without it.
        assertThat(new SsoSettings(SsoMethod.HEADERS, List.of(HeaderRule.of("X-U", HeaderSource.UPN)), null, null).basic()).isNull();
    }

    @Test
    void aCredentialThatHttpBasicCanCarryIsAccepted() {
        assertThat(SsoRules.checkCredential("alice", "correct horse battery staple")).isEmpty();
        assertThat(SsoRules.checkCredential("CORP\\alice", "p\u00e4ss:w\u00f6rd with spaces \ud83d\udd11")).isEmpty();
        assertThat(SsoRules.checkCredential("u".repeat(SsoRules.MAX_USERNAME), "p".repeat(SsoRules.MAX_PASSWORD))).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "al:ice", ":", "alice\r\nX: y", "alice\u0000", "alice\u007f", "alice\u0085", "alice\u2028", "alice\ud800",
            "\udc00alice"})
    void aUserNameHttpBasicCannotCarryIsRefused(String username) {
        assertThat(SsoRules.checkCredential(username, "pw")).extracting(FieldError::field).containsExactly("username");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "secret\r\n", "secret\n", "secret\u0000", "\tsecret", "secret\u009b", "secret\u2029", "secret\ud83d"})
    void aPasswordHttpBasicCannotCarryIsRefusedWithoutRepeatingIt(String password) {
        List<FieldError> errors = SsoRules.checkCredential("alice", password);
        assertThat(errors).extracting(FieldError::field).containsExactly("password");
        assertThat(errors.getFirst().message()).doesNotContain("secret");
    }

    @Test
    void credentialsHaveALengthLimitAndMayNotBeMissing() {
        assertThat(SsoRules.checkCredential("u".repeat(SsoRules.MAX_USERNAME + 1), "p".repeat(SsoRules.MAX_PASSWORD + 1)))
                .extracting(FieldError::field).containsExactly("username", "password");
        assertThat(SsoRules.checkCredential(null, null)).extracting(FieldError::field).containsExactly("username", "password");
    }
}
