package dev.drawbridge.proxy.cli;

import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.pki.ServerKeys;
import dev.drawbridge.proxy.store.DatabaseMarker;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;

import static dev.drawbridge.proxy.cli.ServerCliTest.assertOneSentence;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * A data directory whose embedded database was lost or damaged never starts as a new, empty server (which would silently drop
 * every app, user and connector): {@code drawbridge-server serve} stops with one sentence naming the file and the restore
 * command, exit 2 (the service's {@code RestartPreventExitStatus}), for every way a file is found damaged: empty, cut short
 * inside its headers or inside a chunk, random bytes, deleted, its folder deleted, replaced by a valid but empty database.
 * A fresh data directory, a restarted one, one of an older version (no mark) and a PostgreSQL server's still start.
 */
class DamagedDatabaseTest {
    @TempDir
    static Path shared;
    /** A data directory a server started and stopped in: keys, the mark, a migrated database. */
    static Path template;
    static byte[] database;

    @TempDir
    Path tmp;

    @BeforeAll
    static void aServerThatRanOnce() throws Exception {
        template = shared.resolve("template");
        try (ProxyServer server = ProxyServer.start(config(template))) {
            assertThat(server.publicPort()).isPositive();
        }
        database = Files.readAllBytes(template.resolve(DatabaseMarker.DATABASE_FILE));
    }

    @Test
    void theFirstStartMarksTheDataDirectory() {
        assertThat(template.resolve(DatabaseMarker.FILE)).as("the first start marks the data directory").exists();
    }

    /** The damages, each with what it does to the file (the ones that leave a file must leave it as it was). */
    enum Damage {
        EMPTY_FILE(db -> new byte[0]),
        FIRST_100_BYTES(db -> Arrays.copyOf(db, 100)),
        FIRST_4_KIB(db -> Arrays.copyOf(db, 4096)),
        FIRST_8_KIB(db -> Arrays.copyOf(db, 8192)),
        HEADERS_AND_A_PARTIAL_BLOCK(db -> Arrays.copyOf(db, 8192 + 1000)),
        CUT_INSIDE_A_CHUNK(db -> Arrays.copyOf(db, db.length / 2 + 1234)),
        RANDOM_4_KIB(db -> random(4096)),
        RANDOM_64_KIB(db -> random(64 * 1024)),
        RANDOM_OF_THE_SAME_SIZE(db -> random(db.length));

        final UnaryOperator<byte[]> damage;

        Damage(UnaryOperator<byte[]> damage) {
            this.damage = damage;
        }

        private static byte[] random(int n) {
            byte[] b = new byte[n];
            new Random(n).nextBytes(b);
            return b;
        }
    }

    @ParameterizedTest
    @EnumSource(Damage.class)
    void aDamagedDatabaseIsOneSentenceWithTheRestoreCommandAndIsLeftAsItWas(Damage damage) throws Exception {
        Path data = copyOfTemplate();
        byte[] damaged = damage.damage.apply(database);
        Files.write(data.resolve(DatabaseMarker.DATABASE_FILE), damaged);
        assertRefused(data, "is damaged");
        assertThat(Files.readAllBytes(data.resolve(DatabaseMarker.DATABASE_FILE))).as("the damaged file is left as it was").isEqualTo(damaged);
        assertThat(data.resolve("db").resolve("drawbridge.lock.db")).doesNotExist();
    }

    /**
     * The same damages in a folder that never had a server's database (no mark): the embedded database's read failures (a file
     * cut short: EOFException, "Reading from file ... failed"; a corrupt header) are the same sentence, not "could not start
     * (EOFException)". (Without the mark a file cut inside its chunks is H2's to read: it may fall back to an older chunk.)
     */
    @ParameterizedTest
    @EnumSource(value = Damage.class, names = {"FIRST_100_BYTES", "FIRST_4_KIB", "RANDOM_4_KIB", "RANDOM_64_KIB"})
    void aDatabaseFileTheEmbeddedDatabaseCannotReadIsNamedEvenWithoutTheMark(Damage damage) throws Exception {
        Path data = tmp.resolve("unmarked");
        Files.createDirectories(data.resolve("db"));
        byte[] damaged = damage.damage.apply(database);
        Files.write(data.resolve(DatabaseMarker.DATABASE_FILE), damaged);
        assertRefused(data, "is damaged");
        assertThat(Files.readAllBytes(data.resolve(DatabaseMarker.DATABASE_FILE))).isEqualTo(damaged);
    }

    @Test
    void aDeletedDatabaseFileIsRefusedWhilePkiExists() throws Exception {
        Path data = copyOfTemplate();
        Files.delete(data.resolve(DatabaseMarker.DATABASE_FILE));
        assertThat(data.resolve("pki")).isDirectory();
        assertRefused(data, "is missing", data.resolve(DatabaseMarker.FILE).toString());
        assertThat(data.resolve(DatabaseMarker.DATABASE_FILE)).as("no new database was made").doesNotExist();
    }

    @Test
    void aDeletedDatabaseFolderIsRefused() throws Exception {
        Path data = copyOfTemplate();
        delete(data.resolve("db"));
        assertRefused(data, "is missing");
        assertThat(data.resolve("db")).doesNotExist();
    }

    /** An intact, valid H2 database without Drawbridge's history in its place: H2 opens it, the server refuses it. */
    @Test
    void aValidButEmptyDatabaseInItsPlaceIsRefused() throws Exception {
        Path data = copyOfTemplate();
        Files.delete(data.resolve(DatabaseMarker.DATABASE_FILE));
        try (Connection c = DriverManager.getConnection("jdbc:h2:file:" + data.resolve("db/drawbridge").toAbsolutePath(), "drawbridge", "")) {
            assertThat(c.isValid(1)).isTrue();
        }
        assertRefused(data, "found no data in it");
    }

    /** A data directory of a version before the mark: its db/ folder and data key say it held a database. */
    @Test
    void anOlderVersionsDataDirectoryWithoutItsDatabaseIsRefused() throws Exception {
        Path data = copyOfTemplate();
        Files.delete(data.resolve(DatabaseMarker.FILE));
        Files.delete(data.resolve(DatabaseMarker.DATABASE_FILE));
        assertRefused(data, "is missing");
    }

    @Test
    void anOlderVersionsIntactDataDirectoryStartsAndIsMarked() throws Exception {
        Path data = copyOfTemplate();
        Files.delete(data.resolve(DatabaseMarker.FILE));
        try (ProxyServer server = ProxyServer.start(config(data))) {
            assertThat(server.newAdminToken()).as("the same server, not a new one").isEmpty();
        }
        assertThat(data.resolve(DatabaseMarker.FILE)).exists();
    }

    @Test
    void aFreshDataDirectoryStartsAndRestartsTheSameServer() throws Exception {
        Path data = tmp.resolve("fresh");
        try (ProxyServer server = ProxyServer.start(config(data))) {
            assertThat(server.newAdminToken()).isPresent();
        }
        assertThat(data.resolve(DatabaseMarker.FILE)).exists();
        try (ProxyServer server = ProxyServer.start(config(data))) {
            assertThat(server.newAdminToken()).as("a restart is the same server").isEmpty();
        }
    }

    /** A first start that stopped after making the keys, before the database: the next start is still a first start. */
    @Test
    void aFirstStartThatStoppedBeforeTheDatabaseStartsAgain() throws Exception {
        Path data = tmp.resolve("keys-only");
        ServerKeys.loadOrCreate(data, Clock.systemUTC());
        assertThat(data.resolve("pki")).isDirectory();
        try (ProxyServer server = ProxyServer.start(config(data))) {
            assertThat(server.publicPort()).isPositive();
        }
    }

    /** A PostgreSQL server's data directory holds no embedded database: the mark and a missing H2 file change nothing. */
    @Test
    void aPostgresqlServerIsNotAskedForTheEmbeddedDatabase() throws Exception {
        Path data = copyOfTemplate();
        Files.delete(data.resolve(DatabaseMarker.DATABASE_FILE));
        ServerCliTest.Run r = ServerCliTest.run("serve", "--data-dir", data.toString(), "--bind", "127.0.0.1", "--port", "0",
                "--tunnel-port", "0", "--management-port", "off", "--database-url", "jdbc:postgresql://127.0.0.1:1/drawbridge");
        assertOneSentence(r, 1, "cannot use the PostgreSQL database", "--database-url");
        assertThat(r.err()).doesNotContain("drawbridge.mv.db");
        assertThat(data.resolve("db").resolve("drawbridge.mv.db")).doesNotExist();
    }

    /** The same with a real PostgreSQL (when DRAWBRIDGE_TEST_PG_URL is set): the server starts. */
    @Test
    void aPostgresqlServerStartsWithoutTheEmbeddedDatabase() throws Exception {
        String url = System.getenv("DRAWBRIDGE_TEST_PG_URL");
        assumeThat(url).as("DRAWBRIDGE_TEST_PG_URL (set by ./test.sh when PostgreSQL can be started)").isNotBlank();
        Path data = copyOfTemplate();
        Files.delete(data.resolve(DatabaseMarker.DATABASE_FILE));
        CommandLine.ParseResult parsed = ServerCli.commandLine().parseArgs("serve", "--data-dir", data.toString(), "--bind", "127.0.0.1",
                "--port", "0", "--tunnel-port", "0", "--management-port", "off", "--database-url", url);
        ServerCli.Serve serve = parsed.subcommand().commandSpec().commandLine().getCommand();
        try (ProxyServer server = ProxyServer.start(serve.config())) {
            assertThat(server.publicPort()).isPositive();
        }
        assertThat(data.resolve(DatabaseMarker.DATABASE_FILE)).doesNotExist();
    }

    private void assertRefused(Path data, String... hints) {
        // A server that starts instead serves until stopped: a failure after 30 s, not a test that never ends.
        ServerCliTest.Run r = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> ServerCliTest.run("serve", "--data-dir",
                data.toString(), "--bind", "127.0.0.1", "--port", "0", "--tunnel-port", "0", "--management-port", "off"),
                "the server started on " + data);
        String[] all = Stream.concat(Stream.of(data.resolve(DatabaseMarker.DATABASE_FILE).toString(),
                "'drawbridge-server restore --from FILE --data-dir " + data + " --force'", "move " + data + " aside", "--data-dir"),
                Stream.of(hints)).toArray(String[]::new);
        assertOneSentence(r, 2, all);
    }

    private Path copyOfTemplate() throws IOException {
        Path data = tmp.resolve("data");
        try (Stream<Path> walk = Files.walk(template)) {
            for (Path p : walk.toList()) {
                Path to = data.resolve(template.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(p, to);
                }
            }
        }
        return data;
    }

    private static void delete(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    private static ServerConfig config(Path data) {
        return ServerConfig.defaults(data).withPorts("127.0.0.1", 0, 0).withManagement(ServerConfig.Management.OFF);
    }
}
