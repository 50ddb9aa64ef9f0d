package dev.drawbridge.model.update;

import java.time.Instant;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What the server's update key signs for one bundle (the JWS payload, JSON with these fields): the connector installs a
 * bundle only when its bytes have exactly this size and SHA-256 and its descriptor names this product and version.
 *
 * @param product  always {@link UpdateBundle#PRODUCT}
 * @param version  the bundle's version
 * @param sha256   lowercase hex SHA-256 of the bundle file
 * @param size     the bundle file's length in bytes
 * @param issuedAt when the server signed it
 */
public record UpdateManifest(String product, String version, String sha256, long size, Instant issuedAt) {
    /** The JWS {@code typ} header of a manifest: a connector refuses any other signed object. */
    public static final String JWS_TYPE = "drawbridge-update-manifest+json";
    private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

    public UpdateManifest {
        if (!UpdateBundle.PRODUCT.equals(product)) {
            throw new IllegalArgumentException("product: '" + product + "' is not " + UpdateBundle.PRODUCT);
        }
        if (version == null || !UpdateVersions.valid(version)) {
            throw new IllegalArgumentException("version: '" + version + "' is not a version");
        }
        if (sha256 == null || !SHA256.matcher(sha256).matches()) {
            throw new IllegalArgumentException("sha256: not 64 lowercase hex digits");
        }
        if (size <= 0 || size > UpdateBundle.MAX_BUNDLE_SIZE) {
            throw new IllegalArgumentException("size: " + size + " is not between 1 and " + UpdateBundle.MAX_BUNDLE_SIZE);
        }
        Objects.requireNonNull(issuedAt, "issuedAt");
    }
}
