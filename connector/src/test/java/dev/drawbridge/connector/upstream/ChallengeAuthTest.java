package dev.drawbridge.connector.upstream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.drawbridge.connector.http.Clients;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Single sign-on by challenge ({@link ChallengeAuth}, as Kerberos' Negotiate), against a real HTTP server that asks
 * with {@code 401 WWW-Authenticate: Negotiate} and answers a good token with a mutual-authentication token: a bodyless
 * request is sent again once with the credential after the challenge; up front it goes with the first request; a
 * request with a body always goes up front; every client-sent spelling of Authorization is replaced; the app's answer
 * is checked (a bad mutual token refuses and nothing of the answer is relayed); an app that refuses the credential,
 * and a credential that cannot be had, reset the stream SSO_REFUSED with the reason.
 */
@Timeout(30)
class ChallengeAuthTest {
    private final HttpClient http = Clients.upstreamClient(new SslContextFactory.Client());
    private final HttpServer app;
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private final AtomicReference<String> mutual = new AtomicReference<>("mutual-ok");
    private TunnelPair pair;

    ChallengeAuthTest() throws Exception {
        http.start();
        app = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        app.createContext("/", ex -> {
            List<String> auths = ex.getRequestHeaders().getOrDefault("Authorization", List.of());
            byte[] body = ex.getRequestBody().readAllBytes();
            seen.add(ex.getRequestMethod() + " " + auths + " " + body.length);
            if (auths.equals(List.of("Negotiate good"))) {
                ex.getResponseHeaders().add("WWW-Authenticate", "Negotiate " + mutual.get());
                reply(ex, 200, "hello alice");
            } else {
                ex.getResponseHeaders().add("WWW-Authenticate", "Negotiate");
                ex.getResponseHeaders().add("WWW-Authenticate", "Basic realm=\"x\"");
                reply(ex, 401, "who are you?");
            }
        });
        app.start();
    }

    private static void reply(HttpExchange ex, int status, String text) throws IOException {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length);
        ex.getResponseBody().write(b);
        ex.close();
    }

    @AfterEach
    void tearDown() throws Exception {
        if (pair != null) {
            pair.close();
        }
        app.stop(0);
        http.stop();
    }

    /** An authenticator giving {@code token} (or refusing when null), counting how often it was asked. */
    private static final class Fake implements ChallengeAuth {
        final String token;
        final boolean upFront;
        final AtomicInteger asked = new AtomicInteger();

        Fake(String token, boolean upFront) {
            this.token = token;
            this.upFront = upFront;
        }

        @Override
        public String scheme() {
            return "Negotiate";
        }

        @Override
        public boolean upFront() {
            return upFront;
        }

        @Override
        public String authorization() throws RefusedException {
            asked.incrementAndGet();
            if (token == null) {
                throw new RefusedException("the KDC says: user not delegable");
            }
            return "Negotiate " + token;
        }

        @Override
        public void accept(int status, List<String> wwwAuthenticate) throws RefusedException {
            if (!ChallengeAuth.challenge(wwwAuthenticate, "Negotiate").orElse("").equals("mutual-ok")) {
                throw new RefusedException("mutual authentication failed");
            }
        }
    }

    private TunnelStream exchange(ChallengeAuth auth, String method, byte[] body, HeaderField... headers) throws Exception {
        UpstreamExchange exchange = new UpstreamExchange(http);
        pair = new TunnelPair(s -> Thread.startVirtualThread(() -> exchange.run(s, s.request(), auth)));
        String uri = "http://127.0.0.1:" + app.getAddress().getPort() + "/page";
        TunnelStream s = pair.proxy.open(new RequestHead("app", method, uri, List.of(headers), Duration.ofSeconds(10), false, body != null));
        if (body != null) {
            s.write(body, 0, body.length);
            s.endOutput();
        } else {
            s.endOutputWithoutFrame();
        }
        return s;
    }

    private static String bodyOf(TunnelStream s) throws Exception {
        byte[] chunk;
        StringBuilder b = new StringBuilder();
        while ((chunk = s.read()) != null) {
            b.append(new String(chunk, StandardCharsets.UTF_8));
        }
        return b.toString();
    }

    @Test
    void aChallengeIsAnsweredOnceWithTheSameRequestAndClientCredentialsNeverPass() throws Exception {
        Fake auth = new Fake("good", false);
        TunnelStream s = exchange(auth, "GET", null, new HeaderField("authorization", "Negotiate forged"),
                new HeaderField("Authorization", "Basic bWFsbG9yeTp4"));
        ResponseHead head = s.awaitHead(Duration.ofSeconds(10));
        assertThat(head.status()).isEqualTo(200);
        assertThat(bodyOf(s)).isEqualTo("hello alice");
        assertThat(seen).containsExactly("GET [] 0", "GET [Negotiate good] 0");
        assertThat(auth.asked).hasValue(1);
    }

    @Test
    void upFrontTheFirstRequestCarriesIt() throws Exception {
        Fake auth = new Fake("good", true);
        TunnelStream s = exchange(auth, "GET", null, new HeaderField("AUTHORIZATION", "Negotiate forged"));
        assertThat(s.awaitHead(Duration.ofSeconds(10)).status()).isEqualTo(200);
        assertThat(seen).containsExactly("GET [Negotiate good] 0");
    }

    @Test
    void aRequestWithABodyAlwaysGoesUpFront() throws Exception {
        Fake auth = new Fake("good", false);
        TunnelStream s = exchange(auth, "POST", "form=1".getBytes(StandardCharsets.UTF_8));
        assertThat(s.awaitHead(Duration.ofSeconds(10)).status()).isEqualTo(200);
        assertThat(seen).containsExactly("POST [Negotiate good] 6");
    }

    @Test
    void aBadMutualTokenRefusesAndRelaysNothing() throws Exception {
        mutual.set("forged-by-a-fake-backend");
        TunnelStream s = exchange(new Fake("good", true), "GET", null);
        assertThatThrownBy(() -> s.awaitHead(Duration.ofSeconds(10))).isInstanceOfSatisfying(StreamResetException.class, e -> {
            assertThat(e.code()).isEqualTo(ResetCode.SSO_REFUSED);
            assertThat(e.reason()).isEqualTo("single sign-on refused: mutual authentication failed");
        });
        assertThat(pair.sentByConnector).noneMatch(f -> f instanceof Frame.Head || f instanceof Frame.Whole || f instanceof Frame.Data);
    }

    @Test
    void anAppThatRefusesTheCredentialAndACredentialThatCannotBeHadRefuse() throws Exception {
        TunnelStream s = exchange(new Fake("stale", false), "GET", null);
        assertThatThrownBy(() -> s.awaitHead(Duration.ofSeconds(10))).isInstanceOfSatisfying(StreamResetException.class, e -> {
            assertThat(e.code()).isEqualTo(ResetCode.SSO_REFUSED);
            assertThat(e.reason()).contains("the app refused the Negotiate credential (401)");
        });
        assertThat(seen).hasSize(2);
        pair.close();
        seen.clear();
        TunnelStream t = exchange(new Fake(null, true), "GET", null);
        assertThatThrownBy(() -> t.awaitHead(Duration.ofSeconds(10))).isInstanceOfSatisfying(StreamResetException.class, e ->
                assertThat(e.reason()).isEqualTo("single sign-on refused: the KDC says: user not delegable"));
        assertThat(seen).as("the app never saw the request").isEmpty();
    }

    @Test
    void withoutSingleSignOnTheClientsAuthorizationPassesWithOrWithoutABody() throws Exception {
        // An app without single sign-on (a passthrough API with its own Basic or bearer auth) gets what the client sent.
        TunnelStream post = exchange(null, "POST", "x=1".getBytes(StandardCharsets.UTF_8), new HeaderField("Authorization", "Negotiate good"));
        assertThat(post.awaitHead(Duration.ofSeconds(10)).status()).isEqualTo(200);
        assertThat(seen).containsExactly("POST [Negotiate good] 3");
    }

    @Test
    void challengesAreFoundInAnySpellingAndList() {
        assertThat(ChallengeAuth.challenge(List.of("Basic realm=\"x\", negotiate abc=="), "Negotiate")).contains("abc==");
        assertThat(ChallengeAuth.challenge(List.of("NEGOTIATE"), "Negotiate")).contains("");
        assertThat(ChallengeAuth.challenge(List.of("NegotiateX y", "Basic"), "Negotiate")).isEmpty();
    }
}
