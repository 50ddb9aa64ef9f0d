package dev.drawbridge.adminclient;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The typed admin client against names and servers it should not trust (review9): plain http only to this machine.
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
}
