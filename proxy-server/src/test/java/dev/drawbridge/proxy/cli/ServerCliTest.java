package dev.drawbridge.proxy.cli;

import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge-server}'s front door: {@code --help} on every command, and every failure to start (a bad
 * option, an invalid setting, a port in use, an address this machine lacks, an unusable data directory, a database
 * another server holds) answered by one line, "error: " and a sentence naming what to do, never a stack trace, with
 * exit 2 for the command line and configuration and 1 for the rest. Run in-process through {@link ServerCli#commandLine()},
 * and as a separate process where the failure needs one (H2 locks its file against other processes only).
 */
class ServerCliTest {
    @TempDir
    Path tmp;

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    static Run run(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = ServerCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** One line on stderr, an "error: " sentence containing every hint, no stack trace. */
    static void assertOneSentence(Run r, int exit, String... hints) {
        assertThat(r.errLines()).as("stderr of %s", r).hasSize(1);
        String line = r.errLines().getFirst();
        System.out.println(line);
        assertThat(line).startsWith("error: ").endsWith(".").doesNotContain("Exception", "\tat ");
        for (String h : hints) {
            assertThat(line).contains(h);
        }
        assertThat(r.exit()).as(line).isEqualTo(exit);
    }

    @Test
    void helpWorksOnTheProgramAndOnServe() {
        Run top = run("--help");
        assertThat(top.exit()).isZero();
        assertThat(top.out()).contains("serve");
        Run serve = run("serve", "--help");
        assertThat(serve.exit()).as(serve.err()).isZero();
        assertThat(serve.out()).contains("--tunnel-port", "--data-dir", "--database-url");
        assertThat(serve.err()).isEmpty();
    }

    @Test
    void aBadOptionIsOneLinePointingToHelp() {
        assertOneSentence(run("serve", "--prot", "9443"), 2, "Unknown option", "'--prot'", "'drawbridge-server serve --help'");
        assertOneSentence(run("serve", "--port", "nine"), 2, "--port", "'drawbridge-server serve --help'");
        assertOneSentence(run("server"), 2, "'drawbridge-server --help'");
        assertOneSentence(run(), 2, "drawbridge-server serve");
    }

    @Test
    void anInvalidSettingNamesItsOption() {
        assertOneSentence(run("serve", "--data-dir", tmp.resolve("d").toString(), "--domain", "Not A Domain", "--port", "70000"),
                2, "--domain: 'Not A Domain'", "--port: 70000");
    }

    @Test
    void aPortInUseNamesThePortAndTheOptionThatMovesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int p = taken.getLocalPort();
            assertOneSentence(serve(tmp.resolve("a"), p, 0), 1, "port " + p + " is already in use", "--port");
            assertOneSentence(serve(tmp.resolve("b"), 0, p), 1, "tunnel port " + p + " is already in use", "--tunnel-port");
        }
    }

    @Test
    void aManagementPortInUseNamesItsOption() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            int p = taken.getLocalPort();
            assertOneSentence(run("serve", "--data-dir", tmp.resolve("m").toString(), "--bind", "127.0.0.1", "--port", "0",
                    "--tunnel-port", "0", "--management-port", Integer.toString(p)), 1, "management port " + p + " is already in use",
                    "--management-port");
        }
        assertOneSentence(run("serve", "--data-dir", tmp.resolve("m2").toString(), "--management-port", "eighty"), 2,
                "--management-port");
        assertOneSentence(run("serve", "--data-dir", tmp.resolve("m3").toString(), "--log-format", "xml"), 2, "--log-format");
    }

    @Test
    void aFirstStartThatFailsKeepsTheAdminCredentialForTheNextStart() throws Exception {
        Path data = tmp.resolve("first");
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            assertOneSentence(serve(data, taken.getLocalPort(), 0), 1, "already in use");
        }
        try (ProxyServer server = ProxyServer.start(ServerConfig.defaults(data).withPorts("127.0.0.1", 0, 0))) {
            assertThat(server.newAdminToken()).as("the credential the failed start made was never shown: a new one is").isPresent();
        }
    }

    @Test
    void anAddressThisMachineLacksPointsToBind() {
        // 192.0.2.1 is TEST-NET-1 (RFC 5737): never assigned to a host; binding it fails locally without any traffic.
        assertOneSentence(run("serve", "--data-dir", tmp.resolve("d").toString(), "--bind", "192.0.2.1", "--port", "0",
                "--tunnel-port", "0"), 1, "192.0.2.1", "--bind");
    }

    @Test
    void anUnusableDataDirectoryPointsToDataDir() throws Exception {
        Path file = Files.writeString(tmp.resolve("a-file"), "not a folder");
        assertOneSentence(serve(file.resolve("data"), 0, 0), 1, "cannot use the data directory " + file.resolve("data"), "--data-dir");
    }

    @Test
    void aDataDirectoryAnotherServerHoldsIsOneSentenceFromTheRealProgram() throws Exception {
        Path data = tmp.resolve("held");
        try (ProxyServer first = ProxyServer.start(ServerConfig.defaults(data).withPorts("127.0.0.1", 0, 0))) {
            assertThat(first.publicPort()).isPositive();
            Run second = process(data);
            assertOneSentence(second, 1, "is open in another Drawbridge server", "--data-dir");
        }
    }

    /**
     * A database file that is not an intact H2 database (a disk fault, a copy taken mid-write) stops the server with one
     * sentence naming the file and what to do, and the file is left as it was for whoever repairs it.
     */
    @Test
    void aDamagedDatabaseFileIsNamedWithWhatToDo() throws Exception {
        Path data = tmp.resolve("damaged");
        Path db = data.resolve("db");
        Files.createDirectories(db);
        byte[] garbage = new byte[64 * 1024];
        new Random(42).nextBytes(garbage);
        Files.write(db.resolve("drawbridge.mv.db"), garbage);
        Run r = serve(data, 0, 0);
        assertOneSentence(r, 2, db.resolve("drawbridge.mv.db").toString(), "damaged", "backup",
                "'drawbridge-server restore --from FILE --data-dir " + data + " --force'");
        assertThat(Files.readAllBytes(db.resolve("drawbridge.mv.db"))).isEqualTo(garbage);
    }

    private Run serve(Path data, int port, int tunnelPort) {
        return run("serve", "--data-dir", data.toString(), "--bind", "127.0.0.1", "--port", Integer.toString(port),
                "--tunnel-port", Integer.toString(tunnelPort));
    }

    /** {@code drawbridge-server serve} in its own JVM, as bin/drawbridge-server starts it. */
    private static Run process(Path data) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        List<String> cmd = new ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                ServerCli.class.getName(), "serve", "--data-dir", data.toString(), "--bind", "127.0.0.1", "--port", "0", "--tunnel-port", "0"));
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        String err = new String(p.getErrorStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("the second server exits").isTrue();
        return new Run(p.exitValue(), "", err);
    }
}
