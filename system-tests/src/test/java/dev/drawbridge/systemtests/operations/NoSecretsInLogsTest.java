package dev.drawbridge.systemtests.operations;

import ch.qos.logback.classic.Level;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.drawbridge.connector.Connector;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.BasicSso;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.systemtests.sso.AppSso;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.signin.SignInForms;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import dev.drawbridge.testsupport.time.Await;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.client.StringRequestContent;
import org.eclipse.jetty.http.HttpCookie;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No secret reaches a log. Through a whole stack (real TLS, a connector, the sample app), with every Drawbridge logger of
 * both programs at DEBUG and the access logs on: a failed and a successful password sign-in, the app session that
 * follows, a password stored in My Apps and sent by the connector as HTTP Basic (password vaulting), the signed identity
 * of each stream, the identity assertion the app receives, an admin API call with the bootstrap bearer credential and a
 * refused admin sign-in. Then the captured log of both programs must hold none of: the passwords (the right one, the
 * mistyped one, the stored one), the Basic credential, any cookie value, the admin credential, the identities or the
 * assertion.
 */
@Timeout(180)
class NoSecretsInLogsTest {
    static final String PASSWORD = "Correct-Horse-7391-battery";
    static final String MISTYPED = "Correct-Horse-7391-batterz";
    static final String STORED = "stored-backend-secret-5521";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static Connector connector;
    static String vault, login, vaultId;
    static final List<String> identities = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        vault = stack.externalUrl("vault");
        login = stack.externalUrl("login");
        vaultId = stack.adminApi().apps().create(new AppSpec("Vault", vault, app.baseUri().toString(), null, null, null,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false))).id();
        AppSso.set(stack, vaultId, SsoSettings.basic(BasicSso.USER));
        stack.createUser("alice@corp.example", "Alice", PASSWORD);
        stack.createUser("probe@corp.example", "Probe", PASSWORD);
        connector = stack.startConnector(dir.resolve("connector"), 1);
        connector.sso().observe((head, user) -> head.identity().ifPresent(identities::add));
        AppSso.await(stack, vault + "echo/probe", "probe@corp.example", PASSWORD,
                probe -> SignInForms.open(probe, vault + "echo/probe").getRequest().getURI().getPath().startsWith("/passwords/"));
    }

    @AfterAll
    @SuppressWarnings("try")
    static void stop() throws Exception {
        try (AutoCloseable s = stack; AutoCloseable a = app) {
            // closes both
        }
    }

    /** Fills in My Apps' password page and follows the way back to the app; the final answer. */
    private static ContentResponse store(HttpClient browser, ContentResponse form, String username, String password) throws Exception {
        Fields f = SignInForms.hiddenFields(form.getContentAsString());
        f.put("username", username);
        f.put("password", password);
        String action = form.getRequest().getURI().toString().replaceFirst("\\?.*", "");
        ContentResponse r = browser.newRequest(URI.create(action)).method("POST").body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS)
                .send();
        while (r.getStatus() == 302 || r.getStatus() == 303) {
            r = browser.newRequest(URI.create(r.getHeaders().get("Location"))).headers(h -> h.put("Accept", "text/html"))
                    .timeout(20, TimeUnit.SECONDS).send();
        }
        return r;
    }

    @Test
    void aSignInAnAppSessionPasswordVaultingAndAdminCallsLeaveNoSecretInTheLogs() throws Exception {
        List<String> secrets = new ArrayList<>(List.of(PASSWORD, MISTYPED, STORED, stack.adminToken()));
        ObjectMapper json = new ObjectMapper();
        try (LogCapture logs = LogCapture.text(Map.of("dev.drawbridge", Level.DEBUG, "drawbridge.access", Level.INFO))) {
            HttpClient alice = Https.client(stack.server().serverCaCertificate(), true);
            try {
                SignInForms.signIn(alice, vault + "echo/first", login, "alice@corp.example", MISTYPED);
                ContentResponse form = SignInForms.signIn(alice, vault + "echo/first", login, "alice@corp.example", PASSWORD);
                assertThat(form.getRequest().getURI().getPath()).startsWith("/passwords/" + vaultId);
                ContentResponse echoed = store(alice, form, "alice-backend", STORED);
                assertThat(echoed.getStatus()).as(echoed.getContentAsString()).isEqualTo(200);
                JsonNode headers = json.readTree(echoed.getContentAsString()).path("headers");
                String basic = headers.path("authorization").get(0).asText();
                assertThat(basic).isEqualTo("Basic " + Base64.getEncoder().encodeToString(("alice-backend:" + STORED)
                        .getBytes(StandardCharsets.UTF_8)));
                secrets.add(basic.substring("Basic ".length()));
                String assertion = headers.path("x-drawbridge-assertion").get(0).asText();
                secrets.add(assertion);
                // Another request in the app session, its cookie and a new identity.
                assertThat(alice.newRequest(URI.create(vault + "echo/second")).timeout(20, TimeUnit.SECONDS).send().getStatus()).isEqualTo(200);
                for (HttpCookie c : alice.getHttpCookieStore().all()) {
                    if (c.getValue().length() >= 12) {
                        secrets.add(c.getValue());
                    }
                }
            } finally {
                alice.stop();
            }
            // The admin API with the bootstrap credential, and a directory user's refused admin sign-in.
            assertThat(stack.adminApi().apps().get(vaultId).name()).isEqualTo("Vault");
            ContentResponse refused = stack.http().newRequest(stack.adminUrl().resolve("/api/v1/auth/token")).method("POST")
                    .body(new StringRequestContent("application/json", json.writeValueAsString(Map.of("username", "alice@corp.example",
                            "password", PASSWORD)))).timeout(20, TimeUnit.SECONDS).send();
            assertThat(refused.getStatus()).isBetween(400, 499);

            Await.until("the connector's access line of the last request", Duration.ofSeconds(20),
                    () -> logs.text().lines().filter(l -> l.contains("drawbridge.access.connector")).count() >= 2);
            assertThat(identities).as("the connector saw the users' signed identities").isNotEmpty();
            secrets.addAll(identities);
            for (String identity : identities) {
                // The payload and the signature of each identity on their own (a log might cut the token at a dot).
                String[] parts = identity.split("\\.");
                secrets.add(parts[1]);
                secrets.add(parts[2]);
            }
            String captured = logs.text();
            assertThat(captured).as("the capture holds both programs' logs").contains("drawbridge.access.proxy").contains("drawbridge.access.connector")
                    .contains("dev.drawbridge.proxy");
            // What a handler logs while it handles a request carries the request's id.
            assertThat(captured.lines().filter(l -> l.contains("failed sign-in for 'alice@corp.example'"))).singleElement().asString()
                    .containsPattern("\\[requestId=[0-9a-f]{32}]");
            for (String secret : secrets) {
                // Not doesNotContain: its failure message would print the whole log, secret included.
                assertThat(captured.contains(secret)).as("the log holds a secret of %d characters starting %s", secret.length(),
                        secret.substring(0, 3)).isFalse();
            }
        }
    }
}
