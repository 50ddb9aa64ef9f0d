package dev.drawbridge.model.update;

import java.util.Objects;

/**
 * Body of {@code POST /connector/v1/update} on the tunnel port (authenticated by the connector's client certificate): where
 * the connector is; the answer is an {@link UpdateInstruction}.
 *
 * @param version          the version it runs
 * @param state            where it is in updating
 * @param attemptedVersion the version it was updating to when {@code state} is FAILED or ROLLED_BACK (else empty)
 * @param lastError        why the last update failed or was rolled back, one sentence (else empty)
 */
public record UpdateReport(String version, UpdateState state, String attemptedVersion, String lastError) {
    /** Longest accepted error text: longer ones are cut by the sender. */
    public static final int MAX_ERROR = 500;

    public UpdateReport {
        Objects.requireNonNull(state, "state");
        if (version == null || !UpdateVersions.valid(version)) {
            throw new IllegalArgumentException("version: '" + version + "' is not a version such as 1.4.0 or 1.4.0-rc.1");
        }
        attemptedVersion = attemptedVersion == null ? "" : attemptedVersion;
        if (!attemptedVersion.isEmpty() && !UpdateVersions.valid(attemptedVersion)) {
            throw new IllegalArgumentException("attemptedVersion: '" + attemptedVersion + "' is not a version");
        }
        lastError = lastError == null ? "" : lastError;
        if (lastError.length() > MAX_ERROR) {
            throw new IllegalArgumentException("lastError: longer than " + MAX_ERROR + " characters");
        }
    }

    /** {@code text} cut to {@link #MAX_ERROR} characters, for a sender. */
    public static String cut(String text) {
        return text == null || text.length() <= MAX_ERROR ? text : text.substring(0, MAX_ERROR - 1) + "…";
    }
}
