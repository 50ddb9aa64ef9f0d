package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.ConnectorEventType;

import java.util.Objects;

/**
 * One entry to write to the connector event log ({@link ConnectorEvents#write}): what happened to which connector, and
 * a sentence for the admin who reads it (the group, the host and version registering, who revoked or moved it).
 */
public record ConnectorEventRecord(String connectorId, ConnectorEventType type, String detail) {
    public ConnectorEventRecord {
        Objects.requireNonNull(connectorId, "connectorId");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(detail, "detail");
    }
}
