package dev.drawbridge.cli;

import dev.drawbridge.model.api.ProviderGroupBody;
import dev.drawbridge.model.api.ProviderGroupView;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code drawbridge identity-providers ...}: the external OpenID Connect providers users may sign in with, any number of
 * them, each under its id (offered side by side on the sign-in page; {@code --email-domain} sends the users of a domain
 * straight to one).
 */
@Command(name = "identity-providers", description = "External OpenID Connect providers: list, show, set, delete, add-group.",
        subcommands = {IdentityProvidersCommands.ListProviders.class, IdentityProvidersCommands.Show.class, IdentityProvidersCommands.Set.class,
                IdentityProvidersCommands.Delete.class, IdentityProvidersCommands.AddGroup.class})
final class IdentityProvidersCommands {
    private IdentityProvidersCommands() {
    }

    @Command(name = "list", description = "List the providers.")
    static final class ListProviders extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().list(api().identityProviders().list(), Columns.IDENTITY_PROVIDERS);
            return 0;
        }
    }

    @Command(name = "show", description = "Show a provider (its client secret masked) and the redirect URI to register there.")
    static final class Show extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        protected int execute() throws Exception {
            output().item(api().identityProviders().get(id));
            return 0;
        }
    }

    @Command(name = "set", description = {"Add a provider or change one. Options override the file's fields; unset ones keep their "
            + "current value.", "The client secret is never an argument: --client-secret-stdin or the file."})
    static final class Set extends IdentityProviderCommands.SettingsCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The provider's id: lower-case letters, digits and hyphens, e.g. partner")
        String id;

        @Override
        String id() {
            return id;
        }
    }

    @Command(name = "delete", description = "Remove a provider: its users can no longer sign in with it.")
    static final class Delete extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID")
        String id;

        @Override
        protected int execute() throws Exception {
            api().identityProviders().delete(id);
            output().changed("Removed the identity provider " + id, null, null);
            return 0;
        }
    }

    @Command(name = "add-group", description = {"Create a group owned by a provider: users whose groups claim lists CLAIM join it.",
            "A groups claim only ever joins groups its provider owns, never a static or LDAP group of the same name."})
    static final class AddGroup extends ApiCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "The provider")
        String id;
        @Parameters(index = "1", paramLabel = "NAME", description = "The group's name in Drawbridge")
        String name;
        @Option(names = "--claim", paramLabel = "VALUE", description = "The value in the groups claim (default: NAME)")
        String claim;

        @Override
        protected int execute() throws Exception {
            ProviderGroupView created = api().identityProviders().createGroup(id, new ProviderGroupBody(name, claim));
            output().changed("Created group " + created.name() + " for " + id + "'s '" + created.claim() + "' claim", created, null);
            return 0;
        }
    }
}
