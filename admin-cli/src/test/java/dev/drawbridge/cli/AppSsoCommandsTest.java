package dev.drawbridge.cli;

import dev.drawbridge.cli.OfflineCli.Run;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.KerberosSso.LoginIdentity;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code drawbridge apps sso} without a server: the {@code --header} syntax read and written back (every option, escapes,
 * every kind of mistake named with the flag and the syntax), settings the rules refuse refused here with exit 2 and
 * nothing sent (the server given is a closed port: a call would exit 3), and what {@code show} prints.
 */
class AppSsoCommandsTest {
    @TempDir
    Path config;

    private Run run(String... args) throws Exception {
        return OfflineCli.run(config, args);
    }

    @Test
    void everyOptionIsRead() throws Exception {
        assertThat(HeaderRuleSyntax.parse("X-Remote-User=upn")).isEqualTo(HeaderRule.of("X-Remote-User", HeaderSource.UPN));
        assertThat(HeaderRuleSyntax.parse(" X-User = UPN ;before-at; Lower")).isEqualTo(
                new HeaderRule("X-User", HeaderSource.UPN, null, true, true, null, null));
        assertThat(HeaderRuleSyntax.parse("X-Groups=groups;join=,;lower;prefix=grp:")).isEqualTo(
                new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, "grp:", ","));
        assertThat(HeaderRuleSyntax.parse("X-Dept=claim;claim=department")).isEqualTo(
                new HeaderRule("X-Dept", HeaderSource.CLAIM, "department", false, false, null, null));
        // Values are taken as written: spaces, '=', and an escaped ';' or '\'.
        assertThat(HeaderRuleSyntax.parse("X-Groups=groups;join=\\; ;prefix=a=b")).isEqualTo(
                new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, false, "a=b", "; "));
        assertThat(HeaderRuleSyntax.parse("X-Sam=sam-account-name;prefix=CORP\\")).isEqualTo(
                new HeaderRule("X-Sam", HeaderSource.SAM_ACCOUNT_NAME, null, false, false, "CORP\\", null));
        assertThat(HeaderRuleSyntax.parse("X-Sam=SAM_ACCOUNT_NAME;prefix=CORP\\\\;lower")).isEqualTo(
                new HeaderRule("X-Sam", HeaderSource.SAM_ACCOUNT_NAME, null, false, true, "CORP\\", null));
        // An empty prefix is none.
        assertThat(HeaderRuleSyntax.parse("X-Id=object-id;prefix=").prefix()).isNull();
    }

    @Test
    void everySourceIsSpeltAsTheSyntaxSaysAndEveryRuleReadsBackAsItWasWritten() throws Exception {
        for (HeaderSource source : HeaderSource.values()) {
            for (HeaderRule r : List.of(new HeaderRule("X-A", source, source == HeaderSource.CLAIM ? "a;b\\c" : null, true, true, "p;\\q", ";\\"),
                    HeaderRule.of("X-B", source), new HeaderRule("X-C", source, null, false, true, "CORP\\", ", "))) {
                String spec = HeaderRuleSyntax.format(r);
                assertThat(HeaderRuleSyntax.parse(spec)).as(spec).isEqualTo(r);
            }
        }
        assertThat(HeaderRuleSyntax.SOURCES).isEqualTo(String.join(", ",
                Arrays.stream(HeaderSource.values()).map(HeaderRuleSyntax::spell).toList()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "X-Remote-User|a header is NAME=SOURCE",
            "=upn|no header name before '='",
            "X-User=|no source after '='; the sources are upn, object-id",
            "X-User=mail|unknown source 'mail'; the sources are upn, object-id",
            "X-User=upn;upper|unknown option 'upper'; the options are before-at, lower",
            "X-User=upn;lower;lower|option 'lower' is given twice",
            "X-User=upn;lower=yes|option 'lower' takes no value",
            "X-User=upn;before-at=1|option 'before-at' takes no value",
            "X-User=groups;join|option 'join' needs a value: join=TEXT",
            "X-User=claim;claim|option 'claim' needs a value: claim=NAME",
            "X-User=upn;;lower|an empty option"})
    void everyKindOfMistakeIsNamed(String spec, String message) {
        assertThatThrownBy(() -> HeaderRuleSyntax.parse(spec)).isInstanceOf(HeaderRuleSyntax.SyntaxException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void headersThatCannotBeReadAreEachNamedWithTheSyntaxAndNothingIsSent() throws Exception {
        Run r = run("apps", "sso", "set", "HR", "--header", "X-Remote-User=upn", "--header", "X-Groups", "--header", "X-Mail=mail");
        assertThat(r.exit()).as(r.err()).isEqualTo(CliException.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).containsExactly(
                "error: cannot read 2 --header options, nothing was sent:",
                "  --header 'X-Groups': a header is NAME=SOURCE, e.g. X-Remote-User=upn",
                "  --header 'X-Mail=mail': unknown source 'mail'; the sources are upn, object-id, display-name, email, on-prem-upn,"
                        + " sam-account-name, groups, claim",
                "  syntax: --header 'NAME=SOURCE[;before-at][;lower][;prefix=TEXT][;join=TEXT][;claim=NAME]'; sources: upn, object-id,"
                        + " display-name, email, on-prem-upn, sam-account-name, groups, claim");
    }

    /** The rules the server runs are run here first: each problem names the --header that caused it. */
    @ParameterizedTest
    @ValueSource(strings = {"Host", "X_Forwarded_For", "x.drawbridge.user", "Cookie", "Authorization", "Content-Type"})
    void aReservedHeaderIsRefusedHereNamingItsFlag(String name) throws Exception {
        Run r = run("apps", "sso", "set", "HR", "--header", "X-Ok=upn", "--header", name + "=upn");
        assertThat(r.exit()).as(r.err()).isEqualTo(CliException.USAGE);
        assertThat(r.err().lines().toList()).hasSize(2);
        assertThat(r.err()).startsWith("error: the single sign-on settings are not valid, nothing was sent:\n")
                .contains("  --header '" + name + "=upn' (name): '" + name + "' is reserved").doesNotContain("cannot reach");
    }

    @Test
    void theRulesProblemsAreEachNamedWithTheirFlag() throws Exception {
        Run r = run("apps", "sso", "set", "HR", "--header", "X-User=upn", "--header", "x_user=email", "--header", "X-Dept=claim",
                "--header", "X-Groups=groups;join=");
        assertThat(r.exit()).as(r.err()).isEqualTo(CliException.USAGE);
        assertThat(r.err().lines().skip(1).toList()).satisfiesExactly(
                l -> assertThat(l).startsWith("  --header 'x_user=email' (name): header 'x_user' is listed twice"),
                l -> assertThat(l).startsWith("  --header 'X-Dept=claim' (claim): source CLAIM needs the claim's name"),
                l -> assertThat(l).startsWith("  --header 'X-Groups=groups;join=' (separator): separator is 1 to 10 characters"));
        Run none = run("apps", "sso", "set", "HR", "--method", "none", "--header", "X-User=upn");
        assertThat(none.exit()).isEqualTo(CliException.USAGE);
        assertThat(none.err()).contains("  --header: headers are set only with method HEADERS");
        Run nothing = run("apps", "sso", "set", "HR");
        assertThat(nothing.exit()).isEqualTo(CliException.USAGE);
        assertThat(nothing.err()).contains("set needs --method, --header for method HEADERS, --spn for method KERBEROS, --login-path for"
                + " FORMS, --sp-metadata for SAML or --credentials for BASIC")
                .contains("drawbridge apps sso clear");
        Run badMethod = run("apps", "sso", "set", "HR", "--method", "telepathy");
        assertThat(badMethod.exit()).isEqualTo(CliException.USAGE);
        assertThat(badMethod.err()).contains("--method").contains("NONE, HEADERS, KERBEROS, SAML, BASIC, FORMS but was 'telepathy'");
        Run credentialsElsewhere = run("apps", "sso", "set", "HR", "--method", "headers", "--header", "X-U=upn", "--credentials", "user");
        assertThat(credentialsElsewhere.exit()).isEqualTo(CliException.USAGE);
        assertThat(credentialsElsewhere.err()).contains("--credentials goes with methods BASIC and FORMS only");
    }

    @Test
    void kerberosFlagsAreReadInAnyCaseAndMakeTheMethodKerberos() throws Exception {
        assertThat(AppSsoCommands.settings(new AppSsoCommands.Flags(null, null, " HTTP/intranet.corp.example ", null, false)))
                .isEqualTo(new SsoSettings(SsoMethod.KERBEROS, List.of(), new KerberosSso("HTTP/intranet.corp.example", LoginIdentity.UPN,
                        false), null));
        for (LoginIdentity l : LoginIdentity.values()) {
            String spelt = AppSsoCommands.spell(l);
            assertThat(new AppSsoCommands.LoginIdentityConverter().convert(spelt)).isEqualTo(l);
            assertThat(new AppSsoCommands.LoginIdentityConverter().convert(spelt.toUpperCase(Locale.ROOT).replace('-', '_'))).isEqualTo(l);
        }
        assertThat(AppSsoCommands.settings(new AppSsoCommands.Flags(SsoMethod.KERBEROS, null, "HTTP/intranet.corp.example@CORP.EXAMPLE",
                LoginIdentity.ON_PREM_SAM, true)).kerberos()).isEqualTo(new KerberosSso("HTTP/intranet.corp.example@CORP.EXAMPLE",
                LoginIdentity.ON_PREM_SAM, true));
        Run bad = run("apps", "sso", "set", "HR", "--spn", "HTTP/x", "--login-identity", "email");
        assertThat(bad.exit()).isEqualTo(CliException.USAGE);
        assertThat(bad.err()).contains("--login-identity").contains("upn, on-prem-upn, user-part, on-prem-sam but was 'email'");
    }

    /** The rules' Kerberos problems are refused here, each naming its flag; nothing is sent. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--method,KERBEROS|--spn: method KERBEROS needs kerberos settings",
            "--method,kerberos,--up-front|--spn: spn is the backend's service principal name",
            "--spn,intranet.corp.example|--spn: spn is the backend's service principal name",
            "--spn,HTTP/intranet corp|--spn: spn is the backend's service principal name",
            "--spn,HTTP/|--spn: spn is the backend's service principal name",
            "--spn,/intranet|--spn: spn is the backend's service principal name",
            "--spn,HTTP/a/b|--spn: spn is the backend's service principal name",
            "--spn,HTTP/intranet\\evil|--spn: spn is the backend's service principal name",
            "--method,HEADERS,--header,X-User=upn,--spn,HTTP/intranet|--spn: kerberos settings are given only with method KERBEROS",
            "--method,NONE,--login-identity,user-part|--login-identity: kerberos settings are given only with method KERBEROS",
            "--header,X-User=upn,--up-front|--up-front: kerberos settings are given only with method KERBEROS"})
    void kerberosProblemsNameTheirFlag(String args, String line) throws Exception {
        List<String> all = new ArrayList<>(List.of("apps", "sso", "set", "HR"));
        all.addAll(List.of(args.split(",")));
        Run r = run(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(CliException.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).first().isEqualTo("error: the single sign-on settings are not valid, nothing was sent:");
        // Each problem on its own indented line (CsvSource strips the indent from the expected line).
        assertThat(r.err().lines().skip(1).toList()).anySatisfy(l -> assertThat(l).startsWith("  " + line));
        assertThat(r.err()).doesNotContain("cannot reach");
    }

    @Test
    void kerberosShowPrintsTheSettingsAndTheFlagsThatSetThemAgain() throws Exception {
        SsoSettings s = new SsoSettings(SsoMethod.KERBEROS, List.of(),
                new KerberosSso("HTTP/intranet.corp.example", LoginIdentity.ON_PREM_SAM, true), null);
        assertThat(SsoSettingsText.render(s)).isEqualTo("""
                method: KERBEROS
                spn: HTTP/intranet.corp.example
                login identity: on-prem-sam
                ticket up front: yes
                as flags: --spn 'HTTP/intranet.corp.example' --login-identity on-prem-sam --up-front
                """);
        assertThat(SsoSettingsText.asFlags(new SsoSettings(SsoMethod.KERBEROS, List.of(),
                new KerberosSso("HTTP/web@CORP.EXAMPLE", null, false), null)))
                .isEqualTo("--spn 'HTTP/web@CORP.EXAMPLE' --login-identity upn");
        // What show prints is what set reads back.
        assertThat(AppSsoCommands.settings(new AppSsoCommands.Flags(null, null, "HTTP/intranet.corp.example",
                new AppSsoCommands.LoginIdentityConverter().convert("on-prem-sam"), true))).isEqualTo(s);
        assertThat(SsoSettingsText.summary(s)).isEqualTo("KERBEROS (HTTP/intranet.corp.example, login identity on-prem-sam, ticket up front)");
        // What the server sends is shown, never obeyed: a control character in a stored SPN is printed as its escape.
        assertThat(SsoSettingsText.render(new SsoSettings(SsoMethod.KERBEROS, List.of(),
                new KerberosSso("HTTP/x" + (char) 27 + "[31m", LoginIdentity.UPN, false), null)))
                .doesNotContain(String.valueOf((char) 27)).contains("spn: HTTP/x\\u001b[31m");
    }

    @Test
    void validSettingsAreSent() throws Exception {
        // Valid: they get as far as the server, which is not there (exit 3), so the local checks let them through.
        Run r = run("apps", "sso", "set", "HR", "--header", "X-Remote-User=upn", "--header", "X-Groups=groups;join=\\;;lower");
        assertThat(r.exit()).as(r.err()).isEqualTo(CliException.UNREACHABLE);
        assertThat(run("apps", "sso", "set", "HR", "--method", "NONE").exit()).isEqualTo(CliException.UNREACHABLE);
        assertThat(run("apps", "sso", "set", "HR", "--spn", "HTTP/intranet.corp.example", "--login-identity", "On_Prem_Upn",
                "--up-front").exit()).isEqualTo(CliException.UNREACHABLE);
        assertThat(run("apps", "sso", "set", "HR", "--method", "Kerberos", "--spn", "HTTP/intranet.corp.example@CORP.EXAMPLE").exit())
                .isEqualTo(CliException.UNREACHABLE);
        assertThat(run("apps", "sso", "clear", "HR").exit()).isEqualTo(CliException.UNREACHABLE);
        assertThat(run("apps", "sso", "show", "HR").exit()).isEqualTo(CliException.UNREACHABLE);
    }

    @Test
    void showPrintsTheMethodEachHeaderAndTheFlagsThatSetThemAgain() {
        SsoSettings s = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
                new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, "it's:", ";"),
                new HeaderRule("X-Dept", HeaderSource.CLAIM, "department", true, false, null, null)));
        assertThat(SsoSettingsText.render(s)).isEqualTo("""
                method: HEADERS
                HEADER         SOURCE  CLAIM       BEFORE @  LOWER  PREFIX   JOIN
                X-Remote-User  upn     -           no        no     -        ", " (default)
                X-Groups       groups  -           no        yes    "it's:"  ";"
                X-Dept         claim   department  yes       no     -        ", " (default)
                as flags: --header 'X-Remote-User=upn' --header 'X-Groups=groups;lower;prefix=it'\\''s:;join=\\;' \
                --header 'X-Dept=claim;before-at;claim=department'
                """);
        assertThat(SsoSettingsText.render(SsoSettings.NONE)).isEqualTo("method: NONE\n");
    }
}
