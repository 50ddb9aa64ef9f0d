package dev.drawbridge.proxy.web;

import dev.drawbridge.proxy.TrustingTls;
import dev.drawbridge.proxy.pki.CertificateAuthority;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A TLS connection that has not completed its handshake within the deadline is closed, whether it stays silent or trickles
 * its ClientHello a byte at a time (which an idle timeout never sees); one that completed its handshake is not, however
 * long it then waits before its request (its idle timeout is the listener's own).
 */
class HandshakeDeadlineTest {
    private static final Duration DEADLINE = Duration.ofMillis(400);
    private Server server;
    private ServerConnector connector;
    private HandshakeDeadline deadline;
    private SSLContext client;

    @BeforeEach
    void start() throws Exception {
        CertificateAuthority ca = CertificateAuthority.create("handshake deadline test", Duration.ofDays(1), Clock.systemUTC());
        KeyPair pair = CertificateAuthority.newKeyPair();
        X509Certificate cert = ca.issueServerCertificate(pair.getPublic(), List.of("localhost"), List.of("127.0.0.1"), Duration.ofDays(1));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        keys.load(null, null);
        keys.setKeyEntry("server", pair.getPrivate(), "secret".toCharArray(), new Certificate[]{cert, ca.certificate()});
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(keys);
        tls.setKeyStorePassword("secret");

        server = new Server();
        connector = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory());
        connector.setHost("127.0.0.1");
        connector.setIdleTimeout(Duration.ofMinutes(5).toMillis());
        deadline = HandshakeDeadline.apply(connector, DEADLINE);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract.NonBlocking() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                Content.Sink.write(response, true, "served", callback);
                return true;
            }
        });
        server.start();

        client = TrustingTls.trusting(ca.certificate());
    }

    @AfterEach
    void stop() throws Exception {
        server.stop();
    }

    @Test
    void aSilentConnectionIsClosedAtTheDeadline() throws Exception {
        try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
            s.setSoTimeout(10_000);
            long start = System.nanoTime();
            assertThat(endOf(s.getInputStream())).as("the server closed it").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(DEADLINE.minusMillis(100), Duration.ofSeconds(5));
        }
    }

    @Test
    void aClientHelloTrickledAByteAtATimeIsClosedAtTheDeadline() throws Exception {
        // The start of a TLS record carrying a ClientHello, announcing more than will ever come.
        byte[] hello = {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03};
        try (Socket s = new Socket("127.0.0.1", connector.getLocalPort())) {
            OutputStream out = s.getOutputStream();
            long start = System.nanoTime();
            boolean cut = false;
            for (int i = 0; i < 40 && !cut; i++) {
                try {
                    out.write(hello[i % hello.length]);
                    out.flush();
                    s.setSoTimeout(100);
                    cut = endOf(s.getInputStream());
                } catch (SocketException reset) {
                    cut = true;
                }
            }
            assertThat(cut).as("closed while bytes kept coming every 100 ms").isTrue();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isBetween(DEADLINE.minusMillis(100), Duration.ofSeconds(3));
        }
    }

    @Test
    void aConnectionThatCompletedItsHandshakeOutlivesTheDeadline() throws Exception {
        try (SSLSocket s = (SSLSocket) client.getSocketFactory().createSocket("127.0.0.1", connector.getLocalPort())) {
            s.startHandshake();
            Thread.sleep(DEADLINE.multipliedBy(3).toMillis()); // waiting past the deadline is the point of this test
            s.getOutputStream().write("GET / HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            s.setSoTimeout(10_000);
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            assertThat(answer).startsWith("HTTP/1.1 200").endsWith("served");
            assertThat(deadline.pending()).as("no deadline left armed after the handshake").isZero();
        }
    }

    /** A client that leaves before its handshake leaves no deadline holding its closed connection (review rev5b). */
    @Test
    void aClientThatLeavesBeforeItsHandshakeLeavesNothingArmed() throws Exception {
        for (int i = 0; i < 20; i++) {
            new Socket("127.0.0.1", connector.getLocalPort()).close();
        }
        long until = System.nanoTime() + DEADLINE.dividedBy(2).toNanos();
        while (deadline.pending() > 0 && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(deadline.pending()).as("deadlines still armed for closed connections, well before they would fire").isZero();
    }

    /** True when the peer closed (end of stream or reset); false when nothing came within the socket's timeout. */
    private static boolean endOf(InputStream in) throws IOException {
        try {
            while (true) {
                if (in.read() < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException quiet) {
            return false;
        } catch (SocketException reset) {
            return true;
        }
    }
}
