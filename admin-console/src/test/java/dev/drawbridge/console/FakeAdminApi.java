package dev.drawbridge.console;

import dev.drawbridge.adminclient.AccessRequests;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminApiException;
import dev.drawbridge.adminclient.Apps;
import dev.drawbridge.adminclient.Certificates;
import dev.drawbridge.adminclient.ConnectorGroups;
import dev.drawbridge.adminclient.ConnectorUpdates;
import dev.drawbridge.adminclient.Connectors;
import dev.drawbridge.adminclient.DirectorySync;
import dev.drawbridge.adminclient.Domains;
import dev.drawbridge.adminclient.Groups;
import dev.drawbridge.adminclient.Icon;
import dev.drawbridge.adminclient.IdentityProviders;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.NamedLocations;
import dev.drawbridge.adminclient.OAuthClients;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.adminclient.Policies;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.session.Session;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessRequestView;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AdminTokenResponse;
import dev.drawbridge.model.api.AppTestResult;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.DomainView;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.MeView;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.Problem;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInStats;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserView;

import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Predicate;

/**
 * An in-memory {@link AdminApi} for view-model tests: it holds apps, users, groups, connectors, … in maps a test fills,
 * answers from them as the server would (a missing item is a 404 problem; lists are paged and filtered), records every
 * call (its operation, e.g. {@code apps.create}, with the ids it named, and its arguments), and fails a chosen operation
 * with an {@link AdminApiException} carrying a {@link Problem} (with field errors) until {@link #recover} is called.
 * The operations the view models write are in {@link FakeResources} and {@link FakeDirectory}.
 */
public final class FakeAdminApi implements AdminApi {
    /** One call: its operation ({@code apps.assignments hr}: the resource's method, then the ids it named) and arguments. */
    public record Call(String operation, List<Object> args) {
    }

    public static final URI SERVER = URI.create("https://admin.example.test");

    final List<Call> recorded = new ArrayList<>();
    private final Map<String, AdminApiException> failures = new LinkedHashMap<>();

    // Everything the server would hold; tests fill and read these.
    public final Map<String, AppView> apps = new LinkedHashMap<>();
    public final Map<String, List<AssignmentView>> assignments = new LinkedHashMap<>();
    public final Map<String, List<UserView>> owners = new LinkedHashMap<>();
    public final Map<String, Icon> icons = new LinkedHashMap<>();
    /** Apps' single sign-on; an app not here has none. */
    public final Map<String, SsoSettings> sso = new LinkedHashMap<>();
    public final Map<String, PathPolicies> paths = new LinkedHashMap<>();
    /** Apps' shared credentials as set (the server never answers them). */
    public final Map<String, SharedCredential> sharedCredentials = new LinkedHashMap<>();
    /** Who stored their own user name and password for an app (My Apps): user ids by app id. */
    public final Map<String, Set<String>> storedPasswords = new LinkedHashMap<>();
    public final Map<String, AppTestResult> testResults = new LinkedHashMap<>();
    public final List<AccessRequestView> accessRequests = new ArrayList<>();
    public final Map<String, ConnectorGroupView> connectorGroups = new LinkedHashMap<>();
    /** Connector groups' Kerberos settings, by group id; a group not here has none (404). */
    public final Map<String, KerberosGroupView> kerberos = new LinkedHashMap<>();
    public final Map<String, ConnectorView> connectors = new LinkedHashMap<>();
    public final List<ConnectorEvent> connectorEvents = new ArrayList<>();
    /** Uploaded connector update bundles, by version. */
    public final Map<String, ConnectorUpdateView> updates = new LinkedHashMap<>();
    /** What an administrator set for a group's rollout, by group id; a group not here: not paused, nothing pinned. */
    public final Map<String, RolloutSettings> rolloutSettings = new LinkedHashMap<>();
    /** Why a group's rollout halted, by group id; any change of its settings clears it. */
    public final Map<String, String> halted = new LinkedHashMap<>();
    public final Map<String, CertificateView> certificates = new LinkedHashMap<>();
    public final Map<String, DomainView> domains = new LinkedHashMap<>();
    /** What the sign-in host presents; null: the server CA's (404). Setting it answers it. */
    public CertificateView serverCertificate;
    /** What an upload answers (and adds to the certificates); null: 404. */
    public CertificateView uploaded;
    public final Map<String, UserView> users = new LinkedHashMap<>();
    public final Map<String, List<AdminRole>> roles = new LinkedHashMap<>();
    public final Map<String, GroupView> groups = new LinkedHashMap<>();
    public final Map<String, List<UserView>> members = new LinkedHashMap<>();
    public LdapSyncSettings directorySync;
    public DirectorySyncResult syncResult;
    public OidcProviderSettings oidc;
    /** The providers other than oidc, by id. */
    public final Map<String, OidcProviderSettings> providers = new LinkedHashMap<>();
    public final Map<String, AccessPolicy> policies = new LinkedHashMap<>();
    public final Map<String, OAuthClientView> oauthClients = new LinkedHashMap<>();
    public final Map<String, NamedLocation> locations = new LinkedHashMap<>();
    public final List<SignInLogEntry> signIns = new ArrayList<>();
    public final List<AuditLogEntry> audit = new ArrayList<>();
    /** Null: the server has no statistics (404). */
    public SignInStats stats;
    /** What {@link #signIn} answers; null: 404 (a server without sign-in by user name). */
    public AdminTokenResponse token;
    /** What {@link #me} answers; null: 404 (a server without /me). */
    public MeView me;

    private final FakeResources resources = new FakeResources(this);
    private final FakeDirectory directory = new FakeDirectory(this);
    final FakeUpdates updatesFake = new FakeUpdates(this);

    /** A session of a global administrator over this API. */
    public Session session() {
        return session(Permissions.ALL);
    }

    public Session session(Permissions permissions) {
        return new Session(this, SERVER, "admin", List.of(), permissions, Optional.empty());
    }

    /**
     * From now on {@code operation} (e.g. {@code apps.create}: any call of it, or {@code apps.test hr}: only for that
     * id) fails with this problem, until {@link #recover}.
     */
    public FakeAdminApi fail(String operation, int status, String type, String detail, Problem.FieldError... errors) {
        failures.put(operation, AdminApiException.of(new Problem(type, "Problem", status, detail, List.of(errors))));
        return this;
    }

    /** {@code operation} answers from the fake's state again. */
    public FakeAdminApi recover(String operation) {
        failures.remove(operation);
        return this;
    }

    /** The operations called so far, oldest first, e.g. {@code apps.create}, {@code apps.assignments hr}. */
    public List<String> calls() {
        return recorded.stream().map(Call::operation).toList();
    }

    /** The arguments of the latest call of {@code operation} (its ids, then its body, paging, filter). */
    public List<Object> args(String operation) {
        return recorded.reversed().stream().filter(c -> c.operation().equals(operation)).findFirst()
                .orElseThrow(() -> new AssertionError("no call of " + operation + " in " + calls())).args();
    }

    /** The body (the last argument) of the latest call of {@code operation}. */
    public Object body(String operation) {
        return args(operation).getLast();
    }

    /**
     * Records a call of {@code op} and throws the failure set for it; string arguments name the operation's ids
     * ({@code apps.get hr}).
     */
    void record(String op, Object... args) throws AdminApiException {
        StringBuilder name = new StringBuilder(op);
        for (Object a : args) {
            if (a instanceof String s) {
                name.append(' ').append(s);
            }
        }
        recorded.add(new Call(name.toString(), Arrays.asList(args)));
        AdminApiException e = failures.getOrDefault(name.toString(), failures.get(op));
        if (e != null) {
            throw e;
        }
    }

    /** The 404 problem the server answers for an unknown item or endpoint. */
    static AdminApiException notFound() {
        return AdminApiException.of(new Problem("about:blank", "Not Found", 404, "no such resource", List.of()));
    }

    static <T> T found(T item) throws AdminApiException {
        if (item == null) {
            throw notFound();
        }
        return item;
    }

    /** A page of the items that {@code keep}, as the server pages them. */
    static <T> Page<T> page(List<T> all, Paging paging, Predicate<T> keep) {
        List<T> matching = all.stream().filter(keep).toList();
        int from = Math.min(paging.offset(), matching.size());
        return new Page<>(matching.subList(from, Math.min(matching.size(), from + paging.limit())), paging.offset(), paging.limit(),
                matching.size());
    }

    static boolean matches(Enum<?> filter, Object value) {
        return filter == null || value != null && filter.name().equals(value instanceof Enum<?> e ? e.name() : value.toString());
    }

    static boolean matches(String filter, String value) {
        return filter == null || filter.equals(value);
    }

    static boolean contains(String search, String... values) {
        if (search == null || search.isBlank()) {
            return true;
        }
        String s = search.toLowerCase(Locale.ROOT);
        for (String v : values) {
            if (v != null && v.toLowerCase(Locale.ROOT).contains(s)) {
                return true;
            }
        }
        return false;
    }

    /** An id made from a name, as a readable stand-in for the server's UUIDs ("Branch office" → "branch-office"). */
    static String idOf(String name) {
        return name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-|-$", "");
    }

    @Override
    public AdminTokenResponse signIn(AdminTokenRequest credentials) throws AdminApiException {
        record("signIn", credentials);
        return found(token);
    }

    @Override
    public MeView me() throws AdminApiException {
        record("me");
        return found(me);
    }

    @Override
    public Apps apps() {
        return resources.apps();
    }

    @Override
    public ConnectorGroups connectorGroups() {
        return resources.connectorGroups();
    }

    @Override
    public Connectors connectors() {
        return resources.connectors();
    }

    @Override
    public ConnectorUpdates connectorUpdates() {
        return updatesFake.connectorUpdates();
    }

    @Override
    public Certificates certificates() {
        return resources.certificates();
    }

    @Override
    public Domains domains() {
        return new FakeDomains(this);
    }

    @Override
    public Users users() {
        return directory.users();
    }

    @Override
    public Groups groups() {
        return directory.groups();
    }

    @Override
    public AccessRequests accessRequests() {
        return resources.accessRequests();
    }

    @Override
    public DirectorySync directorySync() {
        return directory.directorySync();
    }

    @Override
    public IdentityProviders identityProviders() {
        return directory.identityProviders();
    }

    @Override
    public Policies policies() {
        return resources.policies();
    }

    @Override
    public NamedLocations namedLocations() {
        return resources.namedLocations();
    }

    @Override
    public OAuthClients oauthClients() {
        FakeAdminApi f = this;
        return new OAuthClients() {
            @Override
            public List<OAuthClientView> list() throws AdminApiException {
                f.record("oauthClients.list");
                return List.copyOf(f.oauthClients.values());
            }

            @Override
            public OAuthClientView register(OAuthClientSpec client) throws AdminApiException {
                f.record("oauthClients.register", client);
                String id = client.clientId() == null ? "client-" + (f.oauthClients.size() + 1) : client.clientId();
                // As the server: client ids are unique in any letter case (409, no field named).
                if (f.oauthClients.keySet().stream().anyMatch(id::equalsIgnoreCase)) {
                    throw AdminApiException.of(new Problem("about:blank", "Conflict", 409, "client id '" + id + "' is taken", List.of()));
                }
                OAuthClientView v = new OAuthClientView(id, client.displayName(), client.redirectUris(), client.grants(), client.appIds(),
                        NOW, NOW);
                f.oauthClients.put(id, v);
                return v;
            }

            @Override
            public OAuthClientView get(String clientId) throws AdminApiException {
                f.record("oauthClients.get", clientId);
                return found(f.oauthClients.get(clientId));
            }

            @Override
            public OAuthClientView replace(String clientId, OAuthClientSpec client) throws AdminApiException {
                f.record("oauthClients.replace", clientId, client);
                OAuthClientView old = found(f.oauthClients.get(clientId));
                OAuthClientView v = new OAuthClientView(clientId, client.displayName(), client.redirectUris(), client.grants(),
                        client.appIds(), old.createdAt(), NOW);
                f.oauthClients.put(clientId, v);
                return v;
            }

            @Override
            public void delete(String clientId) throws AdminApiException {
                f.record("oauthClients.delete", clientId);
                found(f.oauthClients.remove(clientId));
            }
        };
    }

    @Override
    public Logs logs() {
        return resources.logs();
    }

    /** When something was created: a fixed instant, so that tests compare records. */
    static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");
}
