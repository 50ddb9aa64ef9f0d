package dev.drawbridge.cli;

import dev.drawbridge.adminclient.BundleFile;
import dev.drawbridge.adminclient.Rollback;
import dev.drawbridge.model.api.ConnectorUpdateView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.nio.file.Path;

/**
 * {@code drawbridge connector-updates list|upload|delete}: the connector update bundles the server hosts and signs
 * (docs/updates.md). Each group's rollout is {@code drawbridge connector-groups rollout} ({@link RolloutCommands}).
 */
@Command(name = "connector-updates", description = "Connector update bundles: list, upload, delete (uploading and deleting: global"
        + " administrators).", subcommands = {UpdateCommands.ListCommand.class, UpdateCommands.Upload.class, UpdateCommands.Delete.class})
final class UpdateCommands {
    private UpdateCommands() {
    }

    @Command(name = "list", description = "List the uploaded bundles, highest version first.")
    static final class ListCommand extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().list(api().connectorUpdates().list(), Columns.CONNECTOR_UPDATES, "version");
            return 0;
        }
    }

    @Command(name = "upload", description = "Upload a bundle (drawbridge-connector-update-<version>.zip); the server checks it and "
            + "signs its manifest. Connector groups then update to it, one connector at a time, unless they pin a version.")
    static final class Upload extends ApiCommand {
        @Parameters(paramLabel = "FILE", description = "The bundle file")
        Path file;

        @Override
        protected int execute() throws Exception {
            BundleFile bundle;
            try {
                bundle = BundleFile.of(file);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
            ConnectorUpdateView v = api().connectorUpdates().upload(bundle);
            output().changed("Uploaded connector update " + v.version() + " (" + v.size() + " bytes, sha256 " + v.sha256() + ")", v,
                    v.version());
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete a bundle (refused while a group pins it or a connector is updating to it).")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "VERSION")
        String version;

        @Override
        protected int execute() throws Exception {
            api().connectorUpdates().delete(version);
            return deleted("Deleted connector update " + version, version);
        }
    }

    /** The sentence a refused roll back prints (exit 1: the server's state, not the command, is in the way). */
    static CliException refused(Rollback.Refused r) {
        return new CliException(CliException.API, r.sentence());
    }
}
