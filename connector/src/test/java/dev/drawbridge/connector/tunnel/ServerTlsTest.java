package dev.drawbridge.connector.tunnel;

import dev.drawbridge.model.tls.TlsProfile;
import dev.drawbridge.model.tunnel.TunnelCiphers;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the connector offers the server on the wire: the ClientHello of its server-facing TLS (registration and
 * tunnels), captured by a plain socket, names only the profile's versions, suites and groups.
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

    private static Hello capture(SslContextFactory.Client tls) throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            HttpClient http = Clients.httpClient(tls);
            http.start();
            try {
                http.newRequest("https://127.0.0.1:" + server.getLocalPort() + "/").timeout(10, TimeUnit.SECONDS).send(r -> { });
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    assertThat(in.readUnsignedByte()).as("a handshake record").isEqualTo(0x16);
                    in.readUnsignedShort();
                    byte[] record = new byte[in.readUnsignedShort()];
                    in.readFully(record);
                    return parse(ByteBuffer.wrap(record));
                }
            } finally {
                http.stop();
            }
        }
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
