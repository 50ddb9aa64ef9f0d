package dev.drawbridge.model.update;

import java.util.Objects;

/**
 * The server's answer to an {@link UpdateReport}: update now (this connector's turn in its group) or not.
 *
 * @param action   what to do
 * @param version  the version to install when {@code action} is UPDATE (may be lower than the running one: a roll back),
 *                 else empty
 * @param manifest the signed manifest of that version (JWS compact serialization, ES256 by the server's update key;
 *                 payload: {@link UpdateManifest}) when UPDATE, else empty
 * @param reason   why not, when NONE (e.g. "up to date", "the group's rollout is paused", "waiting for connector X"),
 *                 for the connector's log
 */
public record UpdateInstruction(Action action, String version, String manifest, String reason) {
    /** What the connector is to do. */
    public enum Action {
        /** Nothing: poll again later. */
        NONE,
        /** Download {@code version} ({@code GET /connector/v1/update/bundle?version=}), verify, drain, restart into it. */
        UPDATE
    }

    public UpdateInstruction {
        Objects.requireNonNull(action, "action");
        version = version == null ? "" : version;
        manifest = manifest == null ? "" : manifest;
        reason = reason == null ? "" : reason;
        if (action == Action.UPDATE && (!UpdateVersions.valid(version) || manifest.isEmpty())) {
            throw new IllegalArgumentException("an UPDATE names a valid version and carries its signed manifest");
        }
    }

    /** Nothing to do, because {@code reason}. */
    public static UpdateInstruction none(String reason) {
        return new UpdateInstruction(Action.NONE, "", "", reason);
    }

    /** Install {@code version}, whose signed manifest is {@code manifest}. */
    public static UpdateInstruction update(String version, String manifest) {
        return new UpdateInstruction(Action.UPDATE, version, manifest, "");
    }
}
