package dev.drawbridge.console.directory;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminClientException;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.console.shell.FxTasks;
import dev.drawbridge.model.api.OidcProviderSettings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import static dev.drawbridge.console.directory.SettingsFormViewModel.blank;
import static dev.drawbridge.console.directory.SettingsFormViewModel.nz;

/**
 * The external OpenID Connect providers users may sign in with ({@code /identity-providers}): the list of them, and one
 * at a time ({@code /identity-providers/{id}}, {@code oidc} first) in the form, fields checked as the admin types (the
 * server's rules: a slug id, fixed once created; exact email domains for home-realm discovery), saved with PUT, removed
 * with DELETE; {@link #newProvider} empties the form for another one. The client secret is write-only:
 * the server answers {@code ********}, and an empty field keeps the stored secret, as long as the issuer and client
 * id stay what they were (otherwise the secret must be entered again). The redirect URI is the server's, to
 * register at the provider.
 */
public final class IdentityProviderViewModel extends SettingsFormViewModel<OidcProviderSettings> {
    public static final String ISSUER = "issuer", CLIENT_ID = "clientId", CLIENT_SECRET = "clientSecret", DISPLAY_NAME = "displayName",
            SCOPES = "scopes", USERNAME_CLAIM = "usernameClaim", GROUPS_CLAIM = "groupsClaim", ID = "id", EMAIL_DOMAINS = "emailDomains";
    private static final Pattern ID_PATTERN = Pattern.compile("[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])?");
    private static final Pattern CLAIM = Pattern.compile("[A-Za-z0-9_.:-]{1,100}");
    private static final Pattern SCOPE = Pattern.compile("[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,100}");

    final StringProperty issuer = new SimpleStringProperty("");
    final StringProperty clientId = new SimpleStringProperty("");
    final StringProperty clientSecret = new SimpleStringProperty("");
    final StringProperty displayName = new SimpleStringProperty("");
    final StringProperty scopes = new SimpleStringProperty("openid profile email");
    final StringProperty usernameClaim = new SimpleStringProperty("email");
    final StringProperty groupsClaim = new SimpleStringProperty("");
    final BooleanProperty jitProvisioning = new SimpleBooleanProperty(true);
    final BooleanProperty linkByVerifiedEmail = new SimpleBooleanProperty(false);
    final StringProperty providerId = new SimpleStringProperty("oidc");
    final StringProperty emailDomains = new SimpleStringProperty("");
    private final ObservableList<OidcProviderSettings> providers = FXCollections.observableArrayList();
    /** Where the stored secret was entered for: it is only usable while issuer and client id stay these. */
    private String storedIssuer = "";
    private String storedClientId = "";
    private final StringProperty redirectUri = new SimpleStringProperty("");
    private final BooleanProperty secretStored = new SimpleBooleanProperty(false);
    private final FieldErrors errors;

    public IdentityProviderViewModel(AdminApi api, Tasks tasks, Notices notices) {
        super(api, tasks, notices, "the external identity provider");
        errors = new FieldErrors(List.of(Field.of(ID, providerId), Field.of(ISSUER, issuer), Field.of(CLIENT_ID, clientId),
                Field.of(CLIENT_SECRET, clientSecret), Field.of(DISPLAY_NAME, displayName), Field.of(SCOPES, scopes),
                Field.of(USERNAME_CLAIM, usernameClaim), Field.of(GROUPS_CLAIM, groupsClaim), Field.of(EMAIL_DOMAINS, emailDomains)),
                () -> {
                    Map<String, String> e = check(issuer.get(), clientId.get(), clientSecret.get(), secretStored.get(), destinationChanged(),
                            displayName.get(), scopes.get(), usernameClaim.get(), groupsClaim.get());
                    e.putAll(checkIdAndDomains(providerId.get(), emailDomains.get()));
                    return e;
                }, secretStored, providerId);
        // The id is not tracked: it changes when another provider is chosen, and a new one is dirty by its other fields.
        track(issuer, clientId, clientSecret, displayName, scopes, usernameClaim, groupsClaim, jitProvisioning, linkByVerifiedEmail,
                emailDomains);
        errors.validate();
    }

    /** The issuer or client id differs from the ones the stored secret was entered for. */
    private boolean destinationChanged() {
        return secretStored.get() && (!nz(issuer.get()).strip().equals(storedIssuer) || !nz(clientId.get()).strip().equals(storedClientId));
    }

    /** The server's rules, checked before it sees them; field → sentence. */
    static Map<String, String> check(String issuer, String clientId, String secret, boolean secretStored, String displayName,
                                     String scopes, String usernameClaim, String groupsClaim) {
        return check(issuer, clientId, secret, secretStored, false, displayName, scopes, usernameClaim, groupsClaim);
    }

    /** As above; {@code destinationChanged}: the issuer or client id moved away from where the stored secret belongs. */
    static Map<String, String> check(String issuer, String clientId, String secret, boolean secretStored, boolean destinationChanged,
                                     String displayName, String scopes, String usernameClaim, String groupsClaim) {
        Map<String, String> e = new LinkedHashMap<>();
        String is = issuer(issuer);
        if (is != null) {
            e.put(ISSUER, is);
        }
        if (clientId == null || clientId.isBlank()) {
            e.put(CLIENT_ID, "Client ID is required: the client registered at the provider.");
        } else if (clientId.strip().length() > 500) {
            e.put(CLIENT_ID, "Client ID is at most 500 characters.");
        }
        if ((secret == null || secret.isEmpty()) && secretStored && destinationChanged) {
            e.put(CLIENT_SECRET, "Enter the client secret again: the issuer or client ID changed, and the stored secret is only "
                    + "sent to the provider it was entered for.");
        } else if ((secret == null || secret.isEmpty()) && !secretStored) {
            e.put(CLIENT_SECRET, "Client secret is required: the secret of that client.");
        } else if (secret != null && secret.length() > 1000) {
            e.put(CLIENT_SECRET, "Client secret is at most 1000 characters.");
        }
        if (displayName == null || displayName.isBlank()) {
            e.put(DISPLAY_NAME, "Display name is required, e.g. Contoso ID (the sign-in page says \"Sign in with Contoso ID\").");
        } else if (displayName.strip().length() > 100) {
            e.put(DISPLAY_NAME, "Display name is at most 100 characters.");
        }
        for (String s : scopeList(scopes)) {
            if (!SCOPE.matcher(s).matches()) {
                e.put(SCOPES, "'" + s + "' is not a scope (no quotes or backslashes); separate scopes with spaces.");
                break;
            }
        }
        if (usernameClaim != null && !usernameClaim.isBlank() && !CLAIM.matcher(usernameClaim.strip()).matches()) {
            e.put(USERNAME_CLAIM, "User name claim must be a claim name such as email or preferred_username.");
        }
        if (groupsClaim != null && !groupsClaim.isBlank() && !CLAIM.matcher(groupsClaim.strip()).matches()) {
            e.put(GROUPS_CLAIM, "Groups claim must be a claim name such as groups, or empty.");
        }
        return e;
    }

    /** The id (a slug) and the email domains (names of two labels or more, no wildcards, no @); field → sentence. */
    static Map<String, String> checkIdAndDomains(String id, String domains) {
        Map<String, String> e = new LinkedHashMap<>();
        if (id == null || !ID_PATTERN.matcher(id.strip()).matches()) {
            e.put(ID, "ID is required: 1 to 40 lower-case letters, digits and hyphens, e.g. partner (it cannot change later).");
        }
        for (String d : domainList(domains)) {
            if (!d.matches("[^@*\\s]+\\.[^@*\\s.]+")) {
                e.put(EMAIL_DOMAINS, "'" + d + "' is not a domain such as corp.example (exact domains only: no wildcards, no @).");
                break;
            }
        }
        return e;
    }

    static List<String> domainList(String domains) {
        return domains == null || domains.isBlank() ? List.of() : Arrays.stream(domains.strip().split("[\\s,]+")).toList();
    }

    private static String issuer(String value) {
        String hint = "Issuer must be the provider's https URL, e.g. https://idp.corp.example/realms/corp";
        if (value == null || value.isBlank()) {
            return hint;
        }
        URI u;
        try {
            u = new URI(value.strip());
        } catch (URISyntaxException x) {
            return "Issuer is not a valid URL: " + x.getReason();
        }
        if (u.getHost() == null) {
            return hint;
        }
        boolean loopbackHttp = "http".equals(u.getScheme()) && loopback(u.getHost());
        if (!"https".equals(u.getScheme()) && !loopbackHttp) {
            return "Issuer must start with https:// (http only for a provider on this machine, e.g. http://127.0.0.1:8080).";
        }
        if (u.getRawQuery() != null || u.getRawFragment() != null || u.getRawUserInfo() != null) {
            return "Issuer cannot have a query, fragment or user info.";
        }
        return null;
    }

    private static boolean loopback(String host) {
        String h = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        if (h.equals("localhost")) {
            return true;
        }
        // Literal addresses only: a name is not looked up on the FX thread.
        if (!h.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            return InetAddress.getByName(h).isLoopbackAddress();
        } catch (IOException x) {
            return false;
        }
    }

    static List<String> scopeList(String scopes) {
        return scopes == null || scopes.isBlank() ? List.of() : Arrays.stream(scopes.strip().split("[\\s,]+")).toList();
    }

    @Override
    public FieldErrors errors() {
        return errors;
    }

    public StringProperty issuerProperty() {
        return issuer;
    }

    public StringProperty clientIdProperty() {
        return clientId;
    }

    /** What the admin types to set a new secret; empty keeps the stored one. */
    public StringProperty clientSecretProperty() {
        return clientSecret;
    }

    public StringProperty displayNameProperty() {
        return displayName;
    }

    /** Space-separated; openid is always added by the server. */
    public StringProperty scopesProperty() {
        return scopes;
    }

    public StringProperty usernameClaimProperty() {
        return usernameClaim;
    }

    public StringProperty groupsClaimProperty() {
        return groupsClaim;
    }

    public BooleanProperty jitProvisioningProperty() {
        return jitProvisioning;
    }

    /** Let a first sign-in link to the existing user with the same email, when the provider verified it (off by default). */
    public BooleanProperty linkByVerifiedEmailProperty() {
        return linkByVerifiedEmail;
    }

    /** The callback URL to register at the provider (read-only; known once the server has answered). */
    public StringProperty redirectUriProperty() {
        return redirectUri;
    }

    /** The server keeps a client secret (it answered ********). */
    public BooleanProperty secretStoredProperty() {
        return secretStored;
    }

    /** The provider's id; editable until it is saved. */
    public StringProperty providerIdProperty() {
        return providerId;
    }

    /** Home-realm discovery: domains separated by spaces or commas. */
    public StringProperty emailDomainsProperty() {
        return emailDomains;
    }

    /** Every configured provider, as last loaded. */
    public ObservableList<OidcProviderSettings> providers() {
        return providers;
    }

    /** Loads the list of providers, then the one in the form (the first of the list when the form's is not one of them). */
    @Override
    public void refresh() {
        tasks.runQuietly("load the identity providers", () -> api.identityProviders().list(), list -> {
            providers.setAll(list);
            if (!list.isEmpty() && list.stream().noneMatch(p -> providerId.get().equals(p.id()))) {
                providerId.set(list.getFirst().id());
            }
            super.refresh();
        }, e -> notices.error("Could not load the identity providers", FxTasks.message(e)));
    }

    /** Shows the provider {@code id} in the form (unless it has unsaved changes). */
    public void select(String id) {
        if (dirtyProperty().get() || busyProperty().get() || id == null) {
            return;
        }
        providerId.set(id);
        super.refresh();
    }

    /** Empties the form for a provider not saved yet; its id is typed in. */
    public void newProvider() {
        if (busyProperty().get()) {
            return;
        }
        show(null);
        providerId.set("");
        errors.validate();
    }

    @Override
    OidcProviderSettings fetch() throws AdminClientException {
        return api.identityProviders().get(providerId.get());
    }

    @Override
    OidcProviderSettings store(OidcProviderSettings settings) throws AdminClientException {
        return api.identityProviders().replace(settings.id(), settings);
    }

    @Override
    void show(OidcProviderSettings s) {
        load(s, () -> {
            issuer.set(s == null ? "" : nz(s.issuer()));
            clientId.set(s == null ? "" : nz(s.clientId()));
            clientSecret.set("");
            secretStored.set(s != null && s.clientSecret() != null && !s.clientSecret().isEmpty());
            displayName.set(s == null ? "" : nz(s.displayName()));
            scopes.set(s == null || s.scopes().isEmpty() ? "openid profile email" : String.join(" ", s.scopes()));
            usernameClaim.set(s == null || s.usernameClaim() == null ? "email" : s.usernameClaim());
            groupsClaim.set(s == null ? "" : nz(s.groupsClaim()));
            jitProvisioning.set(s == null || s.jitProvisioning() == null || s.jitProvisioning());
            linkByVerifiedEmail.set(s != null && Boolean.TRUE.equals(s.linkByVerifiedEmail()));
            storedIssuer = s == null ? "" : nz(s.issuer()).strip();
            storedClientId = s == null ? "" : nz(s.clientId()).strip();
            redirectUri.set(s == null ? "" : nz(s.redirectUri()));
            if (s != null && s.id() != null) {
                providerId.set(s.id());
            }
            emailDomains.set(s == null || s.emailDomains() == null ? "" : String.join(" ", s.emailDomains()));
        });
        stateProperty().set(s == null ? "Not configured: users sign in with the built-in directory only."
                : "Users can choose \"Sign in with " + s.displayName() + "\" on the sign-in page.");
        errors.validate();
    }

    /** The provider as PUT sends it; an empty secret is left out so the server keeps the stored one. */
    OidcProviderSettings settings() {
        return new OidcProviderSettings(issuer.get().strip(), clientId.get().strip(),
                clientSecret.get() == null || clientSecret.get().isEmpty() ? null : clientSecret.get(), displayName.get().strip(),
                scopeList(scopes.get()), blank(usernameClaim.get()), blank(groupsClaim.get()), jitProvisioning.get(), null,
                linkByVerifiedEmail.get(), providerId.get().strip(), domainList(emailDomains.get()));
    }

    public void save() {
        save(this::settings, "Could not save the identity provider", saved -> {
            notices.info("Identity provider saved", "Register " + saved.redirectUri() + " at " + saved.issuer());
            reloadList();
        });
    }

    private void reloadList() {
        tasks.runQuietly("load the identity providers", () -> api.identityProviders().list(), providers::setAll,
                e -> notices.error("Could not load the identity providers", FxTasks.message(e)));
    }

    /** Removes the provider: users can no longer sign in with it. */
    public void remove() {
        BooleanProperty busy = busyProperty();
        if (!configuredProperty().get() || busy.get()) {
            return;
        }
        busy.set(true);
        String id = providerId.get();
        tasks.runQuietly("remove the external identity provider", () -> {
            api.identityProviders().delete(id);
            return Boolean.TRUE;
        }, x -> {
            busy.set(false);
            show(null);
            reloadList();
            notices.info("Identity provider removed", "Users can no longer sign in with " + id + ".");
        }, e -> {
            busy.set(false);
            notices.error("Could not remove the identity provider", FxTasks.message(e));
        });
    }
}
