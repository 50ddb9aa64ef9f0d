package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.AppIconView;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppTestResult;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.AssignmentView;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.Page;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.SamlSso;
import dev.drawbridge.model.api.SharedCredential;
import dev.drawbridge.model.api.SsoPreview;
import dev.drawbridge.model.api.SsoPreviewRequest;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserView;

import java.util.List;

/**
 * {@code /apps}: published apps, who may use them, who owns them, their icon, their single sign-on to the backend (and
 * its shared credential), and a reachability test.
 */
public interface Apps {
    /** Filters of {@link #list}: {@code name} keeps apps whose name contains it (any case); null: all. */
    record Filter(String name) implements Query {
        public static final Filter NONE = new Filter(null);
    }

    @Operation(method = "GET", path = "apps")
    Page<AppView> list(Paging paging, Filter filter) throws AdminClientException;

    /** Every app on one page of {@code paging}. */
    default Page<AppView> list(Paging paging) throws AdminClientException {
        return list(paging, Filter.NONE);
    }

    @Operation(method = "POST", path = "apps")
    AppView create(AppSpec app) throws AdminClientException;

    @Operation(method = "GET", path = "apps/{id}")
    AppView get(String id) throws AdminClientException;

    /** Replaces the app's settings (changing its proxy settings needs PROXY_SETTINGS_WRITE). */
    @Operation(method = "PUT", path = "apps/{id}")
    AppView replace(String id, AppSpec app) throws AdminClientException;

    /** Unpublishes the app: its URL stops answering at once. */
    @Operation(method = "DELETE", path = "apps/{id}")
    void delete(String id) throws AdminClientException;

    /** Fetches the app's internal URL through a connector of its group. */
    @Operation(method = "POST", path = "apps/{id}/test")
    AppTestResult test(String id) throws AdminClientException;

    @Operation(method = "GET", path = "apps/{id}/assignments")
    List<AssignmentView> assignments(String id) throws AdminClientException;

    /** Assigns a user or group; answers the app's assignments as they now are. */
    @Operation(method = "POST", path = "apps/{id}/assignments")
    List<AssignmentView> assign(String id, AssignmentBody assignment) throws AdminClientException;

    /** Removes the assignment of a principal ({@code principalType} USER or GROUP) by its id. */
    @Operation(method = "DELETE", path = "apps/{id}/assignments/{principalType}/{principalId}")
    void unassign(String id, String principalType, String principalId) throws AdminClientException;

    @Operation(method = "GET", path = "apps/{id}/owners")
    List<UserView> owners(String id) throws AdminClientException;

    /** Adds an owner (the server resolves {@code user}: UPN or id); answers the owners as they now are. */
    @Operation(method = "POST", path = "apps/{id}/owners")
    List<UserView> addOwner(String id, MemberBody owner) throws AdminClientException;

    @Operation(method = "DELETE", path = "apps/{id}/owners/{userId}")
    void removeOwner(String id, String userId) throws AdminClientException;

    @Operation(method = "GET", path = "apps/{id}/icon")
    Icon icon(String id) throws AdminClientException;

    /** Sets the icon (PNG or SVG, at most 256 KiB); answers its type, size and hash. */
    @Operation(method = "PUT", path = "apps/{id}/icon")
    AppIconView setIcon(String id, Icon icon) throws AdminClientException;

    @Operation(method = "DELETE", path = "apps/{id}/icon")
    void removeIcon(String id) throws AdminClientException;

    /** The app's path rules: per path, its pre-authentication, who may use it, which policies apply besides the app's. */
    @Operation(method = "GET", path = "apps/{id}/paths")
    PathPolicies paths(String id) throws AdminClientException;

    /**
     * Replaces the app's path rules (an empty list removes them); answers them as stored (plain paths, users and groups as
     * ids). Every problem is a 400 naming its field ({@code paths[1].users}, ...).
     */
    @Operation(method = "PUT", path = "apps/{id}/paths")
    PathPolicies setPaths(String id, PathPolicies paths) throws AdminClientException;

    /** How the connector signs users in to the app's backend ({@code NONE}: it does not). */
    @Operation(method = "GET", path = "apps/{id}/sso")
    SsoSettings sso(String id) throws AdminClientException;

    /**
     * Sets the app's single sign-on ({@link SsoSettings#NONE} removes it); answers it as stored. Refused (409, field
     * {@code method}) for an app that is not pre-authenticated; every rule problem is a 400 naming its field
     * ({@code headers[0].name}, ...), the rules being {@link dev.drawbridge.model.api.validation.SsoRules}.
     */
    @Operation(method = "PUT", path = "apps/{id}/sso")
    SsoSettings setSso(String id, SsoSettings settings) throws AdminClientException;

    /**
     * What the app's backend would receive from single sign-on for one user (headers, delegated Kerberos principal, whether
     * a password is stored, SAML subject and attributes) and why it would be refused for them; of the app's stored settings,
     * or of {@code request.settings()} when given (a draft, checked by the same rules as {@link #setSso}). Sends nothing to
     * the backend; shows no secret.
     */
    @Operation(method = "POST", path = "apps/{id}/sso/preview")
    SsoPreview previewSso(String id, SsoPreviewRequest request) throws AdminClientException;

    /**
     * Sets (or replaces) the user name and password every user signs in to the app with when its single sign-on is
     * BASIC or FORMS with shared credentials. Write-only: nothing ever returns it.
     */
    @Operation(method = "PUT", path = "apps/{id}/sso/shared-credential")
    void setSharedCredential(String id, SharedCredential credential) throws AdminClientException;

    /** Removes the app's shared user name and password. */
    @Operation(method = "DELETE", path = "apps/{id}/sso/shared-credential")
    void removeSharedCredential(String id) throws AdminClientException;

    /** The app's SAML identity provider metadata, for its service provider to import (the signing key is made on first use). */
    @Operation(method = "GET", path = "apps/{id}/saml/idp-metadata")
    SamlMetadata samlIdpMetadata(String id) throws AdminClientException;

    /**
     * The SAML settings a service provider's metadata implies for the app (entity id, ACS URL, signing certificate, NameID
     * format), checked against the app; nothing is stored: review them, then put them with the app's single sign-on.
     */
    @Operation(method = "POST", path = "apps/{id}/saml/sp-metadata")
    SamlSso readSpMetadata(String id, SamlMetadata spMetadata) throws AdminClientException;
}
