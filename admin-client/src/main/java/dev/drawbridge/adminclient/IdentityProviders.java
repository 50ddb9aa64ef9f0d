package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.OidcProviderSettings;
import dev.drawbridge.model.api.ProviderGroupBody;
import dev.drawbridge.model.api.ProviderGroupView;

/** {@code /identity-providers/oidc}: the external OpenID Connect provider and the groups its claims join. */
public interface IdentityProviders {
    /** The provider (client secret masked); a 404 {@link AdminApiException} when none is configured. */
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
