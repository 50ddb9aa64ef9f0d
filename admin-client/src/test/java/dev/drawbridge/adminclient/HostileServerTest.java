package dev.drawbridge.adminclient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The typed admin client against names and servers it should not trust (review9): plain http only to this machine, and
 * a body that never ends fails within the timeout ({@link HostileBodyTest} has the rest of the hostile bodies).
 */
class HostileServerTest {
    /**
     * The Builder took any host that starts with "127." as loopback, so plain http went to {@code 127.attacker.example}
     * (a DNS name anyone can point anywhere): the admin's password (signIn) and bearer token then crossed the network in
     * clear.
     */
    @Test
    void plainHttpToADnsNameThatMerelyStartsWith127IsRefused() {
        assertThatThrownBy(() -> HttpAdminApi.to(URI.create("http://127.attacker.example:8080")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> HttpAdminApi.to(URI.create("http://127.0.0.1.nip.io:8080")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    /** Every spelling of a host that is not this machine (or that the URL parser does not even take as a host). */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1.nip.io", "127.attacker.example", "0x7f.0.0.1", "127.1", "0177.0.0.1", "localhost.evil.com",
            "evil.com", "xlocalhost", "[::2]", "[::ffff:10.0.0.1]", "10.0.0.1", "0.0.0.0", "[::]"})
    void plainHttpToAnyOtherHostIsRefused(String host) {
        assertThatThrownBy(() -> HttpAdminApi.to(URI.create("http://" + host + ":8080")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("http");
    }

    /** Loopback literals and the RFC 6761 names the module's resolver answers with loopback, in every spelling. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.0.0.2", "[::1]", "[0:0:0:0:0:0:0:1]", "[::ffff:127.0.0.1]", "localhost", "LOCALHOST",
            "localhost.", "foo.localhost", "Admin.LocalHost"})
    void plainHttpToThisMachineIsAllowed(String host) {
        assertThatCode(() -> HttpAdminApi.to(URI.create("http://" + host + ":8080")).build().close()).doesNotThrowAnyException();
    }

    /**
     * The JDK's request timeout ends when the headers arrive; the body was read with BodyHandlers.ofByteArray(),
     * unbounded in size and in time. Expected: the call fails within about the configured timeout.
     */
    @Test
    void aBodyThatNeverEndsFailsWithinTheTimeout() throws Exception {
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread server = Thread.startVirtualThread(() -> {
                try (Socket s = listener.accept(); OutputStream out = s.getOutputStream()) {
                    s.getInputStream().read(new byte[8192]);
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: 100000000000\r\n\r\n[")
                            .getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    for (int i = 0; i < 600; i++) {
                        out.write(' ');
                        out.flush();
                        Thread.sleep(100);
                    }
                } catch (Exception ignored) {
                    // the client went away
                }
            });
            try (HttpAdminApi api = HttpAdminApi.to(URI.create("http://127.0.0.1:" + listener.getLocalPort()))
                    .token("secret-token").timeout(Duration.ofSeconds(2)).build()) {
                assertTimeoutPreemptively(Duration.ofSeconds(15), () -> assertThatThrownBy(api::me)
                        .isInstanceOf(AdminClientException.class));
            } finally {
                server.interrupt();
            }
        }
    }

}
