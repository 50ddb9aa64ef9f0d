package dev.drawbridge.proxy.federation;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The external OpenID Connect provider, validated, with its client secret in clear (memory only;
 * stored encrypted). {@code groupsClaim} is empty when groups are not synced. With {@code linkByVerifiedEmail}
 * a first sign-in may attach to an existing user whose email is the token's {@code email} claim, when the
 * provider says {@code email_verified: true}; otherwise identities link only to users they created.
 */
public record OidcProvider(URI issuer, String clientId, String clientSecret, String displayName, List<String> scopes,
                           String usernameClaim, String groupsClaim, boolean jitProvisioning, boolean linkByVerifiedEmail) {
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
    }

    /** A provider that links identities only to users it created (the default). */
    public OidcProvider(URI issuer, String clientId, String clientSecret, String displayName, List<String> scopes,
                        String usernameClaim, String groupsClaim, boolean jitProvisioning) {
        this(issuer, clientId, clientSecret, displayName, scopes, usernameClaim, groupsClaim, jitProvisioning, false);
    }

    /** No secret in logs or exception messages. */
    @Override
    public String toString() {
        return "OidcProvider[issuer=" + issuer + ", clientId=" + clientId + ", displayName=" + displayName + "]";
    }
}
