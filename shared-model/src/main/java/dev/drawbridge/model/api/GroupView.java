package dev.drawbridge.model.api;

import java.time.Instant;

/** A directory group. */
public record GroupView(String id, String name, String description, int members, Instant createdAt) {
}
