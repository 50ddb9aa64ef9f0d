package dev.drawbridge.cli;

import dev.drawbridge.adminclient.Apps;
import dev.drawbridge.adminclient.Icon;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppIconView;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppTestResult;
import dev.drawbridge.model.api.AppThrottle;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.UserView;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;


/** {@code drawbridge apps ...}: published apps, who may use them, their single sign-on ({@link AppSsoCommands}), and a reachability test. */
@Command(name = "apps", description = "Published apps: list, show, publish, update, delete, assignments, assign, unassign, "
        + "owners, add-owner, remove-owner, set-icon, get-icon, remove-icon, sso, paths, test.",
        subcommands = {AppCommands.ListCommand.class, AppCommands.Show.class, AppCommands.Publish.class, AppCommands.Update.class,
                AppCommands.Delete.class, AppCommands.Assignments.class, AppCommands.Assign.class, AppCommands.Unassign.class,
                AppCommands.Owners.class, AppCommands.AddOwner.class, AppCommands.RemoveOwner.class, AppCommands.SetIcon.class, AppCommands.GetIcon.class,
                AppCommands.RemoveIcon.class, AppSsoCommands.class, AppPathCommands.class, AppCommands.Test.class})
final class AppCommands {
    private AppCommands() {
    }

    static String appId(ApiCommand c, String key) throws Exception {
        return c.resolve(() -> c.api().apps().list(Paging.LARGEST).items(), "app", key, "name", "externalUrl");
    }

    @Command(name = "list", description = "List published apps.")
    static final class ListCommand extends ApiCommand {
        @Mixin
        PagingOptions paging;
        @Option(names = "--name", paramLabel = "TEXT", description = "Only apps whose name contains TEXT (any case)")
        String name;

        @Override
        protected int execute() throws Exception {
            output().list(api().apps().list(paging.page(), new Apps.Filter(name)), Columns.APPS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show one app (by name, external URL or id).")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Override
        protected int execute() throws Exception {
            return show(api().apps().get(appId(this, app)));
        }
    }

    /** Options shared by publish and update; unset ones keep the server's default (publish) or current value (update). */
    static final class AppOptions {
        @Option(names = "--name", description = "Display name")
        String name;
        @Option(names = "--external-url", paramLabel = "URL", description = "Where users reach it, e.g. https://hr.example.com:8443/")
        String externalUrl;
        @Option(names = "--internal-url", paramLabel = "URL", description = "Where the connector reaches it, e.g. http://hr.corp.local:8080/")
        String internalUrl;
        @Option(names = "--group", paramLabel = "GROUP", description = "Connector group name or id (default: Default)")
        String group;
        @Option(names = "--timeout", paramLabel = "T", description = "Backend timeout: DEFAULT (85 s) or LONG (180 s)")
        BackendTimeout timeout;
        @Option(names = "--translate-host", negatable = true, description = "Send the internal host in the Host header (default: yes)")
        Boolean translateHost;
        @Option(names = "--pre-auth", paramLabel = "MODE", description = "PASSTHROUGH (no sign-in) or DIRECTORY (users sign in first)")
        PreAuthentication preAuth;
        @Option(names = "--assignment-required", negatable = true,
                description = "Only assigned users and groups may use it (DIRECTORY mode; default: yes)")
        Boolean assignmentRequired;
        @Option(names = "--persistent-cookie", negatable = true, description = "Keep the session cookie across browser restarts (default: no)")
        Boolean persistentCookie;
        @Option(names = "--case-insensitive-paths", negatable = true,
                description = "The app treats paths in any letter case alike (IIS): match its external path in any case too (default: no)")
        Boolean caseInsensitivePaths;
        @Option(names = "--translate-links", negatable = true,
                description = "Translate the published apps' internal URLs in its HTML and CSS responses to their external URLs (default: no)")
        Boolean translateLinks;
        @Option(names = "--translate-links-in-scripts", negatable = true,
                description = "Translate them also in the string literals of its JavaScript and JSON responses (needs --translate-links;"
                        + " default: no)")
        Boolean translateLinksInScripts;
        @Option(names = "--identity-providers", paramLabel = "ID", split = ",", description = "Only these identity providers (ids) are "
                + "offered on its sign-in page and accepted for it (DIRECTORY mode; default: every provider); an empty value offers all again")
        List<String> identityProviders;
        @Option(names = "--throttle", paramLabel = "RATE[/BURST]|default",
                description = "The app's own rate limit: RATE requests a second, bursts of BURST (default: twice RATE), e.g. 50/100;"
                        + " 'default' for the server's per-app limit")
        String throttle;
        @Option(names = "--backend-timeout", paramLabel = "SECONDS|default",
                description = "How long to wait for the backend's answer, in seconds, instead of --timeout's 85 or 180 (up to the"
                        + " server's max-backend-timeout, 600 s unless configured); 'default' for what --timeout says")
        String backendTimeout;

        /** The body: {@code base} (current values, or all unset) with the given options applied. */
        AppSpec apply(AppSpec base) throws CliException {
            AccessSettings access = base.access();
            if (assignmentRequired != null || persistentCookie != null || identityProviders != null) {
                AccessSettings a = access != null ? access : AccessSettings.DEFAULTS;
                access = new AccessSettings(assignmentRequired != null ? assignmentRequired : a.assignmentRequired(), a.cookieHttpOnly(),
                        a.cookieSecure(), persistentCookie != null ? persistentCookie : a.cookiePersistent(), identityProviders == null
                        ? a.identityProviders() : identityProviders.stream().map(String::strip).filter(id -> !id.isEmpty()).toList());
            }
            return new AppSpec(or(name, base.name()), or(externalUrl, base.externalUrl()), or(internalUrl, base.internalUrl()),
                    or(group, base.connectorGroup()), or(timeout, base.backendTimeout()), or(translateHost, base.translateHostHeader()),
                    or(preAuth, base.preAuthentication()), access, or(caseInsensitivePaths, base.caseInsensitivePaths()),
                    or(translateLinks, base.translateLinksInBody()), or(translateLinksInScripts, base.translateLinksInScripts()),
                    throttle == null ? base.throttle() : throttle(throttle),
                    backendTimeout == null ? base.backendTimeoutSeconds() : seconds(backendTimeout));
        }

        /** {@code 50}, {@code 50/100} or {@code default} (null: the server's). */
        static AppThrottle throttle(String text) throws CliException {
            String t = text.strip();
            if (t.equalsIgnoreCase("default")) {
                return null;
            }
            String[] parts = t.split("/", -1);
            try {
                if (parts.length <= 2) {
                    int rate = Integer.parseInt(parts[0].strip());
                    return new AppThrottle(rate, parts.length == 2 ? Integer.parseInt(parts[1].strip()) : (int) Math.min(AppThrottle.MAX,
                            2L * rate));
                }
            } catch (NumberFormatException e) {
                // named below
            }
            throw CliException.usage("--throttle: '" + text + "' is not RATE or RATE/BURST (requests a second, e.g. 50/100) or 'default'");
        }

        /** {@code 300} or {@code default} (null: what the backend timeout setting says). */
        static Integer seconds(String text) throws CliException {
            String t = text.strip();
            if (t.equalsIgnoreCase("default")) {
                return null;
            }
            try {
                return Integer.parseInt(t.endsWith("s") ? t.substring(0, t.length() - 1) : t);
            } catch (NumberFormatException e) {
                throw CliException.usage("--backend-timeout: '" + text + "' is not a number of seconds (e.g. 300) or 'default'");
            }
        }

        private static <T> T or(T option, T current) {
            return option != null ? option : current;
        }
    }

    @Command(name = "publish", description = "Publish an internal app at an external URL.")
    static final class Publish extends ApiCommand {
        @Mixin
        AppOptions options;

        @Override
        protected int execute() throws Exception {
            if (options.name == null || options.externalUrl == null || options.internalUrl == null) {
                throw CliException.usage("publish needs --name, --external-url and --internal-url");
            }
            AppSpec body = options.apply(new AppSpec(null, null, null, null, null, null, PreAuthentication.PASSTHROUGH));
            AppView created = api().apps().create(body);
            output().changed("Published " + label(created, "name") + " at " + created.externalUrl(), created, created.id());
            return 0;
        }
    }

    @Command(name = "update", description = "Change an app: only the options given change.")
    static final class Update extends ApiCommand {
        @Parameters(paramLabel = "APP", description = "Name, external URL or id")
        String app;
        @Mixin
        AppOptions options;

        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            AppView c = api().apps().get(id);
            AppSpec current = new AppSpec(c.name(), c.externalUrl(), c.internalUrl(), c.connectorGroupId(), c.backendTimeout(),
                    c.translateHostHeader(), c.preAuthentication(), c.access(), c.caseInsensitivePaths(), c.translateLinksInBody(),
                    c.translateLinksInScripts(), c.throttle(), c.backendTimeoutSeconds());
            AppView updated = api().apps().replace(id, options.apply(current));
            output().changed("Updated " + label(updated, "name"), updated, id);
            return 0;
        }
    }

    @Command(name = "delete", description = "Unpublish an app: its URL stops answering at once.")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            api().apps().delete(id);
            return deleted("Deleted app " + app + (app.equals(id) ? "" : " (" + id + ")"), id);
        }
    }

    /** Exactly one of --user and --group. */
    static final class Principal {
        @Option(names = "--user", paramLabel = "USER", required = true, description = "User UPN or id")
        String user;
        @Option(names = "--group", paramLabel = "GROUP", required = true, description = "Group name or id")
        String group;

        String type() {
            return user != null ? "USER" : "GROUP";
        }

        String key() {
            return user != null ? user : group;
        }

        /** For messages: "user 'alice@corp'" or "group 'HR'". */
        String describe() {
            return type().toLowerCase(Locale.ROOT) + " '" + key() + "'";
        }
    }

    /** An app and one user or group: what assign and unassign both take. */
    abstract static class AppPrincipalCommand extends ApiCommand {
        @Parameters(paramLabel = "APP")
        String app;
        @ArgGroup(multiplicity = "1")
        Principal who;
    }

    @Command(name = "assignments", description = "List the users and groups assigned to an app.")
    static final class Assignments extends ApiCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Override
        protected int execute() throws Exception {
            output().list(api().apps().assignments(appId(this, app)), Columns.ASSIGNMENTS);
            return 0;
        }
    }

    @Command(name = "assign", description = "Let a user or a group use an app.")
    static final class Assign extends AppPrincipalCommand {
        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            List<AssignmentView> all = api().apps().assign(id, new AssignmentBody(who.type(), who.key()));
            if (output().json()) {
                output().pretty(all);
            } else {
                output().changed("Assigned " + who.describe() + " to app " + app, all, id);
            }
            return 0;
        }
    }

    @Command(name = "unassign", description = "Take an app away from a user or a group.")
    static final class Unassign extends AppPrincipalCommand {
        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            AssignmentView match = api().apps().assignments(id).stream()
                    .filter(a -> who.type().equals(a.principalType()))
                    .filter(a -> who.key().equals(a.principalId()) || who.key().equalsIgnoreCase(a.principalName()))
                    .findFirst().orElseThrow(() -> new CliException(CliException.API, who.describe() + " is not assigned to app " + app));
            api().apps().unassign(id, who.type(), match.principalId());
            output().changed("Unassigned " + who.describe() + " from app " + app, null, id);
            return 0;
        }
    }

    @Command(name = "owners", description = "List an app's owners (they decide its access requests).")
    static final class Owners extends ApiCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Override
        protected int execute() throws Exception {
            output().list(api().apps().owners(appId(this, app)), Columns.USERS);
            return 0;
        }
    }

    /** An app and a user: what add-owner and remove-owner both take. */
    abstract static class OwnerCommand extends ApiCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;
        @Parameters(index = "1", paramLabel = "USER", description = "UPN or id")
        String user;
    }

    @Command(name = "add-owner", description = "Make a user an owner of an app.")
    static final class AddOwner extends OwnerCommand {
        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            List<UserView> owners = api().apps().addOwner(id, new MemberBody(user));
            output().changed(user + " now owns app " + app, owners, id);
            return 0;
        }
    }

    @Command(name = "remove-owner", description = "Remove an owner of an app.")
    static final class RemoveOwner extends OwnerCommand {
        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            String userId = resolve(() -> api().apps().owners(id), "owner of " + app, user, "upn");
            api().apps().removeOwner(id, userId);
            output().changed(user + " no longer owns app " + app, null, id);
            return 0;
        }
    }

    @Command(name = "set-icon", description = "Set the icon My Apps shows for an app (PNG or SVG).")
    static final class SetIcon extends ApiCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;
        @Parameters(index = "1", paramLabel = "FILE", description = "A .png or .svg file")
        Path file;

        @Override
        protected int execute() throws Exception {
            String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
            String type = name.endsWith(".png") ? "image/png" : name.endsWith(".svg") ? "image/svg+xml" : null;
            if (type == null) {
                throw CliException.usage("the icon must be a .png or .svg file");
            }
            byte[] bytes;
            try {
                bytes = Files.readAllBytes(file);
            } catch (IOException e) {
                throw CliException.usage("cannot read " + file + ": " + e.getMessage());
            }
            String id = appId(this, app);
            AppIconView answer = api().apps().setIcon(id, new Icon(type, bytes));
            output().changed("Set the icon of app " + app, answer, id);
            return 0;
        }
    }

    @Command(name = "get-icon", description = "Save an app's icon to a file (the extension follows its type unless --out names one).")
    static final class GetIcon extends ApiCommand {
        @Parameters(paramLabel = "APP")
        String app;
        @Option(names = "--out", paramLabel = "FILE", description = "Where to write it (default: <app id>.png or .svg here)")
        Path out;

        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            Icon icon = api().apps().icon(id);
            Path target = out != null ? out
                    : Path.of(id + ("image/svg+xml".equals(icon.mediaType()) ? ".svg" : ".png"));
            try {
                Files.write(target, icon.bytes());
            } catch (IOException e) {
                throw CliException.usage("cannot write " + target + ": " + e.getMessage());
            }
            output().changed("Saved the icon of app " + app + " to " + target + " (" + icon.bytes().length + " bytes, "
                    + icon.mediaType() + ")", null, target.toString());
            return 0;
        }
    }

    @Command(name = "remove-icon", description = "Remove an app's icon (My Apps shows its initial).")
    static final class RemoveIcon extends ApiCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            api().apps().removeIcon(id);
            output().changed("Removed the icon of app " + app, null, id);
            return 0;
        }
    }

    @Command(name = "test", description = "Ask the server to reach the app through its connector group and report what happened.")
    static final class Test extends ApiCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Override
        protected int execute() throws Exception {
            AppTestResult result = api().apps().test(appId(this, app));
            boolean failed = result.error() != null || result.status() == null;
            Output o = output();
            if (o.json()) {
                o.pretty(result);
            } else if (!o.quiet()) {
                o.out().println(failed
                        ? "FAILED: " + app + " could not be reached" + (result.connectorId() != null ? " through connector "
                        + result.connectorId() : "") + ": " + (result.error() != null ? result.error() : "no answer")
                        : "OK: " + app + " answered HTTP " + result.status() + " in " + result.latencyMs()
                        + " ms through connector " + result.connectorId());
                o.out().flush();
            }
            // A failed test is reported like an API error, so scripts can tell.
            return failed ? CliException.API : 0;
        }
    }
}
