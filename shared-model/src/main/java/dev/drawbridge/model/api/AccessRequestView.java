package dev.drawbridge.model.api;

import java.time.Instant;

/** A user's request for access to an app: PENDING, then APPROVED (the user is assigned) or DENIED. */
public record AccessRequestView(String id, String appId, String appName, String userId, String upn, String reason,
                                AccessRequestStatus status, Instant createdAt, Instant decidedAt, String decidedBy) {
}
