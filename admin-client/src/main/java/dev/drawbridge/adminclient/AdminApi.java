package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.AdminTokenRequest;
import dev.drawbridge.model.api.AdminTokenResponse;
import dev.drawbridge.model.api.MeView;

/**
 * The Drawbridge admin API ({@code https://admin.<domain>/api/v1/}), typed: one method per operation of the server's
 * route table, grouped by resource ({@code api.apps().list(...)}, {@code api.users().disable(id)}). Bodies and answers
 * are the wire records of {@code dev.drawbridge.model.api}; paged lists answer a {@code Page}, other lists a
 * {@code List}. Every method throws {@link AdminApiException} when the server refuses (its problem document),
 * {@link ServerUnreachableException} when it cannot be reached, {@link UnexpectedAnswerException} when what answered
 * is not this API.
 *
 * <p>{@link HttpAdminApi} is the real one; tests of the console and the CLI use fakes.
 */
public interface AdminApi {
    /** Signs in with directory credentials (and an MFA code when needed); answers a short-lived bearer token. */
    @Operation(method = "POST", path = "auth/token", anonymous = true)
    AdminTokenResponse signIn(AdminTokenRequest credentials) throws AdminClientException;

    /** Who the caller is: roles and permissions. */
    @Operation(method = "GET", path = "me")
    MeView me() throws AdminClientException;

    /** Published apps, their assignments, owners, icon, single sign-on and reachability test. */
    Apps apps();

    /** Connector groups. */
    ConnectorGroups connectorGroups();

    /** Connectors, their events, and registration tokens for new ones. */
    Connectors connectors();

    /** Connector update bundles (the rollout of each group is on {@link #connectorGroups()}). */
    ConnectorUpdates connectorUpdates();

    /** App certificates for custom domains, and the sign-in host's certificate. */
    Certificates certificates();

    /** Custom domains: their DNS records, certificate signing requests and certificates. */
    Domains domains();

    /** Registered native OAuth clients (client id, redirect URIs, grants, apps). */
    OAuthClients oauthClients();

    /** Directory users and their admin roles. */
    Users users();

    /** Directory groups and their members. */
    Groups groups();

    /** Users' requests for access to apps. */
    AccessRequests accessRequests();

    /** LDAP / Active Directory sync. */
    DirectorySync directorySync();

    /** The external OpenID Connect provider. */
    IdentityProviders identityProviders();

    /** Conditional access policies. */
    Policies policies();

    /** Named locations (IP ranges) that policies refer to. */
    NamedLocations namedLocations();

    /** Sign-in log, audit log and sign-in statistics. */
    Logs logs();
}
