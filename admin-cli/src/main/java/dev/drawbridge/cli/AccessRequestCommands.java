package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.AccessRequests;
import dev.drawbridge.model.api.AccessRequestStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;


/** {@code drawbridge access-requests ...}: users asking for apps they are not assigned to. */
@Command(name = "access-requests", description = "Self-service access requests: list, approve, deny.",
        subcommands = {AccessRequestCommands.ListCommand.class, AccessRequestCommands.Approve.class, AccessRequestCommands.Deny.class})
final class AccessRequestCommands {
    private AccessRequestCommands() {
    }

    @Command(name = "list", description = "List access requests (newest first).")
    static final class ListCommand extends ApiCommand {
        @Option(names = "--status", paramLabel = "STATUS", description = "${COMPLETION-CANDIDATES} (any case; default: all)")
        AccessRequestStatus status;

        @Override
        protected int execute() throws Exception {
            output().list(api().accessRequests().list(new AccessRequests.Filter(status)), Columns.ACCESS_REQUESTS);
            return 0;
        }
    }

    /** A POST to /access-requests/{id}/{action}, reported as "{verb} the request of upn for app". */
    abstract static class Decide extends ActionCommand {
        @Parameters(paramLabel = "ID", description = "Access request id")
        String id;

        private final String verb;

        Decide(Action action, String verb) {
            super(action);
            this.verb = verb;
        }

        @Override
        String target() {
            return id;
        }

        @Override
        String done(JsonNode r) {
            return verb + " the request of " + r.path("upn").asText("?") + " for " + r.path("appName").asText("?");
        }
    }

    @Command(name = "approve", description = "Approve a request: the user is assigned to the app.")
    static final class Approve extends Decide {
        Approve() {
            super((c, api, id) -> api.accessRequests().approve(id), "Approved");
        }
    }

    @Command(name = "deny", description = "Deny a request.")
    static final class Deny extends Decide {
        Deny() {
            super((c, api, id) -> api.accessRequests().deny(id), "Denied");
        }
    }
}
