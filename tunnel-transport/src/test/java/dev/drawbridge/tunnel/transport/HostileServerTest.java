package dev.drawbridge.tunnel.transport;

import org.eclipse.jetty.http.HttpFields;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * What the connector's dial accepts from whatever answers at the tunnel's address (a hostile or broken server, or the
 * outbound proxy's answer to CONNECT, which the same client parses): a response head without end must not be read
 * without end.
 */
class HostileServerTest {
    private static final long ENDLESS = 64L * 1024 * 1024;

    /**
     * A redirect is a refusal, never followed: Jetty's client follows 3xx by default, which would send the dial (with
     * the connector's headers, from the connector's network) wherever the answer points, plain HTTP included.
     */
    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void aRedirectIsARefusalNotFollowed(int status) throws Exception {
        try (TunnelFixture f = new TunnelFixture(); ServerSocket elsewhere = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            elsewhere.setSoTimeout(20_000);
            CompletableFuture<Boolean> reached = CompletableFuture.supplyAsync(() -> {
                try (Socket s = elsewhere.accept()) {
                    return true;
                } catch (IOException timeout) {
                    return false;
                }
            });
            f.behaviour = (request, response, callback) -> {
                response.setStatus(status);
                response.getHeaders().put("Location", "http://127.0.0.1:" + elsewhere.getLocalPort() + "/internal");
                response.write(true, null, callback);
                return true;
            };
            CompletableFuture<DialedLink> dial = TunnelUpgradeClient.dial(f.client, f.uri(),
                    HttpFields.build().add("X-Drawbridge-Connector-Host", "host-1"), new RecordingReceiver(), Duration.ofSeconds(30));
            ExecutionException failed = catchThrowableOfType(ExecutionException.class, () -> dial.get(20, TimeUnit.SECONDS));
            assertThat(failed.getCause()).isInstanceOfSatisfying(TunnelUpgradeRefusedException.class, r -> assertThat(r.status()).isEqualTo(status));
            elsewhere.close();
            assertThat(reached.get(20, TimeUnit.SECONDS)).as("the redirect's target was contacted").isFalse();
        }
    }

    @Test
    void aResponseHeadWithoutEndFailsTheDialAfterABoundedRead() throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(TunnelFixture.PKI.server(List.of("localhost")), TestPki.PASSWORD);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        AtomicLong written = new AtomicLong();
        try (TunnelFixture f = new TunnelFixture();
             SSLServerSocket listener = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread serverThread = Thread.startVirtualThread(() -> {
                try (SSLSocket s = (SSLSocket) listener.accept()) {
                    TunnelFixture.readHead(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write("HTTP/1.1 101 Switching Protocols\r\nUpgrade: drawbridge-tunnel/2\r\nConnection: Upgrade\r\n"
                            .getBytes(StandardCharsets.US_ASCII));
                    byte[] line = ("X-Pad: " + "a".repeat(1000) + "\r\n").getBytes(StandardCharsets.US_ASCII);
                    while (written.get() < ENDLESS) {
                        out.write(line);
                        written.addAndGet(line.length);
                    }
                    out.flush();
                    s.getInputStream().read(); // holds the connection until the client closes it
                } catch (IOException closed) {
                    // the client gave up: what this test wants
                }
            });
            URI uri = URI.create("https://localhost:" + listener.getLocalPort() + "/connector/v1/tunnel");
            CompletableFuture<DialedLink> dial = TunnelUpgradeClient.dial(f.client, uri, HttpFields.EMPTY, new RecordingReceiver(),
                    Duration.ofSeconds(60));
            assertThatThrownBy(() -> dial.get(20, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
            assertThat(serverThread.join(Duration.ofSeconds(20))).isTrue();
            assertThat(written.get()).as("bytes of response head the server got to write").isLessThan(ENDLESS);
        }
    }
}
