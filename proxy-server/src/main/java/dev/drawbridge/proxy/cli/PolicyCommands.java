package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.web.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code drawbridge policies|named-locations ...}: conditional access. */
final class PolicyCommands {
    private PolicyCommands() {
    }

    /** A JSON document from a file, or from stdin for "-"; bad JSON is a usage error naming line and column. */
    static JsonNode readJson(ApiCommand c, String file) throws CliException {
        String text;
        try {
            text = file.equals("-") ? new String(c.cli().stdin().readAllBytes(), StandardCharsets.UTF_8)
                    : Files.readString(Path.of(file));
        } catch (IOException e) {
            throw CliException.usage("cannot read " + file + ": " + e.getMessage());
        }
        try {
            JsonNode n = Json.MAPPER.readTree(text);
            if (n == null || !n.isObject()) {
                throw CliException.usage(file + " must hold one JSON object");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw CliException.usage(file + " is not valid JSON (line " + e.getLocation().getLineNr() + ", column "
                    + e.getLocation().getColumnNr() + "): " + e.getOriginalMessage());
        }
    }

    @Command(name = "policies", description = "Conditional access policies: list, show, create, update, delete.",
            subcommands = {Policies.List.class, Policies.Show.class, Policies.Create.class, Policies.Update.class, Policies.Delete.class})
    static final class Policies {
        static String policyId(ApiCommand c, String key) throws Exception {
            return c.resolve("policies", "policy", key, "name");
        }

        @Command(name = "list", description = "List policies.")
        static final class List extends ApiCommand {
            @Override
            protected int execute() throws Exception {
                output().list(api().get("policies"), Columns.POLICIES);
                return 0;
            }
        }

        @Command(name = "show", description = "Show one policy (by name or id).")
        static final class Show extends ApiCommand {
            @Parameters(paramLabel = "POLICY")
            String policy;

            @Override
            protected int execute() throws Exception {
                return show("policies", policyId(this, policy));
            }
        }

        @Command(name = "create", description = "Create a policy from a JSON file (see docs/cli.md for an example).")
        static final class Create extends ApiCommand {
            @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The policy as JSON; - reads stdin")
            String file;

            @Override
            protected int execute() throws Exception {
                JsonNode p = api().send("POST", "policies", readJson(this, file));
                output().changed("Created policy " + label(p, "name") + " (" + p.path("state").asText() + ")", p, p.path("id").asText());
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
                JsonNode body = readJson(this, file);
                if (body instanceof com.fasterxml.jackson.databind.node.ObjectNode o) {
                    o.remove("id");
                }
                JsonNode p = api().send("PUT", "policies/" + seg(id), body);
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
                return delete("policies", id, "Deleted policy " + policy);
            }
        }
    }

    @Command(name = "named-locations", description = "Named locations (IP ranges) for policies: list, show, create, update, delete.",
            subcommands = {NamedLocations.List.class, NamedLocations.Show.class, NamedLocations.Create.class, NamedLocations.Update.class,
                    NamedLocations.Delete.class})
    static final class NamedLocations {
        @Command(name = "list", description = "List named locations.")
        static final class List extends ApiCommand {
            @Override
            protected int execute() throws Exception {
                output().list(api().get("named-locations"), Columns.NAMED_LOCATIONS);
                return 0;
            }
        }

        @Command(name = "show", description = "Show one named location (by name or id).")
        static final class Show extends ApiCommand {
            @Parameters(paramLabel = "LOCATION")
            String location;

            @Override
            protected int execute() throws Exception {
                return show("named-locations", resolve("named-locations", "named location", location, "name"));
            }
        }

        @Command(name = "create", description = "Create a named location from IP ranges.")
        static final class Create extends ApiCommand {
            @Parameters(paramLabel = "NAME")
            String name;
            @Option(names = "--cidr", required = true, paramLabel = "CIDR", split = ",",
                    description = "IP range, e.g. 203.0.113.0/24 (repeat or separate with commas)")
            java.util.List<String> cidrs;
            @Option(names = "--trusted", description = "Mark the location trusted (policies can refer to TRUSTED)")
            boolean trusted;

            @Override
            protected int execute() throws Exception {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name);
                body.put("trusted", trusted);
                body.put("cidrs", cidrs);
                JsonNode l = api().send("POST", "named-locations", body);
                output().changed("Created named location " + label(l, "name"), l, l.path("id").asText());
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
            java.util.List<String> cidrs;
            @Option(names = "--trusted", negatable = true, description = "Mark the location trusted or not (--no-trusted)")
            Boolean trusted;

            @Override
            protected int execute() throws Exception {
                String id = resolve("named-locations", "named location", location, "name");
                JsonNode current = api().get("named-locations/" + seg(id));
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("name", name != null ? name : current.path("name").asText());
                body.put("trusted", trusted != null ? trusted : current.path("trusted").asBoolean());
                java.util.List<String> ranges = new java.util.ArrayList<>();
                current.path("cidrs").forEach(c -> ranges.add(c.asText()));
                body.put("cidrs", cidrs != null ? cidrs : ranges);
                JsonNode l = api().send("PUT", "named-locations/" + seg(id), body);
                output().changed("Updated named location " + label(l, "name"), l, l.path("id").asText());
                return 0;
            }
        }

        @Command(name = "delete", description = "Delete a named location.")
        static final class Delete extends ApiCommand {
            @Parameters(paramLabel = "LOCATION")
            String location;

            @Override
            protected int execute() throws Exception {
                String id = resolve("named-locations", "named location", location, "name");
                return delete("named-locations", id, "Deleted named location " + location);
            }
        }
    }
}
