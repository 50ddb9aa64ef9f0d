package dev.drawbridge.console.session;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.model.api.AdminRole;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A signed-in admin: the API client bound to their token, the server it calls, who they are, and what they may do.
 *
 * @param server the admin URL, e.g. https://admin.apps.example.com:8443
 * @param expiresAt when the admin token expires; empty for the bootstrap credential
 */
public record Session(AdminApi api, URI server, String subject, List<AdminRole> roles, Permissions permissions, Optional<Instant> expiresAt) {
    public Session {
        roles = List.copyOf(roles);
    }
}
