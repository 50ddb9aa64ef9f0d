package dev.drawbridge.proxy.update;

import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateManifest;
import dev.drawbridge.proxy.store.ConflictException;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Optional;

/**
 * An administrator's upload of an update bundle: the body is streamed to a temporary file (at most
 * {@link UpdateBundle#MAX_BUNDLE_SIZE} bytes, hashed on the way), checked whole ({@link UpdateBundle#inspect}), its
 * manifest signed with the {@link UpdateKey}, and everything stored ({@link UpdateStore}); the file is deleted whatever
 * happens.
 */
public final class BundleUploads {
    public static final String CONTENT_TYPE = "application/zip";

    /** Why an upload is refused: an HTTP status (400, 409, 413, 415), a title, and one sentence. */
    public static final class Refused extends Exception {
        private final int status;
        private final String title;

        Refused(int status, String title, String detail) {
            super(detail);
            this.status = status;
            this.title = title;
        }

        public int status() {
            return status;
        }

        public String title() {
            return title;
        }
    }

    private final UpdateStore store;
    private final UpdateKey key;
    private final Clock clock;
    private final long maxSize;
    private final Optional<Path> tempDir;

    /** Receiving bundles into the system's temporary directory. */
    public BundleUploads(UpdateStore store, UpdateKey key, Clock clock) {
        this(store, key, clock, UpdateBundle.MAX_BUNDLE_SIZE, Optional.empty());
    }

    /** With a smaller size limit than a bundle's (tests of the streamed limit) and a directory of its own for the bodies received. */
    BundleUploads(UpdateStore store, UpdateKey key, Clock clock, long maxSize, Optional<Path> tempDir) {
        this.store = store;
        this.key = key;
        this.clock = clock;
        this.maxSize = Math.min(maxSize, UpdateBundle.MAX_BUNDLE_SIZE);
        this.tempDir = tempDir;
    }

    /**
     * Receives a bundle.
     *
     * @param contentType   the request's Content-Type (must be {@value #CONTENT_TYPE})
     * @param contentLength the declared length, if any (refused at once beyond the limit)
     * @param body          the request body
     * @param uploadedBy    who uploads it
     */
    public ConnectorUpdateView upload(String contentType, Optional<Long> contentLength, InputStream body, String uploadedBy)
            throws Refused, ConflictException, IOException {
        String mime = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!mime.equals(CONTENT_TYPE)) {
            throw new Refused(415, "Unsupported media type", "send the bundle as the body with Content-Type: " + CONTENT_TYPE);
        }
        if (contentLength.isPresent() && contentLength.get() > maxSize) {
            throw tooLarge();
        }
        Path file = tempDir.isPresent() ? Files.createTempFile(tempDir.get(), "drawbridge-update-", ".zip")
                : Files.createTempFile("drawbridge-update-", ".zip");
        try {
            MessageDigest sha256 = sha256();
            long size = 0;
            try (OutputStream out = new DigestOutputStream(Files.newOutputStream(file), sha256)) {
                byte[] buf = new byte[64 * 1024];
                int n;
                while ((n = body.read(buf)) > 0) {
                    size += n;
                    if (size > maxSize) {
                        throw tooLarge();
                    }
                    out.write(buf, 0, n);
                }
            }
            if (size == 0) {
                throw new Refused(400, "Invalid update bundle", "the body is empty; send the bundle's zip file");
            }
            UpdateBundle.Descriptor d;
            try {
                d = UpdateBundle.inspect(file);
            } catch (UpdateBundle.InvalidBundleException e) {
                throw new Refused(400, "Invalid update bundle", e.getMessage());
            }
            if (store.exists(d.version())) {
                throw UpdateStore.versionExists(d.version());
            }
            Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
            String hash = HexFormat.of().formatHex(sha256.digest());
            String manifest = key.sign(new UpdateManifest(UpdateBundle.PRODUCT, d.version(), hash, size, now));
            ConnectorUpdateView view = new ConnectorUpdateView(d.version(), hash, size, now, uploadedBy);
            store.insert(new UpdateStore.Bundle(view, manifest), file);
            return view;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private Refused tooLarge() {
        return new Refused(413, "Bundle too large", "an update bundle is at most " + (maxSize >> 20) + " MiB");
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
