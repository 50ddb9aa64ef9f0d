package dev.drawbridge.proxy.forwarding;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves {@link ClientAddressCustomizer} on a real Jetty server: what handlers see as the remote address is the
 * socket peer for an untrusted peer whatever address headers it sends, and the rightmost untrusted
 * X-Forwarded-For entry (canonical spelling only) for a trusted one.
 */
@Timeout(30)
class ClientAddressCustomizerTest {
    private static final String UNTRUSTED = "127.0.0.1", TRUSTED = "127.0.0.2";
    private static AddressEchoServer server;

    @BeforeAll
    static void start() throws Exception {
        server = new AddressEchoServer(TrustedProxies.of(List.of(TRUSTED + "/32")), false);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    private static String addr(String from, String... headers) throws Exception {
        String answer = server.send(from, new byte[0], headers);
        return answer.substring(0, answer.indexOf(' '));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"X-Forwarded-For: 203.0.113.7", "X-Real-IP: 203.0.113.7", "Forwarded: for=203.0.113.7",
            "True-Client-IP: 203.0.113.7", "X-Client-IP: 203.0.113.7", "CF-Connecting-IP: 203.0.113.7",
            "X_Forwarded_For: 203.0.113.7", "Client-IP: 203.0.113.7", "X-Cluster-Client-IP: 203.0.113.7"})
    void anUntrustedPeerCannotChooseItsAddress(String header) throws Exception {
        assertThat(addr(UNTRUSTED, header)).isEqualTo(UNTRUSTED);
    }

    @Test
    void anUntrustedPeerCannotChooseItsAddressWithAllOfThemAtOnce() throws Exception {
        assertThat(addr(UNTRUSTED, "X-Forwarded-For: 203.0.113.7", "X-Forwarded-For: 127.0.0.2", "X-Real-IP: 203.0.113.7",
                "Forwarded: for=203.0.113.7;proto=https")).isEqualTo(UNTRUSTED);
    }

    @Test
    void aTrustedPeerReportsTheClient() throws Exception {
        assertThat(addr(TRUSTED, "X-Forwarded-For: 203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(addr(TRUSTED, "x-forwarded-for: 198.51.100.1, 203.0.113.7")).as("a forged entry on the left changes nothing")
                .isEqualTo("203.0.113.7");
        assertThat(addr(TRUSTED, "X-Forwarded-For: 198.51.100.1", "X-Forwarded-For: 203.0.113.7")).isEqualTo("203.0.113.7");
        assertThat(addr(TRUSTED, "X-Forwarded-For: [2001:db8::7]:443")).isEqualTo("[2001:db8:0:0:0:0:0:7]");
    }

    @Test
    void aTrustedPeerIsOnlyReadThroughTheCanonicalXForwardedFor() throws Exception {
        assertThat(addr(TRUSTED)).isEqualTo(TRUSTED);
        assertThat(addr(TRUSTED, "X_Forwarded_For: 203.0.113.7", "X-Real-IP: 203.0.113.7", "Forwarded: for=203.0.113.7",
                "True-Client-IP: 203.0.113.7")).isEqualTo(TRUSTED);
        assertThat(addr(TRUSTED, "X-Forwarded-For: not-an-address")).isEqualTo(TRUSTED);
    }
}
