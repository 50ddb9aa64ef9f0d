package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.web.Json;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;

/** {@code drawbridge apps ...}: published apps, who may use them, and a reachability test. */
@Command(name = "apps", description = "Published apps: list, show, publish, update, delete, assignments, assign, unassign, "
        + "owners, add-owner, remove-owner, set-icon, get-icon, remove-icon, test.",
        subcommands = {AppCommands.List.class, AppCommands.Show.class, AppCommands.Publish.class, AppCommands.Update.class,
                AppCommands.Delete.class, AppCommands.Assignments.class, AppCommands.Assign.class, AppCommands.Unassign.class,
                AppCommands.Owners.class, AppCommands.AddOwner.class, AppCommands.RemoveOwner.class, AppCommands.SetIcon.class, AppCommands.GetIcon.class,
                AppCommands.RemoveIcon.class, AppCommands.Test.class})
final class AppCommands {
    private AppCommands() {
    }

    static String appId(ApiCommand c, String key) throws Exception {
        return c.resolve("apps", "app", key, "name", "externalUrl");
    }

    @Command(name = "list", description = "List published apps.")
    static final class List extends ApiCommand {
        @Mixin
        Paging paging;
        @Option(names = "--name", paramLabel = "TEXT", description = "Only apps whose name contains TEXT (any case)")
        String name;

        @Override
        protected int execute() throws Exception {
            output().list(api().get("apps", paging.query("name", name)), Columns.APPS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show one app (by name, external URL or id).")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "APP")
        String app;

        @Override
        protected int execute() throws Exception {
            return show("apps", appId(this, app));
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

        /** The body: {@code base} (current values, or empty) with the given options applied. */
        ObjectNode apply(ObjectNode base) {
            ApiCommand.putIfSet(base, "name", name);
            ApiCommand.putIfSet(base, "externalUrl", externalUrl);
            ApiCommand.putIfSet(base, "internalUrl", internalUrl);
            ApiCommand.putIfSet(base, "connectorGroup", group);
            ApiCommand.putIfSet(base, "backendTimeout", timeout == null ? null : timeout.name());
            if (translateHost != null) {
                base.put("translateHostHeader", translateHost);
            }
            ApiCommand.putIfSet(base, "preAuthentication", preAuth == null ? null : preAuth.name());
            if (caseInsensitivePaths != null) {
                base.put("caseInsensitivePaths", caseInsensitivePaths);
            }
            if (assignmentRequired != null || persistentCookie != null) {
                ObjectNode access = base.has("access") && base.get("access").isObject() ? (ObjectNode) base.get("access")
                        : Json.MAPPER.valueToTree(AccessSettings.DEFAULTS);
                if (assignmentRequired != null) {
                    access.put("assignmentRequired", assignmentRequired);
                }
                if (persistentCookie != null) {
                    access.put("cookiePersistent", persistentCookie);
                }
                base.set("access", access);
            }
            return base;
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
            ObjectNode body = options.apply(Json.MAPPER.createObjectNode());
            if (!body.has("preAuthentication")) {
                body.put("preAuthentication", PreAuthentication.PASSTHROUGH.name());
            }
            JsonNode created = api().send("POST", "apps", body);
            output().changed("Published " + label(created, "name") + " at " + created.path("externalUrl").asText(), created,
                    created.path("id").asText());
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
            JsonNode current = api().get("apps/" + seg(id));
            ObjectNode body = Json.MAPPER.createObjectNode();
            for (String f : new String[]{"name", "externalUrl", "internalUrl", "backendTimeout", "translateHostHeader",
                    "preAuthentication", "access", "caseInsensitivePaths"}) {
                if (current.has(f) && !current.get(f).isNull()) {
                    body.set(f, current.get(f).deepCopy());
                }
            }
            body.put("connectorGroup", current.path("connectorGroupId").asText());
            JsonNode updated = api().send("PUT", "apps/" + seg(id), options.apply(body));
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
            return delete("apps", id, "Deleted app " + app + (app.equals(id) ? "" : " (" + id + ")"));
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
            return type().toLowerCase(java.util.Locale.ROOT) + " '" + key() + "'";
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
            output().list(api().get("apps/" + seg(appId(this, app)) + "/assignments"), Columns.ASSIGNMENTS);
            return 0;
        }
    }

    @Command(name = "assign", description = "Let a user or a group use an app.")
    static final class Assign extends AppPrincipalCommand {
        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            JsonNode all = api().send("POST", "apps/" + seg(id) + "/assignments",
                    Map.of("principalType", who.type(), "principal", who.key()));
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
            JsonNode match = Output.items(api().get("apps/" + seg(id) + "/assignments")).stream()
                    .filter(a -> a.path("principalType").asText().equals(who.type()))
                    .filter(a -> a.path("principalId").asText().equals(who.key()) || a.path("principalName").asText().equalsIgnoreCase(who.key()))
                    .findFirst().orElseThrow(() -> new CliException(CliException.API, who.describe() + " is not assigned to app " + app));
            api().send("DELETE", "apps/" + seg(id) + "/assignments/" + who.type() + "/" + seg(match.path("principalId").asText()), null);
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
            output().list(api().get("apps/" + seg(appId(this, app)) + "/owners"), Columns.USERS);
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
            JsonNode owners = addUser("apps/" + seg(id) + "/owners", user);
            output().changed(user + " now owns app " + app, owners, id);
            return 0;
        }
    }

    @Command(name = "remove-owner", description = "Remove an owner of an app.")
    static final class RemoveOwner extends OwnerCommand {
        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            removeUser("apps/" + seg(id) + "/owners", "owner of " + app, user);
            output().changed(user + " no longer owns app " + app, null, id);
            return 0;
        }
    }

    @Command(name = "set-icon", description = "Set the icon My Apps shows for an app (PNG or SVG).")
    static final class SetIcon extends ApiCommand {
        @Parameters(index = "0", paramLabel = "APP")
        String app;
        @Parameters(index = "1", paramLabel = "FILE", description = "A .png or .svg file")
        java.nio.file.Path file;

        @Override
        protected int execute() throws Exception {
            String name = file.getFileName().toString().toLowerCase(java.util.Locale.ROOT);
            String type = name.endsWith(".png") ? "image/png" : name.endsWith(".svg") ? "image/svg+xml" : null;
            if (type == null) {
                throw CliException.usage("the icon must be a .png or .svg file");
            }
            byte[] bytes;
            try {
                bytes = java.nio.file.Files.readAllBytes(file);
            } catch (java.io.IOException e) {
                throw CliException.usage("cannot read " + file + ": " + e.getMessage());
            }
            String id = appId(this, app);
            JsonNode answer = api().sendBytes("PUT", "apps/" + seg(id) + "/icon", type, bytes);
            output().changed("Set the icon of app " + app, answer, id);
            return 0;
        }
    }

    @Command(name = "get-icon", description = "Save an app's icon to a file (the extension follows its type unless --out names one).")
    static final class GetIcon extends ApiCommand {
        @Parameters(paramLabel = "APP")
        String app;
        @Option(names = "--out", paramLabel = "FILE", description = "Where to write it (default: <app id>.png or .svg here)")
        java.nio.file.Path out;

        @Override
        protected int execute() throws Exception {
            String id = appId(this, app);
            AdminClient.Binary icon = api().getBytes("apps/" + seg(id) + "/icon");
            java.nio.file.Path target = out != null ? out
                    : java.nio.file.Path.of(id + ("image/svg+xml".equals(icon.contentType()) ? ".svg" : ".png"));
            try {
                java.nio.file.Files.write(target, icon.bytes());
            } catch (java.io.IOException e) {
                throw CliException.usage("cannot write " + target + ": " + e.getMessage());
            }
            output().changed("Saved the icon of app " + app + " to " + target + " (" + icon.bytes().length + " bytes, "
                    + icon.contentType() + ")", null, target.toString());
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
            api().send("DELETE", "apps/" + seg(id) + "/icon", null);
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
            JsonNode result = api().send("POST", "apps/" + seg(appId(this, app)) + "/test", null);
            boolean failed = result.hasNonNull("error") || !result.hasNonNull("status");
            Output o = output();
            if (o.json()) {
                o.pretty(result);
            } else if (!o.quiet()) {
                o.out().println(failed
                        ? "FAILED: " + app + " could not be reached" + (result.hasNonNull("connectorId") ? " through connector "
                        + result.path("connectorId").asText() : "") + ": " + result.path("error").asText("no answer")
                        : "OK: " + app + " answered HTTP " + result.path("status").asInt() + " in " + result.path("latencyMs").asLong()
                        + " ms through connector " + result.path("connectorId").asText());
                o.out().flush();
            }
            // A failed test is reported like an API error, so scripts can tell.
            return failed ? CliException.API : 0;
        }
    }
}
