package dev.drawbridge.proxy.admin;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessRequestView;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AdminTokenResponse;
import dev.drawbridge.model.api.AppIconView;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppTestResult;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.CertificateUpload;
import dev.drawbridge.model.api.CertificateView;
import dev.drawbridge.model.api.ConnectorEvent;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.DirectorySyncResult;
import dev.drawbridge.model.api.DomainSpec;
import dev.drawbridge.model.api.DomainView;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.KerberosGroupSettings;
import dev.drawbridge.model.api.KerberosGroupView;
import dev.drawbridge.model.api.LdapSyncSettings;
import dev.drawbridge.model.api.MaintenanceBody;
import dev.drawbridge.model.api.MeView;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.NameBody;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.PasswordBody;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.ProviderGroupBody;
import dev.drawbridge.model.api.ProviderGroupView;
import dev.drawbridge.model.api.RegistrationTokenRequest;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.RolloutView;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.model.api.SignInStats;
import dev.drawbridge.model.api.SigningKeysView;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.proxy.admin.apps.AppAccessApi;
import dev.drawbridge.proxy.admin.apps.AppIconsApi;
import dev.drawbridge.proxy.admin.apps.AppPathsApi;
import dev.drawbridge.proxy.admin.apps.AppSamlApi;
import dev.drawbridge.proxy.admin.apps.AppSsoApi;
import dev.drawbridge.proxy.admin.apps.AppSsoPreviewApi;
import dev.drawbridge.proxy.admin.apps.AppsApi;
import dev.drawbridge.proxy.admin.apps.SharedCredentialApi;
import dev.drawbridge.proxy.admin.certificates.CertificatesApi;
import dev.drawbridge.proxy.admin.certificates.ServerCertificateApi;
import dev.drawbridge.proxy.admin.connectors.ConnectorGroupsApi;
import dev.drawbridge.proxy.admin.connectors.ConnectorUpdatesApi;
import dev.drawbridge.proxy.admin.connectors.ConnectorsApi;
import dev.drawbridge.proxy.admin.connectors.GroupKerberosApi;
import dev.drawbridge.proxy.admin.connectors.RegistrationTokensApi;
import dev.drawbridge.proxy.admin.connectors.RolloutApi;
import dev.drawbridge.proxy.admin.directory.AccessRequestsApi;
import dev.drawbridge.proxy.admin.directory.DirectorySyncApi;
import dev.drawbridge.proxy.admin.directory.GroupsApi;
import dev.drawbridge.proxy.admin.directory.IdentityProvidersApi;
import dev.drawbridge.proxy.admin.directory.UsersApi;
import dev.drawbridge.proxy.admin.domains.DomainsApi;
import dev.drawbridge.proxy.admin.keys.SigningKeysApi;
import dev.drawbridge.proxy.admin.logs.AuditLogsApi;
import dev.drawbridge.proxy.admin.logs.ConnectorEventsApi;
import dev.drawbridge.proxy.admin.logs.SignInLogsApi;
import dev.drawbridge.proxy.admin.logs.StatsApi;
import dev.drawbridge.proxy.admin.oauth.OAuthClientsApi;
import dev.drawbridge.proxy.admin.operation.AdminRequest;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.policy.NamedLocationsApi;
import dev.drawbridge.proxy.admin.policy.PoliciesApi;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Every admin API operation: its method and path, the permission it needs, for an operation that changes a directory
 * user where that user is ({@link UserTarget}), its description, and the handler that runs it. This one table
 * authorizes (deny by default: an operation that is not listed is refused; a user-changing operation is also checked
 * against the target's roles by {@link UserGuard}), dispatches ({@link AdminApiHandler} calls the row's handler), and
 * describes the API ({@link OpenApi}); the role tests read it too, so none of them can drift apart.
 *
 * <p>Adding an endpoint is one row here and one method on a resource class (see docs/admin.md).
 */
public final class AdminRoutes {
    /** Marks operations any signed-in admin may call. */
    public static final Permission ANY_ADMIN = null;

    /**
     * Runs one operation on its resource object: a method reference such as {@code AppsApi::get}, whose method takes
     * the {@link Caller} and the {@link AdminRequest}. Serializable so that a test can read which method a route names.
     */
    @FunctionalInterface
    public interface Handler<R> extends Serializable {
        Answer handle(R resource, Caller caller, AdminRequest request) throws Exception;
    }

    /** A handler and the class of the resource object it runs on (found in {@link AdminResources}). */
    public record HandlerRef<R>(Class<R> resource, Handler<R> handler) {
        public HandlerRef {
            if (resource == null || handler == null) {
                throw new IllegalArgumentException("a handler needs its resource class and a method");
            }
        }

        Answer invoke(AdminResources resources, Caller caller, AdminRequest request) throws Exception {
            return handler.handle(resources.get(resource), caller, request);
        }
    }

    /**
     * One operation.
     *
     * @param template   path under {@code /api/v1/}, with {@code {name}} for one path segment
     * @param permission what the caller needs; {@code null} for any authenticated admin
     * @param request    JSON body type, or null
     * @param response   JSON answer type (item type when {@code paged}), or null for 204
     * @param query      query parameters it understands
     * @param target     the directory user the operation changes, checked against the caller's roles
     * @param anonymous  answered without a bearer token: only the admin sign-in itself
     * @param handler    what runs it (every route of the table has one; a route is described first, then given it)
     */
    public record Route(String method, String template, Permission permission, String tag, String summary,
                        Class<?> request, Class<?> response, boolean paged, boolean list, List<String> query, UserTarget target,
                        boolean anonymous, HandlerRef<?> handler) {
        public Route {
            query = List.copyOf(query);
            if (target == null) {
                throw new IllegalArgumentException("target must not be null; use UserTarget.NONE");
            }
            if (anonymous && (permission != null || !(target instanceof UserTarget.None))) {
                throw new IllegalArgumentException(method + " " + template + ": an operation without a token needs no permission and changes no user");
            }
        }

        Route(String method, String template, Permission permission, String tag, String summary,
              Class<?> request, Class<?> response, boolean paged, boolean list, List<String> query) {
            this(method, template, permission, tag, summary, request, response, paged, list, query, UserTarget.NONE, false, null);
        }

        /** This operation, run by {@code handler} on the {@code resource} object. */
        <R> Route to(Class<R> resource, Handler<R> handler) {
            return new Route(method, template, permission, tag, summary, request, response, paged, list, query, target, anonymous,
                    new HandlerRef<>(resource, handler));
        }

        /** This operation, answered without a bearer token (the admin sign-in). */
        Route withoutToken() {
            return new Route(method, template, permission, tag, summary, request, response, paged, list, query, target, true, handler);
        }

        /** This operation, changing the user whose id is path segment {@code segment}. */
        Route changesUserInPath(UserOperation operation, int segment) {
            return new Route(method, template, permission, tag, summary, request, response, paged, list, query,
                    new UserTarget.InPath(operation, segment), anonymous, handler);
        }

        /** This operation, changing the user its JSON body names. */
        Route changesUserInBody(UserOperation operation, Function<Object, String> key) {
            return new Route(method, template, permission, tag, summary, request, response, paged, list, query,
                    new UserTarget.InBody(operation, key), anonymous, handler);
        }

        String[] parts() {
            return template.split("/");
        }

        boolean matches(String[] seg) {
            String[] p = parts();
            if (p.length != seg.length) {
                return false;
            }
            for (int i = 0; i < p.length; i++) {
                if (p[i].startsWith("{") ? seg[i].isEmpty() : !p[i].equals(seg[i])) {
                    return false;
                }
            }
            return true;
        }

        /** The path parameters of a matching request: template name to segment. */
        Map<String, String> parameters(String[] seg) {
            String[] p = parts();
            Map<String, String> params = new LinkedHashMap<>();
            for (int i = 0; i < p.length; i++) {
                if (p[i].startsWith("{")) {
                    params.put(p[i].substring(1, p[i].length() - 1), seg[i]);
                }
            }
            return params;
        }

        /** Literal segments rank before parameters, so {@code users/{id}/roles} wins over a looser template. */
        int specificity() {
            int s = 0;
            for (String part : parts()) {
                s = s * 2 + (part.startsWith("{") ? 0 : 1);
            }
            return s;
        }
    }

    private static final List<String> PAGING = List.of("offset", "limit");
    private static final List<Route> ROUTES = build();

    private AdminRoutes() {
    }

    public static List<Route> all() {
        return ROUTES;
    }

    /** The outcome of matching a request line against the table. */
    public sealed interface Match {
        record Found(Route route) implements Match {
        }

        /** The path exists, the method does not. */
        record MethodNotAllowed(List<String> allowed) implements Match {
        }

        record NotFound() implements Match {
        }
    }

    /** Whether a route that needs no bearer token has this path (with any method). */
    static boolean withoutToken(String[] seg) {
        return ROUTES.stream().anyMatch(r -> r.anonymous() && r.matches(seg));
    }

    public static Match match(String method, String[] seg) {
        List<Route> onPath = ROUTES.stream().filter(r -> r.matches(seg)).toList();
        if (onPath.isEmpty()) {
            return new Match.NotFound();
        }
        Optional<Route> exact = onPath.stream().filter(r -> r.method().equals(method))
                .max(Comparator.comparingInt(Route::specificity));
        return exact.<Match>map(Match.Found::new)
                .orElseGet(() -> new Match.MethodNotAllowed(onPath.stream().map(Route::method).distinct().toList()));
    }

    private static List<Route> build() {
        List<Route> r = new ArrayList<>();
        // Session
        r.add(op("POST", "auth/token", ANY_ADMIN, "Session",
                "Sign in with directory credentials (and an MFA code when needed); answers a short-lived bearer token. No bearer token needed.",
                AdminTokenRequest.class, AdminTokenResponse.class).withoutToken().to(SessionApi.class, SessionApi::signIn));
        r.add(op("GET", "me", ANY_ADMIN, "Session", "Who the caller is: roles and permissions.", null, MeView.class)
                .to(SessionApi.class, SessionApi::me));
        // Applications
        r.add(paged("GET", "apps", Permission.APPS_READ, "Applications", "List published apps.", AppView.class, List.of("name"))
                .to(AppsApi.class, AppsApi::list));
        r.add(op("POST", "apps", Permission.PROXY_SETTINGS_WRITE, "Applications", "Publish an app.", AppSpec.class, AppView.class)
                .to(AppsApi.class, AppsApi::create));
        r.add(op("GET", "apps/{id}", Permission.APPS_READ, "Applications", "One app.", null, AppView.class)
                .to(AppsApi.class, AppsApi::get));
        r.add(op("PUT", "apps/{id}", Permission.APPS_WRITE, "Applications",
                "Replace an app's settings. Changing its proxy settings (URLs, connector group, timeout, host translation,"
                        + " pre-authentication, path letter case) needs PROXY_SETTINGS_WRITE.",
                AppSpec.class, AppView.class).to(AppsApi.class, AppsApi::replace));
        r.add(op("DELETE", "apps/{id}", Permission.PROXY_SETTINGS_WRITE, "Applications", "Unpublish an app.", null, null)
                .to(AppsApi.class, AppsApi::delete));
        r.add(op("POST", "apps/{id}/test", Permission.APPS_WRITE, "Applications",
                "Fetch the app's internal URL through a connector of its group; answers status and latency.", null, AppTestResult.class)
                .to(AppsApi.class, AppsApi::test));
        r.add(list("GET", "apps/{id}/assignments", Permission.APPS_READ, "Assignments", "Users and groups assigned to an app.", AssignmentView.class)
                .to(AppAccessApi.class, AppAccessApi::assignments));
        r.add(listAfter("POST", "apps/{id}/assignments", Permission.ASSIGNMENTS_WRITE, "Assignments",
                "Assign a user or group; answers the app's assignments as they now are.", AssignmentBody.class, AssignmentView.class)
                .to(AppAccessApi.class, AppAccessApi::assign));
        r.add(op("DELETE", "apps/{id}/assignments/{principalType}/{principalId}", Permission.ASSIGNMENTS_WRITE, "Assignments",
                "Remove an assignment (principalType USER or GROUP).", null, null).to(AppAccessApi.class, AppAccessApi::unassign));
        r.add(list("GET", "apps/{id}/owners", Permission.APPS_READ, "Assignments", "Owners of an app (they decide its access requests).", UserView.class)
                .to(AppAccessApi.class, AppAccessApi::owners));
        r.add(listAfter("POST", "apps/{id}/owners", Permission.ASSIGNMENTS_WRITE, "Assignments",
                "Add an owner; answers the app's owners as they now are.", MemberBody.class, UserView.class)
                .to(AppAccessApi.class, AppAccessApi::addOwner));
        r.add(op("DELETE", "apps/{id}/owners/{userId}", Permission.ASSIGNMENTS_WRITE, "Assignments", "Remove an owner.", null, null)
                .to(AppAccessApi.class, AppAccessApi::removeOwner));
        r.add(op("GET", "apps/{id}/icon", Permission.APPS_READ, "Applications", "The app's icon (image/png or image/svg+xml).", null, null)
                .to(AppIconsApi.class, AppIconsApi::get));
        r.add(op("PUT", "apps/{id}/icon", Permission.APPS_WRITE, "Applications",
                "Set the app's icon (image/png or image/svg+xml body); answers its type, size and hash.",
                null, AppIconView.class)
                .to(AppIconsApi.class, AppIconsApi::put));
        r.add(op("DELETE", "apps/{id}/icon", Permission.APPS_WRITE, "Applications", "Remove the app's icon.", null, null)
                .to(AppIconsApi.class, AppIconsApi::delete));
        r.add(op("GET", "apps/{id}/sso", Permission.APPS_READ, "Applications",
                "The app's single sign-on to its backend: the method and its settings (no secret).",
                null, SsoSettings.class).to(AppSsoApi.class, AppSsoApi::get));
        // A proxy setting, as in Entra (a cloud application administrator may not): it decides what the connector does with
        // the group's keytab and which service tickets it asks for.
        r.add(op("PUT", "apps/{id}/sso", Permission.PROXY_SETTINGS_WRITE, "Applications",
                "Set the app's single sign-on (method NONE removes it); answers it as stored. Only a pre-authenticated"
                        + " (DIRECTORY) app may have a method other than NONE (409 naming method otherwise). The connector removes"
                        + " every client-sent spelling of each header's name before setting it.",
                SsoSettings.class, SsoSettings.class).to(AppSsoApi.class, AppSsoApi::replace));
        r.add(op("GET", "apps/{id}/paths", Permission.APPS_READ, "Applications",
                "The app's path rules: per path (relative to the app's external URL), its pre-authentication, who may use it and"
                        + " which conditional access policies apply besides the app's; the most specific applies.",
                null, PathPolicies.class).to(AppPathsApi.class, AppPathsApi::get));
        // A proxy setting: a path rule decides who signs in where (PASSTHROUGH opens a path of a pre-authenticated app).
        r.add(op("PUT", "apps/{id}/paths", Permission.PROXY_SETTINGS_WRITE, "Applications",
                "Replace the app's path rules (an empty list removes them); answers them as stored: plain paths, users and groups"
                        + " as ids. 400 naming each field (paths[i].path, paths[i].preAuthentication, paths[i].users, paths[i].policies).",
                PathPolicies.class, PathPolicies.class).to(AppPathsApi.class, AppPathsApi::replace));
        // "Test as user": a read of the app's settings and of a user's attributes (every APPS_READ role has DIRECTORY_READ)
        r.add(op("POST", "apps/{id}/sso/preview", Permission.APPS_READ, "Applications",
                "What the app's backend would receive from single sign-on for one user (by id or UPN): headers, the delegated Kerberos"
                        + " principal and SPN, whether a password is stored (never the password), the SAML NameID and attributes, and"
                        + " every reason it would be refused or incomplete for them (problems). Of the app's stored settings, or of the"
                        + " settings in the body (a draft, checked as PUT /apps/{id}/sso checks it: 400 naming each field, 409 naming"
                        + " method for an app without pre-authentication; stored nowhere). Sends nothing to the backend; 404 naming user"
                        + " for an unknown user. Needs DIRECTORY_READ too.",
                SsoPreviewRequest.class, SsoPreview.class).to(AppSsoPreviewApi.class, AppSsoPreviewApi::preview));
        // Password vaulting: an app's shared credential, write-only
        r.add(op("PUT", "apps/{id}/sso/shared-credential", Permission.PROXY_SETTINGS_WRITE, "Applications",
                "Set the user name and password every user signs in to the app with when its single sign-on is BASIC or FORMS with shared"
                        + " credentials (write-only: sealed with the server's data key, never returned; audited without the password)."
                        + " Bound to the app's internal address: after its internal URL changes, set it again.",
                SharedCredential.class, null).to(SharedCredentialApi.class, SharedCredentialApi::put));
        r.add(op("DELETE", "apps/{id}/sso/shared-credential", Permission.PROXY_SETTINGS_WRITE, "Applications",
                "Remove the app's shared user name and password.", null, null)
                .to(SharedCredentialApi.class, SharedCredentialApi::delete));
        // SAML single sign-on: Drawbridge is the app's identity provider
        r.add(op("GET", "apps/{id}/saml/idp-metadata", Permission.APPS_READ, "Applications",
                "The app's SAML identity provider metadata (application/samlmetadata+xml), for its service provider to import: entity id,"
                        + " signing certificate (made on first use), NameID format, single sign-on service (HTTP-Redirect). Pre-authenticated"
                        + " apps only (409 otherwise).", null, null)
                .to(AppSamlApi.class, AppSamlApi::idpMetadata));
        r.add(op("POST", "apps/{id}/saml/sp-metadata", Permission.APPS_WRITE, "Applications",
                "Read a service provider's SAML metadata (the XML as the body, Content-Type application/samlmetadata+xml, at most 256 KiB;"
                        + " no DTD) into the SAML settings it implies for this app (entity id, HTTP-POST ACS URL under the app's external URL,"
                        + " signing certificate when it signs its requests, NameID format), to review and put with the app's single sign-on"
                        + " settings. Stores nothing.", null, SamlSso.class)
                .to(AppSamlApi.class, AppSamlApi::importSpMetadata));
        // Native OAuth clients
        r.add(list("GET", "oauth-clients", Permission.OAUTH_CLIENTS_READ, "Applications",
                "Registered native OAuth clients: the only client ids the token issuer answers.", OAuthClientView.class)
                .to(OAuthClientsApi.class, OAuthClientsApi::list));
        r.add(op("POST", "oauth-clients", Permission.OAUTH_CLIENTS_WRITE, "Applications",
                "Register a native OAuth client (public, PKCE): its client id (made up when left out), redirect URIs (loopback or"
                        + " private-use scheme, RFC 8252), grants and, optionally, the apps it may get tokens for.",
                OAuthClientSpec.class, OAuthClientView.class).to(OAuthClientsApi.class, OAuthClientsApi::create));
        r.add(op("GET", "oauth-clients/{id}", Permission.OAUTH_CLIENTS_READ, "Applications", "One native OAuth client.", null,
                OAuthClientView.class).to(OAuthClientsApi.class, OAuthClientsApi::get));
        r.add(op("PUT", "oauth-clients/{id}", Permission.OAUTH_CLIENTS_WRITE, "Applications",
                "Replace a native OAuth client's name, redirect URIs, grants and apps (its id stays). Taking away the refresh grant"
                        + " or an app ends the refresh tokens it no longer covers.", OAuthClientSpec.class, OAuthClientView.class)
                .to(OAuthClientsApi.class, OAuthClientsApi::replace));
        r.add(op("DELETE", "oauth-clients/{id}", Permission.OAUTH_CLIENTS_WRITE, "Applications",
                "Delete a native OAuth client: its codes and refresh tokens end with it.", null, null)
                .to(OAuthClientsApi.class, OAuthClientsApi::delete));
        // Connectors
        r.add(paged("GET", "connector-groups", Permission.CONNECTORS_READ, "Connectors", "List connector groups.", ConnectorGroupView.class, List.of())
                .to(ConnectorGroupsApi.class, ConnectorGroupsApi::list));
        r.add(op("POST", "connector-groups", Permission.CONNECTORS_WRITE, "Connectors", "Create a connector group.", NameBody.class, ConnectorGroupView.class)
                .to(ConnectorGroupsApi.class, ConnectorGroupsApi::create));
        r.add(op("GET", "connector-groups/{id}", Permission.CONNECTORS_READ, "Connectors", "One connector group.", null, ConnectorGroupView.class)
                .to(ConnectorGroupsApi.class, ConnectorGroupsApi::get));
        r.add(op("DELETE", "connector-groups/{id}", Permission.CONNECTORS_WRITE, "Connectors", "Delete an empty connector group.", null, null)
                .to(ConnectorGroupsApi.class, ConnectorGroupsApi::delete));
        r.add(op("PUT", "connector-groups/{id}/maintenance", Permission.CONNECTORS_WRITE, "Connectors",
                "Put a connector group in maintenance mode (or change its message): no new request goes to its connectors (requests in"
                        + " flight finish, tunnels stay up) and its apps answer a maintenance page (503, Retry-After) with the message."
                        + " Holds on every node within one reload (5 s). Answers the group.",
                MaintenanceBody.class, ConnectorGroupView.class).to(ConnectorGroupsApi.class, ConnectorGroupsApi::startMaintenance));
        r.add(op("DELETE", "connector-groups/{id}/maintenance", Permission.CONNECTORS_WRITE, "Connectors",
                "End a connector group's maintenance mode: its connectors take new requests again. Answers the group.",
                null, ConnectorGroupView.class).to(ConnectorGroupsApi.class, ConnectorGroupsApi::endMaintenance));
        r.add(op("GET", "connector-groups/{id}/kerberos", Permission.CONNECTORS_READ, "Connectors",
                "A connector group's Kerberos settings for constrained delegation (never the keytab: the principals it holds).",
                null, KerberosGroupView.class).to(GroupKerberosApi.class, GroupKerberosApi::get));
        r.add(op("PUT", "connector-groups/{id}/kerberos", Permission.CONNECTORS_WRITE, "Connectors",
                "Set a connector group's Kerberos settings: realm, KDCs, the connectors' principal and its keytab (base64, write-only; "
                        + "it must hold a key for the principal). Sent at once to the group's connected connectors.",
                KerberosGroupSettings.class, KerberosGroupView.class).to(GroupKerberosApi.class, GroupKerberosApi::put));
        r.add(op("DELETE", "connector-groups/{id}/kerberos", Permission.CONNECTORS_WRITE, "Connectors",
                "Remove a connector group's Kerberos settings (its connectors delete their keytab).", null, null)
                .to(GroupKerberosApi.class, GroupKerberosApi::delete));
        r.add(op("GET", "connector-groups/{id}/rollout", Permission.CONNECTORS_READ, "Connectors",
                "A connector group's update rollout: its state, target version (pinned, else the highest uploaded), the connector"
                        + " updating now (one at a time), why it halted, and each connector's version, update state and last error.",
                null, RolloutView.class).to(RolloutApi.class, RolloutApi::get));
        r.add(op("PUT", "connector-groups/{id}/rollout", Permission.CONNECTORS_WRITE, "Connectors",
                "Pause or resume a group's rollout and pin a version (an uploaded one; lower than the connectors' is a roll back;"
                        + " empty: the highest uploaded). Any PUT clears a halt. Answers the rollout.",
                RolloutSettings.class, RolloutView.class).to(RolloutApi.class, RolloutApi::put));
        r.add(paged("GET", "connectors", Permission.CONNECTORS_READ, "Connectors", "List connectors with status, version, last seen.", ConnectorView.class,
                List.of("groupId", "status")).to(ConnectorsApi.class, ConnectorsApi::list));
        r.add(op("GET", "connectors/{id}", Permission.CONNECTORS_READ, "Connectors", "One connector.", null, ConnectorView.class)
                .to(ConnectorsApi.class, ConnectorsApi::get));
        r.add(op("POST", "connectors/{id}/revoke", Permission.CONNECTORS_WRITE, "Connectors", "Revoke a connector; its tunnels are cut at once.", null,
                ConnectorView.class)
                .to(ConnectorsApi.class, ConnectorsApi::revoke));
        r.add(op("POST", "connectors/{id}/move", Permission.CONNECTORS_WRITE, "Connectors", "Move a connector to another group.",
                NameBody.class, ConnectorView.class).to(ConnectorsApi.class, ConnectorsApi::move));
        r.add(paged("GET", "connector-events", Permission.CONNECTORS_READ, "Connectors",
                "Connector events (registered, connected, disconnected, revoked, moved), newest first.", ConnectorEvent.class,
                List.of("connectorId", "type", "from", "to")).to(ConnectorEventsApi.class, ConnectorEventsApi::list));
        r.add(op("POST", "registration-tokens", Permission.CONNECTORS_WRITE, "Connectors",
                "Create a one-time connector registration token and its install command.", RegistrationTokenRequest.class, RegistrationTokenView.class)
                .to(RegistrationTokensApi.class, RegistrationTokensApi::create));
        r.add(list("GET", "connector-updates", Permission.CONNECTORS_READ, "Connectors",
                "The connector update bundles the server hosts, highest version first.", ConnectorUpdateView.class)
                .to(ConnectorUpdatesApi.class, ConnectorUpdatesApi::list));
        r.add(op("POST", "connector-updates", Permission.CONNECTOR_UPDATES_WRITE, "Connectors",
                "Upload a connector update bundle (the body: the zip, Content-Type application/zip, at most 256 MiB). It is checked"
                        + " whole (400 naming the problem), its version must be new (409), and its manifest is signed with the"
                        + " server's update key. Answers the bundle.", null, ConnectorUpdateView.class)
                .to(ConnectorUpdatesApi.class, ConnectorUpdatesApi::upload));
        r.add(op("DELETE", "connector-updates/{version}", Permission.CONNECTOR_UPDATES_WRITE, "Connectors",
                "Delete an update bundle; refused (409) while a group pins it or a connector is updating to it.", null, null)
                .to(ConnectorUpdatesApi.class, ConnectorUpdatesApi::delete));
        // Certificates
        r.add(list("GET", "certificates", Permission.CERTIFICATES_READ, "Certificates",
                "Uploaded app certificates for custom domains (never served for the admin or sign-in host).",
                CertificateView.class).to(CertificatesApi.class, CertificatesApi::list));
        r.add(op("POST", "certificates", Permission.CERTIFICATES_WRITE, "Certificates",
                "Upload an app certificate and its key: {\"pem\": chain + key} or {\"pkcs12\": base64, \"password\": ...}."
                        + " A certificate any of whose names covers the admin or sign-in host is refused.",
                CertificateUpload.class, CertificateView.class).to(CertificatesApi.class, CertificatesApi::upload));
        r.add(op("GET", "certificates/{id}", Permission.CERTIFICATES_READ, "Certificates", "One certificate.", null, CertificateView.class)
                .to(CertificatesApi.class, CertificatesApi::get));
        r.add(op("DELETE", "certificates/{id}", Permission.CERTIFICATES_WRITE, "Certificates", "Delete a certificate.", null, null)
                .to(CertificatesApi.class, CertificatesApi::delete));
        r.add(op("GET", "server-certificate", Permission.CERTIFICATES_READ, "Certificates",
                "The sign-in host's certificate, if a global administrator set one (404 when the server CA's is served).", null,
                CertificateView.class).to(ServerCertificateApi.class, ServerCertificateApi::get));
        r.add(op("PUT", "server-certificate", Permission.SERVER_CERTIFICATES_WRITE, "Certificates",
                "Set the sign-in host's certificate (it must cover the sign-in host; never served for the admin host or on the tunnel"
                        + " listener): {\"pem\": chain + key} or {\"pkcs12\": base64, \"password\": ...}.",
                CertificateUpload.class, CertificateView.class).to(ServerCertificateApi.class, ServerCertificateApi::set));
        r.add(op("DELETE", "server-certificate", Permission.SERVER_CERTIFICATES_WRITE, "Certificates",
                "Remove the sign-in host's certificate: the server CA's is served again.", null, null)
                .to(ServerCertificateApi.class, ServerCertificateApi::delete));
        // Signing keys
        r.add(op("GET", "keys", Permission.CERTIFICATES_READ, "Certificates",
                "The server's signing key sets (signing: sessions, admin and OAuth tokens, assertions; sso: users' identities for"
                        + " connectors), each key with its state (pending, signing, retiring, retired) and times; never a private part.",
                null, SigningKeysView.class).to(SigningKeysApi.class, SigningKeysApi::get));
        r.add(op("POST", "keys/rotate", Permission.SIGNING_KEYS_ROTATE, "Certificates",
                "Rotate both signing key sets on every node: a new key each, published at once and signing after the activation"
                        + " delay (30 s); the previous keys verify until every token they signed has expired, then are dropped. Audited.",
                null, SigningKeysView.class).to(SigningKeysApi.class, SigningKeysApi::rotate));
        r.add(op("POST", "keys/{kid}/retire", Permission.SIGNING_KEYS_ROTATE, "Certificates",
                "Retire one key now, after a leak: it verifies nothing from now on, on every node within the propagation time"
                        + " (about a second; at most the 5 s reload), so the sessions and tokens it signed end (their users sign in"
                        + " again). The signing key only once a newer one exists (409: rotate first; the newer key then signs at once)."
                        + " 404 for an unknown key id. Audited.",
                null, SigningKeysView.class).to(SigningKeysApi.class, SigningKeysApi::retire));
        // Custom domains
        r.add(list("GET", "domains", Permission.CERTIFICATES_READ, "Certificates",
                "Custom domains: each with the DNS records to create (CNAME to the server's name), its status, a pending CSR and the"
                        + " published hosts no certificate covers.", DomainView.class).to(DomainsApi.class, DomainsApi::list));
        r.add(op("POST", "domains", Permission.DOMAINS_WRITE, "Certificates",
                "Add a custom domain ({\"name\": \"apps.contoso.com\"}): apps may then be published on it, on hosts under it and as"
                        + " wildcard apps (*.apps.contoso.com). Not the server's own domain (400); an added one is 409.",
                DomainSpec.class, DomainView.class).to(DomainsApi.class, DomainsApi::add));
        r.add(op("GET", "domains/{id}", Permission.CERTIFICATES_READ, "Certificates", "One custom domain.", null, DomainView.class)
                .to(DomainsApi.class, DomainsApi::get));
        r.add(op("DELETE", "domains/{id}", Permission.DOMAINS_WRITE, "Certificates",
                "Remove a custom domain (409 while apps are published on it; its certificate stays among the app certificates).",
                null, null).to(DomainsApi.class, DomainsApi::delete));
        r.add(op("POST", "domains/{id}/csr", Permission.DOMAINS_WRITE, "Certificates",
                "Create a key and a certificate signing request (PKCS#10, CN and subjectAltName the domain and its wildcard) for a CA"
                        + " to issue; the key stays on the server. Answers the domain with its csrPem.", null, DomainView.class)
                .to(DomainsApi.class, DomainsApi::csr));
        r.add(op("PUT", "domains/{id}/certificate", Permission.DOMAINS_WRITE, "Certificates",
                "Upload the domain's certificate: {\"pem\": chain + key}, {\"pkcs12\": ..., \"password\": ...}, or {\"pem\": chain}"
                        + " issued for the pending CSR (paired with its key). It must name the domain or its wildcard; it is stored as"
                        + " an app certificate.", CertificateUpload.class, DomainView.class).to(DomainsApi.class, DomainsApi::certificate));
        // Directory
        r.add(paged("GET", "users", Permission.DIRECTORY_READ, "Users and groups", "List users.", UserView.class, List.of("search"))
                .to(UsersApi.class, UsersApi::list));
        r.add(op("POST", "users", Permission.DIRECTORY_WRITE, "Users and groups", "Create a user.", UserSpec.class, UserView.class)
                .to(UsersApi.class, UsersApi::create));
        r.add(op("GET", "users/{id}", Permission.DIRECTORY_READ, "Users and groups", "One user.", null, UserView.class)
                .to(UsersApi.class, UsersApi::get));
        r.add(op("DELETE", "users/{id}", Permission.DIRECTORY_WRITE, "Users and groups", "Delete a user.", null, null)
                .changesUserInPath(UserOperation.DELETE, 1).to(UsersApi.class, UsersApi::delete));
        r.add(op("POST", "users/{id}/password", Permission.USERS_RESET_PASSWORD, "Users and groups",
                "Reset a user's password (ends their sessions).", PasswordBody.class, UserView.class)
                .changesUserInPath(UserOperation.PASSWORD_RESET, 1).to(UsersApi.class, UsersApi::resetPassword));
        r.add(op("POST", "users/{id}/reset-mfa", Permission.USERS_RESET_PASSWORD, "Users and groups",
                "Remove a user's MFA enrollment (ends their sessions).", null, UserView.class)
                .changesUserInPath(UserOperation.MFA_RESET, 1).to(UsersApi.class, UsersApi::resetMfa));
        r.add(op("POST", "users/{id}/revoke-sessions", Permission.USERS_REVOKE_SESSIONS, "Users and groups", "End all of a user's sessions.",
                null, UserView.class).changesUserInPath(UserOperation.SESSION_REVOCATION, 1)
                .to(UsersApi.class, UsersApi::revokeSessions));
        r.add(op("POST", "users/{id}/disable", Permission.DIRECTORY_WRITE, "Users and groups", "Disable a user.", null, UserView.class)
                .changesUserInPath(UserOperation.DISABLE, 1).to(UsersApi.class, UsersApi::disable));
        r.add(op("POST", "users/{id}/enable", Permission.DIRECTORY_WRITE, "Users and groups", "Enable a user.", null, UserView.class)
                .changesUserInPath(UserOperation.ENABLE, 1).to(UsersApi.class, UsersApi::enable));
        r.add(op("GET", "users/{id}/roles", Permission.DIRECTORY_READ, "Roles", "A user's admin roles.", null, RolesBody.class)
                .to(RolesApi.class, RolesApi::get));
        r.add(op("PUT", "users/{id}/roles", Permission.ROLES_WRITE, "Roles",
                "Set a user's admin roles (never your own; only roles you may grant; the last global administrator stays).",
                RolesBody.class, RolesBody.class).changesUserInPath(UserOperation.ROLE_CHANGE, 1)
                .to(RolesApi.class, RolesApi::set));
        r.add(paged("GET", "groups", Permission.DIRECTORY_READ, "Users and groups", "List groups.", GroupView.class, List.of("search"))
                .to(GroupsApi.class, GroupsApi::list));
        r.add(op("POST", "groups", Permission.DIRECTORY_WRITE, "Users and groups", "Create a group (with a membership rule for a dynamic group).",
                GroupBody.class, GroupView.class).to(GroupsApi.class, GroupsApi::create));
        r.add(op("GET", "groups/{id}", Permission.DIRECTORY_READ, "Users and groups", "One group.", null, GroupView.class)
                .to(GroupsApi.class, GroupsApi::get));
        r.add(op("DELETE", "groups/{id}", Permission.DIRECTORY_WRITE, "Users and groups", "Delete a group.", null, null)
                .to(GroupsApi.class, GroupsApi::delete));
        r.add(list("GET", "groups/{id}/members", Permission.DIRECTORY_READ, "Users and groups", "Members of a group.", UserView.class)
                .to(GroupsApi.class, GroupsApi::members));
        r.add(listAfter("POST", "groups/{id}/members", Permission.DIRECTORY_WRITE, "Users and groups",
                "Add a member to an assigned group; answers the group's members as they now are.", MemberBody.class, UserView.class)
                .changesUserInBody(UserOperation.GROUP_MEMBERSHIP, body -> ((MemberBody) body).user())
                .to(GroupsApi.class, GroupsApi::addMember));
        r.add(op("DELETE", "groups/{id}/members/{userId}", Permission.DIRECTORY_WRITE, "Users and groups", "Remove a member.", null, null)
                .changesUserInPath(UserOperation.GROUP_MEMBERSHIP, 3).to(GroupsApi.class, GroupsApi::removeMember));
        r.add(new Route("GET", "access-requests", Permission.APPS_READ, "Assignments", "Access requests (status PENDING, APPROVED or DENIED).", null,
                AccessRequestView.class, false, true, List.of("status")).to(AccessRequestsApi.class, AccessRequestsApi::list));
        r.add(op("POST", "access-requests/{id}/approve", Permission.ACCESS_REQUESTS_DECIDE, "Assignments", "Approve: the user is assigned.", null,
                AccessRequestView.class)
                .to(AccessRequestsApi.class, AccessRequestsApi::approve));
        r.add(op("POST", "access-requests/{id}/deny", Permission.ACCESS_REQUESTS_DECIDE, "Assignments", "Deny an access request.", null,
                AccessRequestView.class)
                .to(AccessRequestsApi.class, AccessRequestsApi::deny));
        r.add(op("GET", "directory-sync", Permission.DIRECTORY_READ, "Users and groups", "LDAP / Active Directory sync settings and last result.", null,
                LdapSyncSettings.class).to(DirectorySyncApi.class, DirectorySyncApi::get));
        r.add(op("PUT", "directory-sync", Permission.DIRECTORY_WRITE, "Users and groups", "Configure LDAP / Active Directory sync.",
                LdapSyncSettings.class, LdapSyncSettings.class).to(DirectorySyncApi.class, DirectorySyncApi::put));
        r.add(op("POST", "directory-sync/run", Permission.DIRECTORY_WRITE, "Users and groups",
                "Run a directory sync now; answers what it changed (409 while a sync runs on any node).", null,
                DirectorySyncResult.class)
                .to(DirectorySyncApi.class, DirectorySyncApi::run));
        r.add(list("GET", "identity-providers", Permission.DIRECTORY_READ, "Users and groups",
                "The external OpenID Connect providers (client secrets masked).", OidcProviderSettings.class)
                .to(IdentityProvidersApi.class, IdentityProvidersApi::list));
        r.add(op("POST", "identity-providers", Permission.DIRECTORY_WRITE, "Users and groups",
                "Add an external OpenID Connect provider (its id in the body).", OidcProviderSettings.class, OidcProviderSettings.class)
                .to(IdentityProvidersApi.class, IdentityProvidersApi::create));
        r.add(op("GET", "identity-providers/{id}", Permission.DIRECTORY_READ, "Users and groups",
                "One external OpenID Connect provider (client secret masked).", null, OidcProviderSettings.class)
                .to(IdentityProvidersApi.class, IdentityProvidersApi::get));
        r.add(op("PUT", "identity-providers/{id}", Permission.DIRECTORY_WRITE, "Users and groups",
                "Replace an external OpenID Connect provider's settings (or create it).", OidcProviderSettings.class, OidcProviderSettings.class)
                .to(IdentityProvidersApi.class, IdentityProvidersApi::put));
        r.add(op("DELETE", "identity-providers/{id}", Permission.DIRECTORY_WRITE, "Users and groups", "Remove an external OpenID Connect provider.",
                null, null)
                .to(IdentityProvidersApi.class, IdentityProvidersApi::delete));
        r.add(op("POST", "identity-providers/{id}/groups", Permission.DIRECTORY_WRITE, "Users and groups",
                "Create a group owned by the provider, joined by users whose groups claim lists the claim value (the only groups a claim joins).",
                ProviderGroupBody.class, ProviderGroupView.class).to(IdentityProvidersApi.class, IdentityProvidersApi::createGroup));
        // The single provider of earlier versions: the provider with id oidc.
        r.add(op("GET", "identity-providers/oidc", Permission.DIRECTORY_READ, "Users and groups",
                "The provider with id oidc (the single provider of earlier versions; client secret masked).", null, OidcProviderSettings.class)
                .to(IdentityProvidersApi.class, IdentityProvidersApi::getOidc));
        r.add(op("PUT", "identity-providers/oidc", Permission.DIRECTORY_WRITE, "Users and groups", "Configure the provider with id oidc.",
                OidcProviderSettings.class, OidcProviderSettings.class)
                .to(IdentityProvidersApi.class, IdentityProvidersApi::putOidc));
        r.add(op("DELETE", "identity-providers/oidc", Permission.DIRECTORY_WRITE, "Users and groups", "Remove the provider with id oidc.", null,
                null)
                .to(IdentityProvidersApi.class, IdentityProvidersApi::deleteOidc));
        r.add(op("POST", "identity-providers/oidc/groups", Permission.DIRECTORY_WRITE, "Users and groups",
                "Create a group owned by the provider, joined by users whose groups claim lists the claim value (the only groups a claim joins).",
                ProviderGroupBody.class, ProviderGroupView.class).to(IdentityProvidersApi.class, IdentityProvidersApi::createOidcGroup));
        // Conditional access
        r.add(list("GET", "policies", Permission.POLICIES_READ, "Conditional access", "Conditional access policies.", AccessPolicy.class)
                .to(PoliciesApi.class, PoliciesApi::list));
        r.add(op("POST", "policies", Permission.POLICIES_WRITE, "Conditional access", "Create a policy.", AccessPolicy.class, AccessPolicy.class)
                .to(PoliciesApi.class, PoliciesApi::create));
        r.add(op("GET", "policies/{id}", Permission.POLICIES_READ, "Conditional access", "One policy.", null, AccessPolicy.class)
                .to(PoliciesApi.class, PoliciesApi::get));
        r.add(op("PUT", "policies/{id}", Permission.POLICIES_WRITE, "Conditional access", "Replace a policy.", AccessPolicy.class, AccessPolicy.class)
                .to(PoliciesApi.class, PoliciesApi::replace));
        r.add(op("DELETE", "policies/{id}", Permission.POLICIES_WRITE, "Conditional access", "Delete a policy.", null, null)
                .to(PoliciesApi.class, PoliciesApi::delete));
        r.add(list("GET", "named-locations", Permission.POLICIES_READ, "Conditional access", "Named locations (IP ranges).", NamedLocation.class)
                .to(NamedLocationsApi.class, NamedLocationsApi::list));
        r.add(op("POST", "named-locations", Permission.POLICIES_WRITE, "Conditional access", "Create a named location.", NamedLocation.class,
                NamedLocation.class)
                .to(NamedLocationsApi.class, NamedLocationsApi::create));
        r.add(op("GET", "named-locations/{id}", Permission.POLICIES_READ, "Conditional access", "One named location.", null, NamedLocation.class)
                .to(NamedLocationsApi.class, NamedLocationsApi::get));
        r.add(op("PUT", "named-locations/{id}", Permission.POLICIES_WRITE, "Conditional access", "Replace a named location.", NamedLocation.class,
                NamedLocation.class)
                .to(NamedLocationsApi.class, NamedLocationsApi::replace));
        r.add(op("DELETE", "named-locations/{id}", Permission.POLICIES_WRITE, "Conditional access", "Delete a named location.", null, null)
                .to(NamedLocationsApi.class, NamedLocationsApi::delete));
        // Logs
        r.add(paged("GET", "sign-in-logs", Permission.LOGS_READ, "Logs", "Sign-in log, newest first.", SignInLogEntry.class,
                List.of("upn", "app", "result", "event", "from", "to")).to(SignInLogsApi.class, SignInLogsApi::list));
        r.add(paged("GET", "audit-logs", Permission.LOGS_READ, "Logs", "Audit log, newest first.", AuditLogEntry.class,
                List.of("actor", "action", "targetType", "targetId", "from", "to")).to(AuditLogsApi.class, AuditLogsApi::list));
        r.add(new Route("GET", "stats/sign-ins", Permission.LOGS_READ, "Logs", "Sign-ins and denials per hour.", null,
                SignInStats.class, false, false, List.of("hours")).to(StatsApi.class, StatsApi::signIns));
        List<String> unhandled = r.stream().filter(route -> route.handler() == null).map(route -> route.method() + " " + route.template()).toList();
        if (!unhandled.isEmpty()) {
            throw new IllegalStateException("admin API routes without a handler: " + unhandled);
        }
        return List.copyOf(r);
    }

    private static Route op(String method, String template, Permission p, String tag, String summary, Class<?> req, Class<?> res) {
        return new Route(method, template, p, tag, summary, req, res, false, false, List.of());
    }

    private static Route list(String method, String template, Permission p, String tag, String summary, Class<?> item) {
        return new Route(method, template, p, tag, summary, null, item, false, true, List.of());
    }

    /** An operation that changes a list and answers the whole list as it now is. */
    private static Route listAfter(String method, String template, Permission p, String tag, String summary, Class<?> req, Class<?> item) {
        return new Route(method, template, p, tag, summary, req, item, false, true, List.of());
    }

    private static Route paged(String method, String template, Permission p, String tag, String summary, Class<?> item, List<String> filters) {
        List<String> q = new ArrayList<>(PAGING);
        q.addAll(filters);
        return new Route(method, template, p, tag, summary, null, item, true, false, List.copyOf(q));
    }
}
