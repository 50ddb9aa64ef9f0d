package dev.drawbridge.systemtests.identity;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.drawbridge.adminclient.Logs;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AuditLogEntry;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SignInLogEntry;
import dev.drawbridge.proxy.web.Json;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import dev.drawbridge.testsupport.stack.Https;
import org.eclipse.jetty.client.ContentResponse;
import org.eclipse.jetty.client.FormRequestContent;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.util.Fields;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A registered native app signs its user in with authorization code + PKCE and a loopback redirect, calls a
 * published app's API with the bearer token, refreshes it; every misuse is refused (wrong verifier, code reuse,
 * refresh reuse, token for another app, an unregistered client or redirect, revoked user, deleted client).
 */
class NativeClientTest {
    static final String PASSWORD = "correct horse battery staple";
    static final String REDIRECT = "http://127.0.0.1:53682/callback";
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;
    static String api, other, login;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        api = stack.externalUrl("api");
        other = stack.externalUrl("other");
        login = stack.externalUrl("login");
        for (String[] a : new String[][]{{"API", api}, {"Other", other}}) {
            stack.adminApi().apps().create(new AppSpec(a[0], a[1], app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY,
                    new AccessSettings(false, true, true, false)));
        }
        stack.startConnector(dir.resolve("c"), 1);
        stack.createUser("nina@corp.example", "Nina", PASSWORD);
        register("cli");
    }

    /** Registers a native client with the loopback redirect (any port) and both grants. */
    static void register(String clientId) throws Exception {
        stack.adminApi().oauthClients().register(new OAuthClientSpec(clientId, "Command line", List.of("http://127.0.0.1/callback"),
                List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN), List.of()));
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** Runs the browser part of the flow (the system browser a native app would open); returns the code. */
    static String authorize(HttpClient b, String challenge, String redirect) throws Exception {
        return authorize(b, "cli", challenge, redirect);
    }

    static String authorize(HttpClient b, String clientId, String challenge, String redirect) throws Exception {
        String url = login + "authorize?response_type=code&client_id=" + clientId + "&state=xyz&code_challenge_method=S256&code_challenge=" + challenge
                + "&redirect_uri=" + enc(redirect) + "&resource=" + enc(api);
        ContentResponse r = b.newRequest(URI.create(url)).timeout(20, TimeUnit.SECONDS).send();
        while (r.getStatus() == 302 || r.getStatus() == 303) {
            String loc = r.getHeaders().get("Location");
            if (loc.startsWith(redirect)) {
                Matcher m = Pattern.compile("[?&]code=([^&]+)&state=xyz").matcher(loc);
                assertThat(m.find()).as(loc).isTrue();
                return m.group(1);
            }
            r = b.newRequest(URI.create(loc.startsWith("/") ? login + loc.substring(1) : loc)).timeout(20, TimeUnit.SECONDS).send();
            if (r.getStatus() == 200 && r.getContentAsString().contains("id=\"password\"")) {
                Fields f = new Fields();
                Matcher m = Pattern.compile("type=\"hidden\" name=\"(\\w+)\" value=\"([^\"]*)\"").matcher(r.getContentAsString());
                while (m.find()) {
                    f.put(m.group(1), m.group(2).replace("&amp;", "&"));
                }
                f.put("upn", "nina@corp.example");
                f.put("password", PASSWORD);
                r = b.newRequest(URI.create(login + "signin")).method("POST").body(new FormRequestContent(f)).timeout(20, TimeUnit.SECONDS).send();
            }
        }
        throw new AssertionError("the flow ended at " + r.getStatus() + ": " + r.getContentAsString());
    }

    static ContentResponse token(Map<String, String> form) throws Exception {
        Fields f = new Fields();
        form.forEach(f::put);
        return stack.http().newRequest(URI.create(login + "token")).method("POST").body(new FormRequestContent(f))
                .timeout(20, TimeUnit.SECONDS).send();
    }

    static ContentResponse call(String url, String token) throws Exception {
        return stack.http().newRequest(URI.create(url)).headers(h -> h.put("Authorization", "Bearer " + token))
                .timeout(20, TimeUnit.SECONDS).send();
    }

    @Test
    void codeWithPkceThenBearerCallsThenRefresh() throws Exception {
        JsonNode discovery = Json.MAPPER.readTree(stack.http().GET(login + ".well-known/openid-configuration").getContent());
        assertThat(discovery.path("token_endpoint").asText()).isEqualTo(login + "token");
        assertThat(discovery.path("code_challenge_methods_supported").toString()).isEqualTo("[\"S256\"]");

        CodeVerifier verifier = new CodeVerifier();
        String challenge = CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue();
        HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
        String code;
        try {
            code = authorize(browser, challenge, REDIRECT);
        } finally {
            browser.stop();
        }
        ContentResponse wrongVerifier = token(Map.of("grant_type", "authorization_code", "code", code, "client_id", "cli",
                "redirect_uri", REDIRECT, "code_verifier", new CodeVerifier().getValue()));
        assertThat(wrongVerifier.getStatus()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(wrongVerifier.getContent()).path("error").asText()).isEqualTo("invalid_grant");
        // The failed attempt used the code up: codes work once, whatever happens.
        ContentResponse used = token(Map.of("grant_type", "authorization_code", "code", code, "client_id", "cli",
                "redirect_uri", REDIRECT, "code_verifier", verifier.getValue()));
        assertThat(used.getStatus()).isEqualTo(400);

        browser = Https.client(stack.server().serverCaCertificate(), true);
        try {
            code = authorize(browser, challenge, REDIRECT);
        } finally {
            browser.stop();
        }
        JsonNode tokens = Json.MAPPER.readTree(token(Map.of("grant_type", "authorization_code", "code", code, "client_id", "cli",
                "redirect_uri", REDIRECT, "code_verifier", verifier.getValue())).getContent());
        assertThat(tokens.path("token_type").asText()).isEqualTo("Bearer");
        String access = tokens.path("access_token").asText();
        SignInLogEntry issued = null;
        for (SignInLogEntry line : stack.adminApi().logs().signIns(new Paging(0, 100), Logs.SignInFilter.NONE).items()) {
            if ("authorization code for native client cli".equals(line.reason())) {
                issued = line;
            }
        }
        assertThat(issued).as("the code's issue is in the sign-in log").isNotNull();
        assertThat(issued.clientType()).as("as a native client's, not a browser's").isEqualTo(AccessPolicy.ClientType.NATIVE);

        ContentResponse ok = call(api + "echo/native", access);
        assertThat(ok.getStatus()).isEqualTo(200);
        JsonNode headers = Json.MAPPER.readTree(ok.getContent()).path("headers");
        assertThat(headers.path("x-drawbridge-user").get(0).asText()).isEqualTo("nina@corp.example");
        assertThat(headers.has("authorization")).as("the bearer token stays with Drawbridge").isFalse();
        assertThat(call(other + "echo/native", access).getStatus()).as("a token for another app").isEqualTo(401);
        assertThat(call(api + "echo/native", access.substring(0, access.length() - 4) + "AAAA").getStatus()).isEqualTo(401);

        String refresh = tokens.path("refresh_token").asText();
        JsonNode renewed = Json.MAPPER.readTree(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "cli")).getContent());
        assertThat(call(api + "echo/renewed", renewed.path("access_token").asText()).getStatus()).isEqualTo(200);
        assertThat(token(Map.of("grant_type", "refresh_token", "refresh_token", refresh, "client_id", "cli")).getStatus())
                .as("refresh tokens rotate: the old one is spent").isEqualTo(400);

        // Revoking the user's sessions ends native sessions too.
        stack.adminApi().users().revokeSessions(stack.user("nina@corp.example").id());
        assertThat(call(api + "echo/revoked", renewed.path("access_token").asText()).getStatus()).isEqualTo(401);
        assertThat(token(Map.of("grant_type", "refresh_token", "refresh_token", renewed.path("refresh_token").asText(),
                "client_id", "cli")).getStatus()).isEqualTo(400);
    }

    @Test
    void onlyRegisteredClientsAndTheirRedirectsAreAccepted() throws Exception {
        String challenge = "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM";
        for (String[] c : new String[][]{{"cli", "https://evil.example/cb"}, {"cli", "http://127.0.0.1:53682/other"},
                {"cli", "http://localhost:53682/callback"}, {"unregistered", REDIRECT}, {"CLI", REDIRECT}}) {
            String url = login + "authorize?response_type=code&client_id=" + c[0] + "&code_challenge_method=S256&code_challenge=" + challenge
                    + "&redirect_uri=" + enc(c[1]) + "&resource=" + enc(api);
            ContentResponse r = stack.http().newRequest(URI.create(url)).timeout(20, TimeUnit.SECONDS).send();
            assertThat(r.getStatus()).as(c[0] + " " + c[1]).isEqualTo(400);
            assertThat(r.getHeaders().get("Location")).as(c[0] + " " + c[1]).isNull();
        }
        String plain = login + "authorize?response_type=code&client_id=cli&code_challenge_method=plain&code_challenge=abc"
                + "&redirect_uri=" + enc(REDIRECT) + "&resource=" + enc(api);
        ContentResponse p = stack.http().newRequest(URI.create(plain)).timeout(20, TimeUnit.SECONDS).send();
        assertThat(p.getHeaders().get("Location")).startsWith(REDIRECT + "?error=invalid_request");
        ContentResponse unknown = token(Map.of("grant_type", "refresh_token", "refresh_token", "dbrt_x", "client_id", "unregistered"));
        assertThat(unknown.getStatus()).isEqualTo(400);
        assertThat(Json.MAPPER.readTree(unknown.getContent()).path("error").asText()).isEqualTo("invalid_client");
    }

    @Test
    void deletingAClientEndsItsRefreshTokens() throws Exception {
        register("short-lived");
        CodeVerifier verifier = new CodeVerifier();
        HttpClient browser = Https.client(stack.server().serverCaCertificate(), true);
        String code;
        try {
            code = authorize(browser, "short-lived", CodeChallenge.compute(CodeChallengeMethod.S256, verifier).getValue(), REDIRECT);
        } finally {
            browser.stop();
        }
        JsonNode tokens = Json.MAPPER.readTree(token(Map.of("grant_type", "authorization_code", "code", code, "client_id", "short-lived",
                "redirect_uri", REDIRECT, "code_verifier", verifier.getValue())).getContent());
        assertThat(call(api + "echo/short", tokens.path("access_token").asText()).getStatus()).isEqualTo(200);

        stack.adminApi().oauthClients().delete("short-lived");
        ContentResponse refresh = token(Map.of("grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token").asText(),
                "client_id", "short-lived"));
        assertThat(Json.MAPPER.readTree(refresh.getContent()).path("error").asText()).isEqualTo("invalid_client");
        register("short-lived");
        refresh = token(Map.of("grant_type", "refresh_token", "refresh_token", tokens.path("refresh_token").asText(), "client_id", "short-lived"));
        assertThat(Json.MAPPER.readTree(refresh.getContent()).path("error").asText()).as("registered again").isEqualTo("invalid_grant");
        List<AuditLogEntry> audit = stack.adminApi().logs().audit(Paging.DEFAULT,
                new Logs.AuditFilter(null, null, "oauth-client", "short-lived", null, null)).items();
        assertThat(audit).extracting(AuditLogEntry::action).containsExactly("oauth-client.create", "oauth-client.delete",
                "oauth-client.create");
    }
}
