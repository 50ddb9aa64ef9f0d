package dev.drawbridge.systemtests.connector;

import dev.drawbridge.connector.Connector;
import dev.drawbridge.connector.sso.Verification;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.sso.SsoIdentity;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The connector learns who the user is, through the whole stack (client → proxy → tunnel → connector → sample app):
 * a connector that announces single sign-on receives, for each request of a signed-in user to a pre-authenticated app,
 * an identity it verifies (the user's UPN, name), on plain requests and WebSocket upgrades, and none for a passthrough app; nothing the client sends
 * (an identity-looking header) stands in for it. A connector that does not announce it (as before issue 10) is sent
 * no keys and no identities, and still serves both apps.
 */
class SsoIdentitySystemTest {
    static final String PASSWORD = "correct horse battery staple";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String open, signed;
    static HttpClient alice;

    record Seen(String appId, Verification user) {
    }

    /** Collects the text messages of a WebSocket (public: Jetty reaches its methods by method handles). */
    public static final class Texts implements Session.Listener.AutoDemanding {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        @Override
        public void onWebSocketText(String message) {
            received.add(message);
        }
    }

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        open = stack.publish("Open", "open", app.baseUri());
        signed = stack.externalUrl("signed");
        stack.adminApi().apps().create(new AppSpec("Signed", signed, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                new AccessSettings(false, true, true, false)));
        stack.adminApi().users().create(new UserSpec("alice@corp.example", "Alice", null, null, PASSWORD));
    }

    @AfterAll
    static void stop() throws Exception {
        if (alice != null) {
            alice.stop();
        }
        stack.close();
        app.close();
    }

    private static List<Seen> observe(Connector c) {
        List<Seen> seen = new CopyOnWriteArrayList<>();
        c.sso().observe((RequestHead head, Verification user) -> seen.add(new Seen(head.appId(), user)));
        return seen;
    }

    private static ContentResponse get(HttpClient client, String url) throws Exception {
        ContentResponse r = client.newRequest(URI.create(url)).timeout(20, TimeUnit.SECONDS)
                .headers(h -> h.add("X-Drawbridge-Identity", "eyJhbGciOiJub25lIn0.eyJ1cG4iOiJhZG1pbiJ9.")).send();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return r;
    }

    @Test
    void aCapableConnectorGetsAVerifiedIdentityForPreAuthenticatedAppsOnlyAndAnOldOneStillServes() throws Exception {
        Connector capable = stack.startConnector(dir.resolve("capable"), 1);
        List<Seen> seen = observe(capable);
        alice = Https.client(stack.server().serverCaCertificate(), true);
        assertThat(SignInForms.signIn(alice, signed + "echo/start", stack.externalUrl("login"), "alice@corp.example", PASSWORD)
                .getStatus()).isEqualTo(200);
        seen.clear();

        get(alice, signed + "echo/one");
        get(alice, signed + "echo/two");
        get(alice, open + "echo/three");

        assertThat(seen).hasSize(3);
        String signedId = seen.get(0).appId(), openId = seen.get(2).appId();
        assertThat(signedId).isNotEqualTo(openId);
        for (Seen s : seen.subList(0, 2)) {
            assertThat(s.appId()).isEqualTo(signedId);
            assertThat(s.user()).isInstanceOf(Verification.Verified.class);
            SsoIdentity user = s.user().identity().orElseThrow();
            assertThat(user.upn()).isEqualTo("alice@corp.example");
            assertThat(user.name()).isEqualTo("Alice");
            assertThat(user.subject()).isNotBlank();
        }
        assertThat(seen.get(2).user()).isEqualTo(Verification.ABSENT);

        // A WebSocket upgrade to the pre-authenticated app carries the identity too.
        seen.clear();
        WebSocketClient ws = new WebSocketClient(alice);
        ws.start();
        try {
            Texts texts = new Texts();
            Session session = ws.connect(texts, URI.create(signed.replace("https:", "wss:") + "ws")).get(20, TimeUnit.SECONDS);
            session.sendText("hello", Callback.NOOP);
            assertThat(texts.received.poll(20, TimeUnit.SECONDS)).contains("hello");
            session.close();
        } finally {
            ws.stop();
        }
        assertThat(seen).hasSize(1);
        assertThat(seen.getFirst().user().identity()).map(SsoIdentity::upn).contains("alice@corp.example");

        // A connector as before issue 10, in the same group: the capable one leaves, the old one serves both apps.
        capable.close();
        Await.until("the capable connector's tunnel is gone", Duration.ofSeconds(10),
                () -> stack.server().registry().tunnelCount(capable.connectorId()) == 0);
        Connector old = stack.startConnectorWithoutSso(dir.resolve("old"), 1);
        List<Seen> seenByOld = observe(old);
        ContentResponse r = get(alice, signed + "echo/four");
        assertThat(r.getContentAsString()).contains("alice@corp.example");
        get(alice, open + "echo/five");
        assertThat(seenByOld).extracting(Seen::user).containsExactly(Verification.ABSENT, Verification.ABSENT);
        assertThat(Map.of("old", old.connectedTunnels())).containsEntry("old", 1);
    }
}
