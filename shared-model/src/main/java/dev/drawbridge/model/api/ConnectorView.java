package dev.drawbridge.model.api;

import java.time.Instant;

/** A registered connector as the admin API shows it. */
public record ConnectorView(String id, String groupId, String groupName, String hostName, String version,
                            ConnectorStatus status, int tunnels, Instant registeredAt, Instant lastSeenAt,
                            Instant certificateNotAfter) {
}
