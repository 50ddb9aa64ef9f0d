package dev.drawbridge.proxy.backup;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.web.Json;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Backup and restore against real processes: a server in its own JVM takes writes through the admin API while
 * {@code drawbridge-server backup} copies it; restore is refused while it runs; after it stops, the backup restored into
 * a fresh directory starts a server that serves the same users to the same admin credential, with the same keys (so the
 * same CAs for browsers and connectors); the copy is consistent (a prefix of the writes); the passphrase appears in no
 * output, log or file.
 */
@Timeout(300)
class BackupProcessTest {
    private static final String PASSPHRASE = "correct horse battery staple 42";
    private static final Map<String, String> ENV = Map.of(Passphrase.ENV, PASSPHRASE);

    @TempDir
    Path tmp;

    @Test
    void anOnlineBackupUnderWritesRestoresTheSameDataAndKeys() throws Exception {
        Path original = tmp.resolve("original"), restored = tmp.resolve("restored"), archive = tmp.resolve("nightly.backup");
        List<String> written = Collections.synchronizedList(new ArrayList<>());
        String admin;
        ServerProcess.Run backup;
        List<String> serverOutput = new ArrayList<>();
        try (ServerProcess a = ServerProcess.serve(original)) {
            admin = a.newAdminToken.orElseThrow();
            HttpClient http = ServerProcess.client(original);
            for (int i = 0; i < 3; i++) {
                createUser(http, a.publicPort, admin, "before" + i);
            }
            AtomicBoolean writing = new AtomicBoolean(true);
            Thread writer = Thread.ofPlatform().start(() -> {
                for (int i = 0; writing.get(); i++) {
                    try {
                        createUser(http, a.publicPort, admin, "during" + i);
                        written.add("during" + i + "@example.com");
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            awaitTrue(() -> written.size() >= 2, "the writer is under way");
            backup = ServerProcess.run(ENV, "backup", "--data-dir", original.toString(), "--out", archive.toString());
            int atEnd = written.size();
            awaitTrue(() -> written.size() >= atEnd + 2, "writes go on after the backup");
            writing.set(false);
            writer.join();
            assertThat(backup.err()).isEmpty();
            assertThat(backup.exit()).isZero();
            assertThat(backup.out()).contains("Backup written to " + archive).contains("copied by the running server");

            ServerProcess.Run refused = ServerProcess.run(ENV, "restore", "--from", archive.toString(), "--data-dir",
                    original.toString(), "--force");
            assertThat(refused.exit()).isEqualTo(1);
            assertThat(refused.err().strip()).startsWith("error: a Drawbridge server is running on " + original).doesNotContain("\n");
            assertThat(Files.exists(original.resolve(LocalControl.FILE))).as("the running server's data directory is untouched").isTrue();
            assertThat(users(http, a.publicPort, admin)).contains("before0@example.com");
            http.stop();
            serverOutput.add(a.output());
        }
        assertThat(Files.readAllBytes(archive).length).isPositive();
        assertThat(Files.getPosixFilePermissions(archive)).extracting(Enum::name).containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");

        ServerProcess.Run restore = ServerProcess.run(ENV, "restore", "--from", archive.toString(), "--data-dir", restored.toString());
        assertThat(restore.err()).isEmpty();
        assertThat(restore.exit()).isZero();
        assertThat(restore.out()).contains("into " + restored);
        assertThat(keyFiles(restored)).isEqualTo(keyFiles(original));
        for (String f : keyFiles(original)) {
            assertThat(Files.readAllBytes(restored.resolve(f))).as(f).isEqualTo(Files.readAllBytes(original.resolve(f)));
        }

        try (ServerProcess b = ServerProcess.serve(restored)) {
            assertThat(b.newAdminToken).as("the admin credential's hash came back: no new credential").isEmpty();
            // The client trusts the ORIGINAL server CA: the restored server presents certificates of the same CA.
            HttpClient http = ServerProcess.client(original);
            Set<String> users = new HashSet<>(users(http, b.publicPort, admin));
            assertThat(users).contains("before0@example.com", "before1@example.com", "before2@example.com");
            List<String> restoredWrites = written.stream().filter(users::contains).toList();
            assertThat(restoredWrites).as("a consistent copy: the writes up to one instant").isEqualTo(written.subList(0, restoredWrites.size()));
            assertThat(restoredWrites.size()).as("the copy holds the writes made before the backup began").isGreaterThanOrEqualTo(2);
            assertThat(users.stream().filter(u -> u.startsWith("during")).count()).isEqualTo(restoredWrites.size());
            http.stop();
            serverOutput.add(b.output());
        }

        for (String text : List.of(backup.out(), backup.err(), restore.out(), restore.err(), String.join("\n", serverOutput))) {
            assertThat(text).doesNotContain(PASSPHRASE);
        }
        String sealed = new String(Files.readAllBytes(archive), StandardCharsets.ISO_8859_1);
        assertThat(sealed).doesNotContain(PASSPHRASE).doesNotContain("drawbridge.mv.db").doesNotContain("server-ca")
                .doesNotContain(Files.readString(original.resolve("secrets/data-key")).strip());
    }

    @Test
    void anOfflineBackupOfAStoppedServerRestoresOverItWithForce() throws Exception {
        Path data = tmp.resolve("data"), archive = tmp.resolve("offline.backup");
        String admin;
        try (ServerProcess a = ServerProcess.serve(data)) {
            admin = a.newAdminToken.orElseThrow();
            HttpClient http = ServerProcess.client(data);
            createUser(http, a.publicPort, admin, "kept");
            http.stop();
        }
        ServerProcess.Run backup = ServerProcess.run(ENV, "backup", "--data-dir", data.toString(), "--out", archive.toString());
        assertThat(backup.exit()).as(backup.err()).isZero();
        assertThat(backup.out()).contains("server stopped");

        try (ServerProcess a = ServerProcess.serve(data)) {
            HttpClient http = ServerProcess.client(data);
            createUser(http, a.publicPort, admin, "lost");
            http.stop();
        }
        ServerProcess.Run refused = ServerProcess.run(ENV, "restore", "--from", archive.toString(), "--data-dir", data.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).contains("is not empty").contains("--force");

        ServerProcess.Run restore = ServerProcess.run(ENV, "restore", "--from", archive.toString(), "--data-dir", data.toString(), "--force");
        assertThat(restore.exit()).as(restore.err()).isZero();
        String aside = restore.out().lines().filter(l -> l.startsWith("The former data directory is now ")).findFirst().orElseThrow()
                .replace("The former data directory is now ", "").replaceAll("\\.$", "");
        assertThat(Path.of(aside)).isDirectory();
        assertThat(Path.of(aside).resolve("db/drawbridge.mv.db")).exists();
        try (ServerProcess b = ServerProcess.serve(data)) {
            HttpClient http = ServerProcess.client(data);
            assertThat(users(http, b.publicPort, admin)).contains("kept@example.com").doesNotContain("lost@example.com");
            http.stop();
        }
    }

    /**
     * The package's layout: {@code /var/lib/drawbridge} restored by its service user, who cannot write {@code /var/lib}
     * (here: a parent folder without write permission, the restore bound by file modes). The directory itself stays (it
     * cannot be renamed); its contents are swapped, the former ones kept inside it; the server starts on the result.
     */
    @Test
    void aRestoreWithForceIntoADataDirectoryWhoseParentIsNotWritableSwapsItsContents() throws Exception {
        Path parent = Files.createDirectories(tmp.resolve("var-lib")), data = parent.resolve("drawbridge");
        Path archive = tmp.resolve("offline.backup");
        String admin;
        try (ServerProcess a = ServerProcess.serve(data)) {
            admin = a.newAdminToken.orElseThrow();
            HttpClient http = ServerProcess.client(data);
            createUser(http, a.publicPort, admin, "kept");
            http.stop();
        }
        ServerProcess.Run backup = ServerProcess.run(ENV, "backup", "--data-dir", data.toString(), "--out", archive.toString());
        assertThat(backup.exit()).as(backup.err()).isZero();
        try (ServerProcess a = ServerProcess.serve(data)) {
            HttpClient http = ServerProcess.client(data);
            createUser(http, a.publicPort, admin, "lost");
            http.stop();
        }
        Object inode = Files.readAttributes(data, BasicFileAttributes.class).fileKey();
        Set<PosixFilePermission> mode = Files.getPosixFilePermissions(parent);
        Files.setPosixFilePermissions(parent, PosixFilePermissions.fromString("r-xr-xr-x"));
        ServerProcess.Run restore;
        try {
            restore = ServerProcess.runBoundByFileModes(ENV, "restore", "--from", archive.toString(), "--data-dir", data.toString(),
                    "--force");
        } finally {
            Files.setPosixFilePermissions(parent, mode);
        }

        assertThat(restore.exit()).as(restore.err()).isZero();
        assertThat(Files.readAttributes(data, BasicFileAttributes.class).fileKey()).as("the same directory").isEqualTo(inode);
        try (Stream<Path> siblings = Files.list(parent)) {
            assertThat(siblings).as("nothing beside it").containsExactly(data);
        }
        Path aside = data.resolve(restore.out().lines().filter(l -> l.startsWith("The former contents of the data directory are now in "))
                .findFirst().orElseThrow().replaceAll("^.* are now in " + Pattern.quote(data.toString()) + "/(\\S+) .*$", "$1"));
        assertThat(aside.getFileName().toString()).startsWith(".before-restore-");
        assertThat(aside.resolve("db/drawbridge.mv.db")).exists();
        assertThat(Files.getPosixFilePermissions(aside)).extracting(Enum::name)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE", "OWNER_EXECUTE");
        try (Stream<Path> entries = Files.list(data)) {
            assertThat(entries.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith(".restoring-"));
        }
        try (ServerProcess b = ServerProcess.serve(data)) {
            HttpClient http = ServerProcess.client(data);
            assertThat(users(http, b.publicPort, admin)).contains("kept@example.com").doesNotContain("lost@example.com");
            http.stop();
        }
    }

    private static void createUser(HttpClient http, int port, String admin, String name) throws Exception {
        ContentResponse r = http.newRequest("https://admin.localhost:" + port + "/api/v1/users").method(HttpMethod.POST)
                .headers(h -> h.put("Authorization", "Bearer " + admin)).timeout(30, TimeUnit.SECONDS)
                .body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(Map.of("upn", name + "@example.com",
                        "displayName", name)))).send();
        assertThat(r.getStatus()).as(r.getContentAsString()).isBetween(200, 201);
    }

    private static List<String> users(HttpClient http, int port, String admin) throws Exception {
        ContentResponse r = http.newRequest("https://admin.localhost:" + port + "/api/v1/users?limit=1000")
                .headers(h -> h.put("Authorization", "Bearer " + admin)).send();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        List<String> upns = new ArrayList<>();
        for (JsonNode u : Json.MAPPER.readTree(r.getContentAsString()).path("items")) {
            upns.add(u.path("upn").asText());
        }
        return upns;
    }

    private static List<String> keyFiles(Path data) throws Exception {
        List<String> all = new ArrayList<>();
        for (String folder : List.of("pki", "secrets")) {
            try (Stream<Path> s = Files.walk(data.resolve(folder))) {
                s.filter(Files::isRegularFile).map(p -> data.relativize(p).toString()).forEach(all::add);
            }
        }
        return all.stream().sorted().toList();
    }

    private static void awaitTrue(BooleanSupplier condition, String what) throws InterruptedException {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (!condition.getAsBoolean()) {
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(Duration.ofMillis(20));
        }
    }
}
