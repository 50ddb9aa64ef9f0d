package dev.drawbridge.proxy.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code --advertise-tunnel-url}: what is accepted, how it is given to connectors, and the refusals naming the field. */
class AdvertisedTunnelUrlTest {
    @ParameterizedTest
    @ValueSource(strings = {"wss://tunnel-1.example.com:8444", "https://tunnel-1.example.com:8444/", "wss://example.com:443/connector/v1/tunnel"})
    void acceptsWssOrHttpsUnderTheDomain(String url) {
        assertThat(AdvertisedTunnelUrl.problem(URI.create(url), "example.com")).isEmpty();
    }

    @Test
    void isGivenToConnectorsAsATunnelUrl() {
        assertThat(AdvertisedTunnelUrl.normalized(URI.create("https://Tunnel-1.example.com:9444/")))
                .isEqualTo("wss://tunnel-1.example.com:9444/connector/v1/tunnel");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ws://tunnel-1.localhost:8444", "http://tunnel-1.localhost:8444", "wss://tunnel-1.localhost",
            "wss://10.0.0.1:8444", "wss://tunnel.other.org:8444", "wss://a.b.localhost:8444", "wss://tunnel-1.localhost:8444/x",
            "wss://u@tunnel-1.localhost:8444", "wss://tunnel-1.localhost:8444?q"})
    void refusesOthersNamingTheField(String url) {
        // The defaults' domain is localhost.
        ServerConfig c = ServerConfig.defaults(Path.of("data"))
                .withCluster(new ServerConfig.Cluster(Optional.empty(), Optional.of(URI.create(url))));
        assertThat(c.problems()).anySatisfy(p -> assertThat(p).startsWith("cluster.advertiseTunnelUrl: ").contains("--advertise-tunnel-url"));
    }

    @Test
    void listsOnlyUsableRows() {
        assertThat(AdvertisedTunnelUrl.listable("wss://n1.example.com:8444/connector/v1/tunnel", "example.com")).isTrue();
        assertThat(AdvertisedTunnelUrl.listable("wss://n1.example.com:8444", "example.com")).isFalse();
        assertThat(AdvertisedTunnelUrl.listable("wss://127.0.0.1:8444/connector/v1/tunnel", "example.com")).isFalse();
        assertThat(AdvertisedTunnelUrl.listable("%%%", "example.com")).isFalse();
    }
}
