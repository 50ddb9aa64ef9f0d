package dev.drawbridge.proxy.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.proxy.web.Json;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/** {@code drawbridge identity-provider ...}: the external OpenID Connect provider users may sign in with. */
@Command(name = "identity-provider", description = "External OpenID Connect provider: show, configure, add-group, remove.",
        subcommands = {IdentityProviderCommands.Show.class, IdentityProviderCommands.Configure.class, IdentityProviderCommands.AddGroup.class,
                IdentityProviderCommands.Remove.class})
final class IdentityProviderCommands {
    private static final String PATH = "identity-providers/oidc";

    private IdentityProviderCommands() {
    }

    @Command(name = "show", description = "Show the provider (its client secret masked) and the redirect URI to register there.")
    static final class Show extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().item(api().get(PATH));
            return 0;
        }
    }

    @Command(name = "configure", description = {"Set up or change the provider. Options override the file's fields; "
            + "unset ones keep their current value.", "The client secret is never an argument: --client-secret-stdin or the file."})
    static final class Configure extends ApiCommand {
        @Option(names = {"-f", "--file"}, paramLabel = "FILE", description = "Settings as JSON (issuer, clientId, clientSecret, ...); - reads stdin")
        String file;
        @Option(names = "--issuer", paramLabel = "URL", description = "e.g. https://idp.corp.example/realms/corp")
        String issuer;
        @Option(names = "--client-id", paramLabel = "ID")
        String clientId;
        @Option(names = "--client-secret-stdin", description = "Read the client secret from the first line of standard input")
        boolean secretStdin;
        @Option(names = "--display-name", paramLabel = "NAME", description = "Shown as \"Sign in with NAME\"")
        String displayName;
        @Option(names = "--scopes", paramLabel = "SCOPE", split = ",", description = "Default: openid,profile,email")
        List<String> scopes;
        @Option(names = "--username-claim", paramLabel = "CLAIM", description = "Becomes the UPN (default email)")
        String usernameClaim;
        @Option(names = "--groups-claim", paramLabel = "CLAIM", description = "Lists the user's groups, e.g. groups")
        String groupsClaim;
        @Option(names = "--jit", negatable = true, description = "Create unknown users on first sign-in (default: yes)")
        Boolean jit;
        @Option(names = "--link-by-verified-email", negatable = true, description = "Let a first sign-in link to the existing user "
                + "with the same email when the provider verified it (default: no; identities then only link to users they created)")
        Boolean linkByVerifiedEmail;

        @Override
        protected int execute() throws Exception {
            if (file != null && file.equals("-") && secretStdin) {
                throw CliException.usage("standard input cannot hold both the file and the client secret");
            }
            ObjectNode stored = current();
            ObjectNode body = file != null ? (ObjectNode) PolicyCommands.readJson(this, file) : stored.deepCopy();
            body.remove("redirectUri");
            putIfSet(body, "issuer", issuer);
            putIfSet(body, "clientId", clientId);
            putIfSet(body, "displayName", displayName);
            putIfSet(body, "usernameClaim", usernameClaim);
            putIfSet(body, "groupsClaim", groupsClaim);
            if (scopes != null) {
                scopes.forEach(body.putArray("scopes")::add);
            }
            if (jit != null) {
                body.put("jitProvisioning", jit);
            }
            if (linkByVerifiedEmail != null) {
                body.put("linkByVerifiedEmail", linkByVerifiedEmail);
            }
            boolean moved = stored.has("issuer") && (!stored.path("issuer").asText().equals(body.path("issuer").asText())
                    || !stored.path("clientId").asText().equals(body.path("clientId").asText()));
            String secretInFile = body.path("clientSecret").asText("");
            if (moved && !secretStdin && (secretInFile.isEmpty() || secretInFile.equals("********"))) {
                throw CliException.usage("the issuer or client id changes: give the client secret again (--client-secret-stdin or the file); "
                        + "the stored one is only sent to the provider it was entered for");
            }
            if (secretStdin) {
                body.put("clientSecret", Prompts.secret(cli(), "client secret", true, "--client-secret-stdin"));
            }
            JsonNode saved = api().send("PUT", PATH, body);
            output().changed("Configured sign-in with " + saved.path("displayName").asText(saved.path("issuer").asText())
                    + "; register this redirect URI at the provider: " + saved.path("redirectUri").asText(), saved, null);
            return 0;
        }

        /** The stored settings (secret masked: sending the mask back keeps the secret), or empty ones. */
        private ObjectNode current() throws Exception {
            try {
                return (ObjectNode) api().get(PATH).deepCopy();
            } catch (AdminClient.ProblemException e) {
                if (e.status() != 404) {
                    throw e;
                }
                return Json.MAPPER.createObjectNode();
            }
        }
    }

    @Command(name = "add-group", description = {"Create a group owned by the provider: users whose groups claim lists CLAIM join it.",
            "A groups claim only ever joins groups the provider owns, never a static or LDAP group of the same name."})
    static final class AddGroup extends ApiCommand {
        @picocli.CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "The group's name in Drawbridge")
        String name;
        @Option(names = "--claim", paramLabel = "VALUE", description = "The value in the groups claim (default: NAME)")
        String claim;

        @Override
        protected int execute() throws Exception {
            ObjectNode body = Json.MAPPER.createObjectNode().put("name", name);
            putIfSet(body, "claim", claim);
            JsonNode created = api().send("POST", PATH + "/groups", body);
            output().changed("Created group " + created.path("name").asText() + " for the provider's '" + created.path("claim").asText()
                    + "' claim", created, null);
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove the provider: its users can no longer sign in with it.")
    static final class Remove extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            api().send("DELETE", PATH, null);
            output().changed("Removed the OpenID Connect provider", null, null);
            return 0;
        }
    }
}
