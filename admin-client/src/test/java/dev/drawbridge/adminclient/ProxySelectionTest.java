package dev.drawbridge.adminclient;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ProxySelector;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A JVM-wide proxy (-Dhttps.proxyHost, system proxies) never sees a call to this machine: the bearer credential of a
 * loopback or {@code *.localhost} server would otherwise travel to the proxy, which resolves {@code *.localhost} with its
 * own DNS. A remote admin host still goes through the proxy (a corporate network may need it; TLS stays end to end).
 */
class ProxySelectionTest {
    private ProxySelector before;
    private ServerSocket proxy;
    private final List<String> proxied = new CopyOnWriteArrayList<>();
    private TestPki pki;
    private RecordingServer server;

    @BeforeEach
    void start() throws Exception {
        pki = new TestPki("Test server CA");
        server = new RecordingServer(pki.server(List.of("admin.localhost", "localhost")));
        proxy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.startVirtualThread(() -> {
            while (!proxy.isClosed()) {
                try (Socket s = proxy.accept()) {
                    // A proxy that records the request line and never answers.
                    proxied.add(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine());
                } catch (IOException e) {
                    return;
                }
            }
        });
        before = ProxySelector.getDefault();
        ProxySelector.setDefault(ProxySelector.of(new InetSocketAddress(InetAddress.getLoopbackAddress(), proxy.getLocalPort())));
    }

    @AfterEach
    void stop() throws Exception {
        ProxySelector.setDefault(before);
        proxy.close();
        server.close();
    }

    @Test
    void callsToThisMachineNeverGoThroughTheJvmsProxy() throws Exception {
        for (String host : List.of("admin.localhost", "localhost")) {
            try (HttpAdminApi api = HttpAdminApi.to(server.url(host)).trust(pki.trust()).token("secret-token")
                    .timeout(Duration.ofSeconds(5)).build()) {
                api.me();
            } catch (AdminClientException ignored) {
                // the recording server's {} is no MeView: what matters is where the request went
            }
            assertThat(server.last().authorization()).as(host).isEqualTo("Bearer secret-token");
        }
        assertThat(proxied).as("what reached the proxy").isEmpty();
    }

    @Test
    void aRemoteAdminHostStillGoesThroughTheProxy() throws Exception {
        try (HttpAdminApi api = HttpAdminApi.to(URI.create("https://admin.example.test:8443")).trust(pki.trust())
                .token("secret-token").timeout(Duration.ofSeconds(2)).build()) {
            assertThatThrownBy(api::me).isInstanceOf(AdminClientException.class);
        }
        assertThat(proxied).isNotEmpty().allMatch(line -> line.startsWith("CONNECT admin.example.test:8443 "));
    }
}
