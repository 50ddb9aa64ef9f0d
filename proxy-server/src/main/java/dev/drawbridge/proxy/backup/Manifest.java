package dev.drawbridge.proxy.backup;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * The first entry of a backup archive: what it holds and how it was made. Restore checks the archive against it, entry
 * by entry, before it writes anything.
 *
 * @param format        the archive layout's version ({@value #FORMAT})
 * @param created       when the backup was made
 * @param serverVersion the Drawbridge version that made it
 * @param database      whether the database is in the archive
 * @param consistency   how the database was copied
 * @param files         every file entry that follows, as paths relative to the data directory ({@code pki/server-ca.p12})
 */
public record Manifest(int format, Instant created, String serverVersion, Database database, Consistency consistency,
                       List<String> files) {
    public static final int FORMAT = 1;
    /** The embedded database's file, relative to the data directory. */
    public static final String H2_FILE = "db/drawbridge.mv.db";

    /** Where the server's database lives. */
    public enum Database {
        /** The embedded H2 database: in the archive, as {@link #H2_FILE}. */
        EMBEDDED,
        /** PostgreSQL: not in the archive (pg_dump backs it up). */
        EXTERNAL
    }

    /** How the database was copied. */
    public enum Consistency {
        /** By the running server (H2's BACKUP TO: transactionally consistent under concurrent writes). */
        ONLINE,
        /** From the data directory of a stopped server. */
        OFFLINE,
        /** No database in the archive. */
        KEYS_ONLY
    }

    public Manifest {
        Objects.requireNonNull(created, "created");
        Objects.requireNonNull(serverVersion, "serverVersion");
        Objects.requireNonNull(database, "database");
        Objects.requireNonNull(consistency, "consistency");
        files = List.copyOf(files);
        if ((database == Database.EMBEDDED) != files.contains(H2_FILE)) {
            throw new IllegalArgumentException("the embedded database's file is listed exactly when the database is embedded");
        }
        for (String f : files) {
            DataDirFiles.checkRelative(f);
        }
        if (files.stream().distinct().count() != files.size()) {
            throw new IllegalArgumentException("a file is listed twice");
        }
    }
}
