package dev.drawbridge.demo;

import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The demo runs again on any ports: a second start on other ports (both moved) keeps the stored connector, which
 * follows the server; a start after the server's data was deleted registers a new connector; and a failure to start
 * (a port in use, a bad option) is one line, "error: " and a sentence saying what to do. Each run serves the sample app and
 * the link translation example, translated.
 */
class DemoTest {
    @TempDir
    Path dir;

    private final ByteArrayOutputStream notes = new ByteArrayOutputStream();

    private Demo start(int port, int tunnelPort) throws Exception {
        return Demo.start(new Demo.Settings(dir, port, tunnelPort, true), new PrintStream(notes, true));
    }

    private static void assertServesTheSampleApp(Demo demo) throws Exception {
        ContentResponse r = demo.stack.http().newRequest(URI.create(demo.url)).timeout(20, TimeUnit.SECONDS).send();
        assertThat(r.getStatus()).isEqualTo(200);
        assertThat(r.getContentAsString()).containsIgnoringCase("sample")
                // The sample app links to a second published app, Expenses, by its internal URL: translated.
                .contains("<a id=\"other-expenses\" href=\"" + demo.stack.externalUrl("expenses") + "\">")
                .doesNotContain("href=\"http://127.0.0.1");
        // The link translation example: Benefits links to Expenses' external URL (its internal one moves with every run).
        ContentResponse benefits = demo.stack.http().newRequest(URI.create(demo.links.benefitsUrl)).timeout(20, TimeUnit.SECONDS).send();
        assertThat(benefits.getContentAsString()).contains("<a id=\"to-Expenses\" href=\"" + demo.stack.externalUrl("expenses") + "page\">")
                .doesNotContain("<a id=\"to-Expenses\" href=\"http://127.0.0.1");
    }

    @Test
    void aSecondRunOnOtherPortsKeepsTheConnectorAndWorks() throws Exception {
        String connectorId;
        int port, tunnelPort;
        try (Demo first = start(0, 0)) {
            assertServesTheSampleApp(first);
            connectorId = first.connector.connectorId();
            port = first.stack.server().publicPort();
            tunnelPort = first.stack.server().tunnelPort();
        }
        try (Demo second = start(0, 0)) {
            assertThat(second.stack.server().publicPort()).isNotEqualTo(port);
            assertThat(second.stack.server().tunnelPort()).isNotEqualTo(tunnelPort);
            assertServesTheSampleApp(second);
            assertThat(second.connector.connectorId()).as("the stored connector followed the server").isEqualTo(connectorId);
            assertThat(second.connector.tunnelUrl().getPort()).isEqualTo(second.stack.server().tunnelPort());
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir))).as("the demo's secrets folder").isEqualTo("rwx------");
    }

    @Test
    void aRunAfterTheServersDataWasDeletedRegistersANewConnector() throws Exception {
        String connectorId;
        try (Demo first = start(0, 0)) {
            connectorId = first.connector.connectorId();
        }
        deleteTree(dir.resolve("server"));
        try (Demo second = start(0, 0)) {
            assertServesTheSampleApp(second);
            assertThat(second.connector.connectorId()).isNotEqualTo(connectorId);
            assertThat(notes.toString()).contains("registering a new one");
        }
    }

    @Test
    void aPortInUseIsOneSentenceNamingTheOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int p = taken.getLocalPort();
            assertOneSentence(demo("--data-dir", dir.toString(), "--port", Integer.toString(p), "--tunnel-port", "0"), 1,
                    "port " + p + " is already in use", "--port");
            assertOneSentence(demo("--data-dir", dir.toString(), "--port", "0", "--tunnel-port", Integer.toString(p)), 1,
                    "tunnel port " + p + " is already in use", "--tunnel-port");
        }
        assertOneSentence(demo("--prot", "9443"), 2, "Unknown option", "'drawbridge-demo --help'");
    }

    /** Exit code and stderr of DemoMain run in-process (it returns at once when it cannot start). */
    private static String[] demo(String... args) {
        StringWriter err = new StringWriter();
        CommandLine cl = DemoMain.commandLine();
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new String[]{Integer.toString(exit), err.toString()};
    }

    private static void assertOneSentence(String[] run, int exit, String... hints) {
        List<String> lines = run[1].lines().toList();
        assertThat(lines).as(run[1]).hasSize(1);
        assertThat(lines.getFirst()).startsWith("error: ").endsWith(".").doesNotContain("Exception", "\tat ").contains(hints);
        assertThat(Integer.parseInt(run[0])).isEqualTo(exit);
    }

    private static void deleteTree(Path p) throws Exception {
        try (var all = Files.walk(p)) {
            for (Path f : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(f);
            }
        }
    }
}
