package dev.drawbridge.model.api;

import java.util.List;

/**
 * A user's admin roles: the answer of {@code GET /users/{id}/roles}, the body and answer of {@code PUT} there. Left as
 * sent (a missing or null list is the server's 400 to give, naming {@code roles}).
 */
public record RolesBody(List<AdminRole> roles) {
}
