package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.LinkedHashMap;
import java.util.Map;

/** {@code drawbridge connector-groups|connectors|tokens ...}: the on-premises side. */
final class ConnectorCommands {
    private ConnectorCommands() {
    }

    static String groupId(ApiCommand c, String key) throws Exception {
        return c.resolve("connector-groups", "connector group", key, "name");
    }

    static String connectorId(ApiCommand c, String key) throws Exception {
        return c.resolve("connectors", "connector", key, "hostName");
    }

    @Command(name = "connector-groups", description = "Connector groups: list, show, create, delete.",
            subcommands = {Groups.List.class, Groups.Show.class, Groups.Create.class, Groups.Delete.class})
    static final class Groups {
        @Command(name = "list", description = "List connector groups with their connector counts.")
        static final class List extends ApiCommand {
            @Mixin
            Paging paging;

            @Override
            protected int execute() throws Exception {
                output().list(api().get("connector-groups", paging.query()), Columns.CONNECTOR_GROUPS);
                return 0;
            }
        }

        @Command(name = "show", description = "Show one connector group (by name or id).")
        static final class Show extends ApiCommand {
            @Parameters(paramLabel = "GROUP")
            String group;

            @Override
            protected int execute() throws Exception {
                return show("connector-groups", groupId(this, group));
            }
        }

        @Command(name = "create", description = "Create a connector group.")
        static final class Create extends ApiCommand {
            @Parameters(paramLabel = "NAME")
            String name;

            @Override
            protected int execute() throws Exception {
                JsonNode g = api().send("POST", "connector-groups", Map.of("name", name));
                output().changed("Created connector group " + label(g, "name"), g, g.path("id").asText());
                return 0;
            }
        }

        @Command(name = "delete", description = "Delete an empty connector group.")
        static final class Delete extends ApiCommand {
            @Parameters(paramLabel = "GROUP", description = "Name or id")
            String group;

            @Override
            protected int execute() throws Exception {
                String id = groupId(this, group);
                return delete("connector-groups", id, "Deleted connector group " + group);
            }
        }
    }

    @Command(name = "connectors", description = "Connectors: list, show, move, revoke.",
            subcommands = {Connectors.List.class, Connectors.Show.class, Connectors.Move.class, Connectors.Revoke.class})
    static final class Connectors {
        @Command(name = "list", description = "List connectors: status, tunnels, version, last seen.")
        static final class List extends ApiCommand {
            @Mixin
            Paging paging;
            @Option(names = "--group", paramLabel = "GROUP", description = "Only this connector group (name or id)")
            String group;
            @Option(names = "--status", paramLabel = "STATUS", description = "ACTIVE, INACTIVE or REVOKED")
            dev.drawbridge.model.api.ConnectorStatus status;

            @Override
            protected int execute() throws Exception {
                Map<String, String> q = new LinkedHashMap<>(paging.query());
                if (group != null) {
                    q.put("groupId", groupId(this, group));
                }
                if (status != null) {
                    q.put("status", status.name());
                }
                output().list(api().get("connectors", q), Columns.CONNECTORS);
                return 0;
            }
        }

        @Command(name = "show", description = "Show one connector (by id or host name).")
        static final class Show extends ApiCommand {
            @Parameters(paramLabel = "CONNECTOR")
            String connector;

            @Override
            protected int execute() throws Exception {
                return show("connectors", connectorId(this, connector));
            }
        }

        @Command(name = "move", description = "Move a connector to another group; its tunnels reconnect there.")
        static final class Move extends ApiCommand {
            @Parameters(paramLabel = "CONNECTOR")
            String connector;
            @Option(names = "--group", required = true, paramLabel = "GROUP", description = "Target connector group (name or id)")
            String group;

            @Override
            protected int execute() throws Exception {
                String id = connectorId(this, connector);
                JsonNode moved = api().send("POST", "connectors/" + seg(id) + "/move", Map.of("groupId", groupId(this, group)));
                output().changed("Moved connector " + label(moved, "hostName") + " to group '" + moved.path("groupName").asText(group) + "'",
                        moved, id);
                return 0;
            }
        }

        @Command(name = "revoke", description = "Revoke a connector: its certificate stops working and its tunnels are cut at once.")
        static final class Revoke extends ApiCommand {
            @Parameters(paramLabel = "CONNECTOR")
            String connector;

            @Override
            protected int execute() throws Exception {
                String id = connectorId(this, connector);
                JsonNode revoked = api().send("POST", "connectors/" + seg(id) + "/revoke", Map.of());
                output().changed("Revoked connector " + label(revoked, "hostName"), revoked, id);
                return 0;
            }
        }
    }

    @Command(name = "tokens", description = "Connector registration tokens.", subcommands = {Tokens.Create.class})
    static final class Tokens {
        @Command(name = "create", description = "Create a one-time registration token and print the connector's install command.")
        static final class Create extends ApiCommand {
            @Option(names = "--group", paramLabel = "GROUP", description = "Connector group the new connector joins (default: Default)")
            String group;
            @Option(names = "--ttl-minutes", paramLabel = "N", description = "Lifetime in minutes, 1 to 1440 (default 60)")
            Integer ttl;

            @Override
            protected int execute() throws Exception {
                Map<String, Object> body = new LinkedHashMap<>();
                if (group != null) {
                    body.put("connectorGroup", group);
                }
                if (ttl != null) {
                    body.put("ttlMinutes", ttl);
                }
                JsonNode t = api().send("POST", "registration-tokens", body);
                Output o = output();
                if (o.json()) {
                    o.pretty(t);
                } else if (o.quiet()) {
                    o.out().println(t.path("token").asText());
                } else {
                    // The token is shown because making one is the point; it works once and expires.
                    com.fasterxml.jackson.databind.node.ObjectNode shown = t.deepCopy();
                    shown.remove("installCommand");
                    o.out().print(Table.keyValues(shown));
                    o.out().println();
                    o.out().println("Run on the connector machine (once, before " + Table.text(t.path("expiresAt")) + "):");
                    o.out().println("  " + t.path("installCommand").asText());
                }
                o.out().flush();
                return 0;
            }
        }
    }
}
