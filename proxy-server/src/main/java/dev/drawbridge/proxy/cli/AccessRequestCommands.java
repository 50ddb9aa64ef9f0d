package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.HashMap;
import java.util.Map;

/** {@code drawbridge access-requests ...}: users asking for apps they are not assigned to. */
@Command(name = "access-requests", description = "Self-service access requests: list, approve, deny.",
        subcommands = {AccessRequestCommands.List.class, AccessRequestCommands.Approve.class, AccessRequestCommands.Deny.class})
final class AccessRequestCommands {
    private AccessRequestCommands() {
    }

    @Command(name = "list", description = "List access requests (newest first).")
    static final class List extends ApiCommand {
        @Option(names = "--status", paramLabel = "STATUS", description = "PENDING, APPROVED or DENIED (default: all)")
        String status;

        @Override
        protected int execute() throws Exception {
            Map<String, String> q = new HashMap<>();
            if (status != null) {
                q.put("status", status);
            }
            output().list(api().get("access-requests", q), Columns.ACCESS_REQUESTS);
            return 0;
        }
    }

    /** A POST to /access-requests/{id}/{action}, reported as "{done} the request of upn for app". */
    abstract static class Decide extends ApiCommand {
        @Parameters(paramLabel = "ID", description = "Access request id")
        String id;

        private final String action;
        private final String done;

        Decide(String action, String done) {
            this.action = action;
            this.done = done;
        }

        @Override
        protected int execute() throws Exception {
            JsonNode r = api().send("POST", "access-requests/" + seg(id) + "/" + action, null);
            output().changed(done + " the request of " + r.path("upn").asText("?") + " for " + r.path("appName").asText("?"), r, id);
            return 0;
        }
    }

    @Command(name = "approve", description = "Approve a request: the user is assigned to the app.")
    static final class Approve extends Decide {
        Approve() {
            super("approve", "Approved");
        }
    }

    @Command(name = "deny", description = "Deny a request.")
    static final class Deny extends Decide {
        Deny() {
            super("deny", "Denied");
        }
    }
}
