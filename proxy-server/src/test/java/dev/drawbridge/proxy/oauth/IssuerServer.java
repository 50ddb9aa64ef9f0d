package dev.drawbridge.proxy.oauth;

import com.fasterxml.jackson.databind.JsonNode;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.oauth2.sdk.pkce.CodeChallenge;
import com.nimbusds.oauth2.sdk.pkce.CodeChallengeMethod;
import com.nimbusds.oauth2.sdk.pkce.CodeVerifier;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.OAuthClientView;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.config.ServerConfig;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.SessionTokens;
import dev.drawbridge.proxy.identity.TokenKind;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.policy.PolicyStore;
import dev.drawbridge.proxy.signin.SignInService;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.web.Json;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;

import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Component-test fixture: the token issuer on one real Jetty server (plain HTTP on an ephemeral loopback port), with a
 * database, a directory user whose sign-in session a request carries when it sends {@code X-Test-Session}, two
 * published apps ({@link #API}, {@link #OTHER}), and helpers to register clients and run the flow.
 */
final class IssuerServer implements AutoCloseable {
    static final String API = "https://api.example.test/";
    static final String OTHER = "https://other.example.test/";
    static final String API_ID = "app-api";
    static final String OTHER_ID = "app-other";
    static final String REDIRECT = "http://127.0.0.1/callback";
    static final List<OAuthGrant> CODE_ONLY = List.of(OAuthGrant.AUTHORIZATION_CODE);
    static final List<OAuthGrant> CODE_AND_REFRESH = List.of(OAuthGrant.AUTHORIZATION_CODE, OAuthGrant.REFRESH_TOKEN);

    final Database db;
    final OAuthClientStore clients;
    private final Server server;
    private final SignInService.Valid session;
    private final HttpClient http = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).connectTimeout(Duration.ofSeconds(10)).build();
    private final URI base;

    /** An answer: status, Location (if any), body. */
    record Answer(int status, Optional<String> location, String body) {
        JsonNode json() throws Exception {
            return Json.MAPPER.readTree(body);
        }

        String error() throws Exception {
            return json().path("error").asText();
        }
    }

    /** A PKCE pair. */
    record Pkce(String verifier, String challenge) {
        static Pkce fresh() {
            CodeVerifier v = new CodeVerifier();
            return new Pkce(v.getValue(), CodeChallenge.compute(CodeChallengeMethod.S256, v).getValue());
        }
    }

    IssuerServer(Path dir) throws Exception {
        Clock clock = Clock.systemUTC();
        db = Database.h2(dir);
        clients = new OAuthClientStore(db);
        DirectoryStore directory = new DirectoryStore(db);
        Instant created = clock.instant().minusSeconds(60);
        DirectoryUser nina = directory.createUser("nina@corp.example", "Nina", Optional.empty(), Optional.empty(), Optional.empty(), created);
        SessionTokens tokens = new SessionTokens(new JWKSet(new ECKeyGenerator(Curve.P_256).keyID("k1").generate()), "https://login.example.test", clock);
        SignInService service = new SignInService(directory, tokens, ServerConfig.IdentitySettings.DEFAULTS, clock, "https://login.example.test",
                new SignInLog(db, clock));
        session = service.check(service.newSession(TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE, nina.id(), List.of("pwd"), clock.instant()),
                TokenKind.LOGIN_SESSION, SessionTokens.LOGIN_AUDIENCE).orElseThrow();
        RouteTable routes = new RouteTable(List.of(app(API_ID, API, created), app(OTHER_ID, OTHER, created)));
        TokenIssuer issuer = new TokenIssuer(service, () -> routes, new PolicyStore(db), db);
        server = new Server();
        ServerConnector connector = new ServerConnector(server);
        connector.setHost("127.0.0.1");
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                switch (Request.getPathInContext(request)) {
                    case "/authorize" -> issuer.authorize(request, response, callback,
                            request.getHeaders().get("X-Test-Session") == null ? Optional.empty() : Optional.of(session));
                    case "/token" -> issuer.token(request, response, callback);
                    default -> {
                        return false;
                    }
                }
                return true;
            }
        });
        server.start();
        base = URI.create("http://127.0.0.1:" + connector.getLocalPort());
    }

    private static PublishedApp app(String id, String url, Instant at) {
        URI u = URI.create(url);
        return new PublishedApp(id, id, u, u.getHost(), "/", URI.create("http://127.0.0.1:9/"), "group", BackendTimeout.DEFAULT, true,
                PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false), at, at);
    }

    OAuthClientView register(String clientId, List<String> redirects, List<OAuthGrant> grants, List<String> apps) throws Exception {
        Instant now = Instant.now();
        OAuthClientView c = new OAuthClientView(clientId, clientId, redirects, grants, apps, now, now);
        clients.create(c);
        return c;
    }

    static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    /** The usual authorization request's parameters, for a signed-in user. */
    static Map<String, String> request(String clientId, String redirect, Pkce pkce, String resource) {
        Map<String, String> q = new LinkedHashMap<>();
        q.put("response_type", "code");
        q.put("client_id", clientId);
        q.put("redirect_uri", redirect);
        q.put("code_challenge_method", "S256");
        q.put("code_challenge", pkce.challenge());
        q.put("resource", resource);
        q.put("state", "xyz");
        return q;
    }

    /** {@code GET /authorize} with these parameters (form-encoded once), signed in. */
    Answer authorize(Map<String, String> params) throws Exception {
        return authorizeRaw(params.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&")));
    }

    /** {@code GET /authorize?query} with the query as given, signed in. */
    Answer authorizeRaw(String query) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/authorize?" + query)).header("X-Test-Session", "yes")
                .timeout(Duration.ofSeconds(20)).GET().build();
        HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
        return new Answer(a.statusCode(), a.headers().firstValue("Location"), a.body());
    }

    /** {@code POST /token} with these form fields. */
    Answer token(Map<String, String> form) throws Exception {
        return tokenRaw(form.entrySet().stream().map(e -> enc(e.getKey()) + "=" + enc(e.getValue())).collect(Collectors.joining("&")));
    }

    /** {@code POST /token} with this form body, as given. */
    Answer tokenRaw(String body) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create(base + "/token")).header("Content-Type", "application/x-www-form-urlencoded")
                .timeout(Duration.ofSeconds(20)).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> a = http.send(r, HttpResponse.BodyHandlers.ofString());
        return new Answer(a.statusCode(), a.headers().firstValue("Location"), a.body());
    }

    /** The code of a successful authorization, checked to be sent to {@code redirect} with the state. */
    static String code(Answer a, String redirect) {
        if (a.status() != 302 || a.location().isEmpty() || !a.location().get().startsWith(redirect + "?code=")) {
            throw new AssertionError("no code for " + redirect + ": " + a);
        }
        Matcher m = Pattern.compile("\\?code=([^&]+)&state=xyz$").matcher(a.location().get());
        if (!m.find()) {
            throw new AssertionError("no code and state in " + a.location().get());
        }
        return m.group(1);
    }

    Answer redeem(String clientId, String code, String redirect, Pkce pkce) throws Exception {
        return token(Map.of("grant_type", "authorization_code", "client_id", clientId, "code", URLDecoder.decode(code, StandardCharsets.UTF_8),
                "redirect_uri", redirect, "code_verifier", pkce.verifier()));
    }

    Answer refresh(String clientId, String refreshToken) throws Exception {
        return token(Map.of("grant_type", "refresh_token", "client_id", clientId, "refresh_token", refreshToken));
    }

    @Override
    public void close() throws Exception {
        server.stop();
        http.close();
        db.close();
    }
}
