package dev.drawbridge.cli;

import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.Problem.FieldError;
import dev.drawbridge.model.api.validation.OAuthClientRules;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * {@code drawbridge oauth-clients ...}: registered native OAuth clients (public clients with PKCE: desktop and mobile
 * apps, command-line tools), the only client ids the token issuer answers. A spec is checked here with the rules the
 * server runs ({@link OAuthClientRules}), every problem naming the flag that set it, before anything is sent.
 */
@Command(name = "oauth-clients", description = "Native OAuth clients the token issuer answers: list, show, create, update, delete.",
        subcommands = {OAuthClientCommands.ListCommand.class, OAuthClientCommands.Show.class, OAuthClientCommands.Create.class,
                OAuthClientCommands.Update.class, OAuthClientCommands.Delete.class})
final class OAuthClientCommands {
    /** The field that identifies a client (what {@code -q} prints). */
    static final String ID = "clientId";
    /** The flag that sets each field of {@link OAuthClientSpec}: a problem names what the admin typed. */
    static final Map<String, String> FLAGS = Map.of("clientId", "--client-id", "displayName", "--name", "redirectUris", "--redirect-uri",
            "grants", "--grant", "appIds", "--app");
    static final String REDIRECT_HELP = "Where the code may go: a loopback redirect (http://127.0.0.1/callback, http://[::1]/callback, "
            + "http://localhost/callback; any port at sign-in) or a private-use scheme (com.example.app:/callback); repeat for more";

    private OAuthClientCommands() {
    }

    /** {@code --grant} values: {@code authorization-code}, {@code refresh-token} (any case, {@code _} for {@code -}). */
    static final class GrantConverter implements ITypeConverter<OAuthGrant> {
        @Override
        public OAuthGrant convert(String value) {
            String name = value.strip().replace('-', '_').toUpperCase(Locale.ROOT);
            return Arrays.stream(OAuthGrant.values()).filter(g -> g.name().equals(name)).findFirst()
                    .orElseThrow(() -> new TypeConversionException("expected one of " + Arrays.stream(OAuthGrant.values())
                            .map(OAuthClientCommands::flagValue).collect(Collectors.joining(", ")) + " but was '" + value + "'"));
        }
    }

    /** How {@code --grant} spells a grant: {@code refresh-token}. */
    static String flagValue(OAuthGrant grant) {
        return grant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Throws a usage error listing every problem of {@code spec}, each with its flag; nothing is sent then. */
    static void check(OAuthClientSpec spec) throws CliException {
        List<FieldError> errors = OAuthClientRules.check(spec, false);
        if (!errors.isEmpty()) {
            throw CliException.usage("the OAuth client is not valid, nothing was sent:" + errors.stream()
                    .map(e -> "\n  " + FLAGS.getOrDefault(e.field(), e.field()) + ": " + e.message()).collect(Collectors.joining()));
        }
    }

    /** The ids of the apps {@code keys} name (name, external URL or id), listing the apps once. */
    static List<String> appIds(ApiCommand c, List<String> keys) throws Exception {
        if (keys.isEmpty()) {
            return List.of();
        }
        List<?> apps = c.api().apps().list(Paging.LARGEST).items();
        List<String> ids = new ArrayList<>();
        for (String key : keys) {
            ids.add(c.resolve(() -> apps, "app", key, "name", "externalUrl"));
        }
        return ids;
    }

    static List<String> given(List<String> values) {
        return values == null ? List.of() : values;
    }

    @Command(name = "list", description = "List registered OAuth clients.")
    static final class ListCommand extends ApiCommand {
        @Override
        protected int execute() throws Exception {
            output().list(api().oauthClients().list(), Columns.OAUTH_CLIENTS, ID);
            return 0;
        }
    }

    @Command(name = "show", aliases = "get", description = "Show one OAuth client (by client id).")
    static final class Show extends ApiCommand {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;

        @Override
        protected int execute() throws Exception {
            output().item(api().oauthClients().get(clientId), ID);
            return 0;
        }
    }

    @Command(name = "create", description = "Register a native OAuth client (public, PKCE).")
    static final class Create extends ApiCommand {
        @Option(names = "--client-id", paramLabel = "ID",
                description = "The client_id the app sends: letters, digits, . _ ~ - (default: the server makes one up)")
        String clientId;
        @Option(names = "--name", paramLabel = "NAME", description = "What admins and the sign-in log call it")
        String name;
        @Option(names = "--redirect-uri", paramLabel = "URI", description = REDIRECT_HELP)
        List<String> redirectUris;
        @Option(names = "--grant", paramLabel = "GRANT", converter = GrantConverter.class,
                description = "authorization-code or refresh-token; repeat for both (default: both)")
        List<OAuthGrant> grants;
        @Option(names = "--app", paramLabel = "APP",
                description = "An app it may get tokens for (name, external URL or id); repeat for more (default: any app the user may use)")
        List<String> apps;

        @Override
        protected int execute() throws Exception {
            List<OAuthGrant> g = grants == null ? List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN) : grants;
            check(new OAuthClientSpec(clientId, name, given(redirectUris), g, given(apps)));
            OAuthClientSpec spec = new OAuthClientSpec(clientId, name, given(redirectUris), g, appIds(this, given(apps)));
            check(spec);
            OAuthClientView v = api().oauthClients().register(spec);
            output().changed("Registered OAuth client '" + v.displayName() + "' with client id " + v.clientId(), v, v.clientId());
            return 0;
        }
    }

    @Command(name = "update", description = "Change an OAuth client: given options replace those settings, the others stay. "
            + "Taking away refresh-token or an app ends the refresh tokens it no longer covers.")
    static final class Update extends ApiCommand {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;
        @Option(names = "--name", paramLabel = "NAME", description = "New name")
        String name;
        @Option(names = "--redirect-uri", paramLabel = "URI", description = "Replace the redirect URIs (repeat for more)")
        List<String> redirectUris;
        @Option(names = "--add-redirect-uri", paramLabel = "URI", description = "Add a redirect URI (repeatable)")
        List<String> add;
        @Option(names = "--remove-redirect-uri", paramLabel = "URI", description = "Remove a redirect URI (repeatable)")
        List<String> remove;
        @Option(names = "--grant", paramLabel = "GRANT", converter = GrantConverter.class,
                description = "Replace the grants: authorization-code, refresh-token (repeat for both)")
        List<OAuthGrant> grants;
        @Option(names = "--app", paramLabel = "APP", description = "Replace the apps it may get tokens for (repeatable)")
        List<String> apps;
        @Option(names = "--any-app", description = "Let it get tokens for any app the user may use")
        boolean anyApp;

        @Override
        protected int execute() throws Exception {
            if (anyApp && apps != null) {
                throw CliException.usage("--any-app and --app exclude each other");
            }
            OAuthClientView now = api().oauthClients().get(clientId);
            LinkedHashSet<String> uris = new LinkedHashSet<>(redirectUris != null ? redirectUris : now.redirectUris());
            List<String> missing = given(remove).stream().filter(u -> !uris.contains(u)).toList();
            if (!missing.isEmpty()) {
                throw CliException.usage("--remove-redirect-uri: " + missing.stream().map(u -> "'" + u + "'").collect(Collectors.joining(", "))
                        + " is not a redirect URI of " + now.clientId() + " (it has " + String.join(", ", uris) + ")");
            }
            given(remove).forEach(uris::remove);
            uris.addAll(given(add));
            List<OAuthGrant> g = grants != null ? grants : now.grants();
            List<String> appKeys = anyApp ? List.of() : apps != null ? apps : now.appIds();
            String n = name != null ? name : now.displayName();
            check(new OAuthClientSpec(null, n, List.copyOf(uris), g, appKeys));
            OAuthClientSpec spec = new OAuthClientSpec(null, n, List.copyOf(uris), g, apps != null ? appIds(this, apps) : appKeys);
            check(spec);
            OAuthClientView v = api().oauthClients().replace(now.clientId(), spec);
            output().changed("Updated OAuth client '" + v.displayName() + "' (" + v.clientId() + ")", v, v.clientId());
            if (now.allows(OAuthGrant.REFRESH_TOKEN) && !v.allows(OAuthGrant.REFRESH_TOKEN)) {
                output().note("Its refresh tokens ended: it may no longer use refresh-token.");
            } else if (now.allows(OAuthGrant.REFRESH_TOKEN) && !v.appIds().isEmpty()
                    && (now.appIds().isEmpty() || !v.appIds().containsAll(now.appIds()))) {
                output().note("Its refresh tokens for apps it may no longer reach ended.");
            }
            return 0;
        }
    }

    @Command(name = "delete", description = "Delete an OAuth client: its codes and refresh tokens end at once (asks first unless --yes).")
    static final class Delete extends ApiCommand {
        @Parameters(paramLabel = "CLIENT_ID")
        String clientId;
        @Option(names = {"-y", "--yes"}, description = "Do not ask: delete it and end its refresh tokens")
        boolean yes;

        @Override
        protected int execute() throws Exception {
            OAuthClientView c = api().oauthClients().get(clientId);
            String question = "Delete OAuth client '" + c.displayName() + "' (" + c.clientId() + ")? Its refresh tokens end at once:"
                    + " users of the app must sign in again, and it cannot get new tokens.";
            if (!yes && !Prompts.confirm(cli(), question, "--yes")) {
                throw CliException.usage("not confirmed: nothing was deleted");
            }
            api().oauthClients().delete(c.clientId());
            return deleted("Deleted OAuth client '" + c.displayName() + "' (" + c.clientId() + "); its refresh tokens ended", c.clientId());
        }
    }
}
