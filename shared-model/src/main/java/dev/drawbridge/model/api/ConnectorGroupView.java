package dev.drawbridge.model.api;

import java.time.Instant;

/**
 * A connector group: the connectors that can reach a set of apps.
 *
 * @param maintenance the group's maintenance mode; absent when the group serves normally
 */
public record ConnectorGroupView(String id, String name, Instant createdAt, int connectors, int activeConnectors,
                                 GroupMaintenance maintenance) {
    /** A group serving normally. */
    public ConnectorGroupView(String id, String name, Instant createdAt, int connectors, int activeConnectors) {
        this(id, name, createdAt, connectors, activeConnectors, null);
    }
}
