package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.Map;
import java.util.concurrent.Callable;

/** The admin CLI: each command is one admin API call; output is the JSON answer. */
final class AdminCommands {
    private AdminCommands() {
    }

    @Command(name = "apps", description = "List, publish, change and remove published apps.",
            subcommands = {Apps.List.class, Apps.Publish.class, Apps.Delete.class})
    static final class Apps {
        @Command(name = "list", description = "List published apps.")
        static final class List implements Callable<Integer> {
            @Mixin
            AdminClient.Options api;

            @Override
            public Integer call() {
                return api.run(c -> c.call("GET", "apps", null));
            }
        }

        @Command(name = "publish", description = "Publish an internal app at an external URL.")
        static final class Publish implements Callable<Integer> {
            @Mixin
            AdminClient.Options api;
            @Option(names = "--name", required = true)
            String name;
            @Option(names = "--external-url", required = true, description = "e.g. https://hr.localhost:8443/")
            String externalUrl;
            @Option(names = "--internal-url", required = true, description = "e.g. http://hr.corp.local:8080/")
            String internalUrl;
            @Option(names = "--group", description = "Connector group name or id (default: Default)")
            String group;
            @Option(names = "--timeout", description = "DEFAULT (85 s) or LONG (180 s)")
            BackendTimeout timeout;
            @Option(names = "--no-translate-host", description = "Send the external host in the Host header")
            boolean keepHost;

            @Override
            public Integer call() {
                AppSpec spec = new AppSpec(name, externalUrl, internalUrl, group, timeout, !keepHost, PreAuthentication.PASSTHROUGH);
                return api.run(c -> c.call("POST", "apps", spec));
            }
        }

        @Command(name = "delete", description = "Remove a published app.")
        static final class Delete implements Callable<Integer> {
            @Mixin
            AdminClient.Options api;
            @Parameters(paramLabel = "ID")
            String id;

            @Override
            public Integer call() {
                return api.run(c -> c.call("DELETE", "apps/" + id, null));
            }
        }
    }

    @Command(name = "groups", description = "Connector groups.", subcommands = {Groups.List.class, Groups.Create.class})
    static final class Groups {
        @Command(name = "list")
        static final class List implements Callable<Integer> {
            @Mixin
            AdminClient.Options api;

            @Override
            public Integer call() {
                return api.run(c -> c.call("GET", "connector-groups", null));
            }
        }

        @Command(name = "create")
        static final class Create implements Callable<Integer> {
            @Mixin
            AdminClient.Options api;
            @Parameters(paramLabel = "NAME")
            String name;

            @Override
            public Integer call() {
                return api.run(c -> c.call("POST", "connector-groups", Map.of("name", name)));
            }
        }
    }

    @Command(name = "connectors", description = "Connectors.", subcommands = {Connectors.List.class, Connectors.Revoke.class})
    static final class Connectors {
        @Command(name = "list")
        static final class List implements Callable<Integer> {
            @Mixin
            AdminClient.Options api;

            @Override
            public Integer call() {
                return api.run(c -> c.call("GET", "connectors", null));
            }
        }

        @Command(name = "revoke", description = "Revoke a connector: its tunnels are cut at once.")
        static final class Revoke implements Callable<Integer> {
            @Mixin
            AdminClient.Options api;
            @Parameters(paramLabel = "ID")
            String id;

            @Override
            public Integer call() {
                return api.run(c -> c.call("POST", "connectors/" + id + "/revoke", Map.of()));
            }
        }
    }

    @Command(name = "tokens", description = "Connector registration tokens.", subcommands = {Tokens.Create.class})
    static final class Tokens {
        @Command(name = "create", description = "Create a one-time registration token and print the install command.")
        static final class Create implements Callable<Integer> {
            @Mixin
            AdminClient.Options api;
            @Option(names = "--group", description = "Connector group (default: Default)")
            String group;
            @Option(names = "--ttl-minutes", description = "Lifetime in minutes (default 60)")
            Integer ttl;

            @Override
            public Integer call() {
                return api.run(c -> {
                    JsonNode r = c.call("POST", "registration-tokens", new RegistrationTokenRequest(group, ttl));
                    return r;
                });
            }
        }
    }
}
