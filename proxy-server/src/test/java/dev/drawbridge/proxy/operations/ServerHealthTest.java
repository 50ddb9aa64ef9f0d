package dev.drawbridge.proxy.operations;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Readiness follows the database of a real server: while its embedded H2 is locked by another connection (H2's
 * exclusive mode: the server's statements wait, new connections are refused) {@code /health/ready} answers 503 within
 * its bounded time, naming the database; liveness stays 200 (a database outage must not get the server restarted); once
 * the lock is gone, 200 again. Probes that arrive while a check hangs wait for that one check rather than start more.
 */
@Timeout(120)
class ServerHealthTest {
    /** The readiness timeout (2 s) plus generous slack for a loaded machine. */
    private static final long BOUND_MILLIS = 6_000;
    @TempDir
    static Path dir;
    static ProxyServer server;
    static int port;

    @BeforeAll
    static void start() throws Exception {
        server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0)
                .withManagement(ServerConfig.Management.on("127.0.0.1", 0)));
        port = server.managementPort().orElseThrow();
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static TestServer.Answer get(String path) throws Exception {
        return TestServer.send(port, "GET " + path + " HTTP/1.1", "localhost");
    }

    private static JsonNode check(TestServer.Answer a, String name) throws Exception {
        for (JsonNode c : Json.MAPPER.readTree(a.body()).path("checks")) {
            if (c.path("name").asText().equals(name)) {
                return c;
            }
        }
        throw new AssertionError("no check " + name + " in " + a.body());
    }

    /** A connection of this JVM to the server's own H2 database (H2 shares one open database per JVM and URL). */
    private static Connection sameDatabase() throws Exception {
        String url = "jdbc:h2:file:" + dir.resolve("db").resolve("drawbridge").toAbsolutePath()
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE";
        return DriverManager.getConnection(url, "drawbridge", "");
    }

    @Test
    void readinessIs503WithinItsBoundWhileTheDatabaseIsLockedAnd200After() throws Exception {
        TestServer.Answer before = get("/health/ready");
        assertThat(before.status()).isEqualTo(200);
        assertThat(check(before, "database").path("status").asText()).isEqualTo("UP");

        try (Connection lock = sameDatabase(); Statement st = lock.createStatement()) {
            st.execute("SET EXCLUSIVE 1");
            try {
                long start = System.nanoTime();
                TestServer.Answer down = get("/health/ready");
                long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(down.status()).isEqualTo(503);
                assertThat(took).as("answered within the bound").isLessThan(BOUND_MILLIS);
                JsonNode db = check(down, "database");
                assertThat(db.path("status").asText()).isEqualTo("DOWN");
                assertThat(db.path("detail").asText()).matches("did not answer within \\d+ ms|cannot be reached \\(\\w+\\)");
                assertThat(Json.MAPPER.readTree(down.body()).path("status").asText()).isEqualTo("DOWN");
                // The other checks still hold, and the process is alive.
                assertThat(check(down, "listeners").path("status").asText()).isEqualTo("UP");
                assertThat(get("/health/live").status()).isEqualTo(200);

                // Probes that pile up while the check hangs each answer within the bound too.
                ExecutorService probes = Executors.newVirtualThreadPerTaskExecutor();
                List<Future<Integer>> answers = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    answers.add(probes.submit(() -> get("/health/ready").status()));
                }
                for (Future<Integer> a : answers) {
                    assertThat(a.get(BOUND_MILLIS * 2, TimeUnit.MILLISECONDS)).isEqualTo(503);
                }
                probes.shutdown();
            } finally {
                st.execute("SET EXCLUSIVE 0");
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        TestServer.Answer after = get("/health/ready");
        while (after.status() != 200 && System.nanoTime() < deadline) {
            after = get("/health/ready");
        }
        assertThat(after.status()).as("ready again once the database answers").isEqualTo(200);
        assertThat(check(after, "database").path("status").asText()).isEqualTo("UP");
    }
}
