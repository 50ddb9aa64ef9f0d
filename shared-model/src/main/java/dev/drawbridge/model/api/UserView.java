package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.List;

/**
 * A directory user as the admin API shows it (never the password hash).
 *
 * @param onPremUpn      the on-premises user principal name, from directory sync (read-only; null for local and
 *                       federated users, and when the directory has none)
 * @param samAccountName the on-premises SAM account name, from directory sync (read-only; null as {@code onPremUpn})
 */
public record UserView(String id, String upn, String displayName, String email, String department, boolean enabled,
                       boolean hasPassword, boolean mfaEnrolled, Instant lockedUntil, List<String> groups, Instant createdAt,
                       String onPremUpn, String samAccountName) {
    public UserView {
        groups = List.copyOf(groups);
    }

    /** A user without an on-premises identity. */
    public UserView(String id, String upn, String displayName, String email, String department, boolean enabled,
                    boolean hasPassword, boolean mfaEnrolled, Instant lockedUntil, List<String> groups, Instant createdAt) {
        this(id, upn, displayName, email, department, enabled, hasPassword, mfaEnrolled, lockedUntil, groups, createdAt, null, null);
    }
}
