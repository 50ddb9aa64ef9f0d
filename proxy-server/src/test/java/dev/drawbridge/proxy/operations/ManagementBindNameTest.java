package dev.drawbridge.proxy.operations;

import dev.drawbridge.model.http.LocalhostNames;
import dev.drawbridge.proxy.ProxyServer;
import dev.drawbridge.proxy.config.ServerConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The management listener decides which {@code Host}s it answers from the address it listens on, not from the spelling
 * of its bind address. Bound by a name that resolves to loopback (this machine's host name, which Debian maps to
 * 127.0.1.1, or {@code localhost.localdomain}), it listens on loopback only, so it answers only loopback names and
 * addresses: a page in a browser on the same machine that rebinds its own name to 127.0.0.1 cannot read {@code /metrics}.
 * Runs where such a name exists (Debian and most Linux machines); the rule itself is ManagementHostsTest's, for every kind
 * of bound address.
 */
@Timeout(60)
class ManagementBindNameTest {
    @TempDir
    Path dir;

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
        try (ProxyServer server = ProxyServer.start(ServerConfig.defaults(dir).withPorts("127.0.0.1", 0, 0)
                .withManagement(ServerConfig.Management.on(name.get(), 0)))) {
            int port = server.managementPort().orElseThrow();
            for (String host : new String[]{"rebound.attacker.example", name.get(), "192.0.2.7"}) {
                String answer = get(name.get(), port, host);
                assertThat(answer).as("%s on a listener that only loopback can reach", host).startsWith("HTTP/1.1 403")
                        .contains("bound to loopback").containsIgnoringCase("X-Content-Type-Options: nosniff").doesNotContain("drawbridge_");
            }
            assertThat(get(name.get(), port, "localhost")).startsWith("HTTP/1.1 200").contains("drawbridge_");
        }
    }

    /** The raw answer to a GET /metrics sent to {@code address} (what the bind name resolves to), for {@code host}. */
    private static String get(String address, int port, String host) throws Exception {
        try (Socket s = new Socket(InetAddress.getByName(address), port)) {
            s.setSoTimeout(20_000);
            s.getOutputStream().write(("GET /metrics HTTP/1.1\r\nHost: " + host + ":" + port + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.ISO_8859_1));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
