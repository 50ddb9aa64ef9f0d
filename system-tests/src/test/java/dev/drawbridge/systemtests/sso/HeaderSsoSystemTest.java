package dev.drawbridge.systemtests.sso;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.GroupView;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.model.http.HeaderNames;
import dev.drawbridge.proxy.forwarding.HeaderSpellings;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.EchoEndpoint;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.Response;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.client.ClientUpgradeRequest;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Header-based single sign-on through the whole stack (client → proxy → tunnel → connector → sample app): the app gets
 * each configured header with the signed-in user's value, every transformation applied (the directory keeps UPNs in
 * lower case; the display name keeps its case until lowerCase, the prefix is never lower-cased); every spelling of a
 * configured name the client sends (case, {@code _}, {@code .} and the other token separators, repeated) is gone; a
 * passthrough app gets no such header; a WebSocket upgrade and a server-sent-event stream of the pre-authenticated
 * app carry the headers too.
 */
class HeaderSsoSystemTest {
    static final String PASSWORD = "correct horse battery staple";
    static final List<HeaderRule> RULES = List.of(
            HeaderRule.of("X-Remote-User", HeaderSource.UPN),
            new HeaderRule("X-User-Short", HeaderSource.UPN, null, true, true, null, null),
            new HeaderRule("X-Groups", HeaderSource.GROUPS, null, false, true, "grp:", ";"),
            new HeaderRule("X-Domain-User", HeaderSource.UPN, null, true, false, "CORP\\", null),
            new HeaderRule("X-Name", HeaderSource.DISPLAY_NAME, null, false, true, "Name: ", null),
            HeaderRule.of("X-Email", HeaderSource.EMAIL));
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String signed, open;
    static HttpClient alice;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        AdminApi api = stack.adminApi();
        stack.startConnector(dir.resolve("connector"), 1);
        open = stack.publish("Open", "open", app.baseUri());
        signed = stack.externalUrl("signed");
        AppView a = api.apps().create(new AppSpec("Signed", signed, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                new AccessSettings(false, true, true, false)));
        api.apps().setSso(a.id(), SsoSettings.headers(RULES));
        api.users().create(new UserSpec("Alice.Smith@Corp.Example", "Alice Smith", null, null, PASSWORD));
        for (String g : List.of("HR", "Finance")) {
            GroupView group = api.groups().create(new GroupBody(g, null, null));
            api.groups().addMember(group.id(), new MemberBody(stack.user("Alice.Smith@Corp.Example").id()));
        }
        alice = Https.client(stack.server().serverCaCertificate(), true);
        assertThat(SignInForms.signIn(alice, signed + "echo/start", stack.externalUrl("login"), "Alice.Smith@Corp.Example", PASSWORD)
                .getStatus()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        if (alice != null) {
            alice.stop();
        }
        stack.close();
        app.close();
    }

    /** Every header the app received, by canonical name (all spellings of one name together). */
    private static Map<String, List<String>> received(ContentResponse r) throws Exception {
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        JsonNode headers = Json.MAPPER.readTree(r.getContent()).path("headers");
        Map<String, List<String>> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            List<String> values = out.computeIfAbsent(HeaderNames.canonical(e.getKey()), k -> new ArrayList<>());
            e.getValue().forEach(v -> values.add(v.asText()));
        }
        return out;
    }

    /** A GET carrying every spelling of {@code rule}'s name with a spoofed value. */
    private static ContentResponse getWithSpoofs(String url, HeaderRule rule) throws Exception {
        return alice.newRequest(URI.create(url)).timeout(20, TimeUnit.SECONDS).headers(h -> {
            for (String spelling : HeaderSpellings.of(HeaderNames.canonical(rule.name()))) {
                h.add(spelling, "spoofed");
            }
        }).send();
    }

    @Test
    void theAppGetsEachHeaderOnceWithItsTransformationAndNoSpoofedSpelling() throws Exception {
        Map<String, List<String>> expected = Map.of("x-remote-user", List.of("alice.smith@corp.example"), "x-user-short", List.of("alice.smith"),
                "x-domain-user", List.of("CORP\\alice.smith"), "x-name", List.of("Name: alice smith"));
        for (HeaderRule rule : RULES) {
            Map<String, List<String>> got = received(getWithSpoofs(signed + "echo/page", rule));
            expected.forEach((name, values) -> assertThat(got.get(name)).as(rule.name() + " spoofed; " + name).isEqualTo(values));
            assertThat(got.get("x-groups")).as(rule.name()).singleElement().asString().contains("grp:hr").contains("grp:finance").contains(";");
            assertThat(got).as("alice has no e-mail: no header, and the spoofed ones are gone").doesNotContainKey("x-email");
            assertThat(got.values()).as(rule.name()).flatMap(v -> v).doesNotContain("spoofed");
        }
    }

    @Test
    void aPassthroughAppGetsNoneOfThem() throws Exception {
        Map<String, List<String>> got = received(alice.newRequest(URI.create(open + "echo/x")).timeout(20, TimeUnit.SECONDS).send());
        assertThat(got).doesNotContainKeys("x-user-short", "x-domain-user", "x-name");
    }

    /** Collects a WebSocket's text messages (public: Jetty reaches its methods by method handles). */
    public static final class Texts implements Session.Listener.AutoDemanding {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();

        @Override
        public void onWebSocketText(String message) {
            received.add(message);
        }
    }

    @Test
    void aWebSocketUpgradeCarriesTheHeaders() throws Exception {
        WebSocketClient ws = new WebSocketClient(alice);
        ws.start();
        try {
            Texts texts = new Texts();
            ClientUpgradeRequest up = new ClientUpgradeRequest();
            up.setHeader("X_Remote_User", "spoofed");
            Session session = ws.connect(texts, URI.create(signed.replace("https:", "wss:") + "ws"), up).get(20, TimeUnit.SECONDS);
            session.sendText(EchoEndpoint.HEADERS_QUERY, Callback.NOOP);
            String headers = texts.received.poll(20, TimeUnit.SECONDS);
            assertThat(headers).containsIgnoringCase("X-Remote-User: alice.smith@corp.example").containsIgnoringCase("X-User-Short: alice.smith")
                    .doesNotContain("spoofed");
            session.close();
        } finally {
            ws.stop();
        }
    }

    @Test
    void aServerSentEventStreamCarriesTheHeadersAndStreams() throws Exception {
        InputStreamResponseListener listener = new InputStreamResponseListener();
        alice.newRequest(URI.create(signed + "sse?count=3&intervalMs=50&header=X-User-Short")).headers(h -> h.add("x.user.short", "spoofed"))
                .send(listener);
        Response response = listener.get(20, TimeUnit.SECONDS);
        assertThat(response.getStatus()).isEqualTo(200);
        assertThat(response.getHeaders().get("Content-Type")).startsWith("text/event-stream");
        List<String> events = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(listener.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: ")) {
                    events.add(line.substring(6));
                }
            }
        }
        assertThat(events).containsExactly("X-User-Short: alice.smith", "event 1", "event 2", "event 3");
    }
}
