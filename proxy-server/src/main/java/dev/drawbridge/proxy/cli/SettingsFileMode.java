package dev.drawbridge.proxy.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/**
 * The warning {@code serve} logs at start when its settings file is readable by every local user: the file may hold the
 * database password (in {@code database-url}). The package installs {@code /etc/drawbridge/server.yaml} as
 * {@code root:drawbridge} 0640; a copy made by hand or an editor that rewrote it may have lost that.
 */
final class SettingsFileMode {
    private SettingsFileMode() {
    }

    /** The sentence to log when others may read {@code file}; empty when they may not, or where there are no POSIX modes. */
    static Optional<String> warning(Path file) {
        return readableByOthers(file).map(mode -> "the settings file " + file + " is readable by every local user (" + mode
                + ") and may hold the database password: make it readable by the server's user only, e.g. 'sudo chown root:drawbridge "
                + file + " && sudo chmod 640 " + file + "'");
    }

    /**
     * The sentence to log when others may read the cluster key file ({@code --cluster-key-file}): with it and a database
     * dump, every key of the cluster opens. Empty when they may not, or where there are no POSIX modes.
     */
    static Optional<String> clusterKeyWarning(Path file) {
        return readableByOthers(file).map(mode -> "the cluster key file " + file + " is readable by every local user (" + mode
                + "), and with it a database dump opens every key of the cluster: make it readable by the server's user only, e.g."
                + " 'sudo chown root:drawbridge " + file + " && sudo chmod 640 " + file + "'");
    }

    private static Optional<String> readableByOthers(Path file) {
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) == null) {
            return Optional.empty();
        }
        Set<PosixFilePermission> mode;
        try {
            mode = Files.getPosixFilePermissions(file);
        } catch (IOException e) {
            return Optional.empty(); // missing or unreadable: reading it says so
        }
        return mode.contains(PosixFilePermission.OTHERS_READ) ? Optional.of(PosixFilePermissions.toString(mode)) : Optional.empty();
    }
}
