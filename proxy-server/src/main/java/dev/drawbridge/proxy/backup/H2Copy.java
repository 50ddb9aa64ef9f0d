package dev.drawbridge.proxy.backup;

import dev.drawbridge.proxy.store.SecretFiles;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A consistent copy of the embedded database, made by H2 itself: {@code BACKUP TO} writes a ZIP of the database file
 * while the database stays open for writing, and is transactionally consistent (H2 copies the append-only store up to a
 * committed state). The ZIP goes to a temporary file in the database folder (0700, never elsewhere), which the caller
 * streams and deletes.
 */
final class H2Copy {
    /** The database file's name in H2's ZIP. */
    static final String H2_ENTRY = "drawbridge.mv.db";
    private static final SecureRandom RANDOM = new SecureRandom();

    private H2Copy() {
    }

    /** Runs {@code BACKUP TO} on {@code connection} into a new file in {@code dbFolder}; returns it (0600). */
    static Path backup(Connection connection, Path dbFolder) throws SQLException, IOException {
        byte[] id = new byte[8];
        RANDOM.nextBytes(id);
        Path zip = dbFolder.toAbsolutePath().resolve("backup-" + HexFormat.of().formatHex(id) + ".zip.tmp");
        try (Statement s = connection.createStatement()) {
            s.execute("BACKUP TO '" + zip.toString().replace("'", "''") + "'");
        } catch (SQLException e) {
            Files.deleteIfExists(zip);
            throw e;
        }
        SecretFiles.restrict(zip);
        return zip;
    }

    /** Copies the database file out of H2's backup ZIP (a stream) into the archive, as {@link Manifest#H2_FILE}. */
    static void copy(InputStream h2Zip, ArchiveWriter archive, String source) throws IOException, BackupException {
        ZipInputStream zip = new ZipInputStream(h2Zip);
        boolean found = false;
        for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
            if (!e.getName().equals(H2_ENTRY) || found) {
                throw new BackupException(source + " sent a database copy with an unexpected entry (" + e.getName() + "): no backup"
                        + " was written.");
            }
            archive.file(Manifest.H2_FILE, zip);
            found = true;
        }
        if (!found) {
            throw new BackupException(source + " sent a database copy without the database file: no backup was written.");
        }
    }
}
