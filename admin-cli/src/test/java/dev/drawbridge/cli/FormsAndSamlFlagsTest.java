package dev.drawbridge.cli;

import dev.drawbridge.cli.OfflineCli.Run;
import dev.drawbridge.model.api.BasicSso.Credentials;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code drawbridge apps sso set} for login forms and SAML without a server: the FORMS flags make the settings, each
 * mistake named with its flag, exit 2, nothing sent (the server given is a closed port: a call would exit 3); the
 * {@code --attribute} syntax read and written back; a service provider's metadata file that is missing, empty or larger
 * than the server reads refused before any call; SAML flags with another method refused; what {@code show} prints for
 * both, and the flags that set them again.
 */
class FormsAndSamlFlagsTest {
    @TempDir
    Path dir;

    private Run run(String... args) throws Exception {
        return OfflineCli.run(dir.resolve("config"), args);
    }

    private static AppSsoCommands.Flags forms(String method, String loginPath, String user, String pass, Credentials whose) {
        return new AppSsoCommands.Flags(method == null ? null : SsoMethod.valueOf(method), null, null, null, false, whose, loginPath, user,
                pass, null, null);
    }

    @Test
    void theFormsFlagsMakeTheSettingsAndTheMethod() throws Exception {
        assertThat(AppSsoCommands.settings(forms(null, " /login ", "user", "pass", Credentials.SHARED)))
                .isEqualTo(SsoSettings.forms(new FormsSso("/login", "user", "pass", Credentials.SHARED)));
        assertThat(AppSsoCommands.settings(forms(null, "/auth/sign-in", null, null, null)))
                .isEqualTo(SsoSettings.forms(FormsSso.detect("/auth/sign-in")));
        assertThat(AppSsoCommands.settings(forms("FORMS", "/login", null, "pw", Credentials.USER)).forms())
                .isEqualTo(new FormsSso("/login", null, "pw", Credentials.USER));
        // --credentials alone is still BASIC.
        assertThat(AppSsoCommands.settings(forms(null, null, null, null, Credentials.SHARED)).method()).isEqualTo(SsoMethod.BASIC);
        // Valid: they get as far as the (absent) server.
        assertThat(run("apps", "sso", "set", "Wiki", "--login-path", "/login", "--credentials", "shared").exit())
                .isEqualTo(CliException.UNREACHABLE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "--method,forms|--login-path: loginPath is the login form's path on the backend",
            "--method,forms,--credentials,shared|--login-path: loginPath is the login form's path on the backend",
            "--login-path,login|--login-path: loginPath is the login form's path",
            "--login-path,/a/../login|--login-path: loginPath is the login form's path",
            "--login-path,/login?next=/|--login-path: loginPath is the login form's path",
            "--login-path,//evil.example/login|--login-path: loginPath is the login form's path",
            "--login-path,/login,--username-field,pw,--password-field,pw|--password-field: the password field cannot have",
            "--method,basic,--login-path,/login|--login-path: forms settings are given only with method FORMS",
            "--method,headers,--header,X-U=upn,--username-field,u|--username-field: forms settings are given only with method FORMS"})
    void eachFormsMistakeNamesItsFlagAndNothingIsSent(String args, String line) throws Exception {
        List<String> all = new ArrayList<>(List.of("apps", "sso", "set", "Wiki"));
        all.addAll(List.of(args.split(",")));
        Run r = run(all.toArray(String[]::new));
        assertThat(r.exit()).as(r.err()).isEqualTo(CliException.USAGE);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().lines().toList()).first().isEqualTo("error: the single sign-on settings are not valid, nothing was sent:");
        assertThat(r.err().lines().skip(1).toList()).anySatisfy(l -> assertThat(l).startsWith("  " + line));
        assertThat(r.err()).doesNotContain("cannot reach");
    }

    @Test
    void formsShowPrintsTheSettingsAndTheFlagsThatSetThemAgain() throws Exception {
        SsoSettings s = SsoSettings.forms(new FormsSso("/login", "j_username", null, Credentials.SHARED));
        assertThat(SsoSettingsText.render(s)).isEqualTo("""
                method: FORMS
                login path: /login
                user-name field: j_username
                password field: (detected from the form)
                credentials: the app's shared one (apps sso shared-credential set)
                as flags: --login-path '/login' --username-field 'j_username' --credentials shared
                """);
        assertThat(SsoSettingsText.summary(s)).isEqualTo("FORMS (login form at /login, shared credentials)");
        // What show prints is what set reads back.
        assertThat(AppSsoCommands.settings(forms(null, "/login", "j_username", null, Credentials.SHARED))).isEqualTo(s);
    }

    @Test
    void everyAttributeIsReadBackAsItWasWritten() throws Exception {
        assertThat(SamlAttributeSyntax.parse("email=email")).isEqualTo(SamlAttribute.of("email", HeaderSource.EMAIL));
        assertThat(SamlAttributeSyntax.parse(" department = CLAIM ;claim=department;format=Basic")).isEqualTo(
                new SamlAttribute("department", HeaderSource.CLAIM, "department", SamlAttribute.NameFormat.BASIC));
        assertThat(SamlAttributeSyntax.parse("urn:oid:0.9.2342.19200300.100.1.3=email;format=uri")).isEqualTo(
                new SamlAttribute("urn:oid:0.9.2342.19200300.100.1.3", HeaderSource.EMAIL, null, SamlAttribute.NameFormat.URI));
        for (HeaderSource source : HeaderSource.values()) {
            for (SamlAttribute a : List.of(SamlAttribute.of("a;b\\c=d", source), new SamlAttribute("x", source,
                    source == HeaderSource.CLAIM ? "c;l\\aim" : null, SamlAttribute.NameFormat.BASIC))) {
                String spec = SamlAttributeSyntax.format(a);
                assertThat(SamlAttributeSyntax.parse(spec)).as(spec).isEqualTo(a);
            }
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "email|an attribute is NAME=SOURCE",
            "=email|no attribute name before '='",
            "email=mail|unknown source 'mail'; the sources are upn",
            "email=email;format|option 'format' needs a value",
            "email=email;format=xml|unknown format 'xml'",
            "email=email;lower|option 'lower' needs a value",
            "email=email;claim=a;claim=b|option 'claim' is given twice",
            "email=email;;format=uri|an empty option"})
    void eachAttributeMistakeIsNamed(String spec, String message) {
        assertThatThrownBy(() -> SamlAttributeSyntax.parse(spec)).isInstanceOf(HeaderRuleSyntax.SyntaxException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void samlFlagsAreCheckedBeforeAnyCall() throws Exception {
        Path big = dir.resolve("big.xml");
        Files.write(big, new byte[SamlFlags.MAX_METADATA + 1]);
        Path empty = Files.createFile(dir.resolve("empty.xml"));
        Path good = Files.writeString(dir.resolve("sp.xml"), "<md:EntityDescriptor/>");
        record Case(List<String> args, String says) {
        }
        for (Case c : List.of(
                new Case(List.of("--sp-metadata", big.toString()), "is larger than 256 KiB"),
                new Case(List.of("--sp-metadata", empty.toString()), "is empty"),
                new Case(List.of("--sp-metadata", dir.resolve("missing.xml").toString()), "--sp-metadata: cannot read"),
                new Case(List.of("--sp-metadata", dir.toString()), "--sp-metadata: cannot read"),
                new Case(List.of("--sp-metadata", good.toString(), "--attribute", "email"), "--attribute 'email': an attribute is NAME=SOURCE"),
                new Case(List.of("--sp-metadata", good.toString(), "--attribute", "e=email", "--no-attributes"), "exclude each other"),
                new Case(List.of("--name-id-format", "opaque"), "expected one of unspecified, email-address, persistent, transient"),
                new Case(List.of("--method", "headers", "--header", "X-U=upn", "--name-id-format", "persistent", "--signing", "both"),
                        "--name-id-format, --signing go with method SAML only"),
                new Case(List.of("--spn", "HTTP/x", "--attribute", "e=email"), "--attribute goes with method SAML only"))) {
            List<String> all = new ArrayList<>(List.of("apps", "sso", "set", "HR"));
            all.addAll(c.args());
            Run r = run(all.toArray(String[]::new));
            assertThat(r.exit()).as(c + r.err()).isEqualTo(CliException.USAGE);
            assertThat(r.err()).as(c.toString()).contains(c.says()).doesNotContain("cannot reach", "Exception");
        }
        // Read and valid so far: the next step is the server's.
        Run sent = run("apps", "sso", "set", "HR", "--sp-metadata", good.toString(), "--name-id-format", "persistent", "--attribute",
                "groups=groups");
        assertThat(sent.exit()).as(sent.err()).isEqualTo(CliException.UNREACHABLE);
    }

    @Test
    void samlShowPrintsTheSettingsAndTheFlagsThatSetThemAgain() {
        SsoSettings s = new SsoSettings(SsoMethod.SAML, List.of(), null, new SamlSso("https://hr.example.com/mellon/metadata",
                "https://hr.example.com/mellon/postResponse", null, SamlSso.NameIdFormat.PERSISTENT, null, null,
                List.of(SamlAttribute.of("email", HeaderSource.EMAIL), new SamlAttribute("dept", HeaderSource.CLAIM, "department",
                        SamlAttribute.NameFormat.BASIC)), SamlSso.Signing.BOTH, "https://hr.example.com/"));
        assertThat(SsoSettingsText.render(s)).isEqualTo("""
                method: SAML
                sp entity id: https://hr.example.com/mellon/metadata
                acs url: https://hr.example.com/mellon/postResponse
                sp certificate: none (requests are not signed)
                name id: persistent, from object-id
                signing: both
                relay state: https://hr.example.com/
                ATTRIBUTE  SOURCE  CLAIM       NAME FORMAT
                email      email   -           -
                dept       claim   department  basic
                as flags: --method saml --name-id-format persistent --name-id-source object-id --attribute 'email=email' \
                --attribute 'dept=claim;claim=department;format=basic' --signing both --relay-state 'https://hr.example.com/' \
                (and --sp-metadata FILE on an app without SAML settings)
                """);
        assertThat(SsoSettingsText.summary(s)).isEqualTo("SAML (service provider https://hr.example.com/mellon/metadata, NameID persistent,"
                + " 2 attributes)");
        SsoSettings random = new SsoSettings(SsoMethod.SAML, List.of(), null, new SamlSso("urn:sp", "https://hr.example.com/acs", null,
                SamlSso.NameIdFormat.TRANSIENT, null, null, null, null, null));
        assertThat(SsoSettingsText.render(random)).contains("name id: transient (a random id at each sign-in)\n", "attributes: none\n")
                .contains("as flags: --method saml --name-id-format transient --no-attributes --signing assertion (and");
    }
}
