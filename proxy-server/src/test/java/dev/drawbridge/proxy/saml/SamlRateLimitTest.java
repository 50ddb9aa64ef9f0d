package dev.drawbridge.proxy.saml;

import dev.drawbridge.proxy.edge.TestServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The anonymous single sign-on service remembers every request it reads, so one client address may send a burst of
 * {@value SamlIdp#BURST} requests and then one a second: the next is a 429 page with {@code Retry-After}, whatever the
 * request (valid or not), and nothing is read or remembered for it. Metadata is not limited.
 */
class SamlRateLimitTest {
    @TempDir
    static Path dir;
    static IdpServer idp;

    @BeforeAll
    static void start() throws Exception {
        idp = new IdpServer(dir, true);
    }

    @AfterAll
    static void stop() throws Exception {
        idp.close();
    }

    @Test
    void oneAddressGetsABurstThenA429WithRetryAfter() throws Exception {
        for (int i = 0; i < SamlIdp.BURST; i++) {
            TestServer.Answer a = idp.server.get(IdpServer.LOGIN_HOST, "/saml/hr/sso?SAMLRequest=not-a-request-" + i);
            assertThat(a.status()).as("request %d", i).isEqualTo(400);
        }
        TestServer.Answer limited = idp.server.get(IdpServer.LOGIN_HOST, "/saml/hr/sso?SAMLRequest=one-more");
        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("Retry-After")).hasValueSatisfying(v -> assertThat(v).matches("[1-9][0-9]*"));
        assertThat(limited.body()).contains("Too many sign-in requests").doesNotContain("Exception");
        assertThat(idp.server.get(IdpServer.LOGIN_HOST, "/saml/hr/metadata").status()).as("metadata is not limited").isEqualTo(200);
    }
}
