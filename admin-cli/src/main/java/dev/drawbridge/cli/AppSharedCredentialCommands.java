package dev.drawbridge.cli;

import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.validation.SsoRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code drawbridge apps sso shared-credential set|clear}: the user name and password every user signs in to an app
 * with when its single sign-on is BASIC or FORMS with shared credentials ({@code /apps/{id}/sso/shared-credential}). The password
 * comes from standard input or is typed without echo, never from an argument; it is checked with the rules the server
 * runs ({@link SsoRules#checkCredential}) before anything is sent, and never printed.
 */
@Command(name = "shared-credential", description = "An app's shared user name and password for password vaulting (BASIC or FORMS, shared): set, clear.",
        subcommands = {AppSharedCredentialCommands.Set.class, AppSharedCredentialCommands.Clear.class})
final class AppSharedCredentialCommands {
    /** The flag of each field, for error messages. */
    private static final Map<String, String> FLAGS = Map.of("username", "--username", "password", "the password");

    private AppSharedCredentialCommands() {
    }

    @Command(name = "set", description = "Set (or replace) the app's shared user name and password; the password is read from "
            + "standard input (--password-stdin) or typed, never shown again.")
    static final class Set extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Name, external URL or id")
        String app;
        @Option(names = "--username", required = true, description = "The user name the app's backend gets, e.g. svc-wiki")
        String username;
        @Option(names = "--password-stdin", description = "Read the password from the first line of standard input")
        boolean passwordStdin;

        @Override
        protected int execute() throws Exception {
            String password = Prompts.secret(cli(), "password for " + username, passwordStdin, "--password-stdin");
            List<FieldError> errors = SsoRules.checkCredential(username, password);
            if (!errors.isEmpty()) {
                throw CliException.usage("the shared credential is not valid, nothing was sent:" + errors.stream()
                        .map(e -> "\n  " + FLAGS.getOrDefault(e.field(), e.field()) + ": " + e.message()).collect(Collectors.joining()));
            }
            String id = AppCommands.appId(this, app);
            api().apps().setSharedCredential(id, new SharedCredential(username, password));
            output().changed("Set the shared credential of app " + app + " (user name " + username + ")", null, id);
            return 0;
        }
    }

    @Command(name = "clear", description = "Remove the app's shared user name and password.")
    static final class Clear extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Name, external URL or id")
        String app;

        @Override
        protected int execute() throws Exception {
            String id = AppCommands.appId(this, app);
            api().apps().removeSharedCredential(id);
            return deleted("Removed the shared credential of app " + app, id);
        }
    }
}
