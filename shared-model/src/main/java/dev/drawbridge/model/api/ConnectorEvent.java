package dev.drawbridge.model.api;

import java.time.Instant;

/**
 * One entry of {@code GET /connector-events}, newest first.
 *
 * @param id            increasing with time; a number, as in the sign-in and audit logs
 * @param connectorName the connector's host name while it is registered, else null
 * @param type          what happened
 */
public record ConnectorEvent(long id, Instant time, String connectorId, String connectorName, ConnectorEventType type, String detail) {
}
