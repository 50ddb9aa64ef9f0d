package dev.drawbridge.systemtests.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.cli.DrawbridgeCli;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.KerberosSso;
import dev.drawbridge.model.api.SsoMethod;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import dev.drawbridge.proxy.pki.Pem;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.identity.Keytabs;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The {@code drawbridge} admin CLI against a real stack, run in-process with its own writers (the
 * stack logs to the console concurrently): publish and reach an app, tables and JSON, tokens,
 * directory and assignments, single sign-on (headers, Kerberos), following the sign-in log, errors and exit codes, login.
 */
class AdminCliTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.startConnector(dir.resolve("connector"), 1);
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

    /** Runs the CLI against the stack with the bootstrap admin credential; no stored login. */
    static Run cli(String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file", ca()));
        return raw(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString()), "", all.toArray(String[]::new));
    }

    /** Runs the CLI with exactly these arguments, environment and standard input. */
    static Run raw(Map<String, String> env, String stdin, String... args) {
        StringWriter o = new StringWriter(), e = new StringWriter();
        DrawbridgeCli cli = new DrawbridgeCli(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)));
        int code = DrawbridgeCli.commandLine(cli).setOut(new PrintWriter(o, true)).setErr(new PrintWriter(e, true)).execute(args);
        return new Run(code, o.toString(), e.toString());
    }

    static String ca() {
        return stack.dataDir().resolve("pki/server-ca.pem").toString();
    }

    static JsonNode json(Run r) throws Exception {
        assertThat(r.exit()).as(r.err()).isZero();
        return Json.MAPPER.readTree(r.out());
    }

    /** Every row's cell under {@code header} starts where the header does: the columns are aligned. */
    static void assertAligned(Run table, String... headers) {
        String head = table.lines().getFirst();
        assertThat(table.lines()).hasSizeGreaterThan(1);
        for (String h : headers) {
            int at = head.indexOf(h);
            assertThat(at).as("header " + h + " in " + head).isGreaterThanOrEqualTo(0);
            for (String row : table.lines().subList(1, table.lines().size())) {
                assertThat(row.length()).as(row).isGreaterThan(at);
                assertThat(row.charAt(at - 1)).as("a space before column " + h + " in\n" + table.out()).isEqualTo(' ');
                assertThat(row.charAt(at)).as("column " + h + " starts at " + at + " in\n" + table.out()).isNotEqualTo(' ');
            }
        }
    }

    @Test
    void publishShowUpdateReachAndDeleteAnApp() throws Exception {
        Run publish = cli("apps", "publish", "--name", "HR portal", "--external-url", stack.externalUrl("hr"),
                "--internal-url", app.baseUri().toString());
        assertThat(publish.exit()).as(publish.err()).isZero();
        assertThat(publish.out()).startsWith("Published 'HR portal' (").contains(stack.externalUrl("hr"));

        Run list = cli("apps", "list");
        assertThat(list.exit()).isZero();
        assertThat(list.lines().getFirst()).matches("NAME +EXTERNAL URL +INTERNAL URL +GROUP +PRE-AUTH +ID");
        assertThat(list.out()).contains("HR portal").contains("Default").contains("PASSTHROUGH");
        assertAligned(list, "EXTERNAL URL", "INTERNAL URL", "GROUP", "PRE-AUTH", "ID");

        JsonNode listed = json(cli("apps", "list", "-o", "json"));
        assertThat(listed.path("items").findValuesAsText("name")).contains("HR portal");

        var r = stack.http().newRequest(URI.create(stack.externalUrl("hr") + "echo/cli")).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(200);

        // By name, case-insensitively: the CLI finds the id.
        Run show = cli("apps", "show", "hr PORTAL");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.out()).containsPattern("(?m)^externalUrl: +" + Pattern.quote(stack.externalUrl("hr")) + "$");
        Run update = cli("apps", "update", "HR portal", "--timeout", "long", "--no-translate-host", "--case-insensitive-paths");
        assertThat(update.exit()).as(update.err()).isZero();
        JsonNode updated = json(cli("apps", "show", "HR portal", "--output", "json"));
        assertThat(updated.path("backendTimeout").asText()).isEqualTo("LONG");
        assertThat(updated.path("translateHostHeader").asBoolean()).isFalse();
        assertThat(updated.path("caseInsensitivePaths").asBoolean()).isTrue();
        assertThat(cli("apps", "update", "HR portal", "--no-case-insensitive-paths").exit()).isZero();
        assertThat(json(cli("apps", "show", "HR portal", "--output", "json")).path("caseInsensitivePaths").asBoolean()).isFalse();
        assertThat(updated.path("internalUrl").asText()).isEqualTo(app.baseUri().toString());

        Run delete = cli("apps", "delete", "HR portal", "-q");
        assertThat(delete.exit()).isZero();
        assertThat(delete.out().strip()).isEqualTo(updated.path("id").asText());
        assertThat(stack.http().newRequest(URI.create(stack.externalUrl("hr"))).timeout(20, TimeUnit.SECONDS).send().getStatus())
                .isEqualTo(404);
    }

    @Test
    void singleSignOnIsShownSetAndClearedOnAPreAuthenticatedAppOnly() throws Exception {
        Run publish = cli("apps", "publish", "--name", "SSO portal", "--external-url", stack.externalUrl("sso-portal"),
                "--internal-url", app.baseUri().toString(), "--pre-auth", "DIRECTORY");
        assertThat(publish.exit()).as(publish.err()).isZero();
        assertThat(cli("apps", "sso", "show", "SSO portal").out()).isEqualTo("method: NONE\n");

        Run set = cli("apps", "sso", "set", "sso portal", "--method", "headers", "--header", "X-Remote-User=upn",
                "--header", "X-Groups=groups;join=\\;;lower;prefix=CORP\\");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.out()).isEqualTo("Single sign-on of app sso portal: HEADERS (X-Remote-User, X-Groups)\n");
        String id = json(cli("apps", "show", "SSO portal", "-o", "json")).path("id").asText();
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN),
                new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, "CORP\\", ";"))));

        Run show = cli("apps", "sso", "show", "SSO portal");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.lines()).first().isEqualTo("method: HEADERS");
        assertThat(show.lines().get(1)).matches("HEADER +SOURCE +CLAIM +BEFORE @ +LOWER +PREFIX +JOIN");
        assertThat(show.lines().getLast()).isEqualTo("as flags: --header 'X-Remote-User=upn' --header 'X-Groups=groups;lower;prefix=CORP\\\\;join=\\;'");
        // What show prints is what set takes: the settings set again from it are the same.
        String flags = show.lines().getLast().substring("as flags: ".length());
        List<String> again = new ArrayList<>(List.of("apps", "sso", "set", "SSO portal"));
        Matcher m = Pattern.compile("--header '([^']*)'").matcher(flags);
        while (m.find()) {
            again.addAll(List.of("--header", m.group(1)));
        }
        assertThat(cli(again.toArray(String[]::new)).exit()).isZero();
        assertThat(json(cli("apps", "sso", "show", "SSO portal", "-o", "json")).path("headers").get(1).path("prefix").asText()).isEqualTo("CORP\\");
        assertThat(cli("apps", "sso", "show", "SSO portal", "-q").out().strip()).isEqualTo("HEADERS");

        // The app keeps its single sign-on through an update, and cannot be made passthrough while it has it.
        assertThat(cli("apps", "update", "SSO portal", "--timeout", "long").exit()).isZero();
        assertThat(stack.adminApi().apps().sso(id).method()).isEqualTo(SsoMethod.HEADERS);
        Run passthrough = cli("apps", "update", "SSO portal", "--pre-auth", "PASSTHROUGH");
        assertThat(passthrough.exit()).isEqualTo(1);
        assertThat(passthrough.err()).contains("HTTP 409").contains("preAuthentication: ").contains("remove single sign-on first");

        Run clear = cli("apps", "sso", "clear", "SSO portal");
        assertThat(clear.exit()).as(clear.err()).isZero();
        assertThat(clear.out()).isEqualTo("Removed the single sign-on of app SSO portal\n");
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(SsoSettings.NONE);
        assertThat(cli("apps", "update", "SSO portal", "--pre-auth", "PASSTHROUGH").exit()).isZero();

        // A passthrough app: the server refuses, naming the field.
        Run refused = cli("apps", "sso", "set", "SSO portal", "--header", "X-Remote-User=upn");
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTP 409").containsPattern("(?m)^  method: .*pre-authentication");
        assertThat(cli("apps", "delete", "SSO portal").exit()).isZero();
    }

    /**
     * Kerberos constrained delegation set, shown (with the flags that set it again) and cleared through the CLI; a note
     * while the app's connector group has no Kerberos settings, none once it has them.
     */
    @Test
    void kerberosSingleSignOnIsSetWithItsFlagsAndShownAsFlagsThatSetItAgain() throws Exception {
        assertThat(cli("connector-groups", "create", "Kerberos site").exit()).isZero();
        Run publish = cli("apps", "publish", "--name", "IWA portal", "--external-url", stack.externalUrl("iwa-portal"),
                "--internal-url", app.baseUri().toString(), "--pre-auth", "DIRECTORY", "--group", "Kerberos site");
        assertThat(publish.exit()).as(publish.err()).isZero();
        String id = json(cli("apps", "show", "IWA portal", "-o", "json")).path("id").asText();

        Run set = cli("apps", "sso", "set", "IWA portal", "--spn", "HTTP/intranet.corp.example", "--login-identity", "on-prem-sam",
                "--up-front");
        assertThat(set.exit()).as(set.err()).isZero();
        assertThat(set.lines()).containsExactly(
                "Single sign-on of app IWA portal: KERBEROS (HTTP/intranet.corp.example, login identity on-prem-sam, ticket up front)",
                "Note: connector group Kerberos site has no Kerberos settings yet; until it has, its connectors refuse single sign-on to"
                        + " this app. Set them with: drawbridge connector-groups kerberos set 'Kerberos site' --realm ... --kdc ..."
                        + " --principal ... --keytab FILE");
        SsoSettings expected = new SsoSettings(SsoMethod.KERBEROS, List.of(),
                new KerberosSso("HTTP/intranet.corp.example", KerberosSso.LoginIdentity.ON_PREM_SAM, true), null);
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(expected);
        assertThat(stack.adminApi().apps().get(id).ssoMethod()).isEqualTo(SsoMethod.KERBEROS);

        Run show = cli("apps", "sso", "show", "iwa portal");
        assertThat(show.exit()).as(show.err()).isZero();
        assertThat(show.lines()).containsExactly("method: KERBEROS", "spn: HTTP/intranet.corp.example", "login identity: on-prem-sam",
                "ticket up front: yes", "as flags: --spn 'HTTP/intranet.corp.example' --login-identity on-prem-sam --up-front");
        assertThat(json(cli("apps", "sso", "show", "IWA portal", "-o", "json")).path("kerberos").path("loginIdentity").asText())
                .isEqualTo("ON_PREM_SAM");
        assertThat(cli("apps", "sso", "show", "IWA portal", "-q").out().strip()).isEqualTo("KERBEROS");

        // The rules run before anything is sent: the problem names its flag, and the stored settings stay.
        Run refused = cli("apps", "sso", "set", "IWA portal", "--spn", "intranet.corp.example");
        assertThat(refused.exit()).isEqualTo(2);
        assertThat(refused.err()).contains("  --spn: spn is the backend's service principal name");
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(expected);

        // Once the group has Kerberos settings there is no note; the flags show printed set the same settings again.
        Path keytab = Files.write(dir.resolve("connector.keytab"), Keytabs.withRandomKey("HTTP/connector.corp.example@CORP.EXAMPLE"));
        Run group = cli("connector-groups", "kerberos", "set", "Kerberos site", "--realm", "CORP.EXAMPLE", "--kdc", "dc1.corp.example",
                "--principal", "HTTP/connector.corp.example", "--keytab", keytab.toString());
        assertThat(group.exit()).as(group.err()).isZero();
        cli("apps", "sso", "clear", "IWA portal");
        List<String> again = new ArrayList<>(List.of("apps", "sso", "set", "IWA portal"));
        Matcher m = Pattern.compile("'([^']*)'|(\\S+)").matcher(show.lines().getLast().substring("as flags: ".length()));
        while (m.find()) {
            again.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        Run setAgain = cli(again.toArray(String[]::new));
        assertThat(setAgain.exit()).as(setAgain.err()).isZero();
        assertThat(setAgain.lines()).hasSize(1);
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(expected);

        // The defaults: login identity upn, the ticket after the backend's challenge.
        assertThat(cli("apps", "sso", "set", "IWA portal", "--method", "kerberos", "--spn", "HTTP/intranet.corp.example@CORP.EXAMPLE")
                .exit()).isZero();
        assertThat(stack.adminApi().apps().sso(id).kerberos()).isEqualTo(
                new KerberosSso("HTTP/intranet.corp.example@CORP.EXAMPLE", KerberosSso.LoginIdentity.UPN, false));

        assertThat(cli("apps", "sso", "clear", "IWA portal").exit()).isZero();
        assertThat(stack.adminApi().apps().sso(id)).isEqualTo(SsoSettings.NONE);
        assertThat(cli("apps", "delete", "IWA portal").exit()).isZero();
        assertThat(cli("connector-groups", "kerberos", "clear", "Kerberos site").exit()).isZero();
        assertThat(cli("connector-groups", "delete", "Kerberos site").exit()).isZero();
    }

    @Test
    void connectorsAsAlignedTableAndAsJson() throws Exception {
        Run table = cli("connectors", "list");
        assertThat(table.exit()).as(table.err()).isZero();
        assertThat(table.lines().getFirst()).matches("HOST +GROUP +STATUS +TUNNELS +VERSION +LAST SEEN +CERT UNTIL +UPDATE STATE +LAST ERROR +ID");
        assertThat(table.lines().get(1)).contains("Default").contains("ACTIVE").containsPattern(" 20\\d\\d-\\d\\d-\\d\\d")
                // An in-process connector has no supervisor: it reports that auto-update is off (IDLE until its first report).
                .containsPattern(" (DISABLED|IDLE) ");
        assertAligned(table, "GROUP", "STATUS", "TUNNELS", "CERT UNTIL", "UPDATE STATE", "ID");

        JsonNode page = json(cli("connectors", "list", "--output", "json"));
        JsonNode first = page.path("items").get(0);
        assertThat(first.path("status").asText()).isEqualTo("ACTIVE");
        assertThat(first.path("tunnels").asInt()).isEqualTo(1);

        Run ids = cli("connectors", "list", "--quiet");
        assertThat(ids.out().strip()).isEqualTo(first.path("id").asText());
        Run show = cli("connectors", "show", first.path("id").asText());
        assertThat(show.out()).containsPattern("(?m)^status: +ACTIVE$");

        Run groups = cli("connector-groups", "list");
        assertThat(groups.lines().getFirst()).matches("NAME +CONNECTORS +ACTIVE +ID");
        assertThat(groups.lines().get(1)).matches("Default +1 +1 +\\S+");
        assertThat(cli("connector-groups", "show", "default").out()).containsPattern("(?m)^activeConnectors: +1$");
    }

    @Test
    void registrationTokenWithItsInstallCommand() throws Exception {
        Run table = cli("tokens", "create", "--ttl-minutes", "5");
        assertThat(table.exit()).as(table.err()).isZero();
        // The command asks for the token (a command line is visible to every user of the machine); the table shows it apart.
        assertThat(table.out()).contains("Run on the connector machine").contains("paste the token when asked")
                .containsPattern("(?m)^token: +dbreg_\\S+$")
                .containsPattern("(?m)^  drawbridge-connector register --server \\S+ --ca-sha256 \\S+ --token -$");
        JsonNode token = json(cli("tokens", "create", "--group", "Default", "-o", "json"));
        assertThat(token.path("token").asText()).startsWith("dbreg_");
        assertThat(token.path("installCommand").asText()).startsWith("drawbridge-connector register --server " + stack.adminUrl())
                .endsWith(" --token -").doesNotContain("dbreg_");
        assertThat(cli("tokens", "create", "-q").out().strip()).startsWith("dbreg_");
    }

    @Test
    void usersGroupsMembersAndAssignments() throws Exception {
        Run user = raw(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString()), "a long enough password\n",
                "users", "create", "--upn", "carol@corp.example", "--display-name", "Carol", "--password-stdin",
                "--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file", ca());
        assertThat(user.exit()).as(user.err()).isZero();
        assertThat(json(cli("users", "show", "carol@corp.example", "-o", "json")).path("hasPassword").asBoolean()).isTrue();
        assertThat(cli("users", "list", "--search", "CAROL", "-q").lines()).hasSize(1);

        assertThat(cli("groups", "create", "Finance", "--description", "Money people").exit()).isZero();
        Run add = cli("groups", "add-member", "finance", "carol@corp.example");
        assertThat(add.exit()).as(add.err()).isZero();
        Run members = cli("groups", "members", "Finance");
        assertThat(members.lines().getFirst()).startsWith("UPN");
        assertThat(members.out()).contains("carol@corp.example");
        assertThat(cli("groups", "list").out()).containsPattern("(?m)^Finance +1 ");

        assertThat(cli("apps", "publish", "--name", "Ledger", "--external-url", stack.externalUrl("ledger"),
                "--internal-url", app.baseUri().toString(), "--pre-auth", "directory").exit()).isZero();
        Run assign = cli("apps", "assign", "Ledger", "--group", "Finance");
        assertThat(assign.exit()).as(assign.err()).isZero();
        Run assignments = cli("apps", "assignments", "Ledger");
        assertThat(assignments.lines().get(1)).matches("GROUP +Finance +\\S+ +\\S+");
        assertThat(cli("apps", "unassign", "Ledger", "--group", "Finance").exit()).isZero();
        assertThat(cli("apps", "assignments", "Ledger").lines()).hasSize(1);

        assertThat(cli("apps", "add-owner", "Ledger", "carol@corp.example").exit()).isZero();
        assertThat(cli("apps", "owners", "Ledger").out()).contains("carol@corp.example");
        assertThat(cli("apps", "remove-owner", "Ledger", "carol@corp.example").exit()).isZero();
        assertThat(cli("apps", "owners", "Ledger").lines()).hasSize(1);

        assertThat(cli("users", "disable", "carol@corp.example").exit()).isZero();
        assertThat(json(cli("users", "show", "carol@corp.example", "-o", "json")).path("enabled").asBoolean()).isFalse();
        assertThat(cli("groups", "remove-member", "Finance", "carol@corp.example").exit()).isZero();
        assertThat(cli("groups", "members", "Finance").lines()).hasSize(1);
    }

    /**
     * A user named on the command line is the account whose id or UPN it is, as the server resolves names: never one
     * whose email merely equals it. Emails are not unique, and a federated or synced account's email is a claim or
     * attribute its owner may choose: naming a colleague by an address that is not their UPN (or before their account
     * exists) must not reach, promote or disable the account that chose that email.
     */
    @Test
    void aUserIsNamedByIdOrUpnNeverByAnotherAccountsEmail() throws Exception {
        var trudy = stack.api("POST", "users", Map.of("upn", "trudy@corp.example", "displayName", "Trudy",
                "email", "new.hire@corp.example"));
        assertThat(trudy.status()).as(String.valueOf(trudy.body())).isEqualTo(201);
        String id = trudy.body().path("id").asText();
        var group = stack.api("POST", "groups", Map.of("name", "Email trap"));
        assertThat(stack.api("POST", "groups/" + group.body().path("id").asText() + "/members", Map.of("user", id)).status())
                .isEqualTo(200);
        List<String> wrong = new ArrayList<>();
        for (List<String> args : List.of(List.of("users", "set-roles", "new.hire@corp.example", "GLOBAL_ADMINISTRATOR"),
                List.of("users", "set-roles", "NEW.HIRE@corp.example", "APPLICATION_ADMINISTRATOR"),
                List.of("users", "disable", "new.hire@corp.example"), List.of("users", "delete", "new.hire@corp.example"),
                List.of("users", "revoke-sessions", "new.hire@corp.example"), List.of("users", "reset-mfa", "new.hire@corp.example"),
                List.of("users", "show", "new.hire@corp.example"), List.of("groups", "remove-member", "Email trap", "new.hire@corp.example"))) {
            Run r = cli(args.toArray(String[]::new));
            if (r.exit() == 0 || !r.err().contains("with id or upn")) {
                wrong.add(String.join(" ", args) + " -> exit " + r.exit() + ": " + r.out().strip() + r.err().strip());
            }
        }
        assertThat(wrong).isEmpty();
        JsonNode after = stack.api("GET", "users/" + id, null).body();
        assertThat(stack.api("GET", "users/" + id + "/roles", null).body().path("roles")).isEmpty();
        assertThat(after.path("enabled").asBoolean()).isTrue();
        assertThat(after.path("groups").findValuesAsText("")).isEmpty();
        assertThat(after.path("groups").toString()).contains("Email trap");
        // Its UPN (any case) and its id still name it.
        assertThat(cli("users", "show", "TRUDY@corp.example").exit()).isZero();
        assertThat(cli("users", "show", id).exit()).isZero();
    }

    @Test
    void followPrintsASignInThatHappensBetweenPolls() throws Exception {
        CompletableFuture<Run> follow = new CompletableFuture<>();
        StringWriter live = new StringWriter();
        Thread t = Thread.ofVirtual().start(() -> {
            StringWriter e = new StringWriter();
            DrawbridgeCli cli = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString()),
                    new ByteArrayInputStream(new byte[0]));
            int code = DrawbridgeCli.commandLine(cli).setOut(new PrintWriter(live, true)).setErr(new PrintWriter(e, true))
                    .execute("logs", "sign-ins", "--follow", "--max-polls", "2", "--interval", "5", "--since", "10m",
                            "--user", "mallory@corp.example", "--server", stack.adminUrl().toString(), "--token", stack.adminToken(),
                            "--ca-file", ca());
            follow.complete(new Run(code, live.toString(), e.toString()));
        });
        // The first poll is done when the header is out; the sign-in then happens before the second (5 s later:
        // room for a loaded machine).
        Await.until("the first poll", Duration.ofSeconds(10), () -> live.toString().startsWith("TIME"));
        assertThat(live.toString().lines()).hasSize(1);
        failedSignIn("mallory@corp.example");
        Run run = follow.get(20, TimeUnit.SECONDS);
        t.join();
        assertThat(run.exit()).as(run.err()).isZero();
        assertThat(run.lines()).hasSize(2);
        assertThat(run.lines().get(1)).contains("mallory@corp.example").contains("SIGN_IN").contains("FAILURE");

        // Without --follow: the same entry, newest first, as JSON for scripts.
        JsonNode page = json(cli("logs", "sign-ins", "--user", "mallory@corp.example", "--result", "failure", "-o", "json"));
        assertThat(page.path("items").get(0).path("reason").asText()).isEqualTo("unknown user");
    }

    /** A wrong password on the sign-in page: one FAILURE line in the sign-in log. */
    static void failedSignIn(String upn) throws Exception {
        HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
        try {
            String login = stack.externalUrl("login");
            ContentResponse form = browser.newRequest(URI.create(login + "signin")).timeout(20, TimeUnit.SECONDS).send();
            Matcher m = Pattern.compile("name=\"csrf\" value=\"([^\"]*)\"").matcher(form.getContentAsString());
            assertThat(m.find()).isTrue();
            Fields f = new Fields();
            f.put("csrf", m.group(1));
            f.put("upn", upn);
            f.put("password", "not the password");
            ContentResponse r = browser.newRequest(URI.create(login + "signin")).method("POST").body(new FormRequestContent(f))
                    .timeout(20, TimeUnit.SECONDS).send();
            assertThat(r.getStatus()).isEqualTo(401);
        } finally {
            browser.stop();
        }
    }

    @Test
    void apiErrorsAreShownFieldByFieldWithExit1() throws Exception {
        Run bad = cli("apps", "publish", "--name", "Bad", "--external-url", "https://bad.localhost/", "--internal-url", "not a url");
        assertThat(bad.exit()).isEqualTo(1);
        assertThat(bad.out()).isEmpty();
        assertThat(bad.err()).startsWith("error: Invalid request (HTTP 400)").containsPattern("(?m)^  status: 400$")
                .containsPattern("(?m)^  detail: .+").containsPattern("(?m)^  internalUrl: .+");

        // For scripts: the problem document itself, as JSON on stderr.
        Run badJson = cli("apps", "publish", "--name", "Bad", "--external-url", "https://bad.localhost/", "--internal-url", "not a url",
                "-o", "json");
        assertThat(badJson.exit()).isEqualTo(1);
        assertThat(badJson.out()).isEmpty();
        assertThat(Json.MAPPER.readTree(badJson.err()).path("errors").get(0).path("field").asText()).isEqualTo("internalUrl");

        Run missing = cli("users", "show", "nobody@corp.example");
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("no user with id or upn 'nobody@corp.example'");

        // A refused credential: exit 1, a hint, and the credential itself never printed.
        String wrong = "dbadm_" + "x".repeat(40);
        Run refused = raw(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString()), "", "apps", "list",
                "--server", stack.adminUrl().toString(), "--token", wrong, "--ca-file", ca());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("HTTP 401").contains("drawbridge login").doesNotContain(wrong).doesNotContain("xxxxxx");
    }

    @Test
    void usageAndConfigurationErrorsExit2() {
        Map<String, String> env = Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("nobody-logged-in").toString());
        Run notLoggedIn = raw(env, "", "apps", "list", "--server", stack.adminUrl().toString(), "--ca-file", ca());
        assertThat(notLoggedIn.exit()).isEqualTo(2);
        assertThat(notLoggedIn.err()).contains("not logged in").contains("drawbridge login");
        assertThat(raw(env, "", "apps", "list").err()).contains("no server");
        assertThat(raw(env, "", "apps", "frobnicate").exit()).isEqualTo(2);
        assertThat(cli("apps", "assign", "HR").exit()).isEqualTo(2);
        assertThat(cli("logs", "audit", "--since", "yesterday-ish").err()).contains("--since 'yesterday-ish'");
    }

    @Test
    void unreachableServerExits3() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0)) {
            closed = s.getLocalPort();
        }
        Run r = raw(Map.of(), "", "connectors", "list", "--server", "https://admin.localhost:" + closed,
                "--token", stack.adminToken(), "--ca-file", ca());
        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.err()).startsWith("error: cannot reach https://admin.localhost:" + closed).contains("connection refused")
                .doesNotContain(stack.adminToken());
    }

    @Test
    void loginWithATokenStoresIt0600AndLaterCommandsUseIt() throws Exception {
        Path config = dir.resolve("config-token");
        Map<String, String> env = Map.of("DRAWBRIDGE_CONFIG_DIR", config.toString());
        Run login = raw(env, stack.adminToken() + "\n", "login", "--with-token", "--server", stack.adminUrl().toString(),
                "--ca-file", ca());
        assertThat(login.exit()).as(login.err()).isZero();
        assertThat(login.out()).startsWith("Logged in to " + stack.adminUrl()).doesNotContain(stack.adminToken());
        Path file = config.resolve("credentials.json");
        assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE));
        assertThat(Files.getPosixFilePermissions(config)).doesNotContain(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);

        // No --server, --token or --ca-file: all from the stored login.
        Run list = raw(env, "", "connector-groups", "list", "-q");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.lines()).hasSize(1);
        // Another server never receives the stored credential.
        Run elsewhere = raw(env, "", "apps", "list", "--server", "https://admin.localhost:1");
        assertThat(elsewhere.exit()).isEqualTo(2);
        assertThat(elsewhere.err()).contains("not logged in to https://admin.localhost:1");

        // Logging in again (JSON for scripts) replaces the file and never shows the credential.
        Run again = raw(env, stack.adminToken() + "\n", "login", "--with-token", "-o", "json");
        assertThat(json(again).path("subject").asText()).isNotBlank();
        assertThat(again.out()).doesNotContain(stack.adminToken());

        Run logout = raw(env, "", "logout");
        assertThat(logout.exit()).isZero();
        assertThat(file).doesNotExist();
        assertThat(raw(env, "", "apps", "list", "--server", stack.adminUrl().toString()).exit()).isEqualTo(2);
    }

    @Test
    void loginWithUsernameAndPasswordStoresA0600FileAndWhoamiUsesIt() throws Exception {
        String password = "dana's long admin password";
        Run created = raw(Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString()), password + "\n",
                "users", "create", "--upn", "dana@corp.example", "--password-stdin",
                "--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file", ca());
        assertThat(created.exit()).as(created.err()).isZero();
        Run roles = cli("users", "set-roles", "dana@corp.example", "security_reader", "APPLICATION_ADMINISTRATOR");
        assertThat(roles.exit()).as(roles.err()).isZero();
        assertThat(cli("users", "roles", "dana@corp.example").lines()).containsExactlyInAnyOrder("SECURITY_READER", "APPLICATION_ADMINISTRATOR");

        Path config = dir.resolve("config-dana");
        Map<String, String> env = Map.of("DRAWBRIDGE_CONFIG_DIR", config.toString());
        Run wrong = raw(env, "not dana's password\n", "login", "--username", "dana@corp.example", "--password-stdin",
                "--server", stack.adminUrl().toString(), "--ca-file", ca());
        assertThat(wrong.exit()).isEqualTo(1);
        assertThat(wrong.err()).contains("HTTP 401").doesNotContain("not dana's password");
        assertThat(config.resolve("credentials.json")).doesNotExist();

        Run login = raw(env, password + "\n", "login", "--username", "dana@corp.example", "--password-stdin",
                "--server", stack.adminUrl().toString(), "--ca-file", ca());
        assertThat(login.exit()).as(login.err()).isZero();
        assertThat(login.out()).startsWith("Logged in to " + stack.adminUrl() + " as dana@corp.example").contains("SECURITY_READER");
        Path file = config.resolve("credentials.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        String stored = Files.readString(file);
        assertThat(stored).doesNotContain(password).contains(stack.adminUrl().toString()).contains(ca());

        Run whoami = raw(env, "", "whoami");
        assertThat(whoami.exit()).as(whoami.err()).isZero();
        assertThat(whoami.out()).containsPattern("(?m)^subject: +dana@corp.example$").contains("APPLICATION_ADMINISTRATOR");
        assertThat(raw(env, "", "whoami", "-q").out().strip()).isEqualTo("dana@corp.example");
        // The roles hold: a reader may list but not create users.
        assertThat(raw(env, "", "users", "list", "-q").exit()).isZero();
        Run denied = raw(env, "", "users", "create", "--upn", "eve@corp.example");
        assertThat(denied.exit()).isEqualTo(1);
        assertThat(denied.err()).contains("HTTP 403").contains("DIRECTORY_WRITE").contains("drawbridge whoami");
        assertThat(raw(env, "", "logs", "sign-ins", "--event", "admin_sign_in", "--user", "dana@corp.example", "-q").lines())
                .hasSize(2);
        assertThat(raw(env, "", "logout").exit()).isZero();
        assertThat(file).doesNotExist();
    }

    @Test
    void appTestConnectorEventsAndMovingAConnector() throws Exception {
        assertThat(cli("apps", "publish", "--name", "Tested", "--external-url", stack.externalUrl("tested"),
                "--internal-url", app.baseUri().toString()).exit()).isZero();
        Run test = cli("apps", "test", "Tested");
        assertThat(test.exit()).as(test.err()).isZero();
        assertThat(test.out()).startsWith("OK: Tested answered HTTP ");
        assertThat(cli("apps", "test", "Tested", "-o", "json").out()).contains("\"latencyMs\"");

        String connector = json(cli("connectors", "list", "-o", "json")).path("items").get(0).path("id").asText();
        Run events = cli("logs", "connector-events", "--connector", connector);
        assertThat(events.exit()).as(events.err()).isZero();
        assertThat(events.lines().getFirst()).matches("TIME +CONNECTOR +TYPE +DETAIL +CONNECTOR ID");
        assertThat(events.out()).contains("REGISTERED").contains("CONNECTED");

        assertThat(cli("connector-groups", "create", "Branch office").exit()).isZero();
        Run move = cli("connectors", "move", connector, "--group", "branch office");
        assertThat(move.exit()).as(move.err()).isZero();
        assertThat(move.out()).contains("to group 'Branch office'");
        Run back = cli("connectors", "move", connector, "--group", "Default", "-o", "json");
        assertThat(json(back).path("groupName").asText()).isEqualTo("Default");
        assertThat(cli("logs", "connector-events", "--type", "moved", "-q").lines()).hasSize(2);
        assertThat(cli("connector-groups", "delete", "Branch office").exit()).isZero();
        // The connector reconnects into Default (other tests route through it).
        Await.until("the connector back in Default", Duration.ofSeconds(20),
                () -> stack.server().registry().tunnelCount(connector) == 1
                        && cli("connectors", "list", "--group", "Default", "--status", "active", "-q").out().contains(connector));
        assertThat(cli("apps", "delete", "Tested").exit()).isZero();
    }

    @Test
    void certificatesUploadedAsPemAndAsPkcs12() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("CLI test CA", Duration.ofDays(30), Clock.systemUTC());
        KeyPair one = CertificateAuthority.newKeyPair(), two = CertificateAuthority.newKeyPair();
        X509Certificate pemCert = ca.issueServerCertificate(one.getPublic(), List.of("intranet.cli.example"), List.of(), Duration.ofDays(10));
        Path pem = dir.resolve("intranet.pem");
        Files.writeString(pem, Pem.encode(pemCert) + Pem.encode(ca.certificate()) + "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(one.getPrivate().getEncoded())
                + "\n-----END PRIVATE KEY-----\n");
        X509Certificate p12Cert = ca.issueServerCertificate(two.getPublic(), List.of("*.branch.cli.example"), List.of(), Duration.ofDays(20));
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("tls", two.getPrivate(), "p12 secret".toCharArray(), new X509Certificate[]{p12Cert, ca.certificate()});
        Path p12 = dir.resolve("branch.p12");
        try (var out = Files.newOutputStream(p12)) {
            ks.store(out, "p12 secret".toCharArray());
        }

        Run up = cli("certificates", "upload", "--pem", pem.toString());
        assertThat(up.exit()).as(up.err()).isZero();
        Run up12 = raw(Map.of(), "p12 secret\n", "certificates", "upload", "--pkcs12", p12.toString(), "--password-stdin",
                "--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file", ca());
        assertThat(up12.exit()).as(up12.err()).isZero();
        Run badPassword = raw(Map.of(), "wrong\n", "certificates", "upload", "--pkcs12", p12.toString(), "--password-stdin",
                "--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file", ca());
        assertThat(badPassword.exit()).isEqualTo(1);
        assertThat(badPassword.err()).containsPattern("(?m)^  password: the PKCS#12 file cannot be opened");

        Run list = cli("certificates", "list");
        assertThat(list.lines().getFirst()).matches("HOSTS +SUBJECT +NOT AFTER +DAYS LEFT +ID");
        assertThat(list.out()).contains("intranet.cli.example").contains("*.branch.cli.example");
        assertAligned(list, "SUBJECT", "NOT AFTER", "DAYS LEFT", "ID");
        assertThat(cli("certificates", "show", "CN=intranet.cli.example").out()).containsPattern("(?m)^fingerprintSha256: +\\S+$");
        for (String id : cli("certificates", "list", "-q").lines()) {
            assertThat(cli("certificates", "delete", id).exit()).isZero();
        }
        assertThat(cli("certificates", "list").lines()).hasSize(1);
    }

    @Test
    void namedLocationsPoliciesFromAFileAndAccessRequests() throws Exception {
        Run office = cli("named-locations", "create", "Head office", "--cidr", "203.0.113.0/24,198.51.100.7/32", "--trusted");
        assertThat(office.exit()).as(office.err()).isZero();
        Run locations = cli("named-locations", "list");
        assertThat(locations.lines().getFirst()).matches("NAME +TRUSTED +RANGES +ID");
        assertThat(locations.lines().get(1)).matches("Head office +yes +203\\.0\\.113\\.0/24,198\\.51\\.100\\.7/32 +\\S+");
        assertThat(cli("named-locations", "show", "head office").out()).containsPattern("(?m)^trusted: +yes$");
        Run moved = cli("named-locations", "update", "Head office", "--cidr", "192.0.2.0/24", "--no-trusted");
        assertThat(moved.exit()).as(moved.err()).isZero();
        JsonNode updated = json(cli("named-locations", "show", "Head office", "-o", "json"));
        assertThat(updated.path("trusted").asBoolean()).isFalse();
        assertThat(updated.path("cidrs").get(0).asText()).isEqualTo("192.0.2.0/24");
        assertThat(cli("named-locations", "update", "Head office", "--cidr", "not-a-range").exit()).isEqualTo(1);
        cli("named-locations", "update", "Head office", "--cidr", "203.0.113.0/24,198.51.100.7/32", "--trusted");

        Path policy = dir.resolve("policy.json");
        Files.writeString(policy, """
                {"name": "Block outside the office", "state": "REPORT_ONLY", "users": ["ALL"],
                 "excludeLocations": ["TRUSTED"], "control": "BLOCK"}""");
        Run created = cli("policies", "create", "--file", policy.toString());
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).contains("REPORT_ONLY");
        Run policies = cli("policies", "list");
        assertThat(policies.lines().get(1)).matches("Block outside the office +REPORT_ONLY +BLOCK +ALL +ALL +\\S+");
        assertThat(json(cli("policies", "show", "block outside the office", "-o", "json")).path("excludeLocations").get(0).asText())
                .isEqualTo("TRUSTED");

        Files.writeString(policy, "{\"name\": \"Broken\", \"state\": \"ON\", \"users\": []}");
        Run invalid = cli("policies", "create", "-f", policy.toString());
        assertThat(invalid.exit()).isEqualTo(1);
        assertThat(invalid.err()).containsPattern("(?m)^  control: ").containsPattern("(?m)^  users: ");
        Files.writeString(policy, "{\"name\": ");
        assertThat(cli("policies", "create", "-f", policy.toString()).exit()).isEqualTo(2);

        assertThat(cli("policies", "delete", "Block outside the office").exit()).isZero();
        assertThat(cli("named-locations", "delete", "Head office").exit()).isZero();
        assertThat(cli("policies", "list").lines()).hasSize(1);

        Run requests = cli("access-requests", "list", "--status", "pending");
        assertThat(requests.exit()).as(requests.err()).isZero();
        assertThat(requests.lines()).containsExactly("USER  APP  STATUS  REASON  CREATED  ID");
        assertThat(cli("access-requests", "approve", "no-such-request").exit()).isEqualTo(1);
    }

    @Test
    void oauthClientsAreRegisteredUpdatedAndDeletedWithConfirmation() throws Exception {
        String url = stack.externalUrl("oauth-cli");
        assertThat(cli("apps", "publish", "--name", "OAuth CLI app", "--external-url", url, "--internal-url", app.baseUri().toString())
                .exit()).isZero();
        String appId = json(cli("apps", "show", "OAuth CLI app", "-o", "json")).path("id").asText();

        Run created = cli("oauth-clients", "create", "--client-id", "com.example.drawbridge-cli", "--name", "Drawbridge CLI",
                "--redirect-uri", "http://127.0.0.1/callback", "--app", "oauth cli APP");
        assertThat(created.exit()).as(created.err()).isZero();
        assertThat(created.out()).isEqualTo("Registered OAuth client 'Drawbridge CLI' with client id com.example.drawbridge-cli\n");
        JsonNode shown = json(cli("oauth-clients", "get", "com.example.drawbridge-cli", "-o", "json"));
        assertThat(shown.path("grants").toString()).isEqualTo("[\"AUTHORIZATION_CODE\",\"REFRESH_TOKEN\"]");
        assertThat(shown.path("appIds").toString()).isEqualTo("[\"" + appId + "\"]");
        String madeUp = cli("oauth-clients", "create", "--name", "Made up", "--redirect-uri", "com.example.made:/cb", "-q").out().strip();
        assertThat(madeUp).isNotBlank();

        Run list = cli("oauth-clients", "list");
        assertThat(list.lines().getFirst()).matches("CLIENT ID +NAME +GRANTS +REDIRECT URIS +APPS +UPDATED");
        assertThat(list.out()).containsPattern("(?m)^com\\.example\\.drawbridge-cli +Drawbridge CLI +AUTHORIZATION_CODE,REFRESH_TOKEN +"
                + "http://127\\.0\\.0\\.1/callback +" + appId + " ");
        assertThat(list.out()).containsPattern("(?m)^" + Pattern.quote(madeUp) + " +Made up .* any ");
        assertThat(cli("oauth-clients", "list", "-q").lines()).containsExactlyInAnyOrder("com.example.drawbridge-cli", madeUp);
        assertThat(cli("oauth-clients", "show", "com.example.drawbridge-cli").out()).containsPattern("(?m)^displayName: +Drawbridge CLI$");

        Run updated = cli("oauth-clients", "update", "com.example.drawbridge-cli", "--add-redirect-uri", "http://[::1]/callback",
                "--remove-redirect-uri", "http://127.0.0.1/callback", "--grant", "authorization-code", "--any-app");
        assertThat(updated.exit()).as(updated.err()).isZero();
        assertThat(updated.out()).contains("Updated OAuth client 'Drawbridge CLI' (com.example.drawbridge-cli)",
                "Its refresh tokens ended");
        JsonNode after = json(cli("oauth-clients", "show", "com.example.drawbridge-cli", "-o", "json"));
        assertThat(after.path("redirectUris").toString()).isEqualTo("[\"http://[::1]/callback\"]");
        assertThat(after.path("grants").toString()).isEqualTo("[\"AUTHORIZATION_CODE\"]");
        assertThat(after.path("appIds").isEmpty()).isTrue();
        Run notThere = cli("oauth-clients", "update", "com.example.drawbridge-cli", "--remove-redirect-uri", "http://localhost/x");
        assertThat(notThere.exit()).isEqualTo(2);
        assertThat(notThere.err()).contains("--remove-redirect-uri: 'http://localhost/x' is not a redirect URI");
        Run unknownApp = cli("oauth-clients", "update", "com.example.drawbridge-cli", "--app", "No such app");
        assertThat(unknownApp.exit()).isEqualTo(1);
        assertThat(unknownApp.err()).contains("no app with id or name or externalUrl 'No such app'");

        Run twin = cli("oauth-clients", "create", "--client-id", "COM.EXAMPLE.DRAWBRIDGE-CLI", "--name", "Twin", "--redirect-uri",
                "http://127.0.0.1/cb");
        assertThat(twin.exit()).isEqualTo(1);
        assertThat(twin.err()).contains("(HTTP 409)");

        // No terminal to ask, no --yes: nothing is deleted, and the message says what deleting does.
        Run unconfirmed = cli("oauth-clients", "delete", "com.example.drawbridge-cli");
        assertThat(unconfirmed.exit()).isEqualTo(2);
        assertThat(unconfirmed.err()).contains("refresh tokens end at once", "pass --yes");
        assertThat(cli("oauth-clients", "show", "com.example.drawbridge-cli").exit()).isZero();
        Run deleted = cli("oauth-clients", "delete", "com.example.drawbridge-cli", "--yes");
        assertThat(deleted.exit()).as(deleted.err()).isZero();
        assertThat(deleted.out()).contains("Deleted OAuth client 'Drawbridge CLI' (com.example.drawbridge-cli); its refresh tokens ended");
        assertThat(cli("oauth-clients", "delete", madeUp, "-y", "-q").out().strip()).isEqualTo(madeUp);
        Run gone = cli("oauth-clients", "show", "com.example.drawbridge-cli");
        assertThat(gone.exit()).isEqualTo(1);
        assertThat(gone.err()).contains("(HTTP 404)");
        assertThat(cli("oauth-clients", "list", "-q").out()).isEmpty();
    }

    @Test
    void directorySyncAndSignInStatistics() {
        Run run = cli("directory-sync", "run");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("HTTP 409");
        Run stats = cli("logs", "stats", "--hours", "3");
        assertThat(stats.exit()).as(stats.err()).isZero();
        assertThat(stats.lines().getFirst()).matches("HOUR +SUCCEEDED +DENIED");
    }

    @Test
    void severalIdentityProvidersAndAnAppsChoiceOfThem() throws Exception {
        Map<String, String> env = Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString());
        Run corp = raw(env, "corp secret\n", "identity-providers", "set", "corp-sso", "--issuer", "https://idp.corp.example/realms/corp",
                "--client-id", "drawbridge", "--client-secret-stdin", "--display-name", "Corp ID", "--email-domain", "corp.example,Bücher.example",
                "--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file", ca());
        assertThat(corp.exit()).as(corp.err()).isZero();
        Run partner = raw(env, "partner secret\n", "identity-providers", "set", "partner-sso", "--issuer", "https://partner.example/",
                "--client-id", "drawbridge", "--client-secret-stdin", "--display-name", "Partner", "--email-domain", "CORP.example",
                "--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file", ca());
        assertThat(partner.exit()).isNotZero();
        assertThat(partner.err()).contains("HTTP 400").contains("emailDomains").contains("corp-sso");
        Run list = cli("identity-providers", "list");
        assertThat(list.exit()).as(list.err()).isZero();
        assertThat(list.out()).containsPattern("(?m)^ID +NAME +ISSUER +EMAIL DOMAINS$").contains("corp-sso", "xn--bcher-kva.example")
                .doesNotContain("partner-sso", "corp secret");
        // A change of one field keeps the secret and the domains.
        assertThat(cli("identity-providers", "set", "corp-sso", "--display-name", "Corp SSO").exit()).isZero();
        assertThat(cli("identity-providers", "show", "corp-sso").out()).containsPattern("(?m)^displayName: +Corp SSO$").contains("corp.example");
        Run group = cli("identity-providers", "add-group", "corp-sso", "Corp staff", "--claim", "staff");
        assertThat(group.exit()).as(group.err()).isZero();

        assertThat(cli("apps", "publish", "--name", "Chooser", "--external-url", stack.externalUrl("chooser"), "--internal-url",
                app.baseUri().toString(), "--pre-auth", "DIRECTORY", "--identity-providers", "corp-sso").exit()).isZero();
        assertThat(cli("apps", "show", "Chooser").out()).contains("corp-sso");
        assertThat(cli("apps", "update", "Chooser", "--identity-providers", "Not A Slug").exit()).isNotZero();
        assertThat(cli("identity-providers", "delete", "corp-sso").exit()).isZero();
        assertThat(cli("identity-providers", "show", "corp-sso").exit()).isEqualTo(1);
    }

    @Test
    void identityProviderAndAppIcons() throws Exception {
        Map<String, String> env = Map.of("DRAWBRIDGE_CONFIG_DIR", dir.resolve("no-login").toString());
        Run configured = raw(env, "the client secret\n", "identity-provider", "configure", "--issuer", "https://idp.corp.example/realms/corp",
                "--client-id", "drawbridge", "--client-secret-stdin", "--display-name", "Corp ID", "--groups-claim", "groups",
                "--server", stack.adminUrl().toString(), "--token", stack.adminToken(), "--ca-file", ca());
        assertThat(configured.exit()).as(configured.err()).isZero();
        assertThat(configured.out()).startsWith("Configured sign-in with Corp ID; register this redirect URI at the provider: https://");
        // A change of one field keeps the secret (the API shows it masked; sending the mask back keeps it).
        Run renamed = cli("identity-provider", "configure", "--display-name", "Corp SSO");
        assertThat(renamed.exit()).as(renamed.err()).isZero();
        Run show = cli("identity-provider", "show");
        assertThat(show.out()).containsPattern("(?m)^displayName: +Corp SSO$").containsPattern("(?m)^groupsClaim: +groups$")
                .doesNotContain("the client secret");
        // Another issuer does not get the stored secret: the command asks for it before sending anything.
        Run moved = cli("identity-provider", "configure", "--issuer", "https://attacker.example/realms/corp");
        assertThat(moved.exit()).isEqualTo(2);
        assertThat(moved.err()).contains("give the client secret again");
        assertThat(cli("identity-provider", "show").out()).containsPattern("(?m)^issuer: +https://idp.corp.example/realms/corp$");
        Run linking = cli("identity-provider", "configure", "--link-by-verified-email");
        assertThat(linking.exit()).as(linking.err()).isZero();
        assertThat(cli("identity-provider", "show").out()).containsPattern("(?m)^linkByVerifiedEmail: +yes$");
        Run group = cli("identity-provider", "add-group", "HR staff (Corp ID)", "--claim", "HR staff");
        assertThat(group.exit()).as(group.err()).isZero();
        assertThat(group.out()).startsWith("Created group HR staff (Corp ID) for the provider's 'HR staff' claim");
        assertThat(cli("identity-provider", "remove").exit()).isZero();
        assertThat(cli("identity-provider", "show").exit()).isEqualTo(1);

        assertThat(cli("apps", "publish", "--name", "Iconic", "--external-url", stack.externalUrl("iconic"),
                "--internal-url", app.baseUri().toString()).exit()).isZero();
        Path svg = dir.resolve("icon.svg");
        Files.writeString(svg, "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 10 10\"><rect width=\"10\" height=\"10\"/></svg>");
        Run icon = cli("apps", "set-icon", "Iconic", svg.toString());
        assertThat(icon.exit()).as(icon.err()).isZero();
        Path back = dir.resolve("icon-back.svg");
        Run saved = cli("apps", "get-icon", "Iconic", "--out", back.toString());
        assertThat(saved.exit()).as(saved.err()).isZero();
        assertThat(Files.readAllBytes(back)).isEqualTo(Files.readAllBytes(svg));
        assertThat(cli("apps", "remove-icon", "Iconic").exit()).isZero();
        assertThat(cli("apps", "get-icon", "Iconic", "--out", back.toString()).exit()).isEqualTo(1);
        Path text = Files.writeString(dir.resolve("icon.txt"), "not an image");
        assertThat(cli("apps", "set-icon", "Iconic", text.toString()).exit()).isEqualTo(2);
        assertThat(cli("apps", "delete", "Iconic").exit()).isZero();
    }

    @Test
    void completionScriptNamesTheCommands() {
        Run r = raw(Map.of(), "", "generate-completion");
        assertThat(r.exit()).isZero();
        assertThat(r.out()).contains("drawbridge").contains("connector-groups").contains("sign-ins");
        assertThat(Arrays.stream(r.out().split("\n")).anyMatch(l -> l.contains("complete -F"))).isTrue();
    }
}
