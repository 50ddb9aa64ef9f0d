package dev.drawbridge.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The admin CLI talks to the server with the admin's password and bearer credential: its TLS offers Mozilla's
 * intermediate profile like the server's listeners and the connector, also when something else (a load balancer)
 * terminates TLS in front of the admin host. Its ClientHello, captured by a plain socket, names only the profile's
 * versions (TLS 1.3, 1.2), suites (ECDHE with AEAD) and groups.
 */
class CliTlsTest {
    @Test
    void theClientHelloOffersOnlyTheProfile(@TempDir Path config) throws Exception {
        List<Integer> suites = new ArrayList<>(), groups = new ArrayList<>(), versions = new ArrayList<>();
        Thread cli;
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            cli = Thread.startVirtualThread(() -> {
                DrawbridgeCli c = new DrawbridgeCli(Map.of("DRAWBRIDGE_CONFIG_DIR", config.toString()), new ByteArrayInputStream(new byte[0]));
                DrawbridgeCli.commandLine(c).setOut(new PrintWriter(new StringWriter())).setErr(new PrintWriter(new StringWriter()))
                        .execute("apps", "list", "--server", "https://127.0.0.1:" + server.getLocalPort(), "--token", "dbadm_x");
            });
            try (Socket s = server.accept()) {
                DataInputStream in = new DataInputStream(s.getInputStream());
                assertThat(in.readUnsignedByte()).as("a handshake record").isEqualTo(0x16);
                in.readUnsignedShort();
                byte[] record = new byte[in.readUnsignedShort()];
                in.readFully(record);
                parse(ByteBuffer.wrap(record), suites, groups, versions);
            }
        }
        // The JDK's client tries a GET once more on a new connection: it is refused once the listener is closed.
        assertThat(cli.join(Duration.ofSeconds(30))).as("the CLI gives up once the socket closes").isTrue();
        assertThat(suites).containsExactlyInAnyOrder(0x1301, 0x1302, 0x1303, 0xC02B, 0xC02F, 0xC02C, 0xC030, 0xCCA9, 0xCCA8);
        assertThat(groups).containsExactly(0x001D, 0x0017, 0x0018);
        assertThat(versions).containsExactly(0x0304, 0x0303);
    }

    /** The cipher suites, supported groups and supported versions of a ClientHello message. */
    private static void parse(ByteBuffer b, List<Integer> suites, List<Integer> groups, List<Integer> versions) {
        assertThat(b.get()).as("a ClientHello").isEqualTo((byte) 1);
        b.position(b.position() + 3 + 2 + 32);
        skip(b, b.get() & 0xFF);
        suites.addAll(u16s(b, b.getShort() & 0xFFFF));
        skip(b, b.get() & 0xFF);
        int end = (b.getShort() & 0xFFFF) + b.position();
        while (b.position() < end) {
            int type = b.getShort() & 0xFFFF, length = b.getShort() & 0xFFFF, next = b.position() + length;
            if (type == 0x000A) {
                groups.addAll(u16s(b, b.getShort() & 0xFFFF));
            } else if (type == 0x002B) {
                versions.addAll(u16s(b, b.get() & 0xFF));
            }
            b.position(next);
        }
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
