package dev.drawbridge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin CLI's front door when nothing answers: a bad option, an unreachable server (by a *.localhost name and
 * by an address, which went through a resolver that did not exist yet and failed with a NullPointerException), and
 * a CA file that cannot be read are one line, "error: " and what to do, with the documented exit code.
 */
class CliFailuresTest {
    @TempDir
    Path config;

    private String[] run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        DrawbridgeCli cli = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", config.toString()), new ByteArrayInputStream(new byte[0]));
        CommandLine cl = DrawbridgeCli.commandLine(cli);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[]{Integer.toString(exit), err.toString()};
    }

    private static void assertOneLine(String[] run, int exit, String... hints) {
        List<String> lines = run[1].lines().toList();
        assertThat(lines).as(run[1]).hasSize(1);
        assertThat(lines.getFirst()).startsWith("error: ").doesNotContain("Exception", "\tat ").contains(hints);
        assertThat(Integer.parseInt(run[0])).as(run[1]).isEqualTo(exit);
    }

    @Test
    void anUnreachableServerIsOneLineWithExitCode3() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        for (String server : List.of("https://admin.localhost:" + port, "https://127.0.0.1:" + port)) {
            assertOneLine(run("connectors", "list", "--server", server, "--token", "dbadm_x"), CliException.UNREACHABLE,
                    "cannot reach " + server, "connection refused");
        }
    }

    @Test
    void aBadOptionOrCaFileIsOneLineWithExitCode2() {
        assertOneLine(run("connectors", "lst"), 2, "'lst'", "'drawbridge connectors --help'");
        assertOneLine(run("apps", "list", "--outptu", "json"), 2, "--outptu", "'drawbridge apps list --help'");
        assertOneLine(run("apps", "list", "--server", "https://admin.localhost:1", "--token", "t", "--ca-file", config.resolve("none.pem").toString()),
                2, "none.pem");
    }

    @Test
    void aFilterValueOutsideItsEnumIsOneLineListingTheAllowedValuesWithExitCode2() {
        assertOneLine(run("access-requests", "list", "--status", "expired"), 2, "--status", "[PENDING, APPROVED, DENIED]", "'expired'",
                "'drawbridge access-requests list --help'");
        assertOneLine(run("logs", "sign-ins", "--result", "ok"), 2, "--result", "[SUCCESS, FAILURE, DENIED, INTERRUPTED]", "'ok'");
        assertOneLine(run("logs", "sign-ins", "--event", "login"), 2, "--event", "SIGN_IN", "ADMIN_SIGN_IN", "'login'");
        assertOneLine(run("logs", "connector-events", "--type", "up"), 2, "--event", "CONNECTED", "HEARTBEAT_MISSED", "'up'");
        assertOneLine(run("connectors", "list", "--status", "gone"), 2, "--status", "[ACTIVE, INACTIVE, REVOKED]", "'gone'");
    }
}
