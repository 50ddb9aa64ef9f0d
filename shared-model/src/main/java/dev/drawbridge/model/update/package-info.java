/**
 * Connector auto-update: what the server and the connector agree on (docs/updates.md). The server hosts update bundles
 * ({@link UpdateBundle}: the connector's jars and a descriptor), signs a {@link UpdateManifest} for each with its update
 * key, which connectors pin at registration, and tells each connector in its turn to update
 * ({@link UpdateInstruction}); connectors report where they are ({@link UpdateReport}).
 */
package dev.drawbridge.model.update;
