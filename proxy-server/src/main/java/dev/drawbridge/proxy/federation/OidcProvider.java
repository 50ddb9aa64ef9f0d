package dev.drawbridge.proxy.federation;

import dev.drawbridge.model.api.validation.IdentityProviderRules;

import java.net.URI;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One external OpenID Connect provider, validated, with its client secret in clear (memory only; stored encrypted).
 * {@code groupsClaim} is empty when groups are not synced. With {@code linkByVerifiedEmail} a first sign-in may attach
 * to an existing user whose email is the token's {@code email} claim, when the provider says {@code email_verified: true}
 * and the address is the provider's to vouch for ({@link FederatedUsers}); otherwise identities link only to users they
 * created. {@code id} names the provider in URLs and app settings; {@code emailDomains} (normalised by
 * {@link IdentityProviderRules#domain}) are the domains home-realm discovery sends to it.
 */
public record OidcProvider(URI issuer, String clientId, String clientSecret, String displayName, List<String> scopes,
                           String usernameClaim, String groupsClaim, boolean jitProvisioning, boolean linkByVerifiedEmail,
                           String id, List<String> emailDomains) {
    public OidcProvider {
        Objects.requireNonNull(issuer);
        Objects.requireNonNull(clientId);
        Objects.requireNonNull(clientSecret);
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(usernameClaim);
        Objects.requireNonNull(groupsClaim);
        scopes = List.copyOf(scopes);
        if (!scopes.contains("openid")) {
            throw new IllegalArgumentException("the scopes must include openid");
        }
        if (!IdentityProviderRules.isId(id)) {
            throw new IllegalArgumentException("the provider id must be a slug");
        }
        emailDomains = List.copyOf(emailDomains);
        for (String d : emailDomains) {
            if (!IdentityProviderRules.domain(d).equals(Optional.of(d))) {
                throw new IllegalArgumentException("email domain " + d + " is not normalised");
            }
        }
    }

    /** The provider with id {@code oidc}, without home-realm discovery. */
    public OidcProvider(URI issuer, String clientId, String clientSecret, String displayName, List<String> scopes,
                        String usernameClaim, String groupsClaim, boolean jitProvisioning, boolean linkByVerifiedEmail) {
        this(issuer, clientId, clientSecret, displayName, scopes, usernameClaim, groupsClaim, jitProvisioning, linkByVerifiedEmail,
                IdentityProviderRules.DEFAULT_ID, List.of());
    }

    /** A provider that links identities only to users it created (the default). */
    public OidcProvider(URI issuer, String clientId, String clientSecret, String displayName, List<String> scopes,
                        String usernameClaim, String groupsClaim, boolean jitProvisioning) {
        this(issuer, clientId, clientSecret, displayName, scopes, usernameClaim, groupsClaim, jitProvisioning, false);
    }

    /** Whether home-realm discovery sends addresses of {@code domain} (normalised) here. */
    public boolean ownsDomain(String domain) {
        return emailDomains.contains(domain);
    }

    /** No secret in logs or exception messages. */
    @Override
    public String toString() {
        return "OidcProvider[id=" + id + ", issuer=" + issuer + ", clientId=" + clientId + ", displayName=" + displayName + "]";
    }
}
