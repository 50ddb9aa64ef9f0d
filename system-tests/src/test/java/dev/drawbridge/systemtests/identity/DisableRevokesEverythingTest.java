package dev.drawbridge.systemtests.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.drawbridge.adminclient.Users;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.RolesBody;
import dev.drawbridge.model.api.UserView;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.InputStreamResponseListener;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.api.StatusCode;
import org.eclipse.jetty.websocket.client.WebSocketClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Disabling a user ends every credential they hold, at once, and for good: the app cookie, the sign-in host's
 * session, an OAuth bearer token, its refresh token, an unredeemed authorization code and an admin token are all
 * refused right after the disable, and stay refused after the user is enabled again (a fresh sign-in works).
 */
class DisableRevokesEverythingTest {
    static final String PASSWORD = "correct horse battery staple";
    static final String REDIRECT = "http://127.0.0.1:53682/callback";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String hr, login;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        hr = stack.externalUrl("hr");
        login = stack.externalUrl("login");
        stack.adminApi().apps().create(new AppSpec("HR", hr, app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                new AccessSettings(false, true, true, false)));
        stack.startConnector(dir.resolve("c"), 1);
        stack.adminApi().oauthClients().register(new OAuthClientSpec("cli", "Command line", List.of("http://127.0.0.1/callback"),
                List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN), List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    /** Every credential one user can hold; the one-time ones (refresh token, code) twice: for now and for later. */
    record Credentials(HttpClient browser, String bearer, List<String> refresh, List<String> unredeemedCode, String verifier, String adminToken) {
    }

    static Credentials everything(String upn) throws Exception {
        HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
        assertThat(SignInForms.signIn(browser, hr + "echo/in", login, upn, PASSWORD).getStatus()).isEqualTo(200);
        CodeVerifier verifier = new CodeVerifier();
        String challenge = CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
        List<JsonNode> tokens = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            tokens.add(Json.MAPPER.readTree(token(Map.of("grant_type", "authorization_code", "code", code(browser, challenge),
                    "client_id", "cli", "redirect_uri", REDIRECT, "code_verifier", verifier.getValue())).getContent()));
        }
        List<String> unredeemed = List.of(code(browser, challenge), code(browser, challenge));
        ContentResponse admin = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/auth/token")).method("POST")
                .body(new StringRequestContent("application/json", Json.MAPPER.writeValueAsString(Map.of("username", upn, "password", PASSWORD))))
                .timeout(20, TimeUnit.SECONDS).send();
        assertThat(admin.getStatus()).isEqualTo(200);
        return new Credentials(browser, tokens.get(0).path("access_token").asText(),
                tokens.stream().map(t -> t.path("refresh_token").asText()).toList(), unredeemed,
                verifier.getValue(), Json.MAPPER.readTree(admin.getContent()).path("accessToken").asText());
    }

    /** What each credential gets now, as "kind=status". */
    static List<String> tryAll(Credentials c, int round) throws Exception {
        ContentResponse appCookie = c.browser().newRequest(URI.create(hr + "echo/again"))
                .headers(h -> h.put("Accept", "text/html")).timeout(20, TimeUnit.SECONDS).send();
        ContentResponse portal = c.browser().newRequest(URI.create(login)).timeout(20, TimeUnit.SECONDS).send();
        ContentResponse bearer = stack.http().newRequest(URI.create(hr + "echo/bearer"))
                .headers(h -> h.put("Authorization", "Bearer " + c.bearer())).timeout(20, TimeUnit.SECONDS).send();
        ContentResponse admin = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/me"))
                .headers(h -> h.put("Authorization", "Bearer " + c.adminToken())).timeout(20, TimeUnit.SECONDS).send();
        ContentResponse refresh = token(Map.of("grant_type", "refresh_token", "refresh_token", c.refresh().get(round), "client_id", "cli"));
        ContentResponse code = token(Map.of("grant_type", "authorization_code", "code", c.unredeemedCode().get(round), "client_id", "cli",
                "redirect_uri", REDIRECT, "code_verifier", c.verifier()));
        return List.of("app cookie=" + appCookie.getStatus(), "sign-in session=" + portal.getStatus(), "bearer=" + bearer.getStatus(),
                "admin token=" + admin.getStatus(), "refresh grant=" + refresh.getStatus(), "code grant=" + code.getStatus());
    }

    static final List<String> REFUSED = List.of("app cookie=302", "sign-in session=302", "bearer=401", "admin token=401",
            "refresh grant=400", "code grant=400");

    @Test
    void disablingRefusesEveryCredentialAtOnceAndEnablingDoesNotBringThemBack() throws Exception {
        Users users = stack.adminApi().users();
        String id = stack.createUser("olga@corp.example", "Olga", PASSWORD).id();
        users.setRoles(id, new RolesBody(List.of(AdminRole.SECURITY_READER)));
        Credentials c = everything("olga@corp.example");
        try {
            assertThat(users.disable(id).enabled()).isFalse();
            assertThat(tryAll(c, 0)).isEqualTo(REFUSED);
            assertThat(users.enable(id).enabled()).isTrue();
            assertThat(tryAll(c, 1)).isEqualTo(REFUSED);
        } finally {
            c.browser().stop();
        }
        // Enabled again, the user signs in afresh and everything works.
        Credentials fresh = everything("olga@corp.example");
        try {
            assertThat(tryAll(fresh, 0)).containsExactly("app cookie=200", "sign-in session=200", "bearer=200", "admin token=200",
                    "refresh grant=200", "code grant=200");
        } finally {
            fresh.browser().stop();
        }
    }

    /**
     * What a user already holds open through the proxy ends too: a WebSocket and a streaming response (server-sent
     * events) opened before the disable (or a revocation of the user's sessions) are cut, on this node and every
     * other, within a recheck period, not when the client or the app happen to close them.
     */
    @Test
    void disablingOrRevokingCutsWebSocketsAndStreamsAlreadyOpen() throws Exception {
        Users users = stack.adminApi().users();
        String id = stack.createUser("pia@corp.example", "Pia", PASSWORD).id();
        for (String action : List.of("disable", "revoke-sessions")) {
            HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
            WebSocketClient ws = new WebSocketClient(browser);
            // Not the client's idle timeout (30 s by default) but the revocation must end it.
            ws.setIdleTimeout(Duration.ofMinutes(2));
            ws.start();
            try {
                assertThat(SignInForms.signIn(browser, hr + "echo/in", login, "pia@corp.example", PASSWORD).getStatus()).isEqualTo(200);
                Recorder socket = new Recorder();
                Session session = ws.connect(socket, URI.create(hr.replace("https:", "wss:") + "ws")).get(20, TimeUnit.SECONDS);
                session.sendText("before " + action, Callback.NOOP);
                assertThat(socket.messages.poll(10, TimeUnit.SECONDS)).isEqualTo("before " + action);
                // 200 events, 250 ms apart: 50 s unless something cuts the stream.
                InputStreamResponseListener sse = new InputStreamResponseListener();
                browser.newRequest(URI.create(hr + "sse?count=200&intervalMs=250")).timeout(120, TimeUnit.SECONDS).send(sse);
                assertThat(sse.get(10, TimeUnit.SECONDS).getStatus()).isEqualTo(200);
                BufferedReader events = new BufferedReader(new InputStreamReader(sse.getInputStream(), StandardCharsets.UTF_8));
                assertThat(events.readLine()).startsWith("data: ");
                CompletableFuture<Integer> streamEnded = CompletableFuture.supplyAsync(() -> {
                    int n = 0;
                    try {
                        for (String line; (line = events.readLine()) != null; ) {
                            n += line.startsWith("data: ") ? 1 : 0;
                        }
                    } catch (IOException e) {
                        // cut mid-stream: what we expect
                    }
                    return n;
                }, Executors.newVirtualThreadPerTaskExecutor());

                UserView after = action.equals("disable") ? users.disable(id) : users.revokeSessions(id);
                assertThat(after.id()).isEqualTo(id);
                assertThat(socket.closed.get(30, TimeUnit.SECONDS)).as(action + ": WebSocket close code").isEqualTo(StatusCode.POLICY_VIOLATION);
                assertThat(streamEnded.get(30, TimeUnit.SECONDS)).as(action + ": events after the cut").isLessThan(150);
            } finally {
                ws.stop();
                browser.stop();
                users.enable(id);
            }
        }
    }

    /** What a WebSocket receives, and its close code. */
    public static final class Recorder implements Session.Listener.AutoDemanding {
        final BlockingQueue<String> messages = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();

        @Override
        public void onWebSocketText(String message) {
            messages.add(message);
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            closed.complete(statusCode);
        }
    }

    /** The authorization part of the native flow, with the browser's sign-in session; returns the code. */
    static String code(HttpClient browser, String challenge) throws Exception {
        String url = login + "authorize?response_type=code&client_id=cli&state=s&code_challenge_method=S256&code_challenge=" + challenge
                + "&redirect_uri=" + enc(REDIRECT) + "&resource=" + enc(hr);
        ContentResponse r = browser.newRequest(URI.create(url)).timeout(20, TimeUnit.SECONDS).send();
        String location = r.getHeaders().get("Location");
        Matcher m = Pattern.compile("^" + Pattern.quote(REDIRECT) + "\\?code=([^&]+)&state=s$").matcher(String.valueOf(location));
        assertThat(m.find()).as(r.getStatus() + " " + location).isTrue();
        return m.group(1);
    }

    static ContentResponse token(Map<String, String> form) throws Exception {
        Fields f = new Fields();
        form.forEach(f::put);
        return stack.http().newRequest(URI.create(login + "token")).method("POST").body(new FormRequestContent(f))
                .timeout(20, TimeUnit.SECONDS).send();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
