package dev.drawbridge.proxy.cli;

import dev.drawbridge.cliconfig.ConfigOption;
import dev.drawbridge.proxy.backup.Backup;
import dev.drawbridge.proxy.backup.BackupException;
import dev.drawbridge.proxy.backup.KdfParams;
import dev.drawbridge.proxy.backup.Manifest;
import dev.drawbridge.proxy.backup.Passphrase;
import dev.drawbridge.proxy.backup.Restore;
import dev.drawbridge.proxy.store.DamagedDatabaseException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * {@code drawbridge-server backup} and {@code restore} ({@link Backup}, {@link Restore}): their options, and each
 * failure as one sentence on stderr (exit 1; a bad command line, or a missing or damaged embedded database that a backup
 * will not open: 2). The passphrase never comes from the command line.
 */
final class BackupCommands {
    static final String WHAT_BACKUP = "the backup";
    static final String WHAT_RESTORE = "the restore";
    private BackupCommands() {
    }

    private static Path defaultDataDir() {
        return Path.of(Optional.ofNullable(System.getenv("DRAWBRIDGE_DATA")).orElse("drawbridge-data"));
    }

    @Command(name = "backup", description = {"Write a backup of the server's keys and embedded database, sealed with a passphrase,"
            + " while the server runs or not. With PostgreSQL (--database-url), the keys only: back the database up with pg_dump.",
            "The passphrase comes from --passphrase-file, else $" + Passphrase.ENV + ", else the terminal (asked twice)."})
    static final class BackupCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--out", required = true, paramLabel = "FILE", description = "The backup file to write (replaced atomically; mode 0600)")
        Path out;
        @Option(names = "--data-dir", description = "The server's data directory (default: ${DEFAULT-VALUE})")
        Path dataDir = defaultDataDir();
        @Option(names = "--database-url", description = "The server's jdbc:postgresql: URL, if it uses PostgreSQL: the keys only are backed up")
        String databaseUrl;
        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "A file whose first line is the passphrase (at least "
                + Passphrase.MIN_LENGTH + " characters)")
        Path passphraseFile;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            char[] passphrase = null;
            try {
                passphrase = Passphrase.forBackup(Optional.ofNullable(passphraseFile), System.getenv(), Passphrase.Terminal.system());
                Backup.Result r = Backup.run(new Backup.Request(dataDir, Optional.ofNullable(databaseUrl).filter(s -> !s.isBlank()),
                        this.out, KdfParams.DEFAULT, Clock.systemUTC()), passphrase);
                out.println("Backup written to " + r.out() + " (" + r.bytes() + " bytes): " + describe(r.manifest()) + ".");
                if (r.manifest().database() == Manifest.Database.EXTERNAL) {
                    out.println("The PostgreSQL database is not in it: back it up with pg_dump (docs/operations.md). Nodes given a"
                            + " cluster key keep their keys in the database: their backup is the dump and the cluster key (docs/scale-out.md).");
                }
                if (!r.leftOut().isEmpty()) {
                    out.println("Not in the backup (not key material): " + String.join(", ", r.leftOut()) + ".");
                }
                out.println("Keep the passphrase apart from the file: without it, the backup cannot be restored.");
                out.flush();
                return 0;
            } catch (DamagedDatabaseException e) {
                // As at the server's start: exit 2, the file untouched (it was never opened), nothing written.
                PrintWriter err = spec.commandLine().getErr();
                err.println("error: no backup was written: " + StartupFailures.damagedDatabase(e, dataDir, "--data-dir"));
                err.flush();
                return FrontDoor.USAGE;
            } catch (BackupException | RuntimeException | OutOfMemoryError e) {
                return fail(spec.commandLine().getErr(), WHAT_BACKUP, e);
            } finally {
                if (passphrase != null) {
                    Arrays.fill(passphrase, '\0');
                }
            }
        }
    }

    @Command(name = "restore", description = {"Restore a backup into a data directory while no server runs on it: into a new or empty"
            + " directory, or with --force after moving the existing one aside. The whole backup is verified before anything is written.",
            "The passphrase comes from --passphrase-file, else $" + Passphrase.ENV + ", else the terminal."})
    static final class RestoreCommand implements Callable<Integer> {
        @Spec
        CommandSpec spec;
        @Mixin
        ConfigOption config;
        @Option(names = "--from", required = true, paramLabel = "FILE", description = "The backup file")
        Path from;
        @Option(names = "--data-dir", description = "The data directory to restore into (default: ${DEFAULT-VALUE})")
        Path dataDir = defaultDataDir();
        @Option(names = "--force", description = "Move a non-empty data directory aside (to <dir>.before-restore-<time>, or, when its"
                + " parent is not writable, its contents to <dir>/.before-restore-<time>) and restore; only from the command line")
        boolean force;
        @Option(names = "--passphrase-file", paramLabel = "FILE", description = "A file whose first line is the passphrase")
        Path passphraseFile;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            char[] passphrase = null;
            try {
                passphrase = Passphrase.forRestore(Optional.ofNullable(passphraseFile), System.getenv(), Passphrase.Terminal.system());
                // Only a --force typed on the command line counts: never one from the environment or a settings file.
                boolean typedForce = force && spec.commandLine().getParseResult().hasMatchedOption("--force");
                Restore.Result r = Restore.run(from, dataDir, typedForce, passphrase, Clock.systemUTC());
                out.println("Restored " + describe(r.manifest()) + " into " + r.dataDir() + ".");
                r.movedAside().ifPresent(a -> out.println(r.contentsOnly() ? "The former contents of the data directory are now in " + a
                        + " (remove it once the restored server runs)." : "The former data directory is now " + a + "."));
                if (r.manifest().database() == Manifest.Database.EXTERNAL) {
                    out.println("The backup holds the keys only: restore the PostgreSQL database from its pg_dump (docs/operations.md).");
                }
                out.println("Start the server on it (e.g. sudo systemctl start drawbridge-server).");
                out.flush();
                return 0;
            } catch (BackupException | RuntimeException | OutOfMemoryError e) {
                return fail(spec.commandLine().getErr(), WHAT_RESTORE, e);
            } finally {
                if (passphrase != null) {
                    Arrays.fill(passphrase, '\0');
                }
            }
        }
    }

    private static String describe(Manifest m) {
        String keys = (m.files().size() - (m.database() == Manifest.Database.EMBEDDED ? 1 : 0)) + " key files";
        return switch (m.consistency()) {
            case ONLINE -> keys + " and the database (copied by the running server), made " + m.created();
            case OFFLINE -> keys + " and the database (server stopped), made " + m.created();
            case KEYS_ONLY -> keys + ", made " + m.created();
        };
    }

    /**
     * Says why {@code what} failed in one sentence on {@code err} (exit 1): a {@link BackupException}'s own; for anything
     * nobody foresaw (a bug, memory running out) a sentence saying so; the stack trace only with {@code DRAWBRIDGE_DEBUG}.
     */
    static int fail(PrintWriter err, String what, Throwable e) {
        String sentence = switch (e) {
            case BackupException b -> b.getMessage();
            case OutOfMemoryError m -> what + " ran out of memory: give Java more (its -Xmx option), and check that the file"
                    + " is one drawbridge-server backup wrote.";
            default -> what + " failed unexpectedly (" + (e.getMessage() == null ? "no detail" : StartupFailures.oneLine(e.getMessage())) + "); set"
                    + " DRAWBRIDGE_DEBUG=1 to see the stack trace.";
        };
        err.println("error: " + sentence);
        if (!(e instanceof BackupException) || e.getCause() != null) {
            FrontDoor.debug(e instanceof BackupException ? e.getCause() : e);
        }
        err.flush();
        return 1;
    }
}
