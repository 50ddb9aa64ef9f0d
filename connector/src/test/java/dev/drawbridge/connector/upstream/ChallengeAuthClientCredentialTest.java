package dev.drawbridge.connector.upstream;

import com.sun.net.httpserver.HttpServer;
import dev.drawbridge.connector.http.Clients;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Review of issue 10 (review10b). For an app with Kerberos single sign-on that is not "up front", the connector sends
 * the first (bodyless) request with the headers the client sent, including the client's own {@code Authorization}
 * (the proxy drops it only when it was the bearer token meant for Drawbridge). A backend that accepts it (IIS or
 * mod_auth_gssapi with Basic enabled, or the client's own Negotiate token) signs in whoever the client names, not the
 * pre-authenticated user, and the connector relays that answer without any mutual-authentication check. docs/security.md
 * says every client spelling of Authorization is replaced when the connector signs in with Kerberos; the existing
 * {@code ChallengeAuthTest#aChallengeIsAnsweredOnceWithTheSameRequestAndClientCredentialsNeverPass} even asserts the
 * forged values reach the app. Expected: no request to the app ever carries the client's Authorization.
 */
@Timeout(30)
class ChallengeAuthClientCredentialTest {
    private final HttpClient http = Clients.upstreamClient(new SslContextFactory.Client());
    private final HttpServer app;
    private final List<List<String>> seen = new CopyOnWriteArrayList<>();
    private TunnelPair pair;

    ChallengeAuthClientCredentialTest() throws Exception {
        http.start();
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/", ex -> {
            List<String> auths = ex.getRequestHeaders().getOrDefault("Authorization", List.of());
            seen.add(auths);
            // A backend that also takes Basic: mallory's password signs mallory in.
            boolean ok = auths.contains("Basic bWFsbG9yeTp4") || auths.contains("Negotiate good");
            byte[] b = (ok ? "hello " + (auths.contains("Negotiate good") ? "alice" : "mallory") : "who?").getBytes(StandardCharsets.UTF_8);
            if (!ok) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Negotiate");
            } else if (auths.contains("Negotiate good")) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Negotiate mutual-ok");
            }
            ex.sendResponseHeaders(ok ? 200 : 401, b.length);
            ex.getResponseBody().write(b);
            ex.close();
        });
        app.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pair != null) {
            pair.close();
        }
        app.stop(0);
        http.stop();
    }

    private static final class Alice implements ChallengeAuth {
        @Override
        public String scheme() {
            return "Negotiate";
        }

        @Override
        public boolean upFront() {
            return false;
        }

        @Override
        public String authorization() {
            return "Negotiate good";
        }

        @Override
        public void accept(int status, List<String> wwwAuthenticate) throws RefusedException {
            if (!ChallengeAuth.challenge(wwwAuthenticate, "Negotiate").orElse("").equals("mutual-ok")) {
                throw new RefusedException("mutual authentication failed");
            }
        }
    }

    @Test
    void theClientsOwnAuthorizationNeverReachesAKerberosApp() throws Exception {
        UpstreamExchange exchange = new UpstreamExchange(http);
        ChallengeAuth auth = new Alice();
        pair = new TunnelPair(s -> Thread.startVirtualThread(() -> exchange.run(s, s.request(), auth)));
        String uri = "http://127.0.0.1:" + app.getAddress().getPort() + "/page";
        TunnelStream s = pair.proxy.open(new RequestHead("app", "GET", uri,
                List.of(new HeaderField("Authorization", "Basic bWFsbG9yeTp4")), Duration.ofSeconds(10), false, false));
        s.endOutputWithoutFrame();
        assertThat(s.awaitHead(Duration.ofSeconds(10)).status()).isEqualTo(200);
        StringBuilder body = new StringBuilder();
        byte[] chunk;
        while ((chunk = s.read()) != null) {
            body.append(new String(chunk, StandardCharsets.UTF_8));
        }
        assertThat(seen).as("what the app received").allSatisfy(a -> assertThat(a).doesNotContain("Basic bWFsbG9yeTp4"));
        assertThat(body.toString()).isEqualTo("hello alice");
    }
}
