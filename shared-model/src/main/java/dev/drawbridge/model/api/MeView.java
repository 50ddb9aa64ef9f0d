package dev.drawbridge.model.api;

import java.util.List;
import java.util.Set;

/**
 * {@code GET /api/v1/me}: who the caller is and what they may do, so clients can disable what is not allowed.
 *
 * @param subject the admin's user principal name, or {@code "admin"} for the bootstrap credential
 */
public record MeView(String subject, String displayName, List<AdminRole> roles, Set<AdminRole.Permission> permissions) {
    public MeView {
        roles = roles == null ? List.of() : List.copyOf(roles);
        permissions = permissions == null ? Set.of() : Set.copyOf(permissions);
    }
}
