package dev.drawbridge.model.api;

import java.time.Instant;

/** One change made through the admin API: who, when, what, and the target before and after (JSON, null when absent). */
public record AuditLogEntry(long id, Instant at, String actor, String action, String targetType, String targetId,
                            String before, String after) {
}
