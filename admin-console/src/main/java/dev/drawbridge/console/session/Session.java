package dev.drawbridge.console.session;

import dev.drawbridge.console.api.Api;
import dev.drawbridge.model.api.AdminRole;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A signed-in admin: the API client bound to their token, who they are, and what they may do.
 *
 * @param expiresAt when the admin token expires; empty for the bootstrap credential
 */
public record Session(Api api, String subject, List<AdminRole> roles, Permissions permissions, Optional<Instant> expiresAt) {
    public Session {
        roles = List.copyOf(roles);
    }
}
