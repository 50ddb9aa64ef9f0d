package dev.drawbridge.console.config;

import dev.drawbridge.adminclient.AdminClientException;
import dev.drawbridge.adminclient.HttpAdminApi;
import org.junit.jupiter.api.Test;

import java.io.DataInputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How the console's API client ({@link AdminApis#http}: admin-client's HttpAdminApi) reaches the server, seen from a plain socket standing in for it: a
 * server named by
 * address (or by any name but {@code *.localhost}) is dialled, and the TLS ClientHello offers only Mozilla's
 * intermediate profile, as the server's listeners, the connector and the CLI do: the console sends the admin's
 * password and bearer credential, also to whatever terminates TLS in front of the admin host.
 */
class AdminApisConnectTest {
    /** What a ClientHello offers, as IANA code points. */
    record Hello(List<Integer> suites, List<Integer> groups, List<Integer> versions) {
    }

    @Test
    void aServerNamedByAddressIsDialled() throws Exception {
        assertThat(helloFromAConsoleCall()).as("a ClientHello arrived").isNotNull();
    }

    @Test
    void theClientHelloOffersOnlyTheProfile() throws Exception {
        Hello hello = helloFromAConsoleCall();
        assertThat(hello.suites()).containsExactlyInAnyOrder(0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8);
        assertThat(hello.groups()).containsExactly(0x001D, 0x0017, 0x0018);
        assertThat(hello.versions()).containsExactly(0x0304, 0x0303);
    }

    /** Calls the API at a plain socket of this machine, by address, and returns the ClientHello it received. */
    private static Hello helloFromAConsoleCall() throws Exception {
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            server.setSoTimeout(20_000);
            HttpAdminApi api = AdminApis.http(URI.create("https://" + InetAddress.getLoopbackAddress().getHostAddress() + ":"
                    + server.getLocalPort()), null, () -> "dbadm_x");
            try {
                Thread call = Thread.startVirtualThread(() -> {
                    try {
                        api.me();
                    } catch (AdminClientException expected) {
                        // the socket closes without answering
                    }
                });
                Hello hello;
                try (Socket s = server.accept()) {
                    DataInputStream in = new DataInputStream(s.getInputStream());
                    assertThat(in.readUnsignedByte()).as("a handshake record").isEqualTo(0x16);
                    in.readUnsignedShort();
                    byte[] record = new byte[in.readUnsignedShort()];
                    in.readFully(record);
                    hello = parse(ByteBuffer.wrap(record));
                }
                // Nothing listens any more: the JDK client's retry of the GET is refused at once.
                server.close();
                assertThat(call.join(Duration.ofSeconds(30))).as("the call gives up once the socket closes").isTrue();
                return hello;
            } finally {
                api.close();
            }
        }
    }

    private static Hello parse(ByteBuffer b) {
        assertThat(b.get()).as("a ClientHello").isEqualTo((byte) 1);
        skip(b, 3 + 2 + 32);
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
