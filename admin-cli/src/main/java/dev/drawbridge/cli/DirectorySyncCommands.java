package dev.drawbridge.cli;

import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.LdapSyncSettings;
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
            output().item(api().directorySync().settings());
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
            LdapSyncSettings saved = api().directorySync().configure(PolicyCommands.readJson(this, file, LdapSyncSettings.class));
            output().changed("Saved the directory sync settings for " + (saved.url() == null ? "?" : saved.url()), saved, null);
            return 0;
        }
    }

    @Command(name = "run", description = "Run a sync now and show what changed.")
    static final class Run extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            DirectorySyncResult result = api().directorySync().run();
            if (result == null) {
                output().changed("Directory sync done", null, null);
            } else {
                output().item(result);
            }
            return 0;
        }
    }
}
