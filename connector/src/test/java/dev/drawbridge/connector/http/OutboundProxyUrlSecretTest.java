package dev.drawbridge.connector.http;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A proxy URL with credentials in it is refused whatever else is wrong with it (no port, another scheme, a space, a path),
 * and the refusal never repeats the credentials: {@code run} takes the URL from connector.yaml or the environment too, and
 * its refusal goes to the journal.
 */
class OutboundProxyUrlSecretTest {
    @ParameterizedTest
    @ValueSource(strings = {"http://svc:s3cretPW@proxy.corp", "socks5://svc:s3cretPW@proxy.corp:1080", "ftp://svc:s3cretPW@proxy.corp:21",
            "http://svc:s3cret PW@proxy.corp:3128", "http://svc:s3cretPW@proxy.corp:3128/path", "http://svc:s3cretPW@proxy.corp:3128?q",
            "http://svc:s3cretPW@:3128", "svc:s3cretPW@proxy.corp:3128", "http://svc:s3cretPW@proxy.corp:port"})
    void credentialsInTheUrlAreNeverRepeated(String url) {
        assertThatThrownBy(() -> OutboundProxy.of(url)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageNotContaining("s3cret").hasMessageNotContaining("svc:");
    }
}
