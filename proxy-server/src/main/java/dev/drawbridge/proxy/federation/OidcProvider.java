package dev.drawbridge.proxy.federation;

import java.net.URI;
import java.util.List;
import java.util.Objects;

/**
 * The external OpenID Connect provider, validated, with its client secret in clear (memory only;
 * stored encrypted). {@code groupsClaim} is empty when groups are not synced.
 */
public record OidcProvider(URI issuer, String clientId, String clientSecret, String displayName, List<String> scopes,
                           String usernameClaim, String groupsClaim, boolean jitProvisioning) {
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

    /** No secret in logs or exception messages. */
    @Override
    public String toString() {
        return "OidcProvider[issuer=" + issuer + ", clientId=" + clientId + ", displayName=" + displayName + "]";
    }
}
