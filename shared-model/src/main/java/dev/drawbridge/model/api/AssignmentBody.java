package dev.drawbridge.model.api;

/**
 * Body of {@code POST /apps/{id}/assignments}.
 *
 * @param principalType USER or GROUP
 * @param principal     a user's id or UPN, or a group's id or name
 */
public record AssignmentBody(String principalType, String principal) {
}
