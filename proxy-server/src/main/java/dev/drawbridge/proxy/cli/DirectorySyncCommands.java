package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code drawbridge directory-sync ...}: LDAP / Active Directory sync into the directory. */
@Command(name = "directory-sync", description = "LDAP / Active Directory sync: show, configure, run.",
        subcommands = {DirectorySyncCommands.Show.class, DirectorySyncCommands.Configure.class, DirectorySyncCommands.Run.class})
final class DirectorySyncCommands {
    private DirectorySyncCommands() {
    }

    @Command(name = "show", description = "Show the sync settings and the last result.")
    static final class Show extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().item(api().get("directory-sync"));
            return 0;
        }
    }

    @Command(name = "configure", description = {"Replace the sync settings with the JSON in a file (url, bindDn, bindPassword, "
            + "userBase, ... as in GET /api/v1/openapi.json).", "Leaving bindPassword out keeps the stored one, unless url, bindDn or "
            + "connectorGroup changes: then it must be given again."})
    static final class Configure extends ApiCommand {
        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The settings as JSON; - reads stdin")
        String file;

        @Override
        protected int execute() throws Exception {
            JsonNode saved = api().send("PUT", "directory-sync", PolicyCommands.readJson(this, file));
            output().changed("Saved the directory sync settings for " + saved.path("url").asText("?"), saved, null);
            return 0;
        }
    }

    @Command(name = "run", description = "Run a sync now and show what changed.")
    static final class Run extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            JsonNode result = api().send("POST", "directory-sync/run", null);
            if (result.isNull() || result.isMissingNode()) {
                output().changed("Directory sync done", null, null);
            } else {
                output().item(result);
            }
            return 0;
        }
    }
}
