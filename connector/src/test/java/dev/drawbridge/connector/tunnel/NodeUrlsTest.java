package dev.drawbridge.connector.tunnel;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/** What a node list may make a connector dial: only tunnel URLs under the server's domain, at most 32. */
class NodeUrlsTest {
    private final NodeUrls rules = new NodeUrls(URI.create("wss://admin.example.com:8444/connector/v1/tunnel"),
            URI.create("https://admin.example.com:8443"));

    @ParameterizedTest
    @ValueSource(strings = {"wss://admin.example.com:8444/connector/v1/tunnel", "wss://tunnel-2.example.com:9444/connector/v1/tunnel",
            "wss://example.com:443/connector/v1/tunnel", "wss://ADMIN.example.com:8444/connector/v1/tunnel"})
    void dialsTunnelUrlsUnderTheDomain(String url) {
        assertThat(rules.problem(url)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://tunnel-2.example.com:8444/connector/v1/tunnel", "https://tunnel-2.example.com:8444/connector/v1/tunnel",
            "wss://10.0.0.5:8444/connector/v1/tunnel", "wss://127.0.0.1:8444/connector/v1/tunnel", "wss://[::1]:8444/connector/v1/tunnel",
            "wss://intranet.corp:8444/connector/v1/tunnel", "wss://example.com.evil.net:8444/connector/v1/tunnel",
            "wss://a.b.example.com:8444/connector/v1/tunnel", "wss://tunnel-2.example.com/connector/v1/tunnel",
            "wss://tunnel-2.example.com:8444/elsewhere", "wss://tunnel-2.example.com:8444/connector/v1/tunnel?x=1",
            "wss://user@tunnel-2.example.com:8444/connector/v1/tunnel", "wss://tunnel-2.example.com:8444/connector/v1/tunnel#f",
            "wss://tunnel-2.example.com:99999/connector/v1/tunnel", "not a url", ""})
    void refusesEverythingElse(String url) {
        assertThat(rules.problem(url)).isPresent();
    }

    @Test
    void refusesAnOverlongUrl() {
        assertThat(rules.problem("wss://" + "a".repeat(600) + ".example.com:8444/connector/v1/tunnel")).isPresent();
    }

    @Test
    void keepsAtMost32InOrderWithoutDuplicates() {
        List<String> many = IntStream.range(0, 100).mapToObj(i -> "wss://n" + i + ".example.com:8444/connector/v1/tunnel").toList();
        List<URI> accepted = rules.accepted(many);
        assertThat(accepted).hasSize(32).first().isEqualTo(URI.create(many.getFirst()));
        assertThat(rules.accepted(List.of(many.get(1), many.get(1), "wss://10.0.0.1:1/connector/v1/tunnel")))
                .containsExactly(URI.create(many.get(1)));
    }
}
