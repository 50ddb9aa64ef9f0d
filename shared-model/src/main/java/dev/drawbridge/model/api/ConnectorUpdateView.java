package dev.drawbridge.model.api;

import java.time.Instant;

/**
 * A connector update bundle hosted by the server ({@code GET /api/v1/connector-updates}), newest version first.
 *
 * @param version    the connector version it installs
 * @param sha256     lowercase hex SHA-256 of the bundle file (as its signed manifest says)
 * @param size       the bundle file's length in bytes
 * @param uploadedAt when an administrator uploaded it
 * @param uploadedBy who uploaded it (the admin's user name, or "bootstrap")
 */
public record ConnectorUpdateView(String version, String sha256, long size, Instant uploadedAt, String uploadedBy) {
}
