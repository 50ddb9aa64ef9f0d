/**
 * Connector auto-update, the server's half (docs/updates.md): the update-signing key ({@link
 * dev.drawbridge.proxy.update.UpdateKey}), uploaded bundles and their signed manifests ({@link
 * dev.drawbridge.proxy.update.UpdateStore}, {@link dev.drawbridge.proxy.update.BundleUploads}), each connector group's
 * rollout, one connector at a time ({@link dev.drawbridge.proxy.update.Rollouts}), and the endpoints connectors call on the
 * tunnel port ({@link dev.drawbridge.proxy.update.UpdateEndpoints}).
 */
package dev.drawbridge.proxy.update;
