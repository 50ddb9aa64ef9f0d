package dev.drawbridge.proxy.forwarding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link ProxyProtocolGate} on a real Jetty server: a trusted peer's PROXY header (v1 text, v2 binary,
 * IPv4 and IPv6) sets the address handlers see, v2 LOCAL and a missing header leave the peer's own, and any other
 * header (AF_UNIX, UNSPEC, datagrams, v1 host names) closes the connection, so that handlers only ever see IP
 * addresses; an untrusted
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
        return InetAddress.ofLiteral(s).getAddress();
    }

    static final int LOCAL = 0x20, PROXY = 0x21;
    static final int UNSPEC = 0, INET = 1, INET6 = 2, UNIX = 3;
    static final int STREAM = 1, DGRAM = 2;

    /** A PROXY v2 header with any version/command byte, family/transport byte and address block. */
    static byte[] v2(int versionCommand, int familyTransport, byte[] addresses) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[]{0x0D, 0x0A, 0x0D, 0x0A, 0x00, 0x0D, 0x0A, 0x51, 0x55, 0x49, 0x54, 0x0A});
        b.write(versionCommand);
        b.write(familyTransport);
        b.write(addresses.length >> 8);
        b.write(addresses.length & 0xff);
        b.writeBytes(addresses);
        return b.toByteArray();
    }

    /** The AF_UNIX address block: two 108-byte, NUL-padded paths. */
    static byte[] unix(String src, String dst) {
        ByteBuffer block = ByteBuffer.allocate(216);
        block.put(src.getBytes(StandardCharsets.UTF_8)).position(108).put(dst.getBytes(StandardCharsets.UTF_8));
        return block.array();
    }

    static byte[] block(int family) {
        return switch (family) {
            case INET -> ByteBuffer.allocate(12).put(ip("198.51.100.4")).put(ip("127.0.0.1")).putShort((short) 40000).putShort((short) 443).array();
            case INET6 -> ByteBuffer.allocate(36).put(ip("2001:db8::9")).put(ip("::1")).putShort((short) 40002).putShort((short) 443).array();
            case UNIX -> unix("198.51.100.4", "/run/drawbridge.sock");
            default -> new byte[0];
        };
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

    /**
     * Every command, address family and transport a trusted peer's v2 header can name: LOCAL (the balancer's own
     * health check) leaves the peer's address, whatever the header carries; PROXY over TCP names the client; every other
     * header (UNSPEC, datagrams, and AF_UNIX, whose client Drawbridge cannot know) closes the connection. No request
     * reaches a handler with a remote address that is not an IP address (the handler answers 500 if one does).
     */
    @Test
    void everyV2CommandFamilyAndTransportGivesTheHandlersAnIpAddressOrClosesTheConnection() throws Exception {
        for (int command : new int[]{LOCAL, PROXY}) {
            for (int family : new int[]{UNSPEC, INET, INET6, UNIX}) {
                for (int transport : new int[]{UNSPEC, STREAM, DGRAM}) {
                    String seen = server.send(TRUSTED, v2(command, family << 4 | transport, block(family)));
                    String what = String.format("command %x, family %d, transport %d", command, family, transport);
                    if (command == LOCAL) {
                        assertThat(seen).as(what).startsWith(TRUSTED + " ");
                    } else if (transport == STREAM && family == INET) {
                        assertThat(seen).as(what).isEqualTo("198.51.100.4 40000");
                    } else if (transport == STREAM && family == INET6) {
                        assertThat(seen).as(what).isEqualTo("[2001:db8:0:0:0:0:0:9] 40002");
                    } else {
                        assertThat(seen).as(what).isNull();
                    }
                }
            }
        }
    }

    @Test
    void anAfUnixClientIsRefusedWhateverItsPathSpells() throws Exception {
        for (String path : new String[]{"/run/haproxy.sock", "203.0.113.9", "2001:db8::1", "127.0.0.2", "", "@abstract"}) {
            assertThat(server.send(TRUSTED, v2(PROXY, UNIX << 4 | STREAM, unix(path, "/run/drawbridge.sock")))).as(path).isNull();
        }
    }

    @Test
    void aV1HeaderNamingAHostInsteadOfAnAddressIsRefused() throws Exception {
        // The v1 grammar has address literals only; a name would be looked up in DNS, which must not decide the client.
        assertThat(server.send(TRUSTED, v1("PROXY TCP4 localhost 127.0.0.1 51234 443"))).isNull();
        assertThat(server.send(TRUSTED, v1("PROXY TCP6 localhost ::1 51234 443"))).isNull();
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
