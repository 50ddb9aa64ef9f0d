package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.ConnectorUpdateView;

import java.nio.file.Path;
import java.util.List;

/**
 * {@code /connector-updates}: the signed connector update bundles the server hosts (docs/updates.md). Reading needs
 * CONNECTORS_READ; uploading and deleting CONNECTOR_UPDATES_WRITE (global administrators only).
 */
public interface ConnectorUpdates {
    /** The uploaded bundles, highest version first. */
    @Operation(method = "GET", path = "connector-updates")
    List<ConnectorUpdateView> list() throws AdminClientException;

    /**
     * Uploads a bundle, streamed from its file; the server checks it, signs its manifest and answers what it stored. A
     * 400 problem says why a file is no bundle, a 409 that its version is uploaded already, a 413 that it is too large.
     */
    @Operation(method = "POST", path = "connector-updates")
    ConnectorUpdateView upload(BundleFile bundle) throws AdminClientException;

    /** Uploads the bundle file {@code bundle} ({@link BundleFile#of}: an {@link IllegalArgumentException} if it cannot be one). */
    default ConnectorUpdateView upload(Path bundle) throws AdminClientException {
        return upload(BundleFile.of(bundle));
    }

    /** Deletes the bundle of {@code version}; a 409 problem while a group pins it or a connector is updating to it. */
    @Operation(method = "DELETE", path = "connector-updates/{version}")
    void delete(String version) throws AdminClientException;
}
