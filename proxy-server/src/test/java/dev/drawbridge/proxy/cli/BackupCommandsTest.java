package dev.drawbridge.proxy.cli;

import dev.drawbridge.cliconfig.OptionDefaults;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.pki.DataKey;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.DatabaseMarker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

import static dev.drawbridge.proxy.cli.ServerCliTest.assertOneSentence;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge-server backup} and {@code restore} on their command line: a wrong passphrase, a modified file, a
 * non-empty directory without {@code --force} (also when DRAWBRIDGE_FORCE is set), bad flags and unreadable or unwritable
 * files each give one sentence and a non-zero exit, and leave the data directory as it was; a PostgreSQL deployment's
 * backup holds the keys only and says to use pg_dump.
 */
@Timeout(120)
class BackupCommandsTest {
    @TempDir
    static Path shared;
    static Path data, archive, passphrase;

    @TempDir
    Path tmp;

    /** One server's data directory (stopped) and its offline backup. */
    @BeforeAll
    static void backup() throws Exception {
        data = shared.resolve("data");
        try (ProxyServer s = ProxyServer.start(ServerConfig.defaults(data).withPorts("127.0.0.1", 0, 0))) {
            assertThat(s.publicPort()).isPositive();
        }
        passphrase = Files.writeString(shared.resolve("pass"), "twelve chars or more\n");
        archive = shared.resolve("data.backup");
        ServerCliTest.Run r = run(Map.of(), "backup", "--data-dir", data.toString(), "--out", archive.toString(), "--passphrase-file",
                passphrase.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("server stopped").doesNotContain("twelve chars");
    }

    static ServerCliTest.Run run(Map<String, String> env, String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = ServerCli.commandLine(new OptionDefaults(ServerCli.ENV_PREFIX, env, Optional.empty()));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new ServerCliTest.Run(cl.execute(args), out.toString(), err.toString());
    }

    private ServerCliTest.Run restore(Path into, Path from, Path pass, String... more) {
        String[] base = {"restore", "--from", from.toString(), "--data-dir", into.toString(), "--passphrase-file", pass.toString()};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return run(Map.of(), all);
    }

    /** A crafted header asking 1 GiB of Argon2 memory: one sentence, before any key is derived, nothing restored. */
    @Test
    void aHeaderAskingTooMuchMemoryIsOneSentence() throws Exception {
        byte[] t = Files.readAllBytes(archive);
        // The header: "DRAWBRIDGE-BACKUP\n", format, key derivation, then Argon2's memory in KiB (int32).
        ByteBuffer.wrap(t).putInt("DRAWBRIDGE-BACKUP\n".length() + 2, 1024 * 1024);
        Path crafted = Files.write(tmp.resolve("crafted.backup"), t);
        Path into = tmp.resolve("into");
        assertOneSentence(restore(into, crafted, passphrase), 1, "header was modified or damaged", "outside 8 MiB to 256 MiB");
        assertThat(into).doesNotExist();
    }

    /**
     * What nobody foresaw (a bug's RuntimeException, memory running out) is one sentence too, never a stack trace (that
     * takes DRAWBRIDGE_DEBUG).
     */
    @Test
    void anUnexpectedFailureOrRunningOutOfMemoryIsOneSentence() {
        for (Throwable t : List.of(new OutOfMemoryError("Java heap space"), new IllegalStateException("the streaming AEAD cannot\n be set up"),
                new NullPointerException())) {
            StringWriter err = new StringWriter();
            int exit = BackupCommands.fail(new PrintWriter(err, true), BackupCommands.WHAT_RESTORE, t);
            ServerCliTest.Run r = new ServerCliTest.Run(exit, "", err.toString());
            assertOneSentence(r, 1, "the restore");
            assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Error").doesNotContain("Exception");
        }
        StringWriter err = new StringWriter();
        BackupCommands.fail(new PrintWriter(err, true), BackupCommands.WHAT_BACKUP, new OutOfMemoryError("Java heap space"));
        assertThat(err.toString()).contains("the backup ran out of memory");
    }

    @Test
    void aWrongPassphraseRestoresNothing() throws Exception {
        Path wrong = Files.writeString(tmp.resolve("wrong"), "not the passphrase at all\n");
        Path into = tmp.resolve("into");
        assertOneSentence(restore(into, archive, wrong), 1, "the passphrase does not open " + archive);
        assertThat(into).doesNotExist();
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        Files.writeString(existing.resolve("keep"), "x");
        assertOneSentence(restore(existing, archive, wrong, "--force"), 1, "the passphrase does not open");
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("wrong", "existing");
        }
        assertThat(Files.readString(existing.resolve("keep"))).isEqualTo("x");
    }

    @Test
    void aModifiedOrCutFileRestoresNothing() throws Exception {
        byte[] bytes = Files.readAllBytes(archive);
        for (int at : new int[]{200, bytes.length / 2, bytes.length - 3}) {
            byte[] t = bytes.clone();
            t[at] ^= 0x10;
            Path modified = Files.write(tmp.resolve("modified.backup"), t);
            assertOneSentence(restore(tmp.resolve("into"), modified, passphrase), 1, "is damaged or was modified", "nothing was restored");
            assertThat(tmp.resolve("into")).doesNotExist();
        }
        Path cut = Files.write(tmp.resolve("cut.backup"), Arrays.copyOf(bytes, bytes.length - 100));
        assertOneSentence(restore(tmp.resolve("into"), cut, passphrase), 1, "is damaged or was modified");
        assertThat(tmp.resolve("into")).doesNotExist();
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no staging folder left").noneMatch(n -> n.contains("restoring"));
        }
    }

    @Test
    void aNonEmptyDirectoryNeedsATypedForce() throws Exception {
        Path existing = Files.createDirectories(tmp.resolve("existing"));
        Files.writeString(existing.resolve("keep"), "x");
        assertOneSentence(restore(existing, archive, passphrase), 1, "is not empty", "--force");
        ServerCliTest.Run fromEnv = run(Map.of("DRAWBRIDGE_FORCE", "true"), "restore", "--from", archive.toString(), "--data-dir",
                existing.toString(), "--passphrase-file", passphrase.toString());
        assertOneSentence(fromEnv, 1, "is not empty");
        assertThat(Files.readString(existing.resolve("keep"))).isEqualTo("x");

        ServerCliTest.Run forced = restore(existing, archive, passphrase, "--force");
        assertThat(forced.exit()).as(forced.err()).isZero();
        assertThat(existing.resolve("db/drawbridge.mv.db")).exists();
        assertThat(existing.resolve("keep")).doesNotExist();
        assertThat(forced.out()).contains("The former data directory is now " + existing + ".before-restore-");
        assertThat(Files.getPosixFilePermissions(existing.resolve("secrets/data-key"))).extracting(Enum::name)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
        assertThat(Files.getPosixFilePermissions(existing)).extracting(Enum::name)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
    }

    /**
     * A stopped server's data directory whose database file is empty or cut to 8 KiB (which H2, opened as the backup opens
     * it, would replace by a new database): the server's own check at start refuses it before it is opened; one sentence
     * naming the file, exit 2, the file as it was, no backup written.
     */
    @ParameterizedTest
    @ValueSource(ints = {0, 8 * 1024})
    void anOfflineBackupNeverOpensADamagedDatabase(int size) throws Exception {
        Path copy = tmp.resolve("damaged");
        copyTree(data, copy);
        Path file = copy.resolve(DatabaseMarker.DATABASE_FILE);
        byte[] damaged = Arrays.copyOf(Files.readAllBytes(file), size);
        Files.write(file, damaged);
        Path out = tmp.resolve("damaged.backup");

        ServerCliTest.Run r = run(Map.of(), "backup", "--data-dir", copy.toString(), "--out", out.toString(), "--passphrase-file",
                passphrase.toString());

        assertOneSentence(r, 2, "no backup was written", file.toString(), size + " bytes", "is damaged", "drawbridge-server restore");
        assertThat(Files.readAllBytes(file)).as("the damaged file is left as it was").isEqualTo(damaged);
        assertThat(copy.resolve("db/drawbridge.lock.db")).as("never opened").doesNotExist();
        assertThat(out).doesNotExist();
    }

    @Test
    void anOfflineBackupOfAnInitialisedDirectoryWithoutItsDatabaseNamesTheFile() throws Exception {
        Path copy = tmp.resolve("missing");
        copyTree(data, copy);
        Files.delete(copy.resolve(DatabaseMarker.DATABASE_FILE));
        Path out = tmp.resolve("missing.backup");

        ServerCliTest.Run r = run(Map.of(), "backup", "--data-dir", copy.toString(), "--out", out.toString(), "--passphrase-file",
                passphrase.toString());

        assertOneSentence(r, 2, "no backup was written", copy.resolve(DatabaseMarker.DATABASE_FILE).toString(), "is missing");
        assertThat(copy.resolve(DatabaseMarker.DATABASE_FILE)).doesNotExist();
        assertThat(out).doesNotExist();
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    @Test
    void aPostgresDeploymentsBackupHoldsTheKeysOnly() throws Exception {
        Path pg = tmp.resolve("pg");
        ServerKeys.loadOrCreate(pg, Clock.systemUTC());
        DataKey.loadOrCreate(pg);
        Path out = tmp.resolve("pg.backup");
        ServerCliTest.Run b = run(Map.of("DRAWBRIDGE_DATABASE_URL", "jdbc:postgresql://db.example/drawbridge"), "backup", "--data-dir",
                pg.toString(), "--out", out.toString(), "--passphrase-file", passphrase.toString());
        assertThat(b.exit()).as(b.err()).isZero();
        assertThat(b.out()).contains("pg_dump");
        ServerCliTest.Run r = restore(tmp.resolve("pg-restored"), out, passphrase);
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).contains("keys only").contains("pg_dump");
        assertThat(tmp.resolve("pg-restored/secrets/data-key")).hasSameBinaryContentAs(pg.resolve("secrets/data-key"));
        assertThat(tmp.resolve("pg-restored/db")).doesNotExist();
    }

    @Test
    void badFlagsAndFilesAreOneSentence() throws Exception {
        assertOneSentence(run(Map.of(), "backup", "--data-dir", data.toString()), 2, "--out");
        assertOneSentence(run(Map.of(), "backup", "--out", "x", "--passphrase", "secret"), 2, "--passphrase");
        assertOneSentence(run(Map.of(), "restore", "--data-dir", data.toString()), 2, "--from");
        Path missing = tmp.resolve("missing");
        assertOneSentence(run(Map.of(), "backup", "--data-dir", data.toString(), "--out", tmp.resolve("b").toString(),
                "--passphrase-file", missing.toString()), 1, "cannot read the passphrase file " + missing);
        Path shortOne = Files.writeString(tmp.resolve("short"), "short\n");
        assertOneSentence(run(Map.of(), "backup", "--data-dir", data.toString(), "--out", tmp.resolve("b").toString(),
                "--passphrase-file", shortOne.toString()), 1, "at least 12");
        assertOneSentence(run(Map.of(), "backup", "--data-dir", data.toString(), "--out", tmp.resolve("no/such/dir/b").toString(),
                "--passphrase-file", passphrase.toString()), 1, "cannot write the backup to " + tmp.resolve("no/such/dir/b"));
        assertOneSentence(run(Map.of(), "backup", "--data-dir", tmp.toString(), "--out", tmp.resolve("b").toString(),
                "--passphrase-file", passphrase.toString()), 1, "is not the data directory of a Drawbridge server");
        assertOneSentence(run(Map.of(), "backup", "--data-dir", data.toString(), "--out", tmp.toString(),
                "--passphrase-file", passphrase.toString()), 1, "is a directory");
        assertOneSentence(restore(tmp.resolve("x"), tmp.resolve("none.backup"), passphrase), 1, "there is no backup file");
        assertOneSentence(restore(tmp.resolve("x"), passphrase, passphrase), 1, "is not a Drawbridge backup");
        try (var s = Files.list(tmp)) {
            assertThat(s.map(p -> p.getFileName().toString())).as("no backup, temporary file or restore left behind")
                    .containsExactlyInAnyOrder("short");
        }
    }

    @Test
    void helpNamesBothCommandsAndNoPassphraseOption() {
        ServerCliTest.Run top = run(Map.of(), "--help");
        assertThat(top.out()).contains("backup").contains("restore");
        ServerCliTest.Run backup = run(Map.of(), "backup", "--help");
        assertThat(backup.out()).contains("--out", "--passphrase-file", "DRAWBRIDGE_BACKUP_PASSPHRASE").doesNotContain("--passphrase ");
        assertThat(run(Map.of(), "restore", "--help").out()).contains("--from", "--force", "--data-dir");
    }
}
