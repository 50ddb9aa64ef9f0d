package dev.drawbridge.proxy.operations;

import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.TrustingTls;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.edge.TestServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The pre-stop pause ({@code --drain-pre-stop-pause}, docs/scale-out.md "Draining"): a node told to stop answers
 * {@code /health/ready} 503 at once, yet keeps accepting and serving new connections for the pause, so that a balancer's
 * readiness checks take it out before its port closes; then it closes its listener and drains.
 */
class PreStopPauseTest {
    private static final Duration PAUSE = Duration.ofSeconds(3);
    @TempDir
    Path dir;

    @Test
    void duringThePauseReadinessIs503AndNewConnectionsAreStillServed() throws Exception {
        // Before: close() shut the public listener right after readiness turned 503, so a connection the balancer sent before
        // its next check was refused (or reset from the backlog).
        ProxyServer server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0)
                .withManagement(ServerConfig.Management.on("127.0.0.1", 0))
                .withCluster(ServerConfig.Cluster.NONE.withPreStopPause(PAUSE)));
        int management = server.managementPort().orElseThrow();
        int port = server.publicPort();
        SSLContext tls = trusting(server);
        assertThat(await(() -> ready(management), 200)).isEqualTo(200);
        assertThat(get(tls, port)).startsWith("HTTP/1.1 ");

        long asked = System.nanoTime();
        CompletableFuture<Void> closing = CompletableFuture.runAsync(() -> {
            try {
                server.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(await(() -> ready(management), 503)).isEqualTo(503);
        // A new connection, as a balancer that has not noticed yet would open: accepted and answered.
        String during = get(tls, port);
        long answeredAfter = System.nanoTime() - asked;
        assertThat(during).startsWith("HTTP/1.1 ");
        assertThat(answeredAfter).as("answered within the pause").isLessThan(PAUSE.toNanos());
        assertThat(closing).isNotDone();

        closing.get(30, TimeUnit.SECONDS);
        assertThat(System.nanoTime() - asked).as("the listener closed only after the pause").isGreaterThanOrEqualTo(PAUSE.toNanos());
        assertThatThrownBy(() -> get(tls, port)).isInstanceOf(ConnectException.class);
    }

    private interface Probe {
        int status() throws Exception;
    }

    /** Probes until the status is {@code wanted} (at most 10 s); the last status seen. */
    private static int await(Probe probe, int wanted) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int status = probe.status();
        while (status != wanted && System.nanoTime() < deadline) {
            Thread.sleep(20);
            status = probe.status();
        }
        return status;
    }

    private static int ready(int management) throws IOException {
        return TestServer.send(management, "GET /health/ready HTTP/1.1", "localhost").status();
    }

    private static SSLContext trusting(ProxyServer server) throws Exception {
        return TrustingTls.trusting(server.serverCaCertificate());
    }

    /** One request on a new TLS connection to the public listener; the answer's head and body. */
    private static String get(SSLContext tls, int port) throws IOException {
        try (Socket plain = new Socket("127.0.0.1", port);
             SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "app.localhost", port, true)) {
            SSLParameters p = s.getSSLParameters();
            p.setServerNames(List.of(new SNIHostName("app.localhost")));
            s.setSSLParameters(p);
            s.setSoTimeout(10_000);
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: app.localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
        }
    }
}
