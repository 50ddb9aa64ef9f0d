package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.cli.DrawbridgeCli;
import dev.drawbridge.model.api.BasicSso.Credentials;
import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CLI's single sign-on commands against a real stack, run in-process: login forms set, shown (with the flags that
 * set them again), previewed per user (stored credential or not) and cleared; SAML set from a service provider's
 * metadata file read by the server, changed without it, shown, its IdP metadata saved, previewed; "test as user" for
 * headers with its exit code (1 while a user lacks a value, 0 once none does), of the stored settings and of a draft.
 */
class SsoCliTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.startConnector(dir.resolve("connector"), 1);
        stack.adminApi().users().create(new UserSpec("alice@corp.example", "Alice", "alice@corp.example", "Finance", PASSWORD));
        stack.adminApi().users().create(new UserSpec("bob@corp.example", "Bob", null, null, PASSWORD));
        GroupView staff = stack.adminApi().groups().create(new GroupBody("HR staff", null, null));
        stack.adminApi().groups().addMember(staff.id(), new MemberBody(stack.user("alice@corp.example").id()));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    record Run(int exit, String out, String err) {
        List<String> lines() {
            return out.lines().toList();
        }
    }

    static Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file",
                stack.dataDir().resolve("pki/server-ca.pem").toString()));
        StringWriter o = new StringWriter(), e = new StringWriter();
        DrawbridgeCli cli = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString()),
                new ByteArrayInputStream(new byte[0]));
        int code = DrawbridgeCli.commandLine(cli).setOut(new PrintWriter(o, true)).setErr(new PrintWriter(e, true))
                .execute(all.toArray(String[]::new));
        return new Run(code, o.toString(), e.toString());
    }

    static String publish(String name, String label) throws Exception {
        Run publish = cli("apps", "publish", "--name", name, "--external-url", stack.externalUrl(label), "--internal-url",
                app.baseUri().toString(), "--pre-auth", "DIRECTORY", "--no-assignment-required", "--no-translate-host");
        assertThat(publish.exit()).as(publish.err()).isZero();
        return Json.MAPPER.readTree(cli("apps", "show", name, "-o", "json").out()).path("id").asText();
    }

    @Test
    void loginFormsAreSetShownPreviewedAndCleared() throws Exception {
        String id = publish("Forms wiki", "forms-wiki");
        Run set = cli("apps", "sso", "set", "Forms wiki", "--login-path", "/login", "--username-field", "user", "--credentials", "shared");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).isEqualTo("Single sign-on of app Forms wiki: FORMS (login form at /login, shared credentials)\n");
        SsoSettings expected = SsoSettings.forms(new FormsSso("/login", "user", null, Credentials.SHARED));
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(expected);
        Run show = cli("apps", "sso", "show", "Forms wiki");
        assertThat(show.lines()).contains("password field: (detected from the form)");
        assertThat(show.lines().getLast()).isEqualTo("as flags: --login-path '/login' --username-field 'user' --credentials shared");

        // Test as user: no shared credential yet (a problem, exit 1); then one.
        Run missing = cli("apps", "sso", "preview", "Forms wiki", "--user", "bob@corp.example");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.out()).contains("method: FORMS\ncredentials: the app's shared one\nstored: no\n")
                .contains("  - single sign-on fails for every user: its shared user name and password are not set");
        DrawbridgeCli withStdin = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString()),
                new ByteArrayInputStream("svc-secret\n".getBytes(StandardCharsets.UTF_8)));
        StringWriter err = new StringWriter();
        int code = DrawbridgeCli.commandLine(withStdin).setOut(new PrintWriter(new StringWriter(), true)).setErr(new PrintWriter(err, true))
                .execute("apps", "sso", "shared-credential", "set", "Forms wiki", "--username", "svc-wiki", "--password-stdin",
                        "--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file",
                        stack.dataDir().resolve("pki/server-ca.pem").toString());
        assertThat(code).as(err.toString()).isZero();
        Run ok = cli("apps", "sso", "preview", "Forms wiki", "--user", "bob@corp.example");
        assertThat(ok.exit()).as(ok.out()).isZero();
        assertThat(ok.out()).contains("stored: yes\n", "problems: none\n").doesNotContain("svc-wiki", "svc-secret");

        assertThat(cli("apps", "sso", "clear", "Forms wiki").exit()).isZero();
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(SsoSettings.NONE);
    }

    @Test
    void samlIsSetFromTheServiceProvidersMetadataChangedShownAndPreviewed() throws Exception {
        String id = publish("SAML HR", "saml-hr");
        String external = stack.externalUrl("saml-hr");
        Path sp = Files.writeString(dir.resolve("sp.xml"), """
                <md:EntityDescriptor xmlns:md="urn:oasis:names:tc:SAML:2.0:metadata" entityID="%smellon/metadata">
                 <md:SPSSODescriptor protocolSupportEnumeration="urn:oasis:names:tc:SAML:2.0:protocol" AuthnRequestsSigned="false">
                  <md:NameIDFormat>urn:oasis:names:tc:SAML:2.0:nameid-format:persistent</md:NameIDFormat>
                  <md:AssertionConsumerService Binding="urn:oasis:names:tc:SAML:2.0:bindings:HTTP-POST" Location="%smellon/postResponse" index="0"/>
                 </md:SPSSODescriptor>
                </md:EntityDescriptor>""".formatted(external, external));
        Run set = cli("apps", "sso", "set", "SAML HR", "--sp-metadata", sp.toString(), "--attribute", "email=email", "--attribute",
                "groups=groups;format=basic");
        assertThat(set.exit()).as(set.err()).isZero();
        SamlSso stored = stack.adminApi().apps().sso(id).saml();
        assertThat(stored.spEntityId()).isEqualTo(external + "mellon/metadata");
        assertThat(stored.acsUrl()).isEqualTo(external + "mellon/postResponse");
        assertThat(stored.nameIdFormat()).isEqualTo(SamlSso.NameIdFormat.PERSISTENT);
        assertThat(stored.attributes()).containsExactly(SamlAttribute.of("email", HeaderSource.EMAIL),
                new SamlAttribute("groups", HeaderSource.GROUPS, null, SamlAttribute.NameFormat.BASIC));

        // Changed without the metadata: the service provider stays, the attributes too.
        Run change = cli("apps", "sso", "set", "SAML HR", "--name-id-format", "email-address", "--signing", "both");
        assertThat(change.exit()).as(change.err()).isZero();
        SamlSso changed = stack.adminApi().apps().sso(id).saml();
        assertThat(changed.spEntityId()).isEqualTo(stored.spEntityId());
        assertThat(changed.attributes()).isEqualTo(stored.attributes());
        assertThat(changed.nameIdSource()).isEqualTo(HeaderSource.EMAIL);
        assertThat(changed.signing()).isEqualTo(SamlSso.Signing.BOTH);
        Run show = cli("apps", "sso", "show", "SAML HR");
        assertThat(show.out()).contains("name id: email-address, from email\n", "signing: both\n");

        Path idp = dir.resolve("idp.xml");
        assertThat(cli("apps", "sso", "saml", "idp-metadata", "SAML HR", "--out", idp.toString()).exit()).isZero();
        assertThat(Files.readString(idp)).contains("IDPSSODescriptor", "/saml/" + id);

        Run alice = cli("apps", "sso", "preview", "SAML HR", "--user", "alice@corp.example");
        assertThat(alice.exit()).as(alice.out()).isZero();
        assertThat(alice.out()).contains("name id format: email-address\nname id: alice@corp.example\n", "email      alice@corp.example",
                "groups     HR staff");
        Run bob = cli("apps", "sso", "preview", "SAML HR", "--user", "bob@corp.example");
        assertThat(bob.exit()).isEqualTo(1);
        assertThat(bob.out()).contains("name id: (none)\n", "  - bob@corp.example has no e-mail address for the SAML NameID");
        // A draft: persistent, previewed and not stored.
        Run draft = cli("apps", "sso", "preview", "SAML HR", "--user", "bob@corp.example", "--name-id-format", "persistent",
                "--no-attributes");
        assertThat(draft.exit()).as(draft.out() + draft.err()).isZero();
        assertThat(draft.out()).contains("(draft settings, not stored)", "name id format: persistent\n", "attributes: none\n");
        assertThat(stack.adminApi().apps().sso(id).saml()).isEqualTo(changed);
    }

    @Test
    void previewOfHeadersExitsOneWhileAUserLacksAValue() throws Exception {
        publish("Header portal", "header-portal");
        assertThat(cli("apps", "sso", "set", "Header portal", "--header", "X-Remote-User=upn", "--header", "X-Email=email").exit()).isZero();
        Run alice = cli("apps", "sso", "preview", "Header portal", "--user", "alice@corp.example");
        assertThat(alice.exit()).as(alice.out()).isZero();
        assertThat(alice.lines()).contains("HEADER         VALUE", "X-Remote-User  alice@corp.example", "X-Email        alice@corp.example",
                "problems: none");
        Run bob = cli("apps", "sso", "preview", "Header portal", "--user", "bob@corp.example");
        assertThat(bob.exit()).isEqualTo(1);
        assertThat(bob.out()).contains("  - bob@corp.example has no e-mail address: the backend gets no X-Email header");
        JsonNode json = Json.MAPPER.readTree(cli("apps", "sso", "preview", "Header portal", "--user", "bob@corp.example", "-o", "json").out());
        assertThat(json.path("method").asText()).isEqualTo(SsoMethod.HEADERS.name());
        assertThat(json.path("headers").get(0).path("value").asText()).isEqualTo("bob@corp.example");
        Run draft = cli("apps", "sso", "preview", "Header portal", "--user", "bob@corp.example", "--header", "X-Who=upn;before-at");
        assertThat(draft.exit()).isZero();
        assertThat(draft.lines()).contains("X-Who   bob");
        Run unknown = cli("apps", "sso", "preview", "Header portal", "--user", "nobody@corp.example");
        assertThat(unknown.exit()).isEqualTo(1);
        assertThat(unknown.err()).contains("HTTP 404", "  user: no user with id or UPN 'nobody@corp.example'");
    }
}
