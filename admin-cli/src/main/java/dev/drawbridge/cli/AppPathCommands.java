package dev.drawbridge.cli;

import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code drawbridge apps paths ...}: an app's path rules ({@code /apps/{id}/paths}). {@code list} shows them; {@code set}
 * adds or replaces the rule of one path (the others stay); {@code remove} removes it. The server checks each rule and names
 * the field of every problem ({@code paths[0].users}).
 */
@Command(name = "paths", description = "An app's path rules (pre-authentication, users, policies per path): list, set, remove.",
        subcommands = {AppPathCommands.ListCommand.class, AppPathCommands.Set.class, AppPathCommands.Remove.class})
final class AppPathCommands {
    private AppPathCommands() {
    }

    @Command(name = "list", description = "The app's path rules; the most specific applies.")
    static final class ListCommand extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Name, external URL or id")
        String app;

        @Override
        protected int execute() throws Exception {
            output().list(api().apps().paths(AppCommands.appId(this, app)).paths(), Columns.PATH_RULES, "path");
            return 0;
        }
    }

    @Command(name = "set", description = "Add or replace the rule of one path, e.g. apps paths set HR /admin --users Admins.")
    static final class Set extends ApiCommand {
        @Parameters(index = "0", paramLabel = "APP", description = "Name, external URL or id")
        String app;
        @Parameters(index = "1", paramLabel = "PATH", description = "The path within the app, plainly written, e.g. /admin")
        String path;
        @Option(names = "--pre-auth", paramLabel = "MODE|inherit",
                description = "PASSTHROUGH (open to anyone, no sign-in), DIRECTORY, or inherit (the app's; default)")
        String preAuth;
        @Option(names = "--users", paramLabel = "WHO", split = ",",
                description = "Only these users (UPN or id) and groups (name or id) may use the path, besides the app's assignment")
        List<String> users = new ArrayList<>();
        @Option(names = "--policies", paramLabel = "ID", split = ",",
                description = "Conditional access policies (ids) that apply to the path besides the app's")
        List<String> policies = new ArrayList<>();

        @Override
        protected int execute() throws Exception {
            String id = AppCommands.appId(this, app);
            List<PathPolicy> rules = new ArrayList<>(api().apps().paths(id).paths());
            rules.removeIf(r -> r.path().equals(plain(path)));
            rules.add(new PathPolicy(path, preAuthentication(preAuth), users, policies));
            PathPolicies stored = api().apps().setPaths(id, new PathPolicies(rules));
            output().changed("Path rule " + plain(path) + " of app " + app + " set; the app has " + stored.paths().size() + " path rule"
                    + (stored.paths().size() == 1 ? "" : "s"), stored, id);
            return 0;
        }

        static PreAuthentication preAuthentication(String text) throws CliException {
            if (text == null || text.equalsIgnoreCase("inherit")) {
                return null;
            }
            try {
                return PreAuthentication.valueOf(text.strip().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw CliException.usage("--pre-auth: '" + text + "' is not PASSTHROUGH, DIRECTORY or inherit");
            }
        }
    }

    @Command(name = "remove", description = "Remove the rule of one path: the app's own settings (or a shorter path's rule) apply there again.")
    static final class Remove extends ApiCommand {
        @Parameters(index = "0", paramLabel = "APP", description = "Name, external URL or id")
        String app;
        @Parameters(index = "1", paramLabel = "PATH", description = "The path of the rule, e.g. /admin")
        String path;

        @Override
        protected int execute() throws Exception {
            String id = AppCommands.appId(this, app);
            List<PathPolicy> rules = new ArrayList<>(api().apps().paths(id).paths());
            if (!rules.removeIf(r -> r.path().equals(plain(path)))) {
                throw CliException.usage("app " + app + " has no rule for the path " + plain(path) + " (see: apps paths list " + app + ")");
            }
            PathPolicies stored = api().apps().setPaths(id, new PathPolicies(rules));
            output().changed("Removed the path rule " + plain(path) + " of app " + app, stored, id);
            return 0;
        }
    }

    /** A path as the server stores it: without a trailing slash ("/" stays). */
    static String plain(String path) {
        String p = path.strip();
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
