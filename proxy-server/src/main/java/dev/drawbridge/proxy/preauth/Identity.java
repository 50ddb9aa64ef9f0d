package dev.drawbridge.proxy.preauth;

import dev.drawbridge.proxy.identity.DirectoryUser;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Who a pre-authenticated request is from: forwarded to the internal app as a signed assertion. {@code authTime} is
 * the session's, which a revocation is compared with ({@link LiveSessions}).
 */
public record Identity(DirectoryUser user, List<String> groups, List<String> amr, Instant authTime) {
    public Identity {
        Objects.requireNonNull(user);
        Objects.requireNonNull(authTime);
        groups = List.copyOf(groups);
        amr = List.copyOf(amr);
    }
}
