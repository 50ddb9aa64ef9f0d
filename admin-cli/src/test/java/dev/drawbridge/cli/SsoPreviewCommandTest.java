package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.BasicSso.Credentials;
import dev.drawbridge.model.api.SamlSso.NameIdFormat;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoPreview;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge apps sso preview}: what it sends (the user, and a draft only when settings flags are given, checked
 * here first: nothing sent when they are not valid), how it prints each method's preview and the problems, its exit code
 * (1 when there is a problem, as {@code apps test}), and that nothing a hostile server puts in a preview reaches the
 * terminal as a control character, in table, quiet or JSON mode. A JDK HttpServer plays the admin API.
 */
class SsoPreviewCommandTest {
    static final String APP = "6f1c1b9e-3f51-4a0b-9d1e-6c7a2d9b8e10";
    static final String PREVIEW = "/api/v1/apps/" + APP + "/sso/preview";
    static final int[] CONTROLS = IntStream.concat(IntStream.concat(IntStream.range(0, 0x20), IntStream.rangeClosed(0x7f, 0x9f)),
            IntStream.of(0x061c, 0x200e, 0x200f, 0x202a, 0x202e, 0x2066, 0x2069, 0x2028, 0x2029)).toArray();
    static final String HOSTILE = "\u001b]52;c;Y3VybA==\u0007\u001b[2K\u009b31m\u202e" + new String(CONTROLS, 0, CONTROLS.length);
    @TempDir
    Path config;
    FakeAdminServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeAdminServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FakeAdminServer.Run run(String... args) {
        return server.run(config, "", args);
    }

    private void answer(SsoPreview p) throws Exception {
        server.answer("POST", PREVIEW, 200, Output.JSON.writeValueAsString(p));
    }

    static SsoPreview headers(List<String> problems) {
        return new SsoPreview(SsoMethod.HEADERS, "u-1", "alice@corp.example", List.of(new SsoPreview.Header("X-Remote-User",
                "alice@corp.example"), new SsoPreview.Header("X-Groups", "grp:hr;grp:ops")), null, null, null, problems);
    }

    @Test
    void aCleanPreviewIsATableAndExitsZero() throws Exception {
        answer(headers(List.of()));
        FakeAdminServer.Run r = run("apps", "sso", "preview", APP, "--user", "alice@corp.example");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("""
                app: %s
                user: alice@corp.example (u-1)
                method: HEADERS
                HEADER         VALUE
                X-Remote-User  alice@corp.example
                X-Groups       grp:hr;grp:ops
                problems: none
                """.formatted(APP));
        // The stored settings: the body names the user only.
        assertThat(server.received("POST", PREVIEW)).singleElement().satisfies(q -> assertThat(Output.JSON.readTree(q.body()))
                .isEqualTo(Output.JSON.readTree("{\"user\":\"alice@corp.example\"}")));
    }

    @Test
    void problemsAreListedAndExitOne() throws Exception {
        answer(headers(List.of("alice@corp.example is not assigned to the app", "no connector of the group 'Default' is connected")));
        FakeAdminServer.Run r = run("apps", "sso", "preview", APP, "--user", "alice@corp.example");
        assertThat(r.exit()).isEqualTo(CliException.API);
        assertThat(r.out()).endsWith("""
                problems:
                  - alice@corp.example is not assigned to the app
                  - no connector of the group 'Default' is connected
                """);
        FakeAdminServer.Run quiet = run("apps", "sso", "preview", APP, "--user", "alice@corp.example", "-q");
        assertThat(quiet.exit()).isEqualTo(CliException.API);
        assertThat(quiet.out()).isEmpty();
        FakeAdminServer.Run json = run("apps", "sso", "preview", APP, "--user", "alice@corp.example", "-o", "json");
        assertThat(json.exit()).isEqualTo(CliException.API);
        assertThat(Output.JSON.readTree(json.out()).path("problems").size()).isEqualTo(2);
    }

    @Test
    void eachMethodIsShownReadably() {
        SsoPreview kerberos = new SsoPreview(SsoMethod.KERBEROS, "u-1", "alice@corp.example", null,
                new SsoPreview.Kerberos("alice@CORP.EXAMPLE", "HTTP/intranet@CORP.EXAMPLE", true), null, null, null);
        assertThat(AppSsoPreviewCommand.render("Intranet", false, kerberos)).isEqualTo("""
                app: Intranet
                user: alice@corp.example (u-1)
                method: KERBEROS
                principal: alice@CORP.EXAMPLE
                spn: HTTP/intranet@CORP.EXAMPLE
                ticket up front: yes
                problems: none
                """);
        SsoPreview none = new SsoPreview(SsoMethod.KERBEROS, "u-2", "bob@corp.example", null,
                new SsoPreview.Kerberos(null, "HTTP/intranet", false), null, null, List.of("bob has no on-premises SAM account name"));
        assertThat(AppSsoPreviewCommand.render("Intranet", true, none)).contains("app: Intranet (draft settings, not stored)\n",
                "principal: (none)\n", "problems:\n  - bob has no on-premises SAM account name\n");
        SsoPreview vault = new SsoPreview(SsoMethod.FORMS, "u-1", "alice@corp.example", null, null,
                new SsoPreview.Password(Credentials.SHARED, false), null, null);
        assertThat(AppSsoPreviewCommand.render("Wiki", false, vault)).contains("method: FORMS\ncredentials: the app's shared one\nstored: no\n");
        SsoPreview saml = new SsoPreview(SsoMethod.SAML, "u-1", "alice@corp.example", null, null, null,
                new SsoPreview.Saml(NameIdFormat.PERSISTENT, "u-1", List.of(new SsoPreview.Attribute("email", List.of("alice@corp.example")),
                        new SsoPreview.Attribute("groups", List.of("HR staff", "Everyone")))), null);
        assertThat(AppSsoPreviewCommand.render("HR", false, saml)).isEqualTo("""
                app: HR
                user: alice@corp.example (u-1)
                method: SAML
                name id format: persistent
                name id: u-1
                ATTRIBUTE  VALUE
                email      alice@corp.example
                groups     HR staff
                           Everyone
                problems: none
                """);
        SsoPreview random = new SsoPreview(SsoMethod.SAML, "u-1", "alice@corp.example", null, null, null,
                new SsoPreview.Saml(NameIdFormat.TRANSIENT, null, List.of()), null);
        assertThat(AppSsoPreviewCommand.render("HR", false, random)).contains("name id: (a random id at each sign-in)\nattributes: none\n");
    }

    @Test
    void aDraftIsCheckedHereAndSentWithTheUser() throws Exception {
        answer(headers(List.of()));
        FakeAdminServer.Run bad = run("apps", "sso", "preview", APP, "--user", "alice", "--header", "Host=upn");
        assertThat(bad.exit()).as(bad.err()).isEqualTo(CliException.USAGE);
        assertThat(bad.err()).contains("--header 'Host=upn' (name): 'Host' is reserved");
        assertThat(server.received).isEmpty();
        FakeAdminServer.Run ok = run("apps", "sso", "preview", APP, "--user", "alice", "--header", "X-Who=upn;before-at");
        assertThat(ok.exit()).as(ok.err()).isZero();
        assertThat(ok.out()).startsWith("app: " + APP + " (draft settings, not stored)\n");
        JsonNode sent = Output.JSON.readTree(server.received("POST", PREVIEW).getFirst().body());
        assertThat(sent.path("user").asText()).isEqualTo("alice");
        assertThat(sent.path("settings").path("method").asText()).isEqualTo("HEADERS");
        assertThat(sent.path("settings").path("headers").get(0).path("name").asText()).isEqualTo("X-Who");
        assertThat(sent.path("settings").path("headers").get(0).path("beforeAt").asBoolean()).isTrue();
        // No store: only the preview was called.
        assertThat(server.received).extracting(FakeAdminServer.Received::method).containsOnly("POST");
    }

    @Test
    void aUserIsRequiredAndAnUnknownOneIsTheServersProblem() {
        FakeAdminServer.Run missing = run("apps", "sso", "preview", APP);
        assertThat(missing.exit()).isEqualTo(CliException.USAGE);
        assertThat(missing.err()).contains("--user");
        server.answer("POST", PREVIEW, 404, "{\"title\":\"Not found\",\"status\":404,\"detail\":\"no user with id or UPN 'zed'\","
                + "\"errors\":[{\"field\":\"user\",\"message\":\"no user with id or UPN 'zed'\"}]}");
        FakeAdminServer.Run unknown = run("apps", "sso", "preview", APP, "--user", "zed");
        assertThat(unknown.exit()).isEqualTo(CliException.API);
        assertThat(unknown.err()).contains("error: Not found (HTTP 404)", "  user: no user with id or UPN 'zed'");
    }

    @Test
    void nothingAHostilePreviewHoldsReachesTheTerminal() throws Exception {
        for (SsoPreview p : List.of(
                new SsoPreview(SsoMethod.HEADERS, HOSTILE, HOSTILE, List.of(new SsoPreview.Header(HOSTILE, HOSTILE)), null, null, null,
                        List.of(HOSTILE)),
                new SsoPreview(SsoMethod.KERBEROS, HOSTILE, HOSTILE, null, new SsoPreview.Kerberos(HOSTILE, HOSTILE, false), null, null,
                        List.of(HOSTILE)),
                new SsoPreview(SsoMethod.SAML, HOSTILE, HOSTILE, null, null, null, new SsoPreview.Saml(NameIdFormat.EMAIL_ADDRESS, HOSTILE,
                        List.of(new SsoPreview.Attribute(HOSTILE, List.of(HOSTILE, HOSTILE)))), List.of(HOSTILE)))) {
            answer(p);
            for (String[] mode : new String[][]{{}, {"-q"}, {"-o", "json"}}) {
                List<String> args = new java.util.ArrayList<>(List.of("apps", "sso", "preview", APP, "--user", "alice"));
                args.addAll(List.of(mode));
                FakeAdminServer.Run r = run(args.toArray(String[]::new));
                assertThat(r.exit()).as(r.err()).isEqualTo(CliException.API);
                assertTerminalSafe(r.out());
                assertTerminalSafe(r.err());
                if (mode.length == 2) {
                    assertThat(Output.JSON.readTree(r.out()).path("upn").asText()).isEqualTo(HOSTILE);
                }
            }
            // Each value on its line: no character of the hostile text broke one.
            assertThat(run("apps", "sso", "preview", APP, "--user", "alice").out()).contains("\\u001b]52;c;");
        }
    }

    /** No character a terminal acts on, but the line ends the CLI writes itself. */
    static void assertTerminalSafe(String printed) {
        List<String> found = printed.chars().filter(c -> c != '\n' && IntStream.of(CONTROLS).anyMatch(x -> x == c))
                .mapToObj(c -> String.format("U+%04X", c)).toList();
        assertThat(found).as(printed).isEmpty();
    }
}
