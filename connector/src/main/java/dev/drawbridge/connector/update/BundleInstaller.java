package dev.drawbridge.connector.update;

import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateManifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;

/**
 * Installs one version into the version store, trusting nothing but the pinned key: the manifest is verified first
 * ({@link ManifestVerifier}), the bundle is downloaded with the manifest's size as a cap and must match its size and
 * SHA-256, its descriptor must name the same version and a Java feature version no newer than the running one, and it is
 * unpacked by {@link UpdateBundle#extract} (which refuses anything but the descriptor and flat {@code lib/*.jar}) into
 * {@code versions/<v>.partial}, renamed to {@code versions/<v>} once complete. Any failure leaves nothing behind.
 */
public final class BundleInstaller {
    private final UpdateFiles files;
    private final UpdateClient client;
    private final int javaFeature;

    /** @param javaFeature the running Java's feature version ({@code Runtime.version().feature()}) */
    public BundleInstaller(UpdateFiles files, UpdateClient client, int javaFeature) {
        this.files = files;
        this.client = client;
        this.javaFeature = javaFeature;
    }

    /** Verifies, downloads, checks and unpacks {@code version}; answers its manifest. */
    public UpdateManifest install(String version, String signedManifest, ManifestVerifier verifier) throws UpdateException {
        UpdateManifest m = verifier.verify(signedManifest, version);
        Path download;
        Path partial = files.partial(version);
        try {
            files.ensure();
            download = files.download(version);
        } catch (IOException e) {
            throw new UpdateException("cannot write to " + files.root() + " (" + ManifestVerifier.rootMessage(e) + ")", e);
        }
        try {
            String sha = client.download(version, m.size(), download);
            if (!MessageDigest.isEqual(sha.getBytes(), m.sha256().getBytes())) {
                throw new UpdateException("the bundle of version " + version + " does not have the SHA-256 its signed manifest says");
            }
            UpdateBundle.Descriptor d = UpdateBundle.inspect(download);
            if (!d.version().equals(version)) {
                throw new UpdateException("the bundle of version " + version + " names version " + d.version() + " in its descriptor");
            }
            if (d.javaFeature() > javaFeature) {
                throw new UpdateException("version " + version + " needs Java " + d.javaFeature() + ", and this connector's runtime is "
                        + "Java " + javaFeature + ": upgrade the connector's package");
            }
            UpdateFiles.deleteTree(partial);
            d = UpdateBundle.extract(download, partial);
            Files.writeString(partial.resolve(UpdateFiles.JARS), String.join("\n", d.jars()) + "\n");
            Path target = files.version(version);
            UpdateFiles.deleteTree(target);
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
            return m;
        } catch (UpdateBundle.InvalidBundleException e) {
            throw new UpdateException("the bundle of version " + version + " is not valid: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UpdateException("cannot unpack version " + version + " into " + files.versions() + " ("
                    + ManifestVerifier.rootMessage(e) + ")", e);
        } finally {
            try {
                Files.deleteIfExists(download);
                UpdateFiles.deleteTree(partial);
            } catch (IOException ignored) {
                // the supervisor prunes leftovers
            }
        }
    }
}
