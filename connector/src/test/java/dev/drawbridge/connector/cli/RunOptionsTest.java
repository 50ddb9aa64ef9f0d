package dev.drawbridge.connector.cli;

import dev.drawbridge.connector.identity.RenewalSchedule;
import dev.drawbridge.connector.tunnel.TransportChoice;
import dev.drawbridge.model.tunnel.FlowControl;
import dev.drawbridge.model.tunnel.WindowBudget;
import dev.drawbridge.tunnel.transport.PinnedInput;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge-connector run}'s operations options are checked before anything starts: a log format other than text
 * or json, a tunnel transport other than auto or websocket (option or system property), or a management port out of
 * range, is one sentence naming the option (exit 2); without {@code --management-port} there is no management listener.
 */
class RunOptionsTest {
    @TempDir
    Path state;

    private String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = ConnectorCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[]{Integer.toString(exit), err.toString().strip()};
    }

    @Test
    void aBadLogFormatIsOneSentenceNamingTheOption() {
        assertThat(run("run", "--state-dir", state.toString(), "--log-format", "xml"))
                .containsExactly("2", "error: --log-format must be text or json, not 'xml'.");
    }

    @Test
    void aManagementPortOutOfRangeIsOneSentenceNamingTheOption() {
        assertThat(run("run", "--state-dir", state.toString(), "--management-port", "70000"))
                .containsExactly("2", "error: --management-port must be a port number (0-65535), not 70000.");
        assertThat(run("run", "--state-dir", state.toString(), "--management-port", "x")[1]).contains("--management-port").startsWith("error: ");
    }

    @Test
    void aBadTunnelTransportIsOneSentenceNamingTheOptionOrTheProperty() {
        assertThat(run("run", "--state-dir", state.toString(), "--tunnel-transport", "ws"))
                .containsExactly("2", "error: --tunnel-transport must be auto or websocket, not 'ws'.");
        String before = System.getProperty(TransportChoice.PROPERTY);
        System.setProperty(TransportChoice.PROPERTY, "tcp");
        try {
            assertThat(run("run", "--state-dir", state.toString()))
                    .containsExactly("2", "error: the system property drawbridge.tunnel.transport must be auto or websocket, not 'tcp'.");
        } finally {
            if (before == null) {
                System.clearProperty(TransportChoice.PROPERTY);
            } else {
                System.setProperty(TransportChoice.PROPERTY, before);
            }
        }
    }

    @Test
    void badWindowCapsAreOneSentenceNamingTheOption() {
        assertThat(run("run", "--state-dir", state.toString(), "--tunnel-parked-max", "lots"))
                .containsExactly("2", "error: --tunnel-parked-max: 'lots' is not a size such as 512k, 16m or 1g.");
        assertThat(run("run", "--state-dir", state.toString(), "--tunnel-max-stream-window", "100k"))
                .containsExactly("2", "error: --tunnel-max-stream-window must be between 512k (fixed windows) and 1g, not 100k.");
        assertThat(run("run", "--state-dir", state.toString(), "--tunnel-window-budget", "-1")[1]).startsWith("error: --tunnel-window-budget");
        assertThat(run("run", "--state-dir", state.toString(), "--tunnel-pinned-max", "5x"))
                .containsExactly("2", "error: --tunnel-pinned-max: '5x' is not a size such as 512k, 16m or 1g.");
    }

    @Test
    void thePinnedCapIsAnOptionOfTheConnectorsOwn() {
        ConnectorCli.Run options = new ConnectorCli.Run();
        new CommandLine(options).parseArgs();
        assertThat(options.pinnedMax()).isEqualTo(PinnedInput.CONNECTOR_DEFAULT)
                .isEqualTo(Math.min(64L * 1024 * 1024, Runtime.getRuntime().maxMemory() / 32));
        options = new ConnectorCli.Run();
        new CommandLine(options).parseArgs("--tunnel-pinned-max", "0");
        assertThat(options.pinnedMax()).as("0: always copy").isZero();
        options = new ConnectorCli.Run();
        new CommandLine(options).parseArgs("--tunnel-pinned-max", "8m");
        assertThat(options.pinnedMax()).isEqualTo(8L * 1024 * 1024);
    }

    @Test
    void windowCapsReachTheFlowControlOfEveryTunnelWithOneProcessBudget() {
        ConnectorCli.Run options = new ConnectorCli.Run();
        CommandLine cl = new CommandLine(options);
        cl.parseArgs();
        FlowControl defaults = options.flowControl();
        assertThat(defaults.maxWindow()).isEqualTo(FlowControl.DEFAULT_MAX_WINDOW);
        assertThat(defaults.tunnelBudget()).isEqualTo(FlowControl.DEFAULT_TUNNEL_BUDGET);
        assertThat(defaults.processBudget().limit()).isEqualTo(WindowBudget.DEFAULT_LIMIT);
        options = new ConnectorCli.Run();
        new CommandLine(options).parseArgs("--tunnel-max-stream-window", "32m", "--tunnel-window-budget", "8m", "--tunnel-parked-max", "100m");
        FlowControl given = options.flowControl();
        assertThat(given.maxWindow()).isEqualTo(32 * 1024 * 1024);
        assertThat(given.tunnelBudget()).isEqualTo(8L * 1024 * 1024);
        assertThat(given.processBudget().limit()).isEqualTo(100L * 1024 * 1024);
    }

    @Test
    void thereIsNoManagementListenerUnlessAskedFor() {
        ConnectorCli.Run options = new ConnectorCli.Run();
        new CommandLine(options).parseArgs();
        assertThat(options.managementPort).isNull();
        assertThat(options.managementBind).isEqualTo("127.0.0.1");
        assertThat(options.logFormat).isEqualTo("text");
        assertThat(options.renewalCheck).isEqualTo(Duration.ofHours(6));
    }

    /** The hidden {@code --renewal-check} can only shorten the 6 h check interval; it is not in the help. */
    @Test
    void theRenewalCheckIsHiddenAndCanOnlyBeShortened() {
        assertThat(run("run", "--state-dir", state.toString(), "--renewal-check", "7h"))
                .containsExactly("2", "error: --renewal-check must be between 1s and 6h, not 7h.");
        assertThat(run("run", "--state-dir", state.toString(), "--renewal-check", "500ms"))
                .containsExactly("2", "error: --renewal-check must be between 1s and 6h, not 0.5s.");
        assertThat(run("run", "--state-dir", state.toString(), "--renewal-check", "0s")[1]).contains("--renewal-check").startsWith("error: ");
        StringWriter help = new StringWriter();
        ConnectorCli.commandLine().setOut(new PrintWriter(help, true)).execute("run", "--help");
        assertThat(help.toString()).contains("--update-check").doesNotContain("renewal");

        assertThat(RenewalSchedule.every(Duration.ofSeconds(2))).isEqualTo(new RenewalSchedule(Duration.ofSeconds(2), Duration.ofSeconds(2)));
        assertThat(RenewalSchedule.every(Duration.ofHours(6))).isEqualTo(RenewalSchedule.DEFAULT);
        assertThat(RenewalSchedule.DEFAULT).isEqualTo(new RenewalSchedule(Duration.ofMinutes(1), Duration.ofHours(6)));
    }
}
