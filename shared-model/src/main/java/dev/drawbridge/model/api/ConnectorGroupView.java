package dev.drawbridge.model.api;

import java.time.Instant;

/** A connector group: the connectors that can reach a set of apps. */
public record ConnectorGroupView(String id, String name, Instant createdAt, int connectors, int activeConnectors) {
}
