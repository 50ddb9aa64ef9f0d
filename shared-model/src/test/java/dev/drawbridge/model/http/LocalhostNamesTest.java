package dev.drawbridge.model.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.Optional;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

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
}
