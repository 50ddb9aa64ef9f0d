package dev.drawbridge.proxy.forwarding;

import dev.drawbridge.proxy.edge.RequestId;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RequestIdCustomizer} on a real Jetty server, in front of {@link ClientAddressCustomizer} as on the public
 * listener: a trusted load balancer's well-formed {@code X-Request-Id} is kept (even though the request is then
 * attributed to the client it reports); anything else, from anyone else, gets a fresh id: a client that is not a trusted
 * proxy cannot choose the id its request is logged under.
 */
@Timeout(30)
class RequestIdCustomizerTest {
    /** 127.0.0.1 is the load balancer; 127.0.0.2 (also loopback) is a client connecting directly. */
    private static final String BALANCER = "127.0.0.1", CLIENT = "127.0.0.2";
    private static Server server;
    private static ServerConnector connector;

    @BeforeAll
    static void start() throws Exception {
        TrustedProxies trusted = TrustedProxies.of(List.of(BALANCER));
        server = new Server();
        HttpConfiguration http = new HttpConfiguration();
        http.addCustomizer(new RequestIdCustomizer(trusted));
        http.addCustomizer(new ClientAddressCustomizer(trusted));
        connector = new ServerConnector(server, new HttpConnectionFactory(http));
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                byte[] body = (RequestId.ATTRIBUTE.get(request).value() + " " + Request.getRemoteAddr(request)).getBytes(StandardCharsets.UTF_8);
                response.getHeaders().put(HttpHeader.CONTENT_LENGTH, body.length);
                response.write(true, ByteBuffer.wrap(body), callback);
                return true;
            }
        });
        server.start();
    }

    @AfterAll
    static void stop() throws Exception {
        server.stop();
    }

    /** The request id and the client address the handler saw. */
    private static String[] send(String from, String... headers) throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.ofLiteral(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", connector.getLocalPort()), 5_000);
            s.setSoTimeout(10_000);
            StringBuilder req = new StringBuilder("GET / HTTP/1.1\r\nHost: app.example\r\nConnection: close\r\n");
            for (String h : headers) {
                req.append(h).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(req.append("\r\n").toString().getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 200");
            return answer.substring(answer.indexOf("\r\n\r\n") + 4).split(" ");
        }
    }

    @Test
    void aTrustedBalancersWellFormedIdIsKeptWhileTheClientItReportsIsUsed() throws Exception {
        String[] seen = send(BALANCER, "X-Request-Id: 3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b", "X-Forwarded-For: 198.51.100.7");
        assertThat(seen[0]).isEqualTo("3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b");
        assertThat(seen[1]).isEqualTo("198.51.100.7");
    }

    @Test
    void withoutOneTheBalancersRequestGetsAFreshId() throws Exception {
        assertThat(send(BALANCER)[0]).matches("[0-9a-f]{32}");
    }

    @Test
    void aClientThatIsNotATrustedProxyCannotChooseItsId() throws Exception {
        String[] seen = send(CLIENT, "X-Request-Id: chosen-by-the-client", "X-Forwarded-For: 10.0.0.1");
        assertThat(seen[0]).matches("[0-9a-f]{32}").isNotEqualTo("chosen-by-the-client");
        assertThat(seen[1]).isEqualTo(CLIENT);
    }

    @ParameterizedTest
    @ValueSource(strings = {"has space", "quote\"d", "back\\slash", "semi;colon", "caf\u00e9"})
    void aMalformedIdEvenFromTheBalancerIsReplaced(String id) throws Exception {
        assertThat(send(BALANCER, "X-Request-Id: " + id)[0]).matches("[0-9a-f]{32}");
    }

    @Test
    void anOverlongOrRepeatedIdFromTheBalancerIsReplaced() throws Exception {
        assertThat(send(BALANCER, "X-Request-Id: " + "a".repeat(129))[0]).matches("[0-9a-f]{32}");
        assertThat(send(BALANCER, "X-Request-Id: one", "X-Request-Id: two")[0]).matches("[0-9a-f]{32}");
    }
}
