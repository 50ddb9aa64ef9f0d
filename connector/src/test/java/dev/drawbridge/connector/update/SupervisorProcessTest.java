package dev.drawbridge.connector.update;

import dev.drawbridge.model.DrawbridgeVersion;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateReport;
import dev.drawbridge.model.update.UpdateState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code run --auto-update} as real processes: the supervisor ({@code java -cp <this test's class path> ConnectorCli run
 * --auto-update}) and the connector it starts as its child, against a fake tunnel port. A good version is restarted
 * into and confirmed; a version whose jars are incomplete, whose main class exits, or that never connects is rolled back
 * and the version before reports ROLLED_BACK with the reason; SIGTERM stops both (143); an upgraded package wins over the
 * stored current version.
 */
class SupervisorProcessTest {
    private static final String INSTALLED = DrawbridgeVersion.current();
    private static final Duration BOUND = Duration.ofSeconds(90);
    private static FakeTunnelPort port;
    private static TestBundles bundles;
    @TempDir
    static Path shared;
    @TempDir
    Path state;
    private Process supervisor;
    private Path log;

    @BeforeAll
    static void startPort() throws Exception {
        port = new FakeTunnelPort();
        bundles = new TestBundles(shared.resolve("bundles"));
    }

    @AfterAll
    static void stopPort() throws Exception {
        port.close();
    }

    @AfterEach
    void stop() throws Exception {
        FakeTunnelPort.destroyTree(supervisor);
        port.reset();
    }

    private void startSupervisor(String trial) throws Exception {
        port.writeIdentity(state, true);
        log = state.resolveSibling(state.getFileName() + "-supervisor.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", TestBundles.testClassPath(), "dev.drawbridge.connector.cli.ConnectorCli", "run", "--auto-update",
                "--state-dir", state.toString(), "--tunnels", "2", "--update-check", "1s", "--update-trial", trial));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DRAWBRIDGE_CONNECTOR_"));
        supervisor = pb.start();
    }

    /** Offers {@code bundle} as {@code v} to a connector that runs {@code from} and is idle; NONE otherwise. */
    private static void offerOnce(String from, String v, Path bundle) throws Exception {
        byte[] bytes = Files.readAllBytes(bundle);
        port.serveBundle(v, bytes);
        String manifest = port.manifest(v, bytes);
        port.instructions = r -> r.version().equals(from) && r.state() == UpdateState.IDLE ? UpdateInstruction.update(v, manifest)
                : UpdateInstruction.none("up to date");
    }

    private UpdateReport await(String what, Predicate<UpdateReport> p) throws Exception {
        try {
            Eventually.until(what, BOUND, () -> port.reports().stream().anyMatch(p) || !supervisor.isAlive());
        } catch (AssertionError e) {
            throw new AssertionError(e.getMessage() + "; supervisor log:\n" + Files.readString(log), e);
        }
        Optional<UpdateReport> r = port.reports().stream().filter(p).findFirst();
        assertThat(r).as(what + " (supervisor exited? log:\n" + Files.readString(log) + ")").isPresent();
        return r.get();
    }

    @Test
    void aGoodVersionIsRestartedIntoConfirmedAndKeptAcrossARestartAndSigtermStopsBoth() throws Exception {
        offerOnce(INSTALLED, "9.9.9", bundles.bundle("9.9.9", null));
        startSupervisor("60s");
        await("the update to 9.9.9", r -> r.version().equals(INSTALLED) && r.state() == UpdateState.DRAINING);
        await("9.9.9 reporting healthy", r -> r.version().equals("9.9.9") && r.state() == UpdateState.IDLE);
        UpdateFiles files = new UpdateFiles(state);
        Eventually.until("9.9.9 to be current", BOUND, () -> files.current().isPresent());
        assertThat(files.current()).contains(new UpdateFiles.Current("9.9.9", INSTALLED));
        assertThat(Files.isDirectory(files.version("9.9.9"))).isTrue();
        assertThat(supervisor.isAlive()).isTrue();

        // SIGTERM: the supervisor stops its child (which drains) and exits with 143, as the connector does without it.
        List<ProcessHandle> children = supervisor.children().toList();
        assertThat(children).hasSize(1);
        supervisor.destroy();
        assertThat(supervisor.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(supervisor.exitValue()).isEqualTo(143);
        assertThat(children.getFirst().onExit().get(30, TimeUnit.SECONDS).isAlive()).isFalse();

        // Started again, it runs the current version at once.
        port.reports.clear();
        startSupervisor("60s");
        UpdateReport first = await("a report after the restart", r -> true);
        assertThat(first.version()).isEqualTo("9.9.9");
    }

    @Test
    void aVersionMissingAJarIsRolledBack() throws Exception {
        rollsBack(bundles.bundle("9.9.10", "jetty-client"), "exited with status 1 before its tunnels connected", "60s");
    }

    @Test
    void aVersionWhoseMainClassExitsIsRolledBack() throws Exception {
        rollsBack(bundles.bundle("9.9.10", "dev.drawbridge.connector.update.fixture.ExitsOne", Runtime.version().feature()),
                "exited with status 1 before its tunnels connected", "60s");
    }

    @Test
    void aVersionThatNeverConfirmsIsStoppedAndRolledBack() throws Exception {
        rollsBack(bundles.bundle("9.9.10", "dev.drawbridge.connector.update.fixture.NeverHealthy", Runtime.version().feature()),
                "did not connect its tunnels within 8 s", "8s");
    }

    private void rollsBack(Path bundle, String reason, String trial) throws Exception {
        assertThat(UpdateBundle.inspect(bundle).version()).isEqualTo("9.9.10");
        offerOnce(INSTALLED, "9.9.10", bundle);
        startSupervisor(trial);
        UpdateReport back = await("the ROLLED_BACK report", r -> r.state() == UpdateState.ROLLED_BACK);
        assertThat(back.version()).isEqualTo(INSTALLED);
        assertThat(back.attemptedVersion()).isEqualTo("9.9.10");
        assertThat(back.lastError()).contains(reason).doesNotContain("\n").doesNotContain("Exception");
        UpdateFiles files = new UpdateFiles(state);
        assertThat(files.current()).isEmpty();
        assertThat(Files.exists(files.version("9.9.10"))).as("the failed version is removed").isFalse();
        assertThat(supervisor.isAlive()).isTrue();
        Eventually.until("the rolled-back file to be consumed", BOUND, () -> files.rolledBack().isEmpty());
    }

    @Test
    void anUpgradedPackageWinsOverTheStoredCurrentVersion() throws Exception {
        UpdateFiles files = new UpdateFiles(state);
        files.ensure();
        Path b = bundles.bundle("9.9.9", null);
        UpdateBundle.Descriptor d = UpdateBundle.extract(b, files.version("9.9.9"));
        Files.writeString(files.version("9.9.9").resolve(UpdateFiles.JARS), String.join("\n", d.jars()));
        files.setCurrent("9.9.9", "0.0.1");
        startSupervisor("60s");
        UpdateReport first = await("a report", r -> true);
        assertThat(first.version()).isEqualTo(INSTALLED);
        assertThat(files.current()).isEmpty();
        assertThat(Files.exists(files.version("9.9.9"))).isFalse();
    }
}
