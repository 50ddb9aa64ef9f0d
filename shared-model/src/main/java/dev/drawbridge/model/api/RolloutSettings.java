package dev.drawbridge.model.api;

/**
 * Body of {@code PUT /api/v1/connector-groups/{id}/rollout}: the whole of what an administrator sets. Any PUT also
 * clears a halt (the administrator has seen it). Rolling back is pinning the version the group ran before.
 *
 * @param paused        no connector starts updating while true (one already updating finishes)
 * @param pinnedVersion the version the group's connectors run (an uploaded bundle's, lower or higher than theirs);
 *                      null or empty: the highest uploaded version
 */
public record RolloutSettings(boolean paused, String pinnedVersion) {
    public RolloutSettings {
        pinnedVersion = pinnedVersion == null || pinnedVersion.isBlank() ? "" : pinnedVersion.strip();
    }
}
