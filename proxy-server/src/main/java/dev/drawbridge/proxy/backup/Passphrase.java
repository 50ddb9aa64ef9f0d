package dev.drawbridge.proxy.backup;

import java.io.Console;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

/**
 * Where a backup's passphrase comes from, never the command line (other users see process arguments): the file of
 * {@code --passphrase-file} (its first line), else the environment variable {@value #ENV}, else the terminal (asked
 * twice when making a backup). A backup's passphrase has at least {@value #MIN_LENGTH} characters.
 */
public final class Passphrase {
    public static final String ENV = "DRAWBRIDGE_BACKUP_PASSPHRASE";
    public static final int MIN_LENGTH = 12;

    /** The terminal, when there is one (tests give their own). */
    public interface Terminal {
        /** Reads a line without echo; empty when there is no terminal. */
        Optional<char[]> readSecret(String prompt);

        /** The process's terminal, if its standard streams are one. */
        static Terminal system() {
            return prompt -> {
                Console c = System.console();
                return c == null || !c.isTerminal() ? Optional.empty() : Optional.ofNullable(c.readPassword("%s", prompt));
            };
        }
    }

    private Passphrase() {
    }

    /** A new backup's passphrase. */
    public static char[] forBackup(Optional<Path> file, Map<String, String> env, Terminal terminal) throws BackupException {
        char[] p = given(file, env).orElse(null);
        if (p == null) {
            char[] first = terminal.readSecret("Passphrase for the backup (at least " + MIN_LENGTH + " characters): ")
                    .orElseThrow(Passphrase::none);
            char[] again = terminal.readSecret("The same passphrase again: ").orElseThrow(Passphrase::none);
            boolean same = Arrays.equals(first, again);
            Arrays.fill(again, '\0');
            if (!same) {
                throw new BackupException("the two passphrases differ: no backup was written; run the command again.");
            }
            p = first;
        }
        if (p.length < MIN_LENGTH) {
            throw new BackupException("the passphrase has " + p.length + " characters; a backup's needs at least " + MIN_LENGTH
                    + " (the backup holds every key of the server).");
        }
        return p;
    }

    /** The passphrase of a backup to restore. */
    public static char[] forRestore(Optional<Path> file, Map<String, String> env, Terminal terminal) throws BackupException {
        Optional<char[]> p = given(file, env);
        if (p.isPresent()) {
            return p.get();
        }
        return terminal.readSecret("Passphrase of the backup: ").orElseThrow(Passphrase::none);
    }

    private static Optional<char[]> given(Optional<Path> file, Map<String, String> env) throws BackupException {
        if (file.isPresent()) {
            String content;
            try {
                content = Files.readString(file.get(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new BackupException("cannot read the passphrase file " + file.get() + " (" + Failures.reason(e) + ").", e);
            }
            String line = content.lines().findFirst().orElse("");
            if (line.isEmpty()) {
                throw new BackupException("the passphrase file " + file.get() + " is empty: put the passphrase on its first line.");
            }
            return Optional.of(line.toCharArray());
        }
        String fromEnv = env.get(ENV);
        if (fromEnv != null && !fromEnv.isEmpty()) {
            return Optional.of(fromEnv.toCharArray());
        }
        return Optional.empty();
    }

    private static BackupException none() {
        return new BackupException("no passphrase: give --passphrase-file FILE or set " + ENV + " (there is no terminal to ask on).");
    }
}
