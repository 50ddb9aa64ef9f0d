package dev.drawbridge.proxy.web;

import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.TrustingTls;
import dev.drawbridge.proxy.config.ConnectionLimits;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.operations.ManagementEndpoints;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The listeners' connection limits ({@code --max-connections}, {@code --max-tunnel-connections}, the management
 * listener's fixed one): at the limit a further connection is not refused but waits in the backlog, its TLS handshake
 * unanswered, while the open ones stay served; when one of them closes, it is accepted and answered.
 */
class ListenerLimitTest {
    /** How long a connection beyond the limit is watched not being served. */
    private static final long UNSERVED_MS = 1_000;
    @TempDir
    Path dir;

    @Test
    void thePublicListenerServesAConnectionBeyondItsLimitOnlyWhenAnOpenOneCloses() throws Exception {
        try (ProxyServer server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0)
                .withConnectionLimits(new ConnectionLimits(2, 100)))) {
            SSLContext tls = trusting(server);
            int port = server.publicPort();
            SSLSocket first = handshaken(tls, port);
            SSLSocket second = handshaken(tls, port);
            assertThat(request(first)).startsWith("HTTP/1.1 ");

            CompletableFuture<String> third = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = handshaken(tls, port)) {
                    return request(s);
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            assertThat(waitFor(third, UNSERVED_MS)).as("the third connection is not served while two are open").isNull();
            assertThat(request(second)).as("the open ones still are").startsWith("HTTP/1.1 ");

            first.close();
            assertThat(third.get(10, TimeUnit.SECONDS)).startsWith("HTTP/1.1 ");
            second.close();
        }
    }

    /**
     * Connections beyond the limit wait in the kernel's accept queue: with the JDK's default of 50, SYNs beyond it were
     * dropped and their connects waited for a retransmission (a second or more); the listeners ask for 1024.
     */
    @Test
    void aHundredConnectionsBeyondTheLimitAllWaitInTheBacklog() throws Exception {
        try (ProxyServer server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0)
                .withConnectionLimits(new ConnectionLimits(1, 100)))) {
            SSLContext tls = trusting(server);
            int port = server.publicPort();
            List<Socket> waiting = new ArrayList<>();
            try (SSLSocket open = handshaken(tls, port)) {
                for (int i = 0; i < 100; i++) {
                    Socket s = new Socket();
                    waiting.add(s);
                    // The kernel completes the TCP handshake of a queued connection; a dropped SYN would be retried
                    // only after a second, beyond this timeout.
                    s.connect(new InetSocketAddress("127.0.0.1", port), 900);
                }
                assertThat(waiting).allMatch(Socket::isConnected);
                assertThat(request(open)).as("the open connection is still served").startsWith("HTTP/1.1 ");
            } finally {
                for (Socket s : waiting) {
                    s.close();
                }
            }
        }
    }

    /**
     * A place at the limit is counted from the accept, before TLS: a silent connection to the tunnel port (which a client
     * without a connector's certificate can open) is closed at the handshake deadline, not held for the 5-minute idle
     * timeout (review rev5: about 4,096 of them kept connectors out).
     */
    @Test
    void aSilentConnectionToTheTunnelPortIsClosedAtTheHandshakeDeadline() throws Exception {
        try (ProxyServer server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0));
             Socket silent = new Socket("127.0.0.1", server.tunnelPort())) {
            assertClosedAtTheDeadline(silent);
        }
    }

    private static void assertClosedAtTheDeadline(Socket silent) throws IOException {
        silent.setSoTimeout((int) HandshakeDeadline.DEFAULT.plusSeconds(10).toMillis());
        long start = System.nanoTime();
        int read;
        try {
            read = silent.getInputStream().read();
        } catch (SocketException reset) {
            read = -1;
        }
        assertThat(read).as("closed by the server").isEqualTo(-1);
        assertThat(Duration.ofNanos(System.nanoTime() - start))
                .isBetween(HandshakeDeadline.DEFAULT.minusSeconds(1), HandshakeDeadline.DEFAULT.plusSeconds(5));
    }

    /**
     * With the PROXY protocol on, a connection first waits for the gate's detection, before TLS: the deadline runs from
     * the connection's opening, so a client that stays silent there is cut as well (review rev5b).
     */
    @Test
    void aSilentClientBeforeTheProxyProtocolGateIsClosedAtTheHandshakeDeadline() throws Exception {
        try (ProxyServer server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0)
                .withProxies(new ServerConfig.Proxies(List.of("10.0.0.0/8"), true)));
             Socket silent = new Socket("127.0.0.1", server.publicPort())) {
            assertClosedAtTheDeadline(silent);
        }
    }

    @Test
    void theTunnelListenerLikewise() throws Exception {
        try (ProxyServer server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0)
                .withConnectionLimits(new ConnectionLimits(100, 2)))) {
            SSLContext tls = trusting(server);
            int port = server.tunnelPort();
            // Connections that never say a word hold their places as well as tunnels do (the port asks for a connector's
            // certificate, which this test has none of).
            Socket first = new Socket("127.0.0.1", port);
            Socket second = new Socket("127.0.0.1", port);

            // Without a certificate the handshake ends in a refusal: what matters is that it ends, which needs the server.
            CompletableFuture<Boolean> third = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = tlsSocket(tls, port)) {
                    s.startHandshake();
                    s.getInputStream().read();
                } catch (IOException e) {
                    // refused, as expected
                }
                return true;
            });
            assertThat(waitFor(third, UNSERVED_MS)).as("the third connection is not served while two are open").isNull();

            first.close();
            assertThat(third.get(10, TimeUnit.SECONDS)).isTrue();
            second.close();
        }
    }

    @Test
    void theManagementListenerHoldsAFixedNumber() {
        Server server = new Server();
        ServerConnector management = ManagementEndpoints.listener(server, ServerConfig.Management.on("127.0.0.1", 0), Clock.systemUTC());

        assertThat(server.getBeans(ListenerLimit.class)).singleElement().satisfies(l -> {
            assertThat(l.getMaxNetworkConnectionCount()).isEqualTo(ConnectionLimits.MANAGEMENT_MAX).isEqualTo(1024);
        });
        assertThat(management).isNotNull();
    }

    /** The future's value if it completes within {@code ms}, else null (it goes on). */
    private static <T> T waitFor(CompletableFuture<T> future, long ms) throws Exception {
        try {
            return future.get(ms, TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            return null;
        }
    }

    private static SSLSocket tlsSocket(SSLContext tls, int port) throws IOException {
        Socket plain = new Socket("127.0.0.1", port);
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket(plain, "admin.localhost", port, true);
        SSLParameters p = s.getSSLParameters();
        p.setServerNames(List.of(new SNIHostName("admin.localhost")));
        s.setSSLParameters(p);
        s.setSoTimeout(20_000);
        return s;
    }

    /** A TLS connection to {@code port} whose handshake has completed. */
    private static SSLSocket handshaken(SSLContext tls, int port) throws IOException {
        SSLSocket s = tlsSocket(tls, port);
        s.startHandshake();
        return s;
    }

    /** One request on an open connection, kept open; the answer's status line. */
    private static String request(SSLSocket s) throws IOException {
        s.getOutputStream().write("GET /nope HTTP/1.1\r\nHost: admin.localhost\r\nContent-Length: 0\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        StringBuilder line = new StringBuilder();
        for (int c = s.getInputStream().read(); c != -1 && c != '\n'; c = s.getInputStream().read()) {
            line.append((char) c);
        }
        return line.toString().strip();
    }

    private static SSLContext trusting(ProxyServer server) throws Exception {
        return TrustingTls.trusting(server.serverCaCertificate());
    }
}
