package dev.drawbridge.connector.tunnel;

import dev.drawbridge.connector.http.Clients;
import dev.drawbridge.connector.identity.EndpointLookup;
import dev.drawbridge.model.tls.TlsProfile;
import dev.drawbridge.model.tunnel.TunnelCiphers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the connector offers the server on the wire: the ClientHello of its server-facing TLS (registration,
 * tunnels and the endpoint lookup), captured by a plain socket, names only the profile's versions, suites and groups.
 */
class ServerTlsTest {
    /** The lists of one ClientHello, as IANA code points. */
    record Hello(List<Integer> suites, List<Integer> groups, List<Integer> versions) {
    }

    @Test
    void theClientHelloOffersOnlyTheProfile() throws Exception {
        Hello hello = capture(Clients.serverTls());
        assertThat(hello.suites()).containsExactly(0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8);
        assertThat(hello.groups()).containsExactly(0x001D, 0x0017, 0x0018);
        assertThat(hello.versions()).containsExactly(0x0304, 0x0303);
    }

    @Test
    void theTunnelOrderPutsAes128GcmFirstWithinTheProfile() throws Exception {
        SslContextFactory.Client tls = Clients.serverTls();
        tls.setIncludeCipherSuites(TunnelCiphers.preferred());
        Hello hello = capture(tls);
        assertThat(hello.suites()).startsWith(0x1301).containsExactlyInAnyOrder(0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F,
                0xC02C, 0xC030, 0xCCA9, 0xCCA8);
    }

    @Test
    void includingASuiteOutsideTheProfileDoesNotGetItOffered() throws Exception {
        SslContextFactory.Client tls = Clients.serverTls();
        tls.setIncludeCipherSuites("TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256", TlsProfile.CIPHER_SUITES.getFirst());
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2", "TLSv1.1");
        Hello hello = capture(tls);
        assertThat(hello.suites()).containsExactly(0x1301);
        // With only a TLS 1.3 suite left the JDK offers TLS 1.3 alone; TLS 1.1 never.
        assertThat(hello.versions()).contains(0x0304).isSubsetOf(0x0304, 0x0303);
    }

    /**
     * The connector asks the server where its tunnel is (at start, when a tunnel cannot connect, and for
     * {@code set-server}): that TLS client talks to the server too, so it offers the profile like the others.
     */
    @Test
    void theEndpointLookupOffersOnlyTheProfileToo() throws Exception {
        X509Certificate ca = selfSigned();
        Hello hello = capture(port -> {
            Thread lookup = Thread.startVirtualThread(() -> {
                try {
                    EndpointLookup.tunnelUrl(URI.create("https://127.0.0.1:" + port), ca, Duration.ofSeconds(10));
                } catch (EndpointLookup.LookupException expected) {
                    // the capturing socket closes without answering
                }
            });
            return () -> lookup.join(Duration.ofSeconds(20));
        });
        assertThat(hello.suites()).containsExactlyInAnyOrder(0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8);
        assertThat(hello.groups()).containsExactly(0x001D, 0x0017, 0x0018);
        assertThat(hello.versions()).containsExactly(0x0304, 0x0303);
    }

    private static Hello capture(SslContextFactory.Client tls) throws Exception {
        HttpClient http = Clients.httpClient(tls);
        http.start();
        try {
            return capture(port -> {
                http.newRequest("https://127.0.0.1:" + port + "/").timeout(10, TimeUnit.SECONDS).send(r -> { });
                return () -> { };
            });
        } finally {
            http.stop();
        }
    }

    /** Something that starts a TLS client towards a port, and waits for it to be done once the hello was read. */
    @FunctionalInterface
    interface Dialler {
        AutoCloseable dial(int port) throws Exception;
    }

    private static Hello capture(Dialler dialler) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            try (AutoCloseable done = dialler.dial(server.getLocalPort()); Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                assertThat(in.readUnsignedByte()).as("a handshake record").isEqualTo(0x16);
                in.readUnsignedShort();
                byte[] record = new byte[in.readUnsignedShort()];
                in.readFully(record);
                return parse(ByteBuffer.wrap(record));
            }
        }
    }

    private static X509Certificate selfSigned() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(256);
        KeyPair kp = g.generateKeyPair();
        X500Name name = new X500Name("CN=Test server CA");
        Instant now = Instant.now();
        var builder = new JcaX509v3CertificateBuilder(name, BigInteger.ONE, Date.from(now.minusSeconds(60)),
                Date.from(now.plusSeconds(3600)), name, kp.getPublic());
        return new JcaX509CertificateConverter().getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(kp.getPrivate())));
    }

    private static Hello parse(ByteBuffer b) {
        assertThat(b.get()).as("a ClientHello").isEqualTo((byte) 1);
        b.position(b.position() + 3 + 2 + 32);
        skip(b, b.get() & 0xFF);
        List<Integer> suites = u16s(b, b.getShort() & 0xFFFF);
        skip(b, b.get() & 0xFF);
        List<Integer> groups = List.of(), versions = List.of();
        int end = (b.getShort() & 0xFFFF) + b.position();
        while (b.position() < end) {
            int type = b.getShort() & 0xFFFF, length = b.getShort() & 0xFFFF, next = b.position() + length;
            if (type == 0x000A) {
                groups = u16s(b, b.getShort() & 0xFFFF);
            } else if (type == 0x002B) {
                versions = u16s(b, b.get() & 0xFF);
            }
            b.position(next);
        }
        return new Hello(suites, groups, versions);
    }

    private static void skip(ByteBuffer b, int bytes) {
        b.position(b.position() + bytes);
    }

    private static List<Integer> u16s(ByteBuffer b, int bytes) {
        List<Integer> values = new ArrayList<>();
        for (int i = 0; i < bytes / 2; i++) {
            values.add(b.getShort() & 0xFFFF);
        }
        return values;
    }
}
