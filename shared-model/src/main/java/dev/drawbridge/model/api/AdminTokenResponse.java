package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.List;

/** The short-lived bearer token an admin uses for the admin API. */
public record AdminTokenResponse(String accessToken, String tokenType, long expiresIn, Instant expiresAt,
                                 String subject, List<AdminRole> roles) {
    public AdminTokenResponse {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    @Override
    public String toString() {
        return "AdminTokenResponse[accessToken=***, subject=" + subject + ", roles=" + roles + ", expiresAt=" + expiresAt + "]";
    }
}
