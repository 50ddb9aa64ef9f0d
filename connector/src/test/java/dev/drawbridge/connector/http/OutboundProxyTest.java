package dev.drawbridge.connector.http;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.HttpProxy;
import org.eclipse.jetty.client.ProxyConfiguration;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The outbound proxy setting: what a proxy URL may be, its credentials, its file, and which requests it applies to. */
class OutboundProxyTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "ftp://proxy:21|is not an http://host:port",
            "proxy.corp:3128|is not an http://host:port",
            "http://proxy.corp|has no port",
            "http://proxy.corp:3128/some/path|has a path or query",
            "http://proxy.corp:3128?x=1|has a path or query",
            "http://user:pw@proxy.corp:3128|not in the URL",
            "http://proxy corp:3128|is not a URL"})
    void aBadProxyUrlIsRefusedWithASentence(String url, String why) {
        assertThatThrownBy(() -> OutboundProxy.of(url)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why)
                .hasMessageNotContaining(":pw@");
    }

    @Test
    void credentialsComeInPairsAndCarryNoColonOrControlCharacter() {
        assertThatThrownBy(() -> OutboundProxy.of("http://p:3128", Optional.of("u"), Optional.empty())).hasMessageContaining("without a password");
        assertThatThrownBy(() -> OutboundProxy.of("http://p:3128", Optional.empty(), Optional.of("pw"))).hasMessageContaining("without a user");
        assertThatThrownBy(() -> OutboundProxy.of("http://p:3128", Optional.of("a:b"), Optional.of("pw"))).hasMessageContaining("':'");
        assertThatThrownBy(() -> OutboundProxy.of("http://p:3128", Optional.of("u"), Optional.of("p\r\nX-Evil: 1")))
                .hasMessageContaining("control characters").hasMessageNotContaining("X-Evil");
    }

    @Test
    void theUrlIsNormalisedAndToStringNeverShowsThePassword() {
        OutboundProxy p = OutboundProxy.of(" HTTP://Proxy.Corp:3128/ ", Optional.of("svc"), Optional.of("s3cret"));
        assertThat(p.uri()).isEqualTo(URI.create("http://Proxy.Corp:3128"));
        assertThat(p.toString()).contains("svc").doesNotContain("s3cret");
    }

    @Test
    void storedAt0600AndReadBackAndRemoved() throws Exception {
        OutboundProxy p = OutboundProxy.of("https://proxy.corp:8443", Optional.of("svc"), Optional.of("pa=ss:#word"));
        p.save(dir);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(OutboundProxy.FILE)))).isEqualTo("rw-------");
        assertThat(OutboundProxy.load(dir)).contains(p);
        assertThat(OutboundProxy.remove(dir)).isTrue();
        assertThat(OutboundProxy.load(dir)).isEmpty();
        assertThat(OutboundProxy.remove(dir)).isFalse();
    }

    @Test
    void aDamagedFileSaysToSetTheProxyAgain() throws Exception {
        Files.writeString(dir.resolve(OutboundProxy.FILE), "url=http://proxy.corp\n");
        assertThatThrownBy(() -> OutboundProxy.load(dir)).hasMessageContaining("has no port").hasMessageContaining("set-proxy");
        Files.writeString(dir.resolve(OutboundProxy.FILE), "user=x\n");
        assertThatThrownBy(() -> OutboundProxy.load(dir)).hasMessageContaining("has no url");
    }

    /**
     * TLS to an https proxy is checked against the system's trust store and the proxy's host name, not against the pinned
     * server CA of the server-bound client (which trusts nothing else): a corporate proxy's certificate must do (review12).
     */
    @Test
    void anHttpsProxyGetsItsOwnTlsCheckedByTheSystemTrustStoreAndHostName() throws Exception {
        SslContextFactory.Client serverTls = Clients.serverTls();
        HttpClient http = Clients.httpClient(serverTls);
        OutboundProxy.of("https://proxy.corp:8443").applyTo(http);
        ProxyConfiguration.Proxy proxy = http.getProxyConfiguration().getProxies().getFirst();
        assertThat(proxy.isSecure()).isTrue();
        SslContextFactory.Client toProxy = proxy.getSslContextFactory();
        assertThat(toProxy).isNotNull().isNotSameAs(serverTls);
        assertThat(toProxy.getEndpointIdentificationAlgorithm()).isEqualTo("HTTPS");
        assertThat(toProxy.getTrustStore()).as("the JVM's default trust store").isNull();
        assertThat(toProxy.isStarted()).isTrue();
        toProxy.stop();
    }

    @Test
    void theCredentialsAreForTheProxyOnlyNeverForADestination() throws Exception {
        HttpClient http = new HttpClient();
        OutboundProxy.of("http://proxy.corp:3128", Optional.of("svc"), Optional.of("pw")).applyTo(http);
        assertThat(http.getProxyConfiguration().getProxies()).singleElement().isInstanceOfSatisfying(HttpProxy.class, hp -> {
            assertThat(hp.getAddress().getHost()).isEqualTo("proxy.corp");
            assertThat(hp.getAddress().getPort()).isEqualTo(3128);
            assertThat(hp.isSecure()).isFalse();
        });
        assertThat(http.getAuthenticationStore().findAuthenticationResult(URI.create("http://proxy.corp:3128"))).isNotNull();
        assertThat(http.getAuthenticationStore().findAuthenticationResult(URI.create("https://admin.example.com/connector/v1/register")))
                .isNull();
        assertThat(http.getAuthenticationStore().findAuthenticationResult(URI.create("http://proxy.corp.evil.example:3128/"))).isNull();
    }
}
