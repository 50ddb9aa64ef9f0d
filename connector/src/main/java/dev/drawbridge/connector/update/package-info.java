/**
 * The connector's side of auto-update (docs/updates.md): the {@link dev.drawbridge.connector.update.Supervisor} that
 * {@code run --auto-update} becomes (it runs the connector as a child process, starts a new version on trial and rolls
 * back one that does not come up healthy), the version store under {@code <state-dir>/updates}
 * ({@link dev.drawbridge.connector.update.UpdateFiles}), and in the connector itself the
 * {@link dev.drawbridge.connector.update.UpdatePoller} that reports to the server and, in its turn, installs a bundle
 * whose manifest the pinned update key signed ({@link dev.drawbridge.connector.update.ManifestVerifier},
 * {@link dev.drawbridge.connector.update.BundleInstaller}).
 */
package dev.drawbridge.connector.update;
