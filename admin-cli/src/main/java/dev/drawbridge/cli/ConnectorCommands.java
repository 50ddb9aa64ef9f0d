package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.MaintenanceBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.validation.KerberosRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;


/** {@code drawbridge connector-groups|connectors|tokens ...}: the on-premises side. */
final class ConnectorCommands {
    private ConnectorCommands() {
    }

    static String groupId(ApiCommand c, String key) throws Exception {
        return c.resolve(() -> c.api().connectorGroups().list(Paging.LARGEST).items(), "connector group", key, "name");
    }

    static String connectorId(ApiCommand c, String key) throws Exception {
        return c.resolve(() -> c.api().connectors().list(Paging.LARGEST, Connectors.Filter.NONE).items(),
                "connector", key, "hostName");
    }

    @Command(name = "connector-groups", description = "Connector groups: list, show, create, delete, maintenance mode, Kerberos settings, update rollout.",
            subcommands = {Groups.ListCommand.class, Groups.Show.class, Groups.Create.class, Groups.Delete.class, Maintenance.class,
                    Kerberos.class, RolloutCommands.class})
    static final class Groups {
        @Command(name = "list", description = "List connector groups with their connector counts.")
        static final class ListCommand extends ApiCommand {
            @Mixin
            PagingOptions paging;

            @Override
            protected int execute() throws Exception {
                output().list(api().connectorGroups().list(paging.page()), Columns.CONNECTOR_GROUPS);
                return 0;
            }
        }

        @Command(name = "show", description = "Show one connector group (by name or id).")
        static final class Show extends ApiCommand {
            @Parameters(paramLabel = "GROUP")
            String group;

            @Override
            protected int execute() throws Exception {
                return show(api().connectorGroups().get(groupId(this, group)));
            }
        }

        @Command(name = "create", description = "Create a connector group.")
        static final class Create extends ApiCommand {
            @Parameters(paramLabel = "NAME")
            String name;

            @Override
            protected int execute() throws Exception {
                ConnectorGroupView g = api().connectorGroups().create(new NameBody(name, null, null));
                output().changed("Created connector group " + label(g, "name"), g, g.id());
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
                api().connectorGroups().delete(id);
                return deleted("Deleted connector group " + group, id);
            }
        }
    }

    @Command(name = "maintenance", description = "A group's maintenance mode: start (no new request goes to its connectors; its apps"
            + " answer a maintenance page), end.", subcommands = {Maintenance.Start.class, Maintenance.End.class})
    static final class Maintenance {
        @Command(name = "start", description = "Put a group in maintenance mode (again: change its message). Requests in flight finish.")
        static final class Start extends ApiCommand {
            @Parameters(paramLabel = "GROUP", description = "Name or id")
            String group;
            @Option(names = "--message", description = "What users of the group's apps read on the maintenance page")
            String message;

            @Override
            protected int execute() throws Exception {
                String id = groupId(this, group);
                ConnectorGroupView g = api().connectorGroups().startMaintenance(id, new MaintenanceBody(message));
                output().changed("Connector group " + label(g, "name") + " is in maintenance mode: its apps answer a maintenance page", g, id);
                return 0;
            }
        }

        @Command(name = "end", description = "End a group's maintenance mode: its connectors take new requests again.")
        static final class End extends ApiCommand {
            @Parameters(paramLabel = "GROUP", description = "Name or id")
            String group;

            @Override
            protected int execute() throws Exception {
                String id = groupId(this, group);
                ConnectorGroupView g = api().connectorGroups().endMaintenance(id);
                output().changed("Connector group " + label(g, "name") + " serves its apps again", g, id);
                return 0;
            }
        }
    }

    @Command(name = "kerberos", description = "A group's Kerberos settings for constrained delegation (IWA): show, set, clear.",
            subcommands = {Kerberos.Show.class, Kerberos.Set.class, Kerberos.Clear.class})
    static final class Kerberos {
        /** The flag of each field of the settings, for error messages. */
        static final Map<String, String> FLAGS = Map.of("realm", "--realm", "kdcs", "--kdc", "servicePrincipal", "--principal",
                "keytab", "--keytab");

        @Command(name = "show", description = "Show a group's Kerberos settings (never the keytab: the principals it holds).")
        static final class Show extends ApiCommand {
            @Parameters(paramLabel = "GROUP", description = "Name or id")
            String group;

            @Override
            protected int execute() throws Exception {
                return show(api().connectorGroups().kerberos(groupId(this, group)));
            }
        }

        @Command(name = "set", description = "Set a group's Kerberos settings; the keytab is sent to the group's connectors and never shown again.")
        static final class Set extends ApiCommand {
            @Parameters(paramLabel = "GROUP", description = "Name or id")
            String group;
            @Option(names = "--realm", required = true, description = "The Kerberos realm, e.g. CORP.EXAMPLE")
            String realm;
            @Option(names = "--kdc", required = true, description = "A KDC, host or host:port (repeat for several)")
            List<String> kdcs;
            @Option(names = "--principal", required = true, description = "The connectors' principal, e.g. HTTP/connector.corp.example")
            String principal;
            @Option(names = "--keytab", required = true, description = "The principal's keytab file")
            Path keytab;

            @Override
            protected int execute() throws Exception {
                byte[] bytes;
                if (!Files.isRegularFile(keytab)) {
                    throw CliException.usage("--keytab: " + keytab + " is not a file");
                }
                try (InputStream in = Files.newInputStream(keytab)) {
                    // At most one byte more than a keytab may have: a device or a huge file is never read to its end.
                    bytes = in.readNBytes(KerberosRules.MAX_KEYTAB + 1);
                } catch (IOException e) {
                    throw CliException.usage("--keytab: cannot read " + keytab + ": " + e.getMessage());
                }
                KerberosGroupSettings settings = new KerberosGroupSettings(realm, kdcs, principal, Base64.getEncoder().encodeToString(bytes));
                List<FieldError> errors = KerberosRules.check(settings);
                if (!errors.isEmpty()) {
                    throw CliException.usage("the Kerberos settings are not valid, nothing was sent:" + errors.stream()
                            .map(e -> "\n  " + FLAGS.getOrDefault(e.field(), e.field()) + ": " + e.message()).collect(Collectors.joining()));
                }
                String id = groupId(this, group);
                KerberosGroupView v = api().connectorGroups().setKerberos(id, settings);
                output().changed("Set the Kerberos settings of connector group " + group + " (keytab holds "
                        + String.join(", ", v.keytabPrincipals()) + ")", v, id);
                return 0;
            }
        }

        @Command(name = "clear", description = "Remove a group's Kerberos settings (its connectors delete their keytab).")
        static final class Clear extends ApiCommand {
            @Parameters(paramLabel = "GROUP", description = "Name or id")
            String group;

            @Override
            protected int execute() throws Exception {
                String id = groupId(this, group);
                api().connectorGroups().removeKerberos(id);
                return deleted("Removed the Kerberos settings of connector group " + group, id);
            }
        }
    }

    @Command(name = "connectors", description = "Connectors: list, show, move, revoke.",
            subcommands = {Agents.ListCommand.class, Agents.Show.class, Agents.Move.class, Agents.Revoke.class})
    static final class Agents {
        @Command(name = "list", description = "List connectors: status, tunnels, version, last seen, update state and last update error.")
        static final class ListCommand extends ApiCommand {
            @Mixin
            PagingOptions paging;
            @Option(names = "--group", paramLabel = "GROUP", description = "Only this connector group (name or id)")
            String group;
            @Option(names = "--status", paramLabel = "STATUS", description = "ACTIVE, INACTIVE or REVOKED")
            ConnectorStatus status;

            @Override
            protected int execute() throws Exception {
                String groupId = group == null ? null : groupId(this, group);
                output().list(api().connectors().list(paging.page(),
                        new Connectors.Filter(groupId, status)), Columns.CONNECTORS);
                return 0;
            }
        }

        @Command(name = "show", description = "Show one connector (by id or host name).")
        static final class Show extends ApiCommand {
            @Parameters(paramLabel = "CONNECTOR")
            String connector;

            @Override
            protected int execute() throws Exception {
                return show(api().connectors().get(connectorId(this, connector)));
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
                ConnectorView moved = api().connectors().move(id, new NameBody(null, null, groupId(this, group)));
                output().changed("Moved connector " + label(moved, "hostName") + " to group '"
                                + (moved.groupName() != null ? moved.groupName() : group) + "'",
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
                ConnectorView revoked = api().connectors().revoke(id);
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
                JsonNode t = Output.tree(api().connectors().createRegistrationToken(new RegistrationTokenRequest(group, ttl)));
                Output o = output();
                if (o.json()) {
                    o.pretty(t);
                } else if (o.quiet()) {
                    o.out().println(t.path("token").asText());
                } else {
                    // The token is shown because making one is the point; it works once and expires.
                    ObjectNode shown = t.deepCopy();
                    shown.remove("installCommand");
                    o.out().print(Table.keyValues(shown));
                    o.out().println();
                    o.out().println("Run on the connector machine (once, before " + Table.text(t.path("expiresAt")) + "), and paste the"
                            + " token when asked:");
                    o.out().println("  " + t.path("installCommand").asText());
                }
                o.out().flush();
                return 0;
            }
        }
    }
}
