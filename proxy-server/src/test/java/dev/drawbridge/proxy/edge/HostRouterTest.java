package dev.drawbridge.proxy.edge;

import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of {@link HostRouter} on a real Jetty server with two listeners (public and tunnel): the host name,
 * in any case and with any port, picks the admin host, the sign-in host or the app chain; everything on the tunnel
 * listener goes to the tunnel endpoint whatever its host.
 */
class HostRouterTest {
    static Server server;
    static ServerConnector publicListener;
    static ServerConnector tunnelListener;

    @BeforeAll
    static void start() throws Exception {
        server = new Server();
        publicListener = listener();
        tunnelListener = listener();
        server.addConnector(publicListener);
        server.addConnector(tunnelListener);
        server.setHandler(PublicChain.assemble(tunnelListener, "admin.example.com", "login.example.com",
                Recorder.named("tunnel"), Recorder.named("management"), Recorder.named("sign-in"), Recorder.named("apps")));
        server.start();
    }

    private static ServerConnector listener() {
        HttpConfiguration http = new HttpConfiguration();
        http.setUriCompliance(PublicChain.URI_COMPLIANCE);
        ServerConnector c = new ServerConnector(server, new HttpConnectionFactory(http));
        c.setHost("127.0.0.1");
        c.setPort(0);
        return c;
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "admin.example.com, management", "ADMIN.Example.COM, management", "admin.example.com:8443, management",
            "login.example.com, sign-in", "Login.EXAMPLE.com:443, sign-in",
            "hr.example.com, apps", "example.com, apps", "admin.example.com.evil, apps", "xadmin.example.com, apps",
            "login.example.com.attacker.test, apps", "127.0.0.1, apps"})
    void theHostPicksTheHandler(String host, String expected) throws Exception {
        assertThat(TestServer.send(publicListener.getLocalPort(), "GET /api/v1/apps HTTP/1.1", host).body()).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0} on the tunnel listener")
    @CsvSource({"admin.example.com", "login.example.com", "hr.example.com"})
    void theTunnelListenerOnlyReachesTheTunnelEndpoint(String host) throws Exception {
        assertThat(TestServer.send(tunnelListener.getLocalPort(), "GET /connector/v1/tunnel HTTP/1.1", host).body()).isEqualTo("tunnel");
    }

    @Test
    void anAbsoluteFormRequestWhoseAuthorityDisagreesWithHostReachesNoHandler() throws Exception {
        // HTTP/1.1 lets the request-target carry a host too: Jetty refuses the request when the two disagree.
        TestServer.Answer mismatch = TestServer.send(publicListener.getLocalPort(), "GET https://admin.example.com/healthz HTTP/1.1",
                "hr.example.com");
        assertThat(mismatch.status()).isEqualTo(400);
        assertThat(mismatch.body()).doesNotContain("management").doesNotContain("apps");
        assertThat(TestServer.send(publicListener.getLocalPort(), "GET https://admin.example.com/healthz HTTP/1.1", "admin.example.com")
                .body()).isEqualTo("management");
    }
}
