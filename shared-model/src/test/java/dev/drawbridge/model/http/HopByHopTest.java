package dev.drawbridge.model.http;

import dev.drawbridge.model.tunnel.HeaderField;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link HopByHop}: the RFC 9110 §7.6.1 connection headers and every header the Connection header names
 * are removed regardless of case; all other headers survive in their order, duplicates included.
 */
class HopByHopTest {

    private static HeaderField h(String name, String value) {
        return new HeaderField(name, value);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Connection", "keep-alive", "Proxy-Connection", "PROXY-AUTHENTICATE", "Proxy-Authorization",
            "TE", "Trailer", "Transfer-Encoding", "upgrade", "HTTP2-Settings"})
    void hopByHopHeadersAreRemovedCaseInsensitively(String name) {
        List<HeaderField> in = List.of(h("Accept", "*/*"), h(name, "x"), h("Host", "a"));
        assertThat(HopByHop.strip(in)).containsExactly(h("Accept", "*/*"), h("Host", "a"));
        assertThat(HopByHop.isHopByHop(name)).isTrue();
    }

    @Test
    void headersNamedInConnectionAreRemovedAndOthersKeptInOrderWithDuplicates() {
        List<HeaderField> in = List.of(
                h("Set-Cookie", "a=1"), h("connection", " X-Secret ,, x-other"), h("X-SECRET", "s1"),
                h("Set-Cookie", "b=2"), h("X-Other", "o"), h("CONNECTION", "X-Third"), h("x-third", "t"),
                h("Accept", "text/html"), h("Set-Cookie", "a=1"), h("X-Secretive", "kept"));
        assertThat(HopByHop.strip(in)).containsExactly(h("Set-Cookie", "a=1"), h("Set-Cookie", "b=2"),
                h("Accept", "text/html"), h("Set-Cookie", "a=1"), h("X-Secretive", "kept"));
    }

    @Test
    void endToEndHeadersAreNotHopByHop() {
        for (String n : List.of("Accept", "Content-Length", "Cookie", "Host", "Authorization", "X-Forwarded-For", "Te-Extra")) {
            assertThat(HopByHop.isHopByHop(n)).as(n).isFalse();
        }
        List<HeaderField> in = List.of(h("Content-Length", "3"), h("Authorization", "Basic x"), h("Cookie", "a"));
        assertThat(HopByHop.strip(in)).isEqualTo(in);
        assertThat(HopByHop.strip(List.of())).isEmpty();
    }
}
