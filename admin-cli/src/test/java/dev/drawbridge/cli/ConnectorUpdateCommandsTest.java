package dev.drawbridge.cli;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge connector-updates} against a JDK HttpServer playing the admin API: the bundle file goes as it is,
 * {@code application/zip}; a file that cannot be a bundle is refused in one sentence before anything is sent (exit 2);
 * the server's refusal is its problem (exit 1); list and delete; {@code connectors list} shows each connector's update
 * state and last error.
 */
class ConnectorUpdateCommandsTest {
    static final String UPDATES = "/api/v1/connector-updates";
    static final String VIEW = """
            {"version":"1.4.0","sha256":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","size":11,
             "uploadedAt":"2026-11-25T12:00:00Z","uploadedBy":"admin"}""";
    @TempDir
    Path dir;
    FakeAdminServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeAdminServer();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FakeAdminServer.Run run(String... args) {
        return server.run(dir.resolve("config"), "", args);
    }

    @Test
    void aBundleGoesAsItIsAndTheAnswerIsShown() throws Exception {
        Path bundle = Files.writeString(dir.resolve("drawbridge-connector-update-1.4.0.zip"), "PK-not-real");
        server.answer("POST", UPDATES, 201, VIEW);
        FakeAdminServer.Run r = run("connector-updates", "upload", bundle.toString());
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).isEqualTo("Uploaded connector update 1.4.0 (11 bytes, sha256 "
                + "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08)\n");
        FakeAdminServer.Received sent = server.received("POST", UPDATES).getFirst();
        assertThat(sent.contentType()).isEqualTo("application/zip");
        assertThat(sent.body()).isEqualTo("PK-not-real");
        assertThat(run("connector-updates", "upload", bundle.toString(), "-q").out()).isEqualTo("1.4.0\n");
    }

    @Test
    void whatCannotBeABundleIsRefusedInOneSentenceAndNothingIsSent() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.zip"));
        for (String file : List.of(dir.toString(), dir.resolve("missing.zip").toString(), empty.toString(), "/dev/zero")) {
            FakeAdminServer.Run r = run("connector-updates", "upload", file);
            assertThat(r.exit()).as(file).isEqualTo(2);
            assertThat(r.err().lines().toList()).as(file).singleElement().satisfies(l -> assertThat(l).startsWith("error: ").endsWith("."));
        }
        assertThat(server.received).isEmpty();
    }

    @Test
    void theServersRefusalIsItsProblem() throws Exception {
        Path bundle = Files.writeString(dir.resolve("b.zip"), "PK");
        server.answer("POST", UPDATES, 400, """
                {"title":"Invalid bundle","status":400,"detail":"the bundle has no drawbridge-update.properties"}""");
        FakeAdminServer.Run r = run("connector-updates", "upload", bundle.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("detail: the bundle has no drawbridge-update.properties");
    }

    @Test
    void listAndDelete() {
        server.answer("GET", UPDATES, 200, "[" + VIEW + "]");
        FakeAdminServer.Run r = run("connector-updates", "list");
        assertThat(r.out().lines().toList()).satisfiesExactly(
                h -> assertThat(h).matches("VERSION +SIZE +SHA-256 +UPLOADED +BY"),
                l -> assertThat(l).matches("1\\.4\\.0 +11 +9f86d0\\w+ +2026-11-25T12:00:00Z +admin"));
        assertThat(run("connector-updates", "list", "-q").out()).isEqualTo("1.4.0\n");

        server.answer("DELETE", UPDATES + "/1.4.0", 204, "");
        FakeAdminServer.Run d = run("connector-updates", "delete", "1.4.0");
        assertThat(d.exit()).as(d.err()).isZero();
        assertThat(d.out()).isEqualTo("Deleted connector update 1.4.0\n");
        assertThat(server.received("DELETE", UPDATES + "/1.4.0")).hasSize(1);
    }

    @Test
    void connectorsListShowsUpdateStateAndLastError() {
        server.answer("GET", "/api/v1/connectors", 200, """
                {"items":[{"id":"c1","groupId":"g1","groupName":"Default","hostName":"conn-a","version":"1.3.0","status":"ACTIVE",
                "tunnels":2,"updateState":"FAILED","updateError":"the bundle's SHA-256 does not match its manifest"},
                {"id":"c2","groupId":"g1","groupName":"Default","hostName":"conn-b","version":"1.4.0","status":"ACTIVE",
                "tunnels":2,"updateState":"IDLE","updateError":""}],"offset":0,"limit":50,"total":2}""");
        FakeAdminServer.Run r = run("connectors", "list");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines.getFirst()).contains("UPDATE STATE", "LAST ERROR");
        assertThat(lines.get(1)).contains("FAILED", "the bundle's SHA-256 does not match its manifest");
        assertThat(lines.get(2)).contains("IDLE");
    }
}
