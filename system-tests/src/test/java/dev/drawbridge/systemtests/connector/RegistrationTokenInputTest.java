package dev.drawbridge.systemtests.connector;

import dev.drawbridge.connector.identity.ConnectorIdentity;
import dev.drawbridge.model.api.RegistrationTokenView;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code register --token -}: the one-time registration token is read from standard input (or a prompt that does not echo
 * it), never from the command line, which every user of the machine reads ({@code /proc/PID/cmdline}, {@code ps}) while
 * register runs; a local user who reads a token there and presents it first gets a connector of the group. A real
 * connector process registers against a real server, and its command line holds no token at any time it is sampled.
 */
@Timeout(180)
class RegistrationTokenInputTest {
    @TempDir
    Path dir;

    @Test
    void aTokenOnStandardInputRegistersAndNeverShowsInTheProcessList() throws Exception {
        try (DrawbridgeStack stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
             ConnectorProcesses processes = new ConnectorProcesses(dir.resolve("jars"))) {
            RegistrationTokenView t = stack.registrationToken(null, 10);
            Path state = dir.resolve("state"), log = dir.resolve("register.log");
            Process register = processes.command(log, "register", "--server", stack.adminUrl().toString(), "--ca-sha256",
                    t.serverCaSha256(), "--state-dir", state.toString(), "--token", "-");
            // What another local user sees: the command line, while the process waits for its token.
            String seen = Files.readString(Path.of("/proc", Long.toString(register.pid()), "cmdline"), StandardCharsets.ISO_8859_1);
            assertThat(seen).contains("register").doesNotContain(t.token()).doesNotContain("dbreg_");
            try (OutputStream in = register.getOutputStream()) {
                in.write((t.token() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            assertThat(register.waitFor(120, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log);
            assertThat(register.exitValue()).as(out).isZero();
            assertThat(out).contains("Registered connector").doesNotContain(t.token());
            assertThat(ConnectorIdentity.load(state).serverUrl()).isEqualTo(stack.adminUrl().toString());
        }
    }

    @Test
    void noTokenOnStandardInputIsOneSentenceAndNothingIsStored() throws Exception {
        try (ConnectorProcesses processes = new ConnectorProcesses(dir.resolve("jars"))) {
            Path state = dir.resolve("state"), log = dir.resolve("register.log");
            Process register = processes.command(log, "register", "--server", "https://admin.localhost:1", "--ca-sha256", "00".repeat(32),
                    "--state-dir", state.toString(), "--token", "-");
            register.getOutputStream().close();
            assertThat(register.waitFor(60, TimeUnit.SECONDS)).isTrue();
            String out = Files.readString(log);
            assertThat(register.exitValue()).as(out).isEqualTo(2);
            assertThat(out.strip()).startsWith("error: --token - reads the registration token").doesNotContain("Exception");
            assertThat(ConnectorIdentity.exists(state)).isFalse();
        }
    }
}
