package dev.drawbridge.proxy.store;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;

/**
 * The embedded database of a data directory that has held one ({@link DatabaseMarker}) is missing or holds no data: the
 * server refuses to start rather than start an empty database in its place, which would silently drop every app, user and
 * connector. {@code StartupFailures} turns it into one sentence naming the file and the restore command.
 */
public final class DamagedDatabaseException extends RuntimeException {
    /** What is wrong with the file. */
    public enum Problem {
        /** There is no database file. */
        MISSING,
        /**
         * The file is too short to hold any data (H2 would start a new database over it), or cut inside a block (H2 might
         * open an older version of it): it was not opened.
         */
        TRUNCATED,
        /** H2 opened the file as a new, empty database: it has no migration history. */
        EMPTY
    }

    private final transient Path file;
    private final Problem problem;
    private final long size;

    public DamagedDatabaseException(Path file, Problem problem, long size) {
        super("the embedded database " + file + " is " + problem.name().toLowerCase(Locale.ROOT) + " (" + size + " bytes)");
        this.file = Objects.requireNonNull(file);
        this.problem = Objects.requireNonNull(problem);
        this.size = size;
    }

    public Path file() {
        return file;
    }

    public Problem problem() {
        return problem;
    }

    /** The file's size in bytes when it was checked (0 when missing). */
    public long size() {
        return size;
    }
}
