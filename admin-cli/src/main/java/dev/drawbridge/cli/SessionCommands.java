package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.HttpAdminApi;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AdminTokenResponse;
import dev.drawbridge.model.api.MeView;
import dev.drawbridge.model.api.Problem;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** {@code drawbridge login|logout|whoami}: the stored credential. */
final class SessionCommands {
    private SessionCommands() {
    }

    @Command(name = "login", description = {"Sign in as an admin and store the credential (mode 0600) for later commands.",
            "The password is typed without echo, or read from stdin with --password-stdin; never pass it as an argument."})
    static final class Login extends ApiCommand {
        @Option(names = {"-u", "--username"}, paramLabel = "UPN", description = "Admin user name (asked for if absent)")
        String username;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input")
        boolean passwordStdin;
        @Option(names = "--mfa-code", paramLabel = "CODE", description = "Code from the authenticator app, if two-step verification is on")
        String mfaCode;
        @Option(names = "--with-token", description = "Store an existing admin credential instead (e.g. the bootstrap credential "
                + "the server printed): typed without echo, or read from standard input")
        boolean withToken;

        @Override
        protected boolean needsToken() {
            return false;
        }

        @Override
        protected int execute() throws Exception {
            DrawbridgeCli cli = cli();
            Path dir = cli.configDirectory();
            Optional<StoredLogin> stored = StoredLogin.read(dir);
            URI server = Settings.server(cli, stored);
            Optional<Path> ca = Settings.caFile(cli, stored.filter(l -> l.isFor(server)));
            StoredLogin login = withToken ? withToken(server, ca) : withPassword(server, ca);
            login.write(dir);
            var shown = JsonNodeFactory.instance.objectNode()
                    .put("server", server.toString()).put("subject", login.subject())
                    .put("expiresAt", login.expiresAt() == null ? null : login.expiresAt().toString())
                    .put("credentialsFile", dir.resolve(StoredLogin.FILE).toString());
            login.roles().forEach(shown.putArray("roles")::add);
            output().changed("Logged in to " + server + " as " + login.subject()
                    + (login.roles().isEmpty() ? "" : " (" + String.join(", ", login.roles()) + ")")
                    + (login.expiresAt() == null ? "" : "; the credential expires at " + Table.text(
                    TextNode.valueOf(login.expiresAt().toString())))
                    + ". Stored in " + dir.resolve(StoredLogin.FILE), shown, null);
            return 0;
        }

        private StoredLogin withPassword(URI server, Optional<Path> ca) throws Exception {
            if (passwordStdin && username == null) {
                throw CliException.usage("--password-stdin needs --username");
            }
            String user = username != null ? username : Prompts.line(cli(), "user name", "--username");
            String password = Prompts.secret(cli(), "password", passwordStdin, "--password-stdin");
            String code = mfaCode;
            try (HttpAdminApi anonymous = Connect.client(new Settings(server, Optional.empty(), ca))) {
                AdminTokenResponse r;
                try {
                    r = anonymous.signIn(new AdminTokenRequest(user, password, code));
                } catch (AdminApiException e) {
                    if (code != null || cli().console().isEmpty() || !wantsMfa(e.problem())) {
                        throw e;
                    }
                    code = Prompts.line(cli(), "authenticator code", "--mfa-code");
                    r = anonymous.signIn(new AdminTokenRequest(user, password, code));
                }
                String token = r.accessToken();
                if (token == null || token.isBlank()) {
                    throw new CliException(CliException.API, "the server answered without an access token");
                }
                List<String> roles = r.roles().stream().map(Enum::name).toList();
                return new StoredLogin(server, token, ca.map(Path::toString).orElse(null), r.subject() != null ? r.subject() : user, roles,
                        r.expiresAt());
            }
        }

        private static boolean wantsMfa(Problem problem) {
            for (Problem.FieldError e : problem.errors()) {
                if ("mfaCode".equalsIgnoreCase(e.field())) {
                    return true;
                }
            }
            return problem.detail() != null && problem.detail().toLowerCase(Locale.ROOT).contains("code");
        }

        private StoredLogin withToken(URI server, Optional<Path> ca) throws Exception {
            // Typed without echo at a terminal, else the first line of standard input.
            String token = Prompts.secret(cli(), "admin credential", cli().console().isEmpty(), "--with-token");
            try (HttpAdminApi c = Connect.client(new Settings(server, Optional.of(token.strip()), ca))) {
                String subject = "admin";
                List<String> roles = new ArrayList<>();
                try {
                    MeView me = c.me();
                    subject = me.subject() != null ? me.subject() : subject;
                    me.roles().forEach(role -> roles.add(role.name()));
                } catch (AdminApiException e) {
                    if (e.status() != 404) {
                        throw e;
                    }
                    // A server without /me: any authenticated call proves the credential.
                    c.connectorGroups().list(new Paging(0, 1));
                }
                return new StoredLogin(server, token.strip(), ca.map(Path::toString).orElse(null), subject, roles, null);
            }
        }
    }

    @Command(name = "logout", description = "Forget the stored credential.")
    static final class Logout extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            Path dir = cli().configDirectory();
            Optional<StoredLogin> stored = StoredLogin.read(dir);
            boolean removed = StoredLogin.delete(dir);
            output().changed(removed ? "Logged out" + stored.map(l -> " of " + l.server()).orElse("") + "; removed "
                    + dir.resolve(StoredLogin.FILE) : "Not logged in (no " + dir.resolve(StoredLogin.FILE) + ")", null, null);
            return 0;
        }
    }

    @Command(name = "whoami", description = "Show who the credential belongs to, with roles and permissions.")
    static final class WhoAmI extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            JsonNode me = Output.tree(api().me());
            if (output().quiet()) {
                out().println(me.path("subject").asText());
                out().flush();
            } else {
                ObjectNode shown = me.deepCopy();
                if (!output().json()) {
                    shown.put("server", server().toString());
                    // The API's permission set has no order; people read a sorted list.
                    List<String> permissions = new ArrayList<>();
                    me.path("permissions").forEach(p -> permissions.add(p.asText()));
                    permissions.sort(null);
                    permissions.forEach(shown.putArray("permissions")::add);
                }
                output().item(shown);
            }
            return 0;
        }
    }
}
