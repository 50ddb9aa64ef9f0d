package dev.drawbridge.model.api;

import dev.drawbridge.model.update.UpdateState;

import java.time.Instant;

/**
 * One connector of a group's rollout ({@link RolloutView#connectors()}).
 *
 * @param updateState      what it last reported (IDLE before it ever reported)
 * @param attemptedVersion the version its last failed or rolled-back update went to, else empty
 * @param lastError        why its last update failed, else empty
 * @param reportedAt       when it last reported (null: never)
 */
public record RolloutConnector(String id, String hostName, String version, ConnectorStatus status, UpdateState updateState,
                               String attemptedVersion, String lastError, Instant reportedAt) {
}
