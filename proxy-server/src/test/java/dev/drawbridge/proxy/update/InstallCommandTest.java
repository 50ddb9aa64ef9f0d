package dev.drawbridge.proxy.update;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.proxy.pki.Pem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The install command a new registration token comes with never holds the token: it asks for it ({@code --token -}),
 * because a command line is visible to every local user of the connector machine ({@code ps}, {@code /proc/PID/cmdline})
 * and stays in its shell history. The token comes beside it, to paste when asked.
 */
class InstallCommandTest {
    @TempDir
    Path dir;

    @Test
    void theInstallCommandAsksForTheTokenInsteadOfHoldingIt() throws Exception {
        try (UpdateServer s = new UpdateServer(dir.resolve("server"))) {
            Wire.Reply r = s.json(s.bootstrap, "POST", "registration-tokens", Map.of("ttlMinutes", 5));
            assertThat(r.status()).as(r.toString()).isEqualTo(201);
            JsonNode t = r.json();
            String token = t.path("token").asText();
            String command = t.path("installCommand").asText();
            assertThat(token).startsWith("dbreg_");

            assertThat(command).doesNotContain(token).doesNotContain("dbreg_");
            List<String> args = Arrays.asList(command.split(" "));
            assertThat(args).containsExactly("drawbridge-connector", "register", "--server", s.server.adminUrl(),
                    "--ca-sha256", Pem.sha256(s.server.serverCaCertificate()), "--token", "-");
            assertThat(t.path("serverCaSha256").asText()).isEqualTo(Pem.sha256(s.server.serverCaCertificate()));
        }
    }
}
