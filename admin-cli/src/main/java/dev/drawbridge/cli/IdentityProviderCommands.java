package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.ProviderGroupBody;
import dev.drawbridge.model.api.ProviderGroupView;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;

/**
 * {@code drawbridge identity-provider ...}: the external OpenID Connect provider with id {@code oidc} (the single provider of
 * earlier versions; {@link IdentityProvidersCommands} manages any number of them).
 */
@Command(name = "identity-provider", description = "The OpenID Connect provider with id oidc: show, configure, add-group, remove "
        + "(see identity-providers for several).",
        subcommands = {IdentityProviderCommands.Show.class, IdentityProviderCommands.Configure.class, IdentityProviderCommands.AddGroup.class,
                IdentityProviderCommands.Remove.class})
final class IdentityProviderCommands {

    private IdentityProviderCommands() {
    }

    /** Sets {@code field} of a request body when the option was given; unset options leave the field as it is. */
    static void putIfSet(ObjectNode o, String field, String value) {
        if (value != null) {
            o.put(field, value);
        }
    }

    @Command(name = "show", description = "Show the provider (its client secret masked) and the redirect URI to register there.")
    static final class Show extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().item(api().identityProviders().oidc());
            return 0;
        }
    }

    @Command(name = "configure", description = {"Set up or change the provider. Options override the file's fields; "
            + "unset ones keep their current value.", "The client secret is never an argument: --client-secret-stdin or the file."})
    static final class Configure extends SettingsCommand {
        @Override
        String id() {
            return "oidc";
        }
    }

    /** Sets up or changes the provider {@link #id()}: options over the file's fields over the stored ones. */
    abstract static class SettingsCommand extends ApiCommand {
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
        @Option(names = "--email-domain", paramLabel = "DOMAIN", split = ",", description = "Home-realm discovery: users typing an address "
                + "in these domains go straight to this provider (exact domains, each listed by one provider only); an empty value clears")
        List<String> emailDomains;

        /** The provider's id. */
        abstract String id();

        @Override
        protected int execute() throws Exception {
            if (file != null && file.equals("-") && secretStdin) {
                throw CliException.usage("standard input cannot hold both the file and the client secret");
            }
            ObjectNode stored = current();
            ObjectNode body = file != null ? PolicyCommands.readJson(this, file, ObjectNode.class) : stored.deepCopy();
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
            if (emailDomains != null) {
                var domains = body.putArray("emailDomains");
                emailDomains.stream().map(String::strip).filter(d -> !d.isEmpty()).forEach(domains::add);
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
            JsonNode saved = Output.tree(api().identityProviders().replace(id(), Output.JSON.treeToValue(body, OidcProviderSettings.class)));
            output().changed("Configured sign-in with " + saved.path("displayName").asText(saved.path("issuer").asText())
                    + "; register this redirect URI at the provider: " + saved.path("redirectUri").asText(), saved, null);
            return 0;
        }

        /** The stored settings (secret masked: sending the mask back keeps the secret), or empty ones. */
        private ObjectNode current() throws Exception {
            try {
                return (ObjectNode) Output.tree(api().identityProviders().get(id()));
            } catch (AdminApiException e) {
                if (e.status() != 404) {
                    throw e;
                }
                return Output.JSON.createObjectNode();
            }
        }
    }

    @Command(name = "add-group", description = {"Create a group owned by the provider: users whose groups claim lists CLAIM join it.",
            "A groups claim only ever joins groups the provider owns, never a static or LDAP group of the same name."})
    static final class AddGroup extends ApiCommand {
        @CommandLine.Parameters(index = "0", paramLabel = "NAME", description = "The group's name in Drawbridge")
        String name;
        @Option(names = "--claim", paramLabel = "VALUE", description = "The value in the groups claim (default: NAME)")
        String claim;

        @Override
        protected int execute() throws Exception {
            ProviderGroupView created = api().identityProviders().createOidcGroup(new ProviderGroupBody(name, claim));
            output().changed("Created group " + created.name() + " for the provider's '" + created.claim()
                    + "' claim", created, null);
            return 0;
        }
    }

    @Command(name = "remove", description = "Remove the provider: its users can no longer sign in with it.")
    static final class Remove extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            api().identityProviders().removeOidc();
            output().changed("Removed the OpenID Connect provider", null, null);
            return 0;
        }
    }
}
