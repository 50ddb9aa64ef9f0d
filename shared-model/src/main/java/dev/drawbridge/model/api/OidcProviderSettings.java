package dev.drawbridge.model.api;

import java.util.List;

/**
 * An external OpenID Connect provider users can sign in with ({@code /api/v1/identity-providers/{id}}; there may be
 * several, offered side by side on the sign-in page; {@code /identity-providers/oidc} is the one with id {@code oidc}).
 * The client secret is write-only: the API shows it as {@code "********"}, and sending that value
 * back (or leaving it out) keeps the stored one, as long as the issuer and client id stay the same: a change of
 * either needs the secret again (400 naming {@code clientSecret}).
 *
 * @param issuer          the provider's issuer URL (https, or http on a loopback address for tests),
 *                        e.g. https://idp.corp.example/realms/corp; its discovery document is read from
 *                        {@code <issuer>/.well-known/openid-configuration}
 * @param clientId        the client registered at the provider (confidential, authorization code flow)
 * @param clientSecret    that client's secret
 * @param displayName     shown on the sign-in page as "Sign in with &lt;displayName&gt;"
 * @param scopes          requested scopes; {@code openid} is always added. Default: openid, profile, email
 * @param usernameClaim   the claim that becomes the user principal name, e.g. email or preferred_username (default email)
 * @param groupsClaim     the claim listing the user's groups, e.g. groups; empty or null: groups are not synced
 * @param jitProvisioning create users that do not exist yet on their first sign-in (default true)
 * @param redirectUri     read-only: the callback URL to register at the provider
 * @param linkByVerifiedEmail let a first sign-in attach to the existing user whose email is the token's {@code email}
 *                        claim, when the provider asserts {@code email_verified: true} (default false: an identity
 *                        only ever links to a user it created; an existing account of the same name is refused). Only
 *                        for addresses in the provider's {@code emailDomains}, or, when it lists none, in no other provider's
 * @param id              the provider's id, 1 to 40 lower-case letters, digits and hyphens (in URLs and in an app's
 *                        {@link AccessSettings#identityProviders}); set when it is created, read-only afterwards
 * @param emailDomains    home-realm discovery: a user who types an address in one of these domains on the sign-in page goes
 *                        straight to this provider. Exact domains (no wildcards), each listed by one provider at most; an
 *                        address in another provider's domain is refused from this one. Left out of a PUT: the stored
 *                        domains are kept
 */
public record OidcProviderSettings(String issuer, String clientId, String clientSecret, String displayName, List<String> scopes,
                                   String usernameClaim, String groupsClaim, Boolean jitProvisioning, String redirectUri,
                                   Boolean linkByVerifiedEmail, String id, List<String> emailDomains) {
    public OidcProviderSettings {
        scopes = scopes == null ? List.of() : List.copyOf(scopes);
        // Null (left out): a replacement keeps the stored domains, so a client of an earlier version does not clear them.
        emailDomains = emailDomains == null ? null : List.copyOf(emailDomains);
    }

    /** Settings of a provider whose id comes from elsewhere (the URL), without home-realm discovery. */
    public OidcProviderSettings(String issuer, String clientId, String clientSecret, String displayName, List<String> scopes,
                                String usernameClaim, String groupsClaim, Boolean jitProvisioning, String redirectUri,
                                Boolean linkByVerifiedEmail) {
        this(issuer, clientId, clientSecret, displayName, scopes, usernameClaim, groupsClaim, jitProvisioning, redirectUri,
                linkByVerifiedEmail, null, List.of());
    }

    /** Settings that leave linking by verified email as it is (unset). */
    public OidcProviderSettings(String issuer, String clientId, String clientSecret, String displayName, List<String> scopes,
                                String usernameClaim, String groupsClaim, Boolean jitProvisioning, String redirectUri) {
        this(issuer, clientId, clientSecret, displayName, scopes, usernameClaim, groupsClaim, jitProvisioning, redirectUri, null);
    }
}
