package dev.drawbridge.proxy.store;

import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Defect 12: the embedded database holds password hashes, TOTP secrets and session records, so after a server
 * start the data directory and its {@code db} folder are 0700 and every database file is 0600, like the keys:
 * on a fresh data directory, and on one an older version left world-readable.
 */
class DataDirectoryPermissionsTest {
    @TempDir
    Path tmp;

    @BeforeAll
    static void posixOnly() {
        assumeTrue(FileSystems.getDefault().supportedFileAttributeViews().contains("posix"), "POSIX file system");
    }

    @Test
    void aFreshDataDirectoryIsOwnerOnlyAfterAServerStart() throws Exception {
        Path data = tmp.resolve("data");
        startAndStop(data);

        assertOwnerOnly(data);
    }

    @Test
    void aWorldReadableDataDirectoryFromAnOlderVersionIsTightened() throws Exception {
        Path data = tmp.resolve("data");
        startAndStop(data);
        // What an older version left behind: folders 0755 and database files 0644.
        try (Stream<Path> all = Files.walk(data.resolve("db"))) {
            for (Path p : all.toList()) {
                Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(Files.isDirectory(p) ? "rwxr-xr-x" : "rw-r--r--"));
            }
        }
        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));

        startAndStop(data);

        assertOwnerOnly(data);
    }

    private static void startAndStop(Path data) throws Exception {
        try (ProxyServer server = ProxyServer.start(ServerConfig.defaults(data).withPorts("127.0.0.1", 0, 0))) {
            assertThat(server.publicPort()).isPositive();
            // While the server runs, the open database is already out of reach of other users.
            assertDatabaseOwnerOnly(data.resolve("db"));
        }
    }

    private static void assertOwnerOnly(Path data) throws IOException {
        assertThat(mode(data)).as("data directory").isEqualTo("rwx------");
        assertDatabaseOwnerOnly(data.resolve("db"));
    }

    private static void assertDatabaseOwnerOnly(Path db) throws IOException {
        assertThat(mode(db)).as("db directory").isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> all = Files.walk(db)) {
            files = all.filter(Files::isRegularFile).toList();
        }
        assertThat(files).as("database files").anyMatch(f -> f.getFileName().toString().endsWith(".mv.db"));
        for (Path f : files) {
            assertThat(mode(f)).as(f.getFileName().toString()).isEqualTo("rw-------");
        }
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }
}
