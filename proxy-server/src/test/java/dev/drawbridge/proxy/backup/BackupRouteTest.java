package dev.drawbridge.proxy.backup;

import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.edge.TestServer;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.HttpMethod;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running server's backup route ({@link BackupRoute}) on a real server: the database only for the exact path, POST,
 * a local peer and Host, and this start's token of the data directory's control file; every spelling of the path
 * without the token, with a wrong one, or with another scheme gets nothing; the public listener never serves it; the
 * control file is owner-only and goes when the server stops.
 */
@Timeout(60)
class BackupRouteTest {
    private static final List<String> SPELLINGS = List.of("/local/backup", "/local/backup/", "/LOCAL/BACKUP", "/local/Backup",
            "/local/backup;x=1", "/local;x=1/backup", "/local/%62ackup", "/local%2Fbackup", "/local%2fbackup", "//local/backup",
            "/local//backup", "/local/./backup", "/local/x/../backup", "/local/backup?token=x", "/local/backup%00", "/local/backup%20",
            "/local/backup.zip", "/%6cocal/backup", "/local/backup/.", "/./local/backup", "/local\\backup", "/local/%62%61ckup",
            "/local/backu%70", "/local/backup;", "/local/backup%3bx", "/local%2f..%2flocal/backup", "/local/backup/..;/backup");

    @TempDir
    static Path dir;
    static ProxyServer server;
    static int port;
    static String token;

    @BeforeAll
    static void start() throws Exception {
        server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0)
                .withManagement(ServerConfig.Management.on("127.0.0.1", 0)));
        port = server.managementPort().orElseThrow();
        token = LocalControl.read(dir).orElseThrow().token();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        assertThat(dir.resolve(LocalControl.FILE)).as("the control file goes with the server").doesNotExist();
    }

    private static TestServer.Answer post(String path, String host, String... headers) throws Exception {
        String[] all = new String[headers.length + 1];
        System.arraycopy(headers, 0, all, 0, headers.length);
        all[headers.length] = "Content-Length: 0";
        return TestServer.send(port, "POST " + path + " HTTP/1.1", host, all);
    }

    private static void assertNoDatabase(TestServer.Answer a, String what) {
        assertThat(a.status()).as(what).isNotEqualTo(200);
        assertThat(a.body()).as(what).doesNotStartWith("PK").doesNotContain("drawbridge.mv.db");
    }

    @Test
    void theTokenOfTheControlFileGetsTheDatabase() throws Exception {
        TestServer.Answer a = post(BackupRoute.PATH, "127.0.0.1:" + port, "Authorization: Bearer " + token);
        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("Content-Type")).hasValue("application/zip");
        assertThat(a.body()).startsWith("PK").contains("drawbridge.mv.db");
        // The server deletes its temporary copy once the body is sent: the client may see the end of the body first.
        Instant deadline = Instant.now().plusSeconds(10);
        while (temporaryCopies() > 0 && Instant.now().isBefore(deadline)) {
            Thread.sleep(Duration.ofMillis(20));
        }
        assertThat(temporaryCopies()).as("the temporary copy is deleted").isZero();
        assertThat(Files.getPosixFilePermissions(dir.resolve(LocalControl.FILE))).extracting(Enum::name)
                .containsExactlyInAnyOrder("OWNER_READ", "OWNER_WRITE");
    }

    private static long temporaryCopies() throws Exception {
        try (var files = Files.list(dir.resolve("db"))) {
            return files.filter(p -> p.getFileName().toString().startsWith("backup-")).count();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "Authorization: Bearer ", "Authorization: Bearer wrong", "Authorization: Basic ZHJhd2JyaWRnZTp4",
            "Authorization: bearer WRONG", "X-Token: TOKEN", "Authorization: TOKEN", "Cookie: token=TOKEN", "Authorization: Bearer TOKENx",
            "Authorization: Bearer  TOKEN"})
    void everySpellingOfThePathWithoutTheRightTokenGetsNothing(String header) throws Exception {
        String h = header.replace("TOKEN", token);
        for (String path : SPELLINGS) {
            TestServer.Answer a = h.isEmpty() ? post(path, "localhost") : post(path, "localhost", h);
            assertNoDatabase(a, path + " with '" + header + "'");
        }
    }

    @Test
    void aSecondAuthorizationHeaderOrTheTokenInAnotherPlaceIsRefused() throws Exception {
        assertThat(post(BackupRoute.PATH, "localhost", "Authorization: Bearer wrong", "Authorization: Bearer " + token).status())
                .isEqualTo(401);
        assertThat(post(BackupRoute.PATH, "localhost", "Authorization: Bearer " + token, "Authorization: Bearer wrong").status())
                .isEqualTo(401);
        assertNoDatabase(post(BackupRoute.PATH + "?token=" + token, "localhost"), "token in the query");
    }

    @Test
    void otherMethodsAndSpellingsWithTheRightTokenGetNothing() throws Exception {
        for (String method : List.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS")) {
            TestServer.Answer a = TestServer.send(port, method + " " + BackupRoute.PATH + " HTTP/1.1", "localhost",
                    "Authorization: Bearer " + token, "Content-Length: 0");
            assertNoDatabase(a, method);
        }
        for (String path : SPELLINGS.subList(1, SPELLINGS.size())) {
            if (path.equals("/local/backup?token=x")) {
                continue; // the exact path (a query is no part of it): the token in the header answers, as it should
            }
            // Not even those Jetty decodes or normalises to the exact path: the route compares the path as sent.
            assertNoDatabase(post(path, "localhost", "Authorization: Bearer " + token), path + " with the right token");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example", "localhost.evil.example", "127.0.0.1.nip.io", "backup.example.com", "10.255.255.1"})
    void hostsThatAreNotThisMachineAreRefusedEvenWithTheToken(String host) throws Exception {
        TestServer.Answer a = post(BackupRoute.PATH, host, "Authorization: Bearer " + token);
        assertThat(a.status()).isEqualTo(403);
        assertNoDatabase(a, host);
    }

    @Test
    void thePublicListenerNeverServesIt() throws Exception {
        HttpClient http = ServerProcess.client(dir);
        try {
            for (String host : List.of("admin.localhost", "login.localhost", "app.localhost", "localhost")) {
                ContentResponse r = http.newRequest("https://" + host + ":" + server.publicPort() + BackupRoute.PATH).method(HttpMethod.POST)
                        .headers(h -> h.put("Authorization", "Bearer " + token)).send();
                assertThat(r.getStatus()).as(host).isNotEqualTo(200);
                assertThat(r.getContentAsString()).doesNotStartWith("PK");
            }
        } finally {
            http.stop();
        }
    }
}
