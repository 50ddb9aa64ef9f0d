package dev.drawbridge.model.api;

import java.util.List;

/**
 * What an admin sends to register (or replace) a native OAuth client: a public client (no secret) that signs users in
 * with authorization code + PKCE and calls published apps with the access tokens it gets. Checked by
 * {@link dev.drawbridge.model.api.validation.OAuthClientRules} on both sides.
 *
 * @param clientId     the {@code client_id} the app sends: 1 to 100 of {@code A-Z a-z 0-9 . _ ~ -}, unique in any letter
 *                     case; absent on create: the server makes one up. It never changes once registered.
 * @param displayName  what admins (and the sign-in log) call the client
 * @param redirectUris where codes may be sent: loopback {@code http://127.0.0.1/...}, {@code http://[::1]/...},
 *                     {@code http://localhost/...} (any port at sign-in), or a private-use scheme such as
 *                     {@code com.example.app:/callback} (RFC 8252); matched exactly
 * @param grants       the grants it may use; {@link OAuthGrant#AUTHORIZATION_CODE} is required
 * @param appIds       the published apps it may get tokens for; {@code []}: any app (the user's assignment still applies).
 *                     Required: absent ({@code null}) is kept as {@code null} here and refused by the rules, so that a
 *                     request that leaves the list out never widens a client to every app.
 */
public record OAuthClientSpec(String clientId, String displayName, List<String> redirectUris, List<OAuthGrant> grants,
                              List<String> appIds) {
    public OAuthClientSpec {
        redirectUris = redirectUris == null ? List.of() : redirectUris.stream().toList();
        grants = grants == null ? List.of() : grants.stream().toList();
        appIds = appIds == null ? null : appIds.stream().toList();
    }
}
