package dev.drawbridge.proxy.operations;

import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.edge.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Review (issue 11): the management listener decides whether to refuse DNS-rebound {@code Host}s from the SPELLING of its
 * bind address, not from the address it listens on. Bound by a name that resolves to loopback (this machine's host name,
 * which Debian maps to 127.0.1.1, or {@code localhost.localdomain}), it listens on loopback only, yet answers any
 * {@code Host}: a page in a browser on the same machine rebinds its own name to 127.0.0.1 and reads {@code /metrics}.
 */
@Timeout(60)
class ManagementHostReviewTest {
    @TempDir
    Path dir;

    @Test
    void aBindNameThatResolvesToLoopbackStillRefusesARebindingPage() throws Exception {
        String name = InetAddress.getLocalHost().getHostName();
        assumeTrue(InetAddress.getByName(name).isLoopbackAddress() && !ManagementEndpoints.isLoopback(name),
                "this machine's host name does not resolve to a loopback address");
        try (ProxyServer server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0)
                .withManagement(ServerConfig.Management.on(name, 0)))) {
            int port = server.managementPort().orElseThrow();
            TestServer.Answer a = TestServer.send(port, "GET /metrics HTTP/1.1", "rebound.attacker.example:" + port);
            assertThat(a.status()).as("a rebound DNS name on a listener that only loopback can reach").isEqualTo(403);
            assertThat(a.body()).doesNotContain("drawbridge_");
        }
    }
}
