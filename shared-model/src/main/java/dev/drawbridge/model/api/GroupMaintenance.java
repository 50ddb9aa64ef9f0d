package dev.drawbridge.model.api;

import java.time.Instant;

/**
 * A connector group in maintenance mode ({@code PUT /api/v1/connector-groups/{id}/maintenance}): no new request goes to
 * its connectors (requests in flight finish, tunnels stay up), and its apps answer a maintenance page (503) showing
 * {@code message}. Ends with {@code DELETE} on the same path.
 *
 * @param since   when maintenance began
 * @param message what users of the group's apps read on the maintenance page; absent: a general sentence
 */
public record GroupMaintenance(Instant since, String message) {
}
