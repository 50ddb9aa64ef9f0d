package dev.drawbridge.proxy.forwarding;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Proves {@link ProxyProtocolGate} on a real Jetty server: a trusted peer's PROXY header (v1 text, v2 binary,
 * IPv4 and IPv6) sets the address handlers see, v2 LOCAL and a missing header leave the peer's own; an untrusted
 * peer's PROXY header (either version, whole or in pieces) closes the connection unanswered, while the same peer
 * without one is served as itself.
 */
@Timeout(30)
class ProxyProtocolGateTest {
    private static final String UNTRUSTED = "127.0.0.1", TRUSTED = "127.0.0.2";
    private static AddressEchoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new AddressEchoServer(TrustedProxies.of(List.of(TRUSTED)), true);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    static byte[] v1(String line) {
        return (line + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A PROXY v2 header: PROXY (command 1) or LOCAL (0), TCP over IPv4 or IPv6. */
    static byte[] v2(boolean local, byte[] src, byte[] dst, int srcPort, int dstPort) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.write(local ? 0x20 : 0x21);
        b.write(src.length == 4 ? 0x11 : 0x21);
        ByteBuffer addr = ByteBuffer.allocate(src.length * 2 + 4);
        addr.put(src).put(dst).putShort((short) srcPort).putShort((short) dstPort);
        b.write(addr.capacity() >> 8);
        b.write(addr.capacity() & 0xff);
        b.writeBytes(addr.array());
        return b.toByteArray();
    }

    static byte[] ip(String s) {
        return java.net.InetAddress.ofLiteral(s).getAddress();
    }

    @Test
    void aTrustedPeerReportsTheClientInAProxyHeader() throws Exception {
        assertThat(server.send(TRUSTED, v1("PROXY TCP4 203.0.113.7 127.0.0.1 51234 443"))).isEqualTo("203.0.113.7 51234");
        assertThat(server.send(TRUSTED, v1("PROXY TCP6 2001:db8::7 ::1 40001 443"))).isEqualTo("[2001:db8:0:0:0:0:0:7] 40001");
        assertThat(server.send(TRUSTED, v2(false, ip("198.51.100.4"), ip("127.0.0.1"), 40000, 443))).isEqualTo("198.51.100.4 40000");
        assertThat(server.send(TRUSTED, v2(false, ip("2001:db8::9"), ip("::1"), 40002, 443))).isEqualTo("[2001:db8:0:0:0:0:0:9] 40002");
    }

    @Test
    void withoutAnAddressInTheHeaderThePeerStands() throws Exception {
        assertThat(server.send(TRUSTED, new byte[0])).startsWith(TRUSTED + " ");
        assertThat(server.send(TRUSTED, v1("PROXY UNKNOWN"))).startsWith(TRUSTED + " ");
        assertThat(server.send(TRUSTED, v2(true, ip("198.51.100.4"), ip("127.0.0.1"), 40000, 443))).startsWith(TRUSTED + " ");
    }

    @Test
    void aReportedAddressThatIsItselfTrustedIsFollowedThroughXForwardedFor() throws Exception {
        assertThat(server.send(TRUSTED, v1("PROXY TCP4 127.0.0.2 127.0.0.1 5000 443"), "X-Forwarded-For: 203.0.113.9"))
                .isEqualTo("203.0.113.9 0");
        assertThat(server.send(TRUSTED, v1("PROXY TCP4 203.0.113.7 127.0.0.1 5000 443"), "X-Forwarded-For: 198.51.100.1"))
                .as("an untrusted client's X-Forwarded-For is not read").isEqualTo("203.0.113.7 5000");
    }

    @Test
    void anUntrustedPeersProxyHeaderClosesTheConnection() throws Exception {
        assertThat(server.send(UNTRUSTED, v1("PROXY TCP4 203.0.113.7 127.0.0.1 51234 443"))).isNull();
        assertThat(server.send(UNTRUSTED, v1("PROXY TCP6 2001:db8::7 ::1 40001 443"))).isNull();
        assertThat(server.send(UNTRUSTED, v1("PROXY UNKNOWN"))).isNull();
        assertThat(server.send(UNTRUSTED, v2(false, ip("198.51.100.4"), ip("127.0.0.1"), 40000, 443))).isNull();
        assertThat(server.send(UNTRUSTED, v2(true, ip("198.51.100.4"), ip("127.0.0.1"), 40000, 443))).isNull();
    }

    @Test
    void anUntrustedPeerWithoutAProxyHeaderIsServedAsItself() throws Exception {
        assertThat(server.send(UNTRUSTED, new byte[0], "X-Forwarded-For: 203.0.113.7")).startsWith(UNTRUSTED + " ");
    }
}
