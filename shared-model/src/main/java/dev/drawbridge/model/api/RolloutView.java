package dev.drawbridge.model.api;

import java.time.Instant;
import java.util.List;

/**
 * A connector group's update rollout ({@code GET /api/v1/connector-groups/{id}/rollout}): which version its connectors
 * should run, how far they are, and what an administrator set.
 *
 * @param targetVersion       the version its connectors are updated to: the pinned one, else the highest uploaded (empty:
 *                            none uploaded)
 * @param pinnedVersion       the version an administrator pinned, else empty
 * @param haltedReason        why the rollout halted (state HALTED), else empty
 * @param haltedAt            when it halted, else null
 * @param updatingConnectorId the connector updating now (one per group at a time), else empty
 * @param updatingSince       since when, else null
 * @param connectors          the group's connectors, with their versions and update states
 */
public record RolloutView(String groupId, String groupName, RolloutState state, String targetVersion, String pinnedVersion,
                          boolean paused, String haltedReason, Instant haltedAt, String updatingConnectorId, Instant updatingSince,
                          List<RolloutConnector> connectors) {
    public RolloutView {
        connectors = List.copyOf(connectors);
    }
}
