package dev.drawbridge.model.api;

import java.time.Instant;

/**
 * An app assigned to a user or a group.
 *
 * @param principalType USER or GROUP
 * @param principalId   the user's or group's id
 * @param principalName the user's UPN or the group's name
 */
public record AssignmentView(String appId, String principalType, String principalId, String principalName, Instant createdAt) {
}
