package dev.drawbridge.proxy.identity;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/** A user of the built-in directory. {@code upn} is stored lower-case and is the sign-in name. */
public record DirectoryUser(String id, String upn, String displayName, Optional<String> email,
                            Optional<String> department, boolean enabled, boolean hasPassword, int failedAttempts,
                            Optional<Instant> lockedUntil, Instant sessionsValidAfter, Instant createdAt) {
    public DirectoryUser {
        Objects.requireNonNull(id);
        Objects.requireNonNull(upn);
        Objects.requireNonNull(displayName);
        Objects.requireNonNull(email);
        Objects.requireNonNull(department);
        Objects.requireNonNull(lockedUntil);
        Objects.requireNonNull(sessionsValidAfter);
        Objects.requireNonNull(createdAt);
    }
}
