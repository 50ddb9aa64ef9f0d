package dev.drawbridge.model.update;

/** Where a connector is in updating itself, as it reports it ({@link UpdateReport}) and the console shows it. */
public enum UpdateState {
    /** Running its version, nothing to do (or waiting for its turn). */
    IDLE,
    /** Downloading and verifying the bundle it was told to install. */
    DOWNLOADING,
    /** The bundle is verified and unpacked: no new requests come to it, those in flight finish. */
    DRAINING,
    /** Restarting into the new version, which has not reported healthy yet. */
    RESTARTING,
    /** The update did not start (download, signature, hash or unpacking failed): it still runs its old version. */
    FAILED,
    /** The new version did not come up healthy: it went back to the version it ran before. */
    ROLLED_BACK,
    /** Auto-update is off on this connector ({@code auto-update: false}); it is updated by its package. */
    DISABLED
}
