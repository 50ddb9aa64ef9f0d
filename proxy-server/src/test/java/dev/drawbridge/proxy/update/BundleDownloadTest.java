package dev.drawbridge.proxy.update;

import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateReport;
import dev.drawbridge.model.update.UpdateState;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Random;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code GET /connector/v1/update/bundle} serves a connector only the version of the update turn it holds in its group
 * (403 for any other version, for a connector waiting for its turn, one whose turn ended or ran past the lease), and one
 * download at a time per connector (429 while one runs): a connector in good standing cannot make the server read
 * 256 MiB bundles from the database in parallel. Found by a security review (any version, to any connector, at once).
 */
@Timeout(120)
class BundleDownloadTest {
    @TempDir
    static Path dir;
    static UpdateServer s;
    static byte[] big;

    @BeforeAll
    static void start() throws Exception {
        s = new UpdateServer(dir.resolve("server"));
        byte[] small = Bundles.valid(Files.createDirectories(dir.resolve("small")), "9.9.8");
        assertThat(s.admin(s.bootstrap, "POST", "connector-updates", "application/zip", small).status()).isEqualTo(201);
        big = bigBundle(Files.createDirectories(dir.resolve("big")), "9.9.9");
        assertThat(s.admin(s.bootstrap, "POST", "connector-updates", "application/zip", big).status()).isEqualTo(201);
    }

    @AfterAll
    static void stop() throws Exception {
        s.close();
    }

    /** A bundle larger than the loopback socket buffers (24 MiB that do not compress), so that a download can be held. */
    private static byte[] bigBundle(Path d, String version) throws Exception {
        Path jar = d.resolve("big.jar");
        byte[] noise = new byte[1 << 20];
        Random random = new Random(7);
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new ZipEntry("noise.bin"));
            for (int i = 0; i < 24; i++) {
                random.nextBytes(noise);
                out.write(noise);
            }
            out.closeEntry();
        }
        Path bundle = d.resolve("bundle.zip");
        UpdateBundle.write(bundle, version, Bundles.MAIN, 25, List.of(jar));
        return Files.readAllBytes(bundle);
    }

    private static UpdateInstruction report(UpdateServer.Identity who, String version) throws Exception {
        Wire.Reply r = s.report(who, new UpdateReport(version, UpdateState.IDLE, "", ""));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return Json.MAPPER.readValue(r.body(), UpdateInstruction.class);
    }

    private static Wire.Reply download(UpdateServer.Identity who, String version) throws Exception {
        return s.tunnel(who, "GET", UpdateEndpoints.BUNDLE + "?version=" + version, null, null);
    }

    @Test
    void onlyTheVersionOfTheTurnAConnectorHoldsIsServed() throws Exception {
        UpdateServer.Identity a = s.register("Turns", "host-a", "1.0.0");
        UpdateServer.Identity b = s.register("Turns", "host-b", "1.0.0");
        for (String v : List.of("9.9.8", "9.9.9")) {
            Wire.Reply r = download(a, v);
            assertThat(r.status()).as("before any report: " + v).isEqualTo(403);
            assertThat(r.json().path("title").asText()).isEqualTo("Not this connector's turn");
        }
        assertThat(report(a, "1.0.0").version()).isEqualTo("9.9.9");
        assertThat(report(b, "1.0.0").reason()).startsWith("waiting for");
        Wire.Reply ok = download(a, "9.9.9");
        assertThat(ok.status()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo(big);
        assertThat(download(a, "9.9.8").status()).as("another uploaded version than the turn's").isEqualTo(403);
        assertThat(download(b, "9.9.9").status()).as("the connector waiting for its turn").isEqualTo(403);
        assertThat(download(b, "9.9.8").status()).isEqualTo(403);
        // An unknown version stays a 404, whoever asks.
        assertThat(download(b, "9.9.7").status()).isEqualTo(404);
        // The holder came back healthy on 9.9.9: its turn ended, and with it its downloads; b's turn begins.
        assertThat(report(a, "9.9.9").action()).isEqualTo(UpdateInstruction.Action.NONE);
        assertThat(download(a, "9.9.9").status()).isEqualTo(403);
        assertThat(report(b, "1.0.0").version()).isEqualTo("9.9.9");
        assertThat(download(b, "9.9.8").status()).isEqualTo(403);
        // A turn past the lease serves nothing, before anyone reports (which would halt the group).
        s.clock.advance(Duration.ofMinutes(16));
        assertThat(download(b, "9.9.9").status()).isEqualTo(403);
    }

    @Test
    void aConnectorDownloadsOneBundleAtATime() throws Exception {
        UpdateServer.Identity c = s.register("OneAtATime", "host-c", "1.0.0");
        assertThat(report(c, "1.0.0").version()).isEqualTo("9.9.9");
        try (SSLSocket held = (SSLSocket) Wire.context(s.server.serverCaCertificate(), c.key(), c.cert()).getSocketFactory()
                .createSocket("127.0.0.1", s.server.tunnelPort())) {
            held.setSoTimeout(30_000);
            OutputStream out = held.getOutputStream();
            out.write(("GET " + UpdateEndpoints.BUNDLE + "?version=9.9.9 HTTP/1.1\r\nHost: admin.localhost\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            assertThat(head(held.getInputStream())).startsWith("HTTP/1.1 200");
            // The first download is under way (this client reads no more of it): a second one is refused.
            Wire.Reply second = download(c, "9.9.9");
            assertThat(second.status()).isEqualTo(429);
            assertThat(second.headers()).containsKey("retry-after");
            assertThat(second.json().path("title").asText()).isEqualTo("Too many requests");
        }
        // The first one ended with its connection: downloads are served again.
        Instant deadline = Instant.now().plusSeconds(30);
        Wire.Reply again = download(c, "9.9.9");
        while (again.status() == 429 && Instant.now().isBefore(deadline)) {
            Thread.sleep(Duration.ofMillis(50));
            again = download(c, "9.9.9");
        }
        assertThat(again.status()).isEqualTo(200);
        assertThat(again.body()).isEqualTo(big);
    }

    /** The response's status line and headers. */
    private static String head(InputStream in) throws Exception {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        while (!b.toString(StandardCharsets.ISO_8859_1).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                break;
            }
            b.write(c);
        }
        return b.toString(StandardCharsets.ISO_8859_1);
    }
}
