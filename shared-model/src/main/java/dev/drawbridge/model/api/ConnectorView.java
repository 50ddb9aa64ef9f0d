package dev.drawbridge.model.api;

import dev.drawbridge.model.update.UpdateState;

import java.time.Instant;

/**
 * A registered connector as the admin API shows it.
 *
 * @param updateState what it last reported about updating itself (IDLE before it ever reported)
 * @param updateError why its last update failed or was rolled back, else empty
 */
public record ConnectorView(String id, String groupId, String groupName, String hostName, String version,
                            ConnectorStatus status, int tunnels, Instant registeredAt, Instant lastSeenAt,
                            Instant certificateNotAfter, UpdateState updateState, String updateError) {
}
