package dev.drawbridge.model.api;

/**
 * What {@code PUT /apps/{id}/icon} stored (the audit log keeps the same): the image's type, size and SHA-256 (hex).
 *
 * @param contentType image/png or image/svg+xml
 */
public record AppIconView(String contentType, int bytes, String sha256) {
}
