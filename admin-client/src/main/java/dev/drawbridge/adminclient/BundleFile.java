package dev.drawbridge.adminclient;

import dev.drawbridge.model.update.UpdateBundle;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;

/**
 * A connector update bundle file as it goes to the server ({@code application/zip}): streamed from disk as the request
 * body, never read into memory (a bundle may be up to {@link UpdateBundle#MAX_BUNDLE_SIZE} bytes). {@link #of} checks
 * what the client can before anything is sent: a regular file (a device or a pipe could be endless), not empty, not
 * larger than the server accepts. The server checks the contents ({@code UpdateBundle.inspect}).
 *
 * @param path the bundle file
 * @param size its length when it was chosen (the upload's deadline grows with it)
 */
public record BundleFile(Path path, long size) implements RawContent {
    public BundleFile {
        Objects.requireNonNull(path, "path");
        if (size < 0) {
            throw new IllegalArgumentException("size must not be negative");
        }
    }

    /** {@code file}, checked; an {@link IllegalArgumentException} with a sentence naming it when it cannot be a bundle. */
    public static BundleFile of(Path file) {
        String name = String.valueOf(file.getFileName());
        BasicFileAttributes a;
        try {
            a = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read " + name + ": no such file.");
        }
        if (!a.isRegularFile()) {
            throw new IllegalArgumentException(name + " is not a file: choose a connector update bundle (.zip).");
        }
        if (a.size() == 0) {
            throw new IllegalArgumentException(name + " is empty: choose a connector update bundle (.zip).");
        }
        if (a.size() > UpdateBundle.MAX_BUNDLE_SIZE) {
            throw new IllegalArgumentException(name + " is larger than " + (UpdateBundle.MAX_BUNDLE_SIZE >> 20)
                    + " MiB: an update bundle is at most that.");
        }
        if (!Files.isReadable(file)) {
            throw new IllegalArgumentException("Cannot read " + name + ": permission denied.");
        }
        return new BundleFile(file, a.size());
    }

    @Override
    public String contentType() {
        return "application/zip";
    }
}
