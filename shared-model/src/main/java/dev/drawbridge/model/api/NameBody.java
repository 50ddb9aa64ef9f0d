package dev.drawbridge.model.api;

/**
 * Body of {@code POST /connector-groups} ({@code name}) and {@code POST /connectors/{id}/move} (the target group as
 * {@code connectorGroup}, a name or id, or as {@code groupId}).
 */
public record NameBody(String name, String connectorGroup, String groupId) {
    /** A connector group's name. */
    public static NameBody named(String name) {
        return new NameBody(name, null, null);
    }
}
