package dev.drawbridge.connector.operations;

import dev.drawbridge.model.http.LocalhostNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * As the server's, the connector's management listener decides which {@code Host}s it answers from the address it listens
 * on, not from the spelling of {@code --management-bind}: bound by a name that resolves to loopback (this machine's host
 * name on Debian, or {@code localhost.localdomain}), it listens on loopback and answers only loopback names and addresses,
 * so a page in a local browser cannot read it through a rebound name. Runs where such a name exists; the rule itself is
 * ManagementHostsTest's, and ManagementServerTest covers a wildcard bind.
 */
@Timeout(30)
class ManagementBindNameTest {
    /** A name other than localhost and *.localhost that this machine resolves to a loopback address, if it has one. */
    static Optional<String> loopbackName() throws UnknownHostException {
        return Stream.of(InetAddress.getLocalHost().getHostName(), "localhost.localdomain", "ip6-localhost", "localhost6")
                .filter(n -> !LocalhostNames.isLoopback(n)).filter(ManagementBindNameTest::resolvesToLoopback).findFirst();
    }

    private static boolean resolvesToLoopback(String name) {
        try {
            return InetAddress.getByName(name).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    @Test
    void aBindNameThatResolvesToLoopbackStillRefusesARebindingPage() throws Exception {
        Optional<String> name = loopbackName();
        assumeTrue(name.isPresent(), "no name of this machine resolves to a loopback address");
        ConnectorHealth health = new ConnectorHealth(() -> 1, () -> 1, () -> false);
        try (ManagementServer server = ManagementServer.start(name.get(), 0, () -> "drawbridge_connector_streams 0.0\n", health)) {
            assertThat(server.loopbackOnly()).isTrue();
            for (String host : new String[]{"rebound.attacker.example", name.get(), "192.0.2.7"}) {
                String answer = get(name.get(), server.port(), host);
                assertThat(answer).as(host).startsWith("HTTP/1.1 403").contains("bound to loopback").doesNotContain("drawbridge_connector_streams");
            }
            assertThat(get(name.get(), server.port(), "localhost")).startsWith("HTTP/1.1 200").contains("drawbridge_connector_streams");
        }
    }

    private static String get(String address, int port, String host) throws Exception {
        try (Socket s = new Socket(InetAddress.getByName(address), port)) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
