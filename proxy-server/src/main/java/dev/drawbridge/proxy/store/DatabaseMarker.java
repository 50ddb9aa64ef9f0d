package dev.drawbridge.proxy.store;

import org.jooq.SQLDialect;
import org.jooq.impl.DSL;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.sql.DataSource;

import static org.jooq.impl.DSL.field;
import static org.jooq.impl.DSL.name;
import static org.jooq.impl.DSL.table;

/**
 * Whether a data directory has held an embedded database, so that a missing or damaged one is refused instead of replaced
 * by a new, empty database (H2 creates one over a missing, empty or header-only file without a word).
 * <p>
 * The mark is {@value #FILE}, written once the database's first migration succeeded (and by the first start of this version
 * on an older data directory whose database opened with its history). It sits with the key material, not in {@code db/}:
 * backups hold it and restores bring it back, and removing {@code db/} does not remove it. A data directory of an older
 * version without the mark counts as initialised when it has a {@code db/} folder and the data key (written after the
 * database was first migrated). A fresh data directory has neither, so a first start, and a first start that failed
 * before the database was migrated, start as before; a PostgreSQL server never checks any of it.
 */
public final class DatabaseMarker {
    /** The mark, relative to the data directory. */
    public static final String FILE = "secrets/database-initialised";
    /** The embedded database's file, relative to the data directory. */
    public static final String DATABASE_FILE = "db/drawbridge.mv.db";
    /** H2's block: its file is two header blocks and chunks of whole blocks, so its length is a multiple of this. */
    public static final long BLOCK = 4096;
    /** Two header blocks and a chunk of at least one block: a file of fewer bytes holds no data. */
    public static final long SMALLEST_DATABASE = 3 * BLOCK;
    private static final String TEXT = """
            The embedded database of this data directory (db/drawbridge.mv.db) has been created and migrated.
            While this file exists, the server refuses to start when that database is missing or damaged instead of starting
            an empty one: restore a backup ('drawbridge-server restore'), or start a new server in another data directory.
            """;

    private DatabaseMarker() {
    }

    /** Whether {@code dataDir} has held an embedded database (its mark, or an older version's db/ folder and data key). */
    public static boolean initialised(Path dataDir) {
        return Files.exists(dataDir.resolve(FILE))
                || Files.isDirectory(dataDir.resolve("db")) && Files.exists(dataDir.resolve("secrets").resolve("data-key"));
    }

    /**
     * Before opening: in an initialised data directory, the database file must exist, be long enough to hold data, and be
     * whole blocks long (a file cut inside a block, as a copy cut short leaves it, may open as an older version of the
     * database: H2 falls back to the newest chunk it can read).
     *
     * @throws DamagedDatabaseException when it does not (the file is left as it is)
     */
    public static void checkBeforeOpening(Path dataDir) {
        if (!initialised(dataDir)) {
            return;
        }
        Path file = dataDir.resolve(DATABASE_FILE);
        if (!Files.isRegularFile(file)) {
            throw new DamagedDatabaseException(file, DamagedDatabaseException.Problem.MISSING, 0);
        }
        long size;
        try {
            size = Files.size(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (size < SMALLEST_DATABASE || size % BLOCK != 0) {
            throw new DamagedDatabaseException(file, DamagedDatabaseException.Problem.TRUNCATED, size);
        }
    }

    /**
     * After opening, before migrating: in an initialised data directory, the database must have its migration history (when
     * it has none, H2 read the file as a new database).
     *
     * @throws DamagedDatabaseException when it has none
     */
    static void checkAfterOpening(Path dataDir, DataSource dataSource) {
        if (!initialised(dataDir)) {
            return;
        }
        boolean history = DSL.using(dataSource, SQLDialect.H2).fetchExists(DSL.selectOne()
                .from(table(name("information_schema", "tables")))
                .where(field(name("table_name")).eq("flyway_schema_history")));
        if (!history) {
            Path file = dataDir.resolve(DATABASE_FILE);
            throw new DamagedDatabaseException(file, DamagedDatabaseException.Problem.EMPTY, size(file));
        }
    }

    /** Marks {@code dataDir} as holding a migrated embedded database (once). */
    static void mark(Path dataDir) {
        Path marker = dataDir.resolve(FILE);
        if (Files.exists(marker)) {
            return;
        }
        try {
            SecretFiles.directory(marker.getParent());
            SecretFiles.write(marker, TEXT);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static long size(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return 0;
        }
    }
}
