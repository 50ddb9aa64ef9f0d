package dev.drawbridge.model.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.InetAddress;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link LocalhostNames} (RFC 6761 §6.3): localhost and every name under .localhost, in any case and
 * with a trailing dot, resolve to the loopback address without DNS; other names, even containing "localhost", do not.
 */
class LocalhostNamesTest {

    @ParameterizedTest
    @ValueSource(strings = {"localhost", "a.localhost", "A.LOCALHOST.", "LocalHost", "deep.app.localhost", "localhost."})
    void localhostNamesAreLoopback(String host) {
        Optional<InetAddress> addr = LocalhostNames.loopbackFor(host);
        assertThat(addr).isPresent();
        assertThat(addr.get().isLoopbackAddress()).isTrue();
        assertThat(addr.get().getHostName()).isEqualTo(host);
    }

    @ParameterizedTest
    @ValueSource(strings = {"example.com", "localhost.example.com", "notlocalhost", "xlocalhost", "localhost.com", "127.0.0.1"})
    void otherNamesAreNot(String host) {
        assertThat(LocalhostNames.loopbackFor(host)).isEmpty();
    }

    /** Every spelling a URL's host can have that is this machine, literally or by RFC 6761. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1", "127.255.255.254", "127.0.0.01", "2130706433", "[::1]", "::1", "[0:0:0:0:0:0:0:1]",
            "[::ffff:127.0.0.1]", "localhost", "LOCALHOST", "localhost.", "foo.localhost", "Admin.LocalHost"})
    void loopbackHostsAreLoopback(String host) {
        assertThat(LocalhostNames.isLoopback(host)).isTrue();
    }

    /** Names that only look like loopback (any DNS name resolves wherever its owner wants), and other addresses. */
    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1.nip.io", "127.attacker.example", "127.", "127", "0x7f.0.0.1", "0177.0.0.1", "127.1.example",
            "localhost.evil.com", "evil.com", "localhostx", "xlocalhost", "[::2]", "[::ffff:10.0.0.1]", "10.0.0.1", "0.0.0.0", "[::]",
            "[127.0.0.1]", "[::1", "", " 127.0.0.1", "[::1%25lo]"})
    void otherHostsAreNot(String host) {
        assertThat(LocalhostNames.isLoopback(host)).isFalse();
    }
}
