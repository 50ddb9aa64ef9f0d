package dev.drawbridge.model.api;

/**
 * Body of {@code POST /groups}.
 *
 * @param membershipRule makes the group dynamic (its members follow the rule); null for an assigned group
 */
public record GroupBody(String name, String description, String membershipRule) {
}
