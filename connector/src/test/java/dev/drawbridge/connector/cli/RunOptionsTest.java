package dev.drawbridge.connector.cli;

import dev.drawbridge.connector.tunnel.TransportChoice;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

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
    void thereIsNoManagementListenerUnlessAskedFor() {
        ConnectorCli.Run options = new ConnectorCli.Run();
        new CommandLine(options).parseArgs();
        assertThat(options.managementPort).isNull();
        assertThat(options.managementBind).isEqualTo("127.0.0.1");
        assertThat(options.logFormat).isEqualTo("text");
    }
}
