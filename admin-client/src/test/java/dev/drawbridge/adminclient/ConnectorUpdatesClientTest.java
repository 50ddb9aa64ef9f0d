package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.RolloutView;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Connector update bundles and group rollouts over a real HTTPS server on port 0: a bundle is streamed from its file as
 * {@code application/zip} (checked before anything is sent), versions and group ids are path segments, rollout
 * settings travel as JSON, and the server's refusal comes back as its problem sentence.
 */
class ConnectorUpdatesClientTest {
    private static final String UPDATE = """
            {"version":"1.4.0","sha256":"ab12","size":5,"uploadedAt":"2026-11-25T12:00:00Z","uploadedBy":"admin"}""";
    private static final String ROLLOUT = """
            {"groupId":"g1","groupName":"Default","state":"HALTED","targetVersion":"1.4.0","pinnedVersion":"",
             "paused":false,"haltedReason":"connector a (c1) could not update to 1.4.0: boom","haltedAt":"2026-11-25T12:00:00Z",
             "updatingConnectorId":"","updatingSince":null,"connectors":[{"id":"c1","hostName":"a","version":"1.3.0",
             "status":"ACTIVE","updateState":"ROLLED_BACK","attemptedVersion":"1.4.0","lastError":"boom","reportedAt":null}]}""";

    @TempDir
    Path dir;
    private TestPki pki;
    private RecordingServer server;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki("Test server CA");
        server = new RecordingServer(pki.server(List.of("localhost")));
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private HttpAdminApi client() throws Exception {
        return HttpAdminApi.to(server.url("localhost")).trust(pki.trust()).token("t").timeout(Duration.ofSeconds(10)).build();
    }

    @Test
    void aBundleIsSentAsItsFileBytesWithTheZipMediaType() throws Exception {
        byte[] zip = new byte[300_000];
        for (int i = 0; i < zip.length; i++) {
            zip[i] = (byte) (i * 31);
        }
        Path file = Files.write(dir.resolve("drawbridge-connector-update-1.4.0.zip"), zip);
        server.answer = RecordingServer.Answer.json(201, UPDATE);
        try (HttpAdminApi api = client()) {
            ConnectorUpdateView v = api.connectorUpdates().upload(file);
            assertThat(v.version()).isEqualTo("1.4.0");
            assertThat(v.uploadedBy()).isEqualTo("admin");
        }
        RecordingServer.Seen seen = server.last();
        assertThat(seen.method()).isEqualTo("POST");
        assertThat(seen.rawPath()).isEqualTo("/api/v1/connector-updates");
        assertThat(seen.contentType()).isEqualTo("application/zip");
        assertThat(seen.body()).isEqualTo(zip);
    }

    @Test
    void listDeleteAndRolloutNameTheirPaths() throws Exception {
        try (HttpAdminApi api = client()) {
            server.answer = RecordingServer.Answer.json(200, "[" + UPDATE + "]");
            assertThat(api.connectorUpdates().list()).extracting(ConnectorUpdateView::version).containsExactly("1.4.0");
            assertThat(server.last().rawPath()).isEqualTo("/api/v1/connector-updates");

            server.answer = new RecordingServer.Answer(204, null, new byte[0], Map.of());
            api.connectorUpdates().delete("1.4.0-rc.1");
            assertThat(server.last().method()).isEqualTo("DELETE");
            assertThat(server.last().rawPath()).isEqualTo("/api/v1/connector-updates/1.4.0-rc.1");
            assertThatThrownBy(() -> api.connectorUpdates().delete("..")).isInstanceOf(IllegalArgumentException.class);
            api.connectorUpdates().delete("1.4/0");
            assertThat(server.last().rawPath()).as("a slash cannot leave the segment").isEqualTo("/api/v1/connector-updates/1.4%2F0");

            server.answer = RecordingServer.Answer.json(200, ROLLOUT);
            RolloutView r = api.connectorGroups().rollout("g1");
            assertThat(r.state()).isEqualTo(RolloutState.HALTED);
            assertThat(r.connectors().getFirst().updateState()).isEqualTo(UpdateState.ROLLED_BACK);
            assertThat(server.last().rawPath()).isEqualTo("/api/v1/connector-groups/g1/rollout");

            api.connectorGroups().setRollout("g1", new RolloutSettings(true, " 1.3.0 "));
            assertThat(server.last().method()).isEqualTo("PUT");
            assertThat(server.last().rawPath()).isEqualTo("/api/v1/connector-groups/g1/rollout");
            assertThat(server.last().contentType()).isEqualTo("application/json");
            assertThat(server.last().bodyText()).contains("\"paused\":true", "\"pinnedVersion\":\"1.3.0\"");
        }
    }

    @Test
    void theServersRefusalIsItsProblemSentence() throws Exception {
        Path file = Files.write(dir.resolve("b.zip"), new byte[]{1, 2, 3});
        server.answer = RecordingServer.Answer.json(409, """
                {"type":"about:blank","title":"Conflict","status":409,"detail":"version 1.4.0 is uploaded already"}""");
        try (HttpAdminApi api = client()) {
            assertThatThrownBy(() -> api.connectorUpdates().upload(file)).isInstanceOf(AdminApiException.class)
                    .hasMessageContaining("version 1.4.0 is uploaded already");
        }
    }

    @Test
    void whatCannotBeABundleIsRefusedBeforeAnythingIsSent() throws Exception {
        Path empty = Files.createFile(dir.resolve("empty.zip"));
        Path big = dir.resolve("big.zip");
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(UpdateBundle.MAX_BUNDLE_SIZE + 1); // sparse: no disk used
        }
        try (HttpAdminApi api = client()) {
            assertThatThrownBy(() -> api.connectorUpdates().upload(dir)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessage(dir.getFileName() + " is not a file: choose a connector update bundle (.zip).");
            assertThatThrownBy(() -> api.connectorUpdates().upload(dir.resolve("missing.zip")))
                    .hasMessage("Cannot read missing.zip: no such file.");
            assertThatThrownBy(() -> api.connectorUpdates().upload(empty)).hasMessage("empty.zip is empty: choose a connector update bundle (.zip).");
            assertThatThrownBy(() -> api.connectorUpdates().upload(big)).hasMessage("big.zip is larger than 256 MiB: an update bundle is at most that.");
            if (Files.exists(Path.of("/dev/zero"))) {
                assertThatThrownBy(() -> api.connectorUpdates().upload(Path.of("/dev/zero"))).hasMessageContaining("is not a file");
            }
        }
        assertThat(server.seen).isEmpty();
    }

    @Test
    void anUploadsDeadlineGrowsWithItsSizeOthersKeepTheTimeout() {
        Transport t = new Transport(HttpClient.newHttpClient(), URI.create("https://localhost"), () -> null, Duration.ofSeconds(30), "x");
        OperationRequest upload = new OperationRequest("POST", "connector-updates", Map.of(), Optional.empty(),
                Optional.of(new BundleFile(dir.resolve("b.zip"), 256L << 20)), false);
        OperationRequest list = new OperationRequest("GET", "connector-updates", Map.of(), Optional.empty(), Optional.empty(), false);
        assertThat(t.deadline(upload)).isEqualTo(Duration.ofSeconds(30 + 1024));
        assertThat(t.deadline(list)).isEqualTo(Duration.ofSeconds(30));
    }
}
