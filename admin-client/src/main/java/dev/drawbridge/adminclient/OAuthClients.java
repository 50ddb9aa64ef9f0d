package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthClientView;

import java.util.List;

/**
 * {@code /oauth-clients}: registered native OAuth clients (public, PKCE), the only client ids the token issuer answers.
 * Check a spec with {@link dev.drawbridge.model.api.validation.OAuthClientRules} before sending it: the server runs the
 * same rules (and also checks that the apps exist and that the client id is free in any letter case).
 */
public interface OAuthClients {
    @Operation(method = "GET", path = "oauth-clients")
    List<OAuthClientView> list() throws AdminClientException;

    /** Registers a client; without a {@code clientId} in the spec the server makes one up. */
    @Operation(method = "POST", path = "oauth-clients")
    OAuthClientView register(OAuthClientSpec client) throws AdminClientException;

    @Operation(method = "GET", path = "oauth-clients/{id}")
    OAuthClientView get(String clientId) throws AdminClientException;

    /**
     * Replaces the client's name, redirect URIs, grants and apps (its id stays); taking away the refresh grant or an app
     * ends the refresh tokens it no longer covers.
     */
    @Operation(method = "PUT", path = "oauth-clients/{id}")
    OAuthClientView replace(String clientId, OAuthClientSpec client) throws AdminClientException;

    /** Deletes the client: its codes and refresh tokens end with it. */
    @Operation(method = "DELETE", path = "oauth-clients/{id}")
    void delete(String clientId) throws AdminClientException;
}
