package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;

/** {@code drawbridge users ...}: the built-in directory's users, their state and admin roles. */
@Command(name = "users", description = "Directory users: list, show, create, delete, disable, enable, reset-password, "
        + "reset-mfa, revoke-sessions, roles, set-roles.",
        subcommands = {UserCommands.ListCommand.class, UserCommands.Show.class, UserCommands.Create.class, UserCommands.Delete.class,
                UserCommands.Disable.class, UserCommands.Enable.class, UserCommands.ResetPassword.class, UserCommands.ResetMfa.class,
                UserCommands.RevokeSessions.class, UserCommands.Roles.class, UserCommands.SetRoles.class})
final class UserCommands {
    private UserCommands() {
    }

    static String userId(ApiCommand c, String key) throws Exception {
        // The server narrows the list (search matches UPN, name and email); resolve() then wants the exact id or UPN,
        // as the server itself resolves a user: never an email, which is not unique and may come from a provider's claim.
        return c.resolve(() -> c.api().users().list(Paging.LARGEST, new Users.Search(key)).items(), "user", key, "upn");
    }

    @Command(name = "list", description = "List users.")
    static final class ListCommand extends ApiCommand {
        @Mixin
        PagingOptions paging;
        @Option(names = "--search", paramLabel = "TEXT", description = "Only those whose UPN, name or email contains TEXT (any case)")
        String search;

        @Override
        protected int execute() throws Exception {
            output().list(api().users().list(paging.page(), new Users.Search(search)), Columns.USERS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show one user (by UPN or id).")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "USER")
        String user;

        @Override
        protected int execute() throws Exception {
            return show(api().users().get(userId(this, user)));
        }
    }

    @Command(name = "create", description = "Create a user; the password, if any, is read from stdin or typed, never an argument.")
    static final class Create extends ApiCommand {
        @Option(names = "--upn", required = true, description = "Sign-in name, e.g. alice@corp.example")
        String upn;
        @Option(names = "--display-name", paramLabel = "NAME", description = "Default: the part of the UPN before @")
        String displayName;
        @Option(names = "--email")
        String email;
        @Option(names = "--department")
        String department;
        @Option(names = "--password-stdin", description = "Read the initial password from the first line of standard input")
        boolean passwordStdin;
        @Option(names = "--ask-password", description = "Type the initial password (not echoed)")
        boolean askPassword;

        @Override
        protected int execute() throws Exception {
            String name = displayName != null ? displayName : upn.contains("@") ? upn.substring(0, upn.indexOf('@')) : upn;
            String password = passwordStdin || askPassword ? Prompts.secret(cli(), "password", passwordStdin, "--password-stdin") : null;
            UserView u = api().users().create(new UserSpec(upn, name, email, department, password));
            output().changed("Created user " + label(u, "upn"), u, u.id());
            return 0;
        }
    }

    /** A POST to /users/{id}/{action} (no body unless {@link #body()} gives one), reported as "{verb} 'upn' (id)". */
    abstract static class UserAction extends ActionCommand {
        @Parameters(paramLabel = "USER", description = "UPN or id")
        String user;

        private final String verb;

        UserAction(Action action, String verb) {
            super(action);
            this.verb = verb;
        }

        @Override
        String target() throws Exception {
            return userId(this, user);
        }

        @Override
        String done(JsonNode u) {
            return verb + " " + label(u, "upn");
        }
    }

    @Command(name = "disable", description = "Disable a user: no sign-in, sessions end.")
    static final class Disable extends UserAction {
        Disable() {
            super((c, api, id) -> api.users().disable(id), "Disabled");
        }
    }

    @Command(name = "enable", description = "Enable a disabled user.")
    static final class Enable extends UserAction {
        Enable() {
            super((c, api, id) -> api.users().enable(id), "Enabled");
        }
    }

    @Command(name = "revoke-sessions", description = "Sign a user out everywhere.")
    static final class RevokeSessions extends UserAction {
        RevokeSessions() {
            super((c, api, id) -> api.users().revokeSessions(id), "Revoked the sessions of");
        }
    }

    @Command(name = "reset-mfa", description = "Remove a user's two-step verification; they enrol again at next sign-in.")
    static final class ResetMfa extends UserAction {
        ResetMfa() {
            super((c, api, id) -> api.users().resetMfa(id), "Reset two-step verification of");
        }
    }

    @Command(name = "reset-password", description = "Set a new password (from stdin or typed); the user's sessions end.")
    static final class ResetPassword extends UserAction {
        @Option(names = "--password-stdin", description = "Read the new password from the first line of standard input")
        boolean passwordStdin;

        ResetPassword() {
            super((c, api, id) -> api.users().resetPassword(id, ((ResetPassword) c).password()), "Set a new password for");
        }

        PasswordBody password() throws CliException {
            return new PasswordBody(Prompts.secret(cli(), "new password", passwordStdin, "--password-stdin"));
        }
    }

    @Command(name = "delete", description = "Delete a user.")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "USER")
        String user;

        @Override
        protected int execute() throws Exception {
            String id = userId(this, user);
            api().users().delete(id);
            return deleted("Deleted user " + user, id);
        }
    }

    @Command(name = "roles", description = "Show a user's admin roles.")
    static final class Roles extends ApiCommand {
        @Parameters(paramLabel = "USER")
        String user;

        @Override
        protected int execute() throws Exception {
            RolesBody r = api().users().roles(userId(this, user));
            Output o = output();
            if (o.json()) {
                o.pretty(r);
            } else {
                r.roles().forEach(role -> o.out().println(role.name()));
                o.out().flush();
            }
            return 0;
        }
    }

    @Command(name = "set-roles", description = "Replace a user's admin roles (none: --none).")
    static final class SetRoles extends ApiCommand {
        @Parameters(paramLabel = "USER", index = "0")
        String user;
        @Parameters(paramLabel = "ROLE", index = "1..*", arity = "0..*", description = "${COMPLETION-CANDIDATES}")
        List<AdminRole> roles = new ArrayList<>();
        @Option(names = "--none", description = "Remove every admin role")
        boolean none;

        @Override
        protected int execute() throws Exception {
            if (roles.isEmpty() != none) {
                throw CliException.usage(none ? "--none takes no roles" : "name at least one role, or pass --none to remove them all");
            }
            String id = userId(this, user);
            RolesBody u = api().users().setRoles(id, new RolesBody(roles));
            output().changed("Roles of " + user + ": " + (roles.isEmpty() ? "none" : String.join(", ",
                    roles.stream().map(Enum::name).toList())), u, id);
            return 0;
        }
    }
}
