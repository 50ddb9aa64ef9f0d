package dev.drawbridge.connector.update;

import dev.drawbridge.connector.cli.ConnectorCli;
import dev.drawbridge.model.DrawbridgeVersion;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateState;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector whose certificate expired is refused for good: {@code run} exits 2 with one sentence saying to register again,
 * which the service's {@code RestartPreventExitStatus=2} does not restart (it used to exit 1 and be restarted every 5 s);
 * under {@code run --auto-update} the supervisor exits 2 with it, and a version on trial that stops for that reason is not
 * rolled back (no version is to blame, and the rollback would start the previous one only to be refused again).
 */
class ExpiredCertificateProcessTest {
    private static final String INSTALLED = DrawbridgeVersion.current();
    private static FakeTunnelPort port;
    private static TestBundles bundles;
    @TempDir
    static Path shared;
    @TempDir
    Path state;
    private Process supervisor;

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
    void stop() {
        FakeTunnelPort.destroyTree(supervisor);
        port.reset();
    }

    @Test
    void runExitsTwoWithOneSentence() throws Exception {
        port.writeExpiredIdentity(state);
        StringWriter err = new StringWriter();
        CommandLine cl = ConnectorCli.commandLine();
        cl.setOut(new PrintWriter(new StringWriter(), true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute("run", "--state-dir", state.toString(), "--tunnels", "1");
        assertThat(err.toString().lines().toList()).singleElement().asString()
                .startsWith("error: this connector's certificate expired at ").contains("register it again with a new token");
        assertThat(exit).isEqualTo(2);
    }

    @Test
    void theSupervisorExitsTwoWithTheConnector() throws Exception {
        port.writeExpiredIdentity(state);
        Path log = startSupervisor();
        assertThat(supervisor.waitFor(90, TimeUnit.SECONDS)).as("the supervisor stops").isTrue();
        assertThat(supervisor.exitValue()).as(Files.readString(log)).isEqualTo(2);
        assertThat(Files.readString(log)).contains("this connector's certificate expired at");
        assertThat(new UpdateFiles(state).rolledBack()).isEmpty();
    }

    @Test
    void aVersionOnTrialStoppedByTheExpiredCertificateIsNotRolledBack() throws Exception {
        port.writeIdentity(state, true);
        Path bundle = bundles.bundle("9.9.10", "dev.drawbridge.connector.update.fixture.ExpiresAndExitsTwo", Runtime.version().feature());
        byte[] bytes = Files.readAllBytes(bundle);
        port.serveBundle("9.9.10", bytes);
        String manifest = port.manifest("9.9.10", bytes);
        port.instructions = r -> r.version().equals(INSTALLED) && r.state() == UpdateState.IDLE ? UpdateInstruction.update("9.9.10", manifest)
                : UpdateInstruction.none("up to date");
        Path log = startSupervisor();
        assertThat(supervisor.waitFor(120, TimeUnit.SECONDS)).as("the supervisor stops").isTrue();
        String out = Files.readString(log);
        assertThat(supervisor.exitValue()).as(out).isEqualTo(2);
        assertThat(out).contains("not rolling back").doesNotContain("going back to version");
        UpdateFiles files = new UpdateFiles(state);
        assertThat(files.rolledBack()).as("nothing to report as a failed update").isEmpty();
        assertThat(files.current()).as("the version that ran before stays current").isEmpty();
        assertThat(Files.isDirectory(files.version("9.9.10"))).as("the version is kept: it was not at fault").isTrue();
        assertThat(port.reports()).noneMatch(r -> r.state() == UpdateState.ROLLED_BACK);
    }

    private Path startSupervisor() throws Exception {
        Path log = state.resolveSibling(state.getFileName() + "-supervisor.log");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", TestBundles.testClassPath(), "dev.drawbridge.connector.cli.ConnectorCli", "run", "--auto-update",
                "--state-dir", state.toString(), "--tunnels", "2", "--update-check", "1s", "--update-trial", "60s"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().keySet().removeIf(k -> k.startsWith("DRAWBRIDGE_CONNECTOR_"));
        supervisor = pb.start();
        return log;
    }
}
