package dev.drawbridge.cli;

import picocli.CommandLine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The CLI run in-process against a closed loopback port: whatever a command refuses before calling the server exits 2
 * with its message; a call would exit 3 (cannot reach). For the tests of what the CLI checks by itself.
 */
final class OfflineCli {
    /** A run's exit code and what it printed. */
    record Run(int exit, String out, String err) {
    }

    private OfflineCli() {
    }

    static Run run(Path configDir, String... args) throws IOException {
        return runWithInput(configDir, "", args);
    }

    /** As {@link #run}, with {@code stdin} as the standard input (a piped password). */
    static Run runWithInput(Path configDir, String stdin, String... args) throws IOException {
        int port;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(List.of("--server", "https://admin.localhost:" + port, "--token", "dbadm_test"));
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = DrawbridgeCli.commandLine(new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", configDir.toString()),
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8))));
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return new Run(cl.execute(all.toArray(String[]::new)), out.toString(), err.toString());
    }
}
