package dev.drawbridge.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.NamedLocation;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code drawbridge policies|named-locations ...}: conditional access. */
final class PolicyCommands {
    private PolicyCommands() {
    }

    /** As the server reads a body: a misspelt field is an error, not silently dropped. */
    private static final ObjectMapper STRICT = JsonMapper.builder().addModule(new JavaTimeModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS).build();

    /** A JSON document from a file, or from stdin for "-"; bad JSON is a usage error naming line and column. */
    static <T> T readJson(ApiCommand c, String file, Class<T> type) throws CliException {
        String text;
        try {
            text = file.equals("-") ? new String(c.cli().stdin().readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
        try {
            JsonNode n = STRICT.readTree(text);
            if (n == null || !n.isObject()) {
                throw CliException.usage(file + " must hold one JSON object");
            }
            return STRICT.treeToValue(n, type);
        } catch (JsonProcessingException e) {
            throw CliException.usage(file + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        }
    }

    @Command(name = "policies", description = "Conditional access policies: list, show, create, update, delete.",
            subcommands = {Policies.ListCommand.class, Policies.Show.class, Policies.Create.class, Policies.Update.class, Policies.Delete.class})
    static final class Policies {
        static String policyId(ApiCommand c, String key) throws Exception {
            return c.resolve(() -> c.api().policies().list(), "policy", key, "name");
        }

        @Command(name = "list", description = "List policies.")
        static final class ListCommand extends ApiCommand {
            @Override
            protected int execute() throws Exception {
                output().list(api().policies().list(), Columns.POLICIES);
                return 0;
            }
        }

        @Command(name = "show", description = "Show one policy (by name or id).")
        static final class Show extends ApiCommand {
            @Parameters(paramLabel = "POLICY")
            String policy;

            @Override
            protected int execute() throws Exception {
                return show(api().policies().get(policyId(this, policy)));
            }
        }

        @Command(name = "create", description = "Create a policy from a JSON file (see docs/cli.md for an example).")
        static final class Create extends ApiCommand {
            @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The policy as JSON; - reads stdin")
            String file;

            @Override
            protected int execute() throws Exception {
                AccessPolicy p = api().policies().create(readJson(this, file, AccessPolicy.class));
                output().changed("Created policy " + label(p, "name") + " (" + p.state() + ")", p, p.id());
                return 0;
            }
        }

        @Command(name = "update", description = "Replace a policy with the JSON in a file.")
        static final class Update extends ApiCommand {
            @Parameters(paramLabel = "POLICY")
            String policy;
            @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The policy as JSON; - reads stdin")
            String file;

            @Override
            protected int execute() throws Exception {
                String id = policyId(this, policy);
                AccessPolicy b = readJson(this, file, AccessPolicy.class);
                AccessPolicy body = new AccessPolicy(null, b.name(), b.state(), b.apps(), b.users(), b.excludeUsers(), b.locations(),
                        b.excludeLocations(), b.clientTypes(), b.time(), b.control());
                AccessPolicy p = api().policies().replace(id, body);
                output().changed("Updated policy " + label(p, "name"), p, id);
                return 0;
            }
        }

        @Command(name = "delete", description = "Delete a policy.")
        static final class Delete extends ApiCommand {
            @Parameters(paramLabel = "POLICY")
            String policy;

            @Override
            protected int execute() throws Exception {
                String id = policyId(this, policy);
                api().policies().delete(id);
                return deleted("Deleted policy " + policy, id);
            }
        }
    }

    @Command(name = "named-locations", description = "Named locations (IP ranges) for policies: list, show, create, update, delete.",
            subcommands = {NamedLocations.ListCommand.class, NamedLocations.Show.class, NamedLocations.Create.class, NamedLocations.Update.class,
                    NamedLocations.Delete.class})
    static final class NamedLocations {
        static String locationId(ApiCommand c, String key) throws Exception {
            return c.resolve(() -> c.api().namedLocations().list(), "named location", key, "name");
        }

        @Command(name = "list", description = "List named locations.")
        static final class ListCommand extends ApiCommand {
            @Override
            protected int execute() throws Exception {
                output().list(api().namedLocations().list(), Columns.NAMED_LOCATIONS);
                return 0;
            }
        }

        @Command(name = "show", description = "Show one named location (by name or id).")
        static final class Show extends ApiCommand {
            @Parameters(paramLabel = "LOCATION")
            String location;

            @Override
            protected int execute() throws Exception {
                return show(api().namedLocations().get(locationId(this, location)));
            }
        }

        @Command(name = "create", description = "Create a named location from IP ranges.")
        static final class Create extends ApiCommand {
            @Parameters(paramLabel = "NAME")
            String name;
            @Option(names = "--cidr", required = true, paramLabel = "CIDR", split = ",",
                    description = "IP range, e.g. 203.0.113.0/24 (repeat or separate with commas)")
            List<String> cidrs;
            @Option(names = "--trusted", description = "Mark the location trusted (policies can refer to TRUSTED)")
            boolean trusted;

            @Override
            protected int execute() throws Exception {
                NamedLocation l = api().namedLocations().create(new NamedLocation(null, name, trusted, cidrs));
                output().changed("Created named location " + label(l, "name"), l, l.id());
                return 0;
            }
        }

        @Command(name = "update", description = "Change a named location: its name, IP ranges or trust (unset options keep their values).")
        static final class Update extends ApiCommand {
            @Parameters(paramLabel = "LOCATION")
            String location;
            @Option(names = "--name", description = "New name")
            String name;
            @Option(names = "--cidr", paramLabel = "CIDR", split = ",", description = "Replace the IP ranges (repeat or separate with commas)")
            List<String> cidrs;
            @Option(names = "--trusted", negatable = true, description = "Mark the location trusted or not (--no-trusted)")
            Boolean trusted;

            @Override
            protected int execute() throws Exception {
                String id = locationId(this, location);
                NamedLocation current = api().namedLocations().get(id);
                NamedLocation l = api().namedLocations().replace(id, new NamedLocation(id, name != null ? name : current.name(),
                        trusted != null ? trusted : current.trusted(), cidrs != null ? cidrs : current.cidrs()));
                output().changed("Updated named location " + label(l, "name"), l, l.id());
                return 0;
            }
        }

        @Command(name = "delete", description = "Delete a named location.")
        static final class Delete extends ApiCommand {
            @Parameters(paramLabel = "LOCATION")
            String location;

            @Override
            protected int execute() throws Exception {
                String id = locationId(this, location);
                api().namedLocations().delete(id);
                return deleted("Deleted named location " + location, id);
            }
        }
    }
}
