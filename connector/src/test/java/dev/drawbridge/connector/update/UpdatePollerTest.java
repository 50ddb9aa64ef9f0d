package dev.drawbridge.connector.update;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.model.DrawbridgeVersion;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateManifest;
import dev.drawbridge.model.update.UpdateReport;
import dev.drawbridge.model.update.UpdateState;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The update poller in a real connector whose tunnel connects to a fake tunnel port (mutual TLS, real ES256 manifests):
 * a good bundle is verified, unpacked and the connector drains; each way a bundle or manifest can be wrong is refused
 * with a FAILED report naming it, nothing is installed and the connector keeps serving; without a supervisor it reports
 * DISABLED and downloads nothing.
 */
class UpdatePollerTest {
    private static final String V = "9.9.9";
    private static FakeTunnelPort port;
    private static TestBundles bundles;
    private static byte[] good;
    @TempDir
    static Path shared;
    @TempDir
    Path state;
    private Connector connector;
    private UpdatePoller poller;
    private final AtomicBoolean drained = new AtomicBoolean();

    @BeforeAll
    static void startPort() throws Exception {
        port = new FakeTunnelPort();
        bundles = new TestBundles(shared.resolve("bundles"));
        good = Files.readAllBytes(bundles.bundle(V, null));
    }

    @AfterAll
    static void stopPort() throws Exception {
        port.close();
    }

    @AfterEach
    void stop() throws Exception {
        if (poller != null) {
            poller.close();
        }
        if (connector != null && !drained.get()) {
            connector.close();
        }
        port.reset();
    }

    private void start(boolean enabled, boolean pinned) throws Exception {
        port.writeIdentity(state, pinned);
        connector = Connector.start(new Connector.Options(state, 1, Optional.empty(), Duration.ofSeconds(10)));
        connector.awaitConnected(Duration.ofSeconds(20));
        UpdatePoller.Host host = new UpdatePoller.Host() {
            @Override
            public HttpClient serverHttp() {
                return connector.serverHttp();
            }

            @Override
            public URI tunnelUrl() {
                return connector.tunnelUrl();
            }

            @Override
            public boolean allTunnelsConnected() {
                return connector.connectedTunnels() >= 1;
            }

            @Override
            public void drain() throws Exception {
                drained.set(true);
                connector.close();
            }
        };
        UpdatePoller.KeyPin pin = new UpdatePoller.KeyPin() {
            @Override
            public Optional<String> load() throws IOException {
                return ConnectorIdentity.loadUpdateKey(state);
            }

            @Override
            public void store(String jwk) throws IOException {
                ConnectorIdentity.saveUpdateKey(state, jwk);
            }
        };
        poller = new UpdatePoller(host, pin, new UpdateFiles(state), new UpdatePoller.Settings(enabled, Duration.ofSeconds(1),
                DrawbridgeVersion.current())).start();
    }

    /** The server offers {@code manifest} for V until the connector reports a failure. */
    private static void offer(String manifest) {
        port.instructions = r -> r.state() == UpdateState.FAILED ? UpdateInstruction.none("halted") : UpdateInstruction.update(V, manifest);
    }

    private static UpdateReport awaitFailure() throws InterruptedException {
        Eventually.until("a FAILED report", Duration.ofSeconds(30), () -> port.reports().stream().anyMatch(r -> r.state() == UpdateState.FAILED));
        return port.reports().stream().filter(r -> r.state() == UpdateState.FAILED).findFirst().orElseThrow();
    }

    private void assertRefused(String sentence) throws Exception {
        UpdateReport failed = awaitFailure();
        assertThat(failed.attemptedVersion()).isEqualTo(V);
        assertThat(failed.version()).isEqualTo(DrawbridgeVersion.current());
        assertThat(failed.lastError()).contains(sentence).doesNotContain("\n").doesNotContain("Exception").doesNotContain("\tat ");
        UpdateFiles files = new UpdateFiles(state);
        try (Stream<Path> left = Files.exists(files.versions()) ? Files.list(files.versions()) : Stream.empty()) {
            assertThat(left).as("nothing installed").isEmpty();
        }
        try (Stream<Path> left = Files.list(files.root())) {
            assertThat(left.map(p -> p.getFileName().toString())).as("no download left").noneMatch(n -> n.startsWith("download"));
        }
        assertThat(files.next()).isEmpty();
        assertThat(poller.restart()).isNotDone();
        assertThat(drained).isFalse();
        assertThat(connector.connectedTunnels()).as("the old version keeps serving").isEqualTo(1);
    }

    @Test
    void aGoodBundleIsVerifiedUnpackedAndTheConnectorDrainsForTheRestart() throws Exception {
        port.serveBundle(V, good);
        offer(port.manifest(V, good));
        start(true, true);
        assertThat(poller.restart().get(60, TimeUnit.SECONDS)).isEqualTo(V);
        UpdateFiles files = new UpdateFiles(state);
        assertThat(files.next()).contains(V);
        Launch l = files.launch(V);
        assertThat(l.mainClass()).isEqualTo(TestBundles.MAIN);
        assertThat(l.classPath().getFirst().getFileName().toString()).isEqualTo("0-version-" + V + ".jar");
        assertThat(drained).isTrue();
        assertThat(port.reports().stream().map(UpdateReport::state)).containsSubsequence(UpdateState.IDLE, UpdateState.DOWNLOADING,
                UpdateState.DRAINING);
        assertThat(files.healthy()).as("a supervised connector confirms its version once its tunnels are up").contains(DrawbridgeVersion.current());
        assertThat(port.keyRequests).hasValue(0);
        if (UpdateFiles.posix()) {
            assertThat(Files.getPosixFilePermissions(files.root())).hasToString("[OWNER_READ, OWNER_WRITE, OWNER_EXECUTE]");
            assertThat(Files.getPosixFilePermissions(files.root().resolve("next"))).hasToString("[OWNER_READ, OWNER_WRITE]");
        }
    }

    @Test
    void aConnectorRegisteredWithoutTheKeyFetchesItOnceOverItsChannelAndPinsIt() throws Exception {
        port.serveBundle(V, good);
        offer(port.manifest(V, good));
        start(true, false);
        assertThat(poller.restart().get(60, TimeUnit.SECONDS)).isEqualTo(V);
        assertThat(port.keyRequests).hasValue(1);
        assertThat(ECKey.parse(ConnectorIdentity.loadUpdateKey(state).orElseThrow()).toPublicJWK())
                .isEqualTo(port.updateKey.toPublicJWK());
    }

    @Test
    void withoutASupervisorItReportsDisabledAndNeverDownloads() throws Exception {
        port.serveBundle(V, good);
        offer(port.manifest(V, good));
        start(false, true);
        Eventually.until("two reports", Duration.ofSeconds(20), () -> port.reports().size() >= 2);
        assertThat(port.reports()).allSatisfy(r -> assertThat(r.state()).isEqualTo(UpdateState.DISABLED));
        assertThat(poller.restart()).isNotDone();
        assertThat(new UpdateFiles(state).healthy()).isEmpty();
        assertThat(Files.exists(new UpdateFiles(state).versions())).isFalse();
    }

    @Test
    void aManifestSignedByAnotherKeyIsRefused() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        port.serveBundle(V, good);
        offer(FakeTunnelPort.sign(other, manifest(V, FakeTunnelPort.sha256(good), good.length)));
        start(true, true);
        assertRefused("signed by another key than the update key this connector pinned");
    }

    @Test
    void aManifestNamingThePinnedKeyButSignedByAnotherIsRefused() throws Exception {
        ECKey other = new ECKeyGenerator(Curve.P_256).generate();
        String forged = FakeTunnelPort.sign(other, manifest(V, FakeTunnelPort.sha256(good), good.length));
        String[] parts = port.manifest(V, good).split("\\.");
        String[] bad = forged.split("\\.");
        port.serveBundle(V, good);
        offer(parts[0] + "." + bad[1] + "." + bad[2]);
        start(true, true);
        assertRefused("does not verify with the pinned update key");
    }

    @Test
    void aWrongHashIsRefused() throws Exception {
        byte[] tampered = Arrays.copyOf(good, good.length);
        tampered[tampered.length / 2] ^= 1;
        port.serveBundle(V, tampered);
        offer(port.manifest(V, good));
        start(true, true);
        assertRefused("does not have the SHA-256 its signed manifest says");
    }

    @Test
    void aWrongSizeIsRefused() throws Exception {
        port.serveBundle(V, good);
        offer(FakeTunnelPort.sign(port.updateKey, manifest(V, FakeTunnelPort.sha256(good), good.length + 1)));
        start(true, true);
        assertRefused("bytes, not the " + (good.length + 1) + " its signed manifest says");
    }

    @Test
    void aDownloadAnnouncedLargerThanTheManifestIsRefusedBeforeReadingIt() throws Exception {
        byte[] longer = Arrays.copyOf(good, good.length + 4096);
        port.bundles.put(V, new FakeTunnelPort.Served(longer, longer.length));
        offer(port.manifest(V, good));
        start(true, true);
        assertRefused("larger than the " + good.length + " its signed manifest says");
    }

    @Test
    void aDownloadThatSendsMoreThanTheManifestSaysIsCutAtTheCap() throws Exception {
        byte[] longer = Arrays.copyOf(good, good.length + 4096);
        port.bundles.put(V, new FakeTunnelPort.Served(longer, -1));
        offer(port.manifest(V, good));
        start(true, true);
        assertRefused("is larger than the " + good.length + " bytes its signed manifest says");
    }

    @Test
    void aBundleWithATraversalEntryIsRefused() throws Exception {
        byte[] odd = Files.readAllBytes(bundles.bundleWithEntry(V, "lib/../../../evil.jar"));
        port.serveBundle(V, odd);
        offer(port.manifest(V, odd));
        start(true, true);
        assertRefused("a bundle holds only drawbridge-update.properties and lib/<name>.jar");
    }

    @Test
    void aBundleWhoseDescriptorNamesAnotherVersionIsRefused() throws Exception {
        byte[] other = Files.readAllBytes(bundles.bundle("9.9.8", null));
        port.serveBundle(V, other);
        offer(port.manifest(V, other));
        start(true, true);
        assertRefused("names version 9.9.8 in its descriptor");
    }

    @Test
    void aBundleNeedingANewerJavaIsRefused() throws Exception {
        byte[] newer = Files.readAllBytes(bundles.bundle(V, TestBundles.MAIN, Runtime.version().feature() + 1));
        port.serveBundle(V, newer);
        offer(port.manifest(V, newer));
        start(true, true);
        assertRefused("needs Java " + (Runtime.version().feature() + 1));
    }

    private static UpdateManifest manifest(String v, String sha, long size) {
        return new UpdateManifest("drawbridge-connector", v, sha, size, Instant.now());
    }
}
