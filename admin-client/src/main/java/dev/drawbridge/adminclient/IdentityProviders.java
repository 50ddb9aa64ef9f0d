package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.ProviderGroupBody;
import dev.drawbridge.model.api.ProviderGroupView;

import java.util.List;

/**
 * {@code /identity-providers}: the external OpenID Connect providers, each under its id, and the groups their claims
 * join. The {@code ...Oidc} methods are those of earlier versions: the provider with id {@code oidc}.
 */
public interface IdentityProviders {
    /** Every provider (client secrets masked). */
    @Operation(method = "GET", path = "identity-providers")
    List<OidcProviderSettings> list() throws AdminClientException;

    /** Adds a provider; its id is {@code settings.id()}. */
    @Operation(method = "POST", path = "identity-providers")
    OidcProviderSettings create(OidcProviderSettings settings) throws AdminClientException;

    /** One provider; a 404 {@link AdminApiException} when there is none with that id. */
    @Operation(method = "GET", path = "identity-providers/{id}")
    OidcProviderSettings get(String id) throws AdminClientException;

    /** Replaces a provider's settings (creating it if missing). */
    @Operation(method = "PUT", path = "identity-providers/{id}")
    OidcProviderSettings replace(String id, OidcProviderSettings settings) throws AdminClientException;

    @Operation(method = "DELETE", path = "identity-providers/{id}")
    void delete(String id) throws AdminClientException;

    /** Creates a group of the provider {@code id}, joined by users whose groups claim lists {@code group.claim()}. */
    @Operation(method = "POST", path = "identity-providers/{id}/groups")
    ProviderGroupView createGroup(String id, ProviderGroupBody group) throws AdminClientException;

    /** The provider {@code oidc} (client secret masked); a 404 {@link AdminApiException} when none is configured. */
    @Operation(method = "GET", path = "identity-providers/oidc")
    OidcProviderSettings oidc() throws AdminClientException;

    @Operation(method = "PUT", path = "identity-providers/oidc")
    OidcProviderSettings configureOidc(OidcProviderSettings settings) throws AdminClientException;

    @Operation(method = "DELETE", path = "identity-providers/oidc")
    void removeOidc() throws AdminClientException;

    /** Creates a group joined by users whose groups claim lists {@code group.claim()}. */
    @Operation(method = "POST", path = "identity-providers/oidc/groups")
    ProviderGroupView createOidcGroup(ProviderGroupBody group) throws AdminClientException;
}
