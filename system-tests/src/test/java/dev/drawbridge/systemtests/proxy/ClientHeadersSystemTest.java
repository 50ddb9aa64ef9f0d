package dev.drawbridge.systemtests.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.UserSpec;
import dev.drawbridge.proxy.forwarding.HeaderSpellings;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.HttpClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * System test of the header class: client → proxy (TLS) → tunnel → connector → sample app, which echoes every
 * header it received. Every spelling of every identity, address and routing header name ({@link HeaderSpellings})
 * sent by the client, to a passthrough app and to a sign-in app with a signed-in user, never reaches the app;
 * the headers Drawbridge sets arrive exactly once, also as a CGI gateway would read their names.
 */
class ClientHeadersSystemTest {
    static final String PASSWORD = "correct horse battery staple";
    static final List<String> STRIPPED = HeaderSpellings.STRIPPED;
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String open, signed;
    static HttpClient alice;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        open = stack.publish("Open", "open", app.baseUri());
        signed = stack.externalUrl("signed");
        stack.adminApi().apps().create(new AppSpec("Signed", signed, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                new AccessSettings(false, true, true, false)));
        stack.startConnector(dir.resolve("c"), 1);
        stack.adminApi().users().create(new UserSpec("alice@corp.example", "Alice", null, null, PASSWORD));
        alice = Https.client(stack.server().serverCaCertificate(), true);
        ContentResponse r = SignInForms.signIn(alice, signed + "echo/start", stack.externalUrl("login"), "alice@corp.example", PASSWORD);
        assertThat(r.getStatus()).isEqualTo(200);
    }

    @AfterAll
    static void stop() throws Exception {
        alice.stop();
        stack.close();
        app.close();
    }

    /** Sends {@code headers} (name, value pairs) to {@code url}; returns the headers the app received. */
    static JsonNode echo(HttpClient client, String url, List<String[]> headers) throws Exception {
        ContentResponse r = client.newRequest(URI.create(url)).timeout(20, TimeUnit.SECONDS)
                .headers(h -> headers.forEach(nv -> h.add(nv[0], nv[1]))).send();
        assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(200);
        return Json.MAPPER.readTree(r.getContent()).path("headers");
    }

    static List<String> values(JsonNode headers, String gatewayName) {
        List<String> out = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = headers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (HeaderSpellings.gatewayView(e.getKey()).equals(gatewayName)) {
                e.getValue().forEach(v -> out.add(v.asText()));
            }
        }
        return out;
    }

    static List<String[]> forged(String canonical) {
        List<String[]> headers = new ArrayList<>();
        headers.add(new String[]{"X-Forwarded-For", "10.0.0.1"});
        for (String name : HeaderSpellings.of(canonical)) {
            if (!name.equalsIgnoreCase("x-forwarded-for")) {
                headers.add(new String[]{name, "forged"});
            }
        }
        return headers;
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("STRIPPED")
    void noSpellingReachesAPassthroughApp(String canonical) throws Exception {
        JsonNode h = echo(stack.http(), open + "echo/" + canonical, forged(canonical));
        assertThat(h.toString()).doesNotContain("forged");
        assertThat(values(h, "x-forwarded-for")).containsExactly("10.0.0.1, 127.0.0.1");
        assertThat(values(h, "x-forwarded-proto")).containsExactly("https");
        assertThat(values(h, "x-forwarded-host")).containsExactly("open.localhost:" + stack.server().publicPort());
        assertThat(values(h, "x-drawbridge-user")).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("STRIPPED")
    void noSpellingReachesASignInAppAndItsIdentityHeadersArriveOnce(String canonical) throws Exception {
        JsonNode h = echo(alice, signed + "echo/" + canonical, forged(canonical));
        assertThat(h.toString()).doesNotContain("forged");
        assertThat(values(h, "x-forwarded-for")).containsExactly("10.0.0.1, 127.0.0.1");
        assertThat(values(h, "x-drawbridge-user")).containsExactly("alice@corp.example");
        assertThat(values(h, "x-drawbridge-assertion")).singleElement().asString().startsWith("eyJ");
    }

    @Test
    void theIssuesExamplesDoNotPass() throws Exception {
        JsonNode h = echo(alice, signed + "echo/examples", List.of(new String[]{"X_Drawbridge_User", "mallory@corp.example"},
                new String[]{"Forwarded", "for=203.0.113.7;proto=http;host=evil.example"}, new String[]{"X-Real-IP", "203.0.113.7"},
                new String[]{"X-Original-URL", "/admin"}, new String[]{"X-Forwarded-Port", "80"},
                new String[]{"X-Forwarded-Prefix", "/evil"}));
        assertThat(values(h, "x-drawbridge-user")).containsExactly("alice@corp.example");
        for (String n : List.of("forwarded", "x-real-ip", "x-original-url", "x-forwarded-port", "x-forwarded-prefix")) {
            assertThat(values(h, n)).as(n).isEmpty();
        }
    }
}
