package dev.drawbridge.model.api;

/**
 * Body of {@code POST /identity-providers/oidc/groups}: a group owned by the external provider.
 *
 * @param claim the value of the provider's groups claim that joins a user to the group; defaults to {@code name}
 */
public record ProviderGroupBody(String name, String claim) {
}
