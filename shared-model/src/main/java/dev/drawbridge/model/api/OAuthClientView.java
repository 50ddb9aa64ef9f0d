package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A registered native OAuth client as the admin API shows it (see {@link OAuthClientSpec} for the fields).
 *
 * @param appIds the apps it may get tokens for; empty: any app the user may use
 */
public record OAuthClientView(String clientId, String displayName, List<String> redirectUris, List<OAuthGrant> grants,
                              List<String> appIds, Instant createdAt, Instant updatedAt) {
    public OAuthClientView {
        Objects.requireNonNull(clientId, "clientId");
        Objects.requireNonNull(displayName, "displayName");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(updatedAt, "updatedAt");
        redirectUris = List.copyOf(redirectUris);
        grants = List.copyOf(grants);
        appIds = List.copyOf(appIds);
    }

    /** Whether the client may use {@code grant}. */
    public boolean allows(OAuthGrant grant) {
        return grants.contains(grant);
    }

    /** Whether the client may get tokens for the app {@code appId}. */
    public boolean mayReach(String appId) {
        return appIds.isEmpty() || appIds.contains(appId);
    }
}
