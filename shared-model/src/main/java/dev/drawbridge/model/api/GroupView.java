package dev.drawbridge.model.api;

import java.time.Instant;

/** A directory group; {@code membershipRule} is set for a dynamic group (members follow user attributes). */
public record GroupView(String id, String name, String description, String membershipRule, int members, Instant createdAt) {
}
