package dev.drawbridge.model.api;

/**
 * Body of {@code PUT /api/v1/connector-groups/{id}/maintenance}.
 *
 * @param message what users of the group's apps read on the maintenance page (at most
 *                {@value dev.drawbridge.model.api.validation.Names#MAX_MAINTENANCE_MESSAGE} characters, no control
 *                characters); absent: a general sentence
 */
public record MaintenanceBody(String message) {
}
