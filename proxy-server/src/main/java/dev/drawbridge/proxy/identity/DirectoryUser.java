package dev.drawbridge.proxy.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * A user of the built-in directory. {@code upn} is stored lower-case and is the sign-in name.
 *
 * @param onPremUpn      the on-premises user principal name, from directory sync only (AD {@code userPrincipalName}),
 *                       in the directory's spelling; empty for local and federated users
 * @param samAccountName the on-premises SAM account name, from directory sync only (AD {@code sAMAccountName});
 *                       empty for local and federated users
 */
public record DirectoryUser(String id, String upn, String displayName, Optional<String> email,
                            Optional<String> department, boolean enabled, boolean hasPassword, int failedAttempts,
                            Optional<Instant> lockedUntil, Instant sessionsValidAfter, Instant createdAt,
                            Optional<String> onPremUpn, Optional<String> samAccountName) {
    public DirectoryUser {
        Objects.requireNonNull(id);
        Objects.requireNonNull(upn);
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(email);
        Objects.requireNonNull(department);
        Objects.requireNonNull(lockedUntil);
        Objects.requireNonNull(sessionsValidAfter);
        Objects.requireNonNull(createdAt);
        Objects.requireNonNull(onPremUpn);
        Objects.requireNonNull(samAccountName);
    }

    /** A user without an on-premises identity (a local or federated user). */
    public DirectoryUser(String id, String upn, String displayName, Optional<String> email, Optional<String> department,
                         boolean enabled, boolean hasPassword, int failedAttempts, Optional<Instant> lockedUntil,
                         Instant sessionsValidAfter, Instant createdAt) {
        this(id, upn, displayName, email, department, enabled, hasPassword, failedAttempts, lockedUntil, sessionsValidAfter,
                createdAt, Optional.empty(), Optional.empty());
    }

    /** The same user with this on-premises identity. */
    public DirectoryUser withOnPrem(Optional<String> onPremUpn, Optional<String> samAccountName) {
        return new DirectoryUser(id, upn, displayName, email, department, enabled, hasPassword, failedAttempts, lockedUntil,
                sessionsValidAfter, createdAt, onPremUpn, samAccountName);
    }
}
