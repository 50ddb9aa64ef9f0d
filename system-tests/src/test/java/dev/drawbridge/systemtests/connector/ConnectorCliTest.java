package dev.drawbridge.systemtests.connector;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.cli.ConnectorCli;
import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge-connector}'s front door and a connector following its server: {@code --help} on every command;
 * every failure of {@code register}, {@code set-server} and {@code run} one line, "error: " and a sentence saying
 * what to do, with its exit code (a bad token, a wrong CA pin, an unreachable server, a missing identity, a bad
 * option); a running connector that follows the server's tunnel to a new port by itself; and {@code set-server}
 * re-pointing a connector at a server that moved its public port, and refusing a server with another CA.
 */
class ConnectorCliTest {
    @TempDir
    Path dir;

    /** What one run printed and returned. */
    record Run(int exit, String out, String err) {
    }

    static Run cli(String... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        CommandLine cl = ConnectorCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    static void assertOneSentence(Run r, int exit, String... hints) {
        List<String> lines = r.err().lines().toList();
        assertThat(lines).as("stderr of %s", r).hasSize(1);
        String line = lines.getFirst();
        System.out.println(line);
        assertThat(line).startsWith("error: ").endsWith(".").doesNotContain("Exception:", "\tat ");
        for (String h : hints) {
            assertThat(line).contains(h);
        }
        assertThat(r.exit()).as(line).isEqualTo(exit);
    }

    @Test
    void helpWorksOnEveryCommand() {
        for (String cmd : List.of("register", "set-server", "run")) {
            Run r = cli(cmd, "--help");
            assertThat(r.exit()).as(cmd + ": " + r.err()).isZero();
            assertThat(r.out()).contains("--state-dir");
        }
        assertThat(cli("--help").out()).contains("register", "set-server", "run");
    }

    @Test
    void commandLineMistakesAreOneLinePointingToHelp() {
        assertOneSentence(cli("run", "--tunels", "2"), 2, "Unknown option", "'drawbridge-connector run --help'");
        assertOneSentence(cli("register", "--server", "https://admin.example.com"), 2, "Missing required options",
                "'drawbridge-connector register --help'");
        assertOneSentence(cli("run", "--tunnels", "0", "--state-dir", dir.toString()), 2, "--tunnels must be between 1 and 16");
        assertOneSentence(cli(), 2, "drawbridge-connector run");
        assertOneSentence(cli("register", "--server", "http://admin.example.com", "--token", "t", "--ca-sha256", "00"), 2,
                "https:// admin URL");
    }

    @Test
    void runWithoutAnIdentitySaysToRegister() {
        assertOneSentence(cli("run", "--state-dir", dir.resolve("none").toString()), 1, "no connector identity in",
                "drawbridge-connector register");
        assertOneSentence(cli("set-server", "--server", "https://admin.localhost:1", "--state-dir", dir.resolve("none").toString()), 1,
                "no connector identity in");
    }

    @Test
    void registrationFailuresSayWhatToDo() throws Exception {
        try (DrawbridgeStack stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")))) {
            RegistrationTokenView t = stack.registrationToken(null, 10);
            String admin = stack.adminUrl().toString(), pin = t.serverCaSha256();
            Path state = dir.resolve("c");

            assertOneSentence(register(admin, "dbreg_not-a-token", pin, state), 1, "refused the registration token",
                    "drawbridge tokens create");
            assertOneSentence(register(admin, t.token(), "00".repeat(32), state), 1,
                    "does not present the CA whose SHA-256 is the --ca-sha256 given");
            assertOneSentence(register("https://admin.localhost:" + closedPort(), t.token(), pin, state), 75,
                    "cannot reach the server", "check --server");
            assertThat(ConnectorIdentity.exists(state)).as("nothing stored by failed registrations").isFalse();

            Run ok = register(admin, t.token(), pin, state);
            assertThat(ok.exit()).as(ok.err()).isZero();
            assertThat(ok.out()).contains("Registered connector", "drawbridge-connector run --state-dir " + state);
            assertThat(ConnectorIdentity.load(state).serverUrl()).isEqualTo(admin);
        }
    }

    @Test
    void aRunningConnectorFollowsTheServersTunnelToANewPortByItself() throws Exception {
        try (SampleApp app = SampleApp.start("127.0.0.1", 0);
             DrawbridgeStack stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")))) {
            String url = stack.publish("Sample", "sample", app.baseUri(), PreAuthentication.PASSTHROUGH);
            Connector c = stack.startConnector(dir.resolve("c"), 2);
            int oldTunnelPort = stack.server().tunnelPort();

            stack.restartServer(stack.server().publicPort(), 0);
            int newTunnelPort = stack.server().tunnelPort();
            assertThat(newTunnelPort).isNotEqualTo(oldTunnelPort);

            Await.until("the connector's tunnels on the new port", Duration.ofSeconds(45),
                    () -> c.tunnelUrl().getPort() == newTunnelPort && stack.server().registry().tunnelCount(c.connectorId()) == 2);
            ContentResponse r = stack.http().newRequest(URI.create(url)).timeout(20, TimeUnit.SECONDS).send();
            assertThat(r.getStatus()).isEqualTo(200);
            assertThat(ConnectorIdentity.load(dir.resolve("c")).tunnelUrl()).as("stored for the next start")
                    .isEqualTo(c.tunnelUrl().toString());
        }
    }

    @Test
    void setServerFollowsAServerThatMovedAndRefusesAnotherServer() throws Exception {
        Path state = dir.resolve("c");
        try (DrawbridgeStack stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")))) {
            RegistrationTokenView t = stack.registrationToken(null, 10);
            assertThat(register(stack.adminUrl().toString(), t.token(), t.serverCaSha256(), state).exit()).isZero();

            stack.restartServer(0, 0);
            String moved = stack.adminUrl().toString();
            Run r = cli("set-server", "--server", moved, "--state-dir", state.toString());
            assertThat(r.exit()).as(r.err()).isZero();
            assertThat(r.out()).contains("now uses the server at " + moved);
            ConnectorIdentity id = ConnectorIdentity.load(state);
            assertThat(id.serverUrl()).isEqualTo(moved);
            assertThat(URI.create(id.tunnelUrl()).getPort()).isEqualTo(stack.server().tunnelPort());

            try (DrawbridgeStack other = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("other")))) {
                assertOneSentence(cli("set-server", "--server", other.adminUrl().toString(), "--state-dir", state.toString()), 1,
                        "does not present a certificate of the CA this connector registered with", "register again");
                assertThat(ConnectorIdentity.load(state).serverUrl()).as("unchanged").isEqualTo(moved);
            }
            assertOneSentence(cli("set-server", "--server", "https://admin.localhost:" + closedPort(), "--state-dir", state.toString()),
                    75, "cannot reach");
        }
    }

    private static Run register(String server, String token, String pin, Path state) {
        return cli("register", "--server", server, "--token", token, "--ca-sha256", pin, "--state-dir", state.toString());
    }

    /** A loopback port nothing listens on (just released). */
    private static int closedPort() throws Exception {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    @Test
    void aDamagedIdentitySaysToRegisterAgain() throws Exception {
        Path state = dir.resolve("damaged");
        Files.createDirectories(state);
        for (String f : List.of("connector.properties", "connector.key", "connector.crt", "server-ca.pem")) {
            Files.writeString(state.resolve(f), "garbage");
        }
        assertOneSentence(cli("run", "--state-dir", state.toString()), 1, "is damaged", "register again");
    }
}
