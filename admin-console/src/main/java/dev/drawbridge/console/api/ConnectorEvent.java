package dev.drawbridge.console.api;

import java.time.Instant;

/** {@code GET /connector-events}: a connector connected, disconnected, registered, was revoked or moved. */
public record ConnectorEvent(String id, Instant time, String connectorId, String connectorName, String type, String detail) {
}
