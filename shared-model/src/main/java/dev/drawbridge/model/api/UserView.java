package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.List;

/** A directory user as the admin API shows it (never the password hash). */
public record UserView(String id, String upn, String displayName, String email, String department, boolean enabled,
                       boolean hasPassword, boolean mfaEnrolled, Instant lockedUntil, List<String> groups, Instant createdAt) {
    public UserView {
        groups = List.copyOf(groups);
    }
}
