package dev.drawbridge.proxy.dispatch;

import dev.drawbridge.model.api.FormsSso;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SignInEvent;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.model.sso.SsoInstruction;
import dev.drawbridge.model.sso.SsoInstruction.Credential;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.ResponseHead;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.model.tunnel.TunnelStream;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.preauth.Authorized;
import dev.drawbridge.proxy.preauth.Identity;
import dev.drawbridge.proxy.preauth.LiveSessions;
import dev.drawbridge.proxy.sso.PasswordDispatch;
import dev.drawbridge.proxy.tunnel.ConnectorOfflineException;
import dev.drawbridge.proxy.vault.Vault;
import dev.drawbridge.proxy.vault.VaultFixture;
import dev.drawbridge.proxy.web.Json;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Password vaulting in dispatch, on a real Jetty server with the real vault and a tunnel whose connector side the test
 * plays: a browser without a stored password goes to My Apps and back to where it was going, an API client gets a 403
 * problem naming the page, and neither reaches the app; a stored password travels in the instruction of its own
 * stream only (never another user's, never to another method's app), the client's own Authorization in every spelling
 * does not; the backend's {@code 401 Basic} (every spelling of the challenge) never reaches the user: the browser goes
 * to My Apps to update it, the password is not sent again, the sign-in log says why; another 401 is relayed as it is;
 * an app's shared password that is missing or refused is a page for an administrator, and stays in use.
 */
@Timeout(60)
class PasswordDispatchTest {
    static final String LOGIN = "https://login.example.com";
    @TempDir
    static Path dir;
    static VaultFixture vault;
    static TunnelPair tunnel;
    static TestServer server;
    static PublishedApp hr;
    static PublishedApp wiki;
    static PublishedApp headers;
    static PublishedApp forms;
    static DirectoryUser alice;
    static DirectoryUser bob;
    static final AtomicInteger opened = new AtomicInteger();
    static final List<SignInRecord> signInLog = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void start() throws Exception {
        vault = new VaultFixture(dir);
        alice = vault.user("alice@corp.example");
        bob = vault.user("bob@corp.example");
        hr = vault.app("hr", "http://hr.corp:8080/", VaultFixture.users());
        wiki = vault.app("wiki", "http://wiki.corp/", VaultFixture.shared());
        headers = vault.app("headers", "http://headers.corp/", SsoSettings.headers(List.of(HeaderRule.of("X-User", HeaderSource.UPN))));
        forms = vault.app("forms", "http://forms.corp/", SsoSettings.forms(FormsSso.detect("/login")));
        tunnel = new TunnelPair();
        StreamOpener opener = (group, head, attempt) -> {
            opened.incrementAndGet();
            try {
                return tunnel.proxy.open(head);
            } catch (IOException e) {
                throw new ConnectorOfflineException("Group " + group);
            }
        };
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(hr, wiki, headers, forms)));
        Handler.Wrapper authorized = new Handler.Wrapper() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                DirectoryUser user = "bob".equals(request.getHeaders().get("X-Test-User")) ? bob : alice;
                Authorized.ATTRIBUTE.set(request, new Authorized(Optional.of(new Identity(user, List.of(), List.of("pwd"), VaultFixture.NOW)),
                        request.getHeaders().contains("X-Test-Bearer")));
                return super.handle(request, response, callback);
            }
        };
        routing.setHandler(authorized);
        authorized.setHandler(new DispatchHandler(opener, id -> "Group " + id, new WebSocketRelay(null), t -> Duration.ofSeconds(5),
                (app, identity) -> List.of(), LiveSessions.none(), SingleSignOn.NONE,
                new PasswordDispatch(vault.vault, LOGIN, signInLog::add)));
        server = TestServer.start(routing);
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        tunnel.close();
        vault.close();
    }

    @BeforeEach
    void reset() {
        tunnel.drain();
        opened.set(0);
        signInLog.clear();
        for (PublishedApp a : List.of(hr, wiki, forms)) {
            vault.vault.delete(a.id(), alice.id());
            vault.vault.delete(a.id(), bob.id());
            vault.vault.deleteShared(a.id());
        }
    }

    private static CompletableFuture<TestServer.Answer> get(PublishedApp app, String target, String... headerLines) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return server.get(app.externalHost(), target, headerLines);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    private static final String BROWSER = "Accept: text/html,application/xhtml+xml";

    private static String page(PublishedApp app, String returnUrl, String reason) {
        return LOGIN + "/passwords/" + app.id() + "?return=" + URLEncoder.encode(returnUrl, StandardCharsets.UTF_8)
                + (reason.isEmpty() ? "" : "&reason=" + reason);
    }

    private static SsoInstruction instruction(TunnelStream s) throws Exception {
        return Json.MAPPER.readValue(s.request().sso().orElseThrow(), SsoInstruction.class);
    }

    @Test
    void withoutAStoredPasswordABrowserGoesToMyAppsAndBackHereAndNothingReachesTheApp() throws Exception {
        TestServer.Answer a = get(hr, "/reports/q%20a?year=2026&x=%2F", BROWSER).get();
        assertThat(a.status()).isEqualTo(303);
        assertThat(a.header("Location")).contains(page(hr, "https://hr.example.com/reports/q%20a?year=2026&x=%2F", ""));
        // A form post cannot be repeated: back to the app's root.
        TestServer.Answer post = CompletableFuture.supplyAsync(() -> {
            try {
                return server.send("POST /save HTTP/1.1", hr.externalHost(), BROWSER, "Content-Length: 0");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }).get();
        assertThat(post.status()).isEqualTo(303);
        assertThat(post.header("Location")).contains(page(hr, "https://hr.example.com/", ""));
        assertThat(opened.get()).isZero();
    }

    @Test
    void withoutAStoredPasswordAnApiClientGetsAProblemNamingThePage() throws Exception {
        for (String[] client : List.of(new String[]{"X-Test-Bearer: 1", BROWSER}, new String[]{"Accept: application/json"},
                new String[]{"X-Requested-With: fetch"})) {
            TestServer.Answer a = get(hr, "/api/items", client).get();
            assertThat(a.status()).as(String.join(" ", client)).isEqualTo(403);
            assertThat(a.header("Content-Type")).contains("application/problem+json");
            assertThat(a.generated()).isTrue();
            assertThat(a.body()).contains("Stored password needed").contains(LOGIN + "/passwords/hr");
        }
        assertThat(opened.get()).isZero();
    }

    @Test
    void aStoredPasswordTravelsInItsStreamsInstructionOnlyAndTheClientsAuthorizationNever() throws Exception {
        vault.vault.store(hr, alice.id(), new Credential("alice.h", "p\u00e4ss of alice"));
        CompletableFuture<TestServer.Answer> answer = get(hr, "/", BROWSER, "Authorization: Basic bWFsbG9yeTpndWVzcw==",
                "authorization: Bearer stolen", "AUTHORIZATION: Negotiate x");
        TunnelStream up = tunnel.accept();
        assertThat(instruction(up).credential()).isEqualTo(new Credential("alice.h", "p\u00e4ss of alice"));
        assertThat(instruction(up).settings()).isEqualTo(hr.sso());
        assertThat(up.request().headers()).noneMatch(h -> h.name().equalsIgnoreCase("authorization"));
        up.sendWhole(new ResponseHead(200, List.of()), "hello alice".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.get().body()).isEqualTo("hello alice");

        // Bob has none: he never gets Alice's.
        TestServer.Answer bobs = get(hr, "/", BROWSER, "X-Test-User: bob").get();
        assertThat(bobs.status()).isEqualTo(303);
        assertThat(opened.get()).isEqualTo(1);

        // Another method's app: its instruction carries no credential, and keeps the client's Authorization.
        CompletableFuture<TestServer.Answer> other = get(headers, "/", BROWSER, "Authorization: Basic eDp5");
        TunnelStream h = tunnel.accept();
        assertThat(instruction(h).credential()).isNull();
        assertThat(h.request().headers()).contains(new HeaderField("Authorization", "Basic eDp5"));
        h.sendWhole(new ResponseHead(204, List.of()), new byte[0]);
        assertThat(other.get().status()).isEqualTo(204);
    }

    @ParameterizedTest
    @ValueSource(strings = {"WWW-Authenticate: Basic realm=\"HR\"", "www-authenticate: BASIC", "WWW-Authenticate: Negotiate, Basic realm=x",
            "WWW-Authenticate: basic realm=\"a, b\", charset=\"UTF-8\""})
    void theBackendsBasicChallengeSendsTheBrowserToUpdateItAndThePasswordIsNotSentAgain(String challenge) throws Exception {
        vault.vault.store(hr, alice.id(), new Credential("alice", "old password"));
        CompletableFuture<TestServer.Answer> answer = get(hr, "/pay?m=12", BROWSER);
        int colon = challenge.indexOf(':');
        tunnel.accept().sendWhole(new ResponseHead(401, List.of(new HeaderField(challenge.substring(0, colon), challenge.substring(colon + 2)))),
                "backend's own 401 page".getBytes(StandardCharsets.UTF_8));
        TestServer.Answer a = answer.get();
        assertThat(a.status()).isEqualTo(303);
        assertThat(a.header("Location")).contains(page(hr, "https://hr.example.com/pay?m=12", "refused"));
        assertThat(a.headers("WWW-Authenticate")).isEmpty();
        assertThat(a.body()).doesNotContain("backend's own");
        assertThat(signInLog).singleElement().satisfies(r -> {
            assertThat(r.event()).isEqualTo(SignInEvent.BACKEND_SSO);
            assertThat(r.result()).isEqualTo(SignInResult.FAILURE);
            assertThat(r.reason()).contains("refused").doesNotContain("old password");
            assertThat(r.userId()).contains(alice.id());
            assertThat(r.appId()).contains("hr");
        });
        // Not sent again: straight to My Apps, the app never sees the next request.
        TestServer.Answer next = get(hr, "/other", BROWSER).get();
        assertThat(next.status()).isEqualTo(303);
        assertThat(next.header("Location")).contains(page(hr, "https://hr.example.com/other", "refused"));
        assertThat(opened.get()).isEqualTo(1);
        // Stored again, it goes.
        vault.vault.store(hr, alice.id(), new Credential("alice", "new password"));
        CompletableFuture<TestServer.Answer> again = get(hr, "/", BROWSER);
        TunnelStream up = tunnel.accept();
        assertThat(instruction(up).credential().password()).isEqualTo("new password");
        up.sendWhole(new ResponseHead(200, List.of()), new byte[0]);
        assertThat(again.get().status()).isEqualTo(200);
    }

    @Test
    void aRefusalThatStreamsAndOneToAnApiClientAreAnsweredToo() throws Exception {
        vault.vault.store(hr, alice.id(), new Credential("alice", "old"));
        CompletableFuture<TestServer.Answer> answer = get(hr, "/big", BROWSER);
        TunnelStream up = tunnel.accept();
        up.sendHead(new ResponseHead(401, List.of(new HeaderField("WWW-Authenticate", "Basic realm=\"x\""))));
        try {
            up.write(new byte[100_000], 0, 100_000);
        } catch (StreamResetException cancelled) {
            // the proxy answered the refusal and cancelled the app's body before all of it was written: that is allowed
            assertThat(cancelled.code()).isEqualTo(ResetCode.CANCEL);
        }
        TestServer.Answer a = answer.get();
        assertThat(a.status()).isEqualTo(303);
        assertThat(a.header("Location")).get().asString().endsWith("&reason=refused");

        vault.vault.store(hr, alice.id(), new Credential("alice", "old again"));
        CompletableFuture<TestServer.Answer> api = get(hr, "/api", "X-Test-Bearer: 1");
        tunnel.accept().sendWhole(new ResponseHead(401, List.of(new HeaderField("WWW-Authenticate", "Basic"))), new byte[0]);
        TestServer.Answer p = api.get();
        assertThat(p.status()).isEqualTo(403);
        assertThat(p.body()).contains("Stored password refused").contains(LOGIN + "/passwords/hr");
        assertThat(p.headers("WWW-Authenticate")).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"WWW-Authenticate: Negotiate", "WWW-Authenticate: Bearer realm=\"basic\"", "WWW-Authenticate: Digest realm=\"Basic\"",
            "X-Other: Basic"})
    void anotherUnauthorizedAnswerIsRelayedAsItIs(String header) throws Exception {
        vault.vault.store(hr, alice.id(), new Credential("alice", "pw"));
        CompletableFuture<TestServer.Answer> answer = get(hr, "/", BROWSER);
        int colon = header.indexOf(':');
        tunnel.accept().sendWhole(new ResponseHead(401, List.of(new HeaderField(header.substring(0, colon), header.substring(colon + 2)))),
                "app's own".getBytes(StandardCharsets.UTF_8));
        TestServer.Answer a = answer.get();
        assertThat(a.status()).isEqualTo(401);
        assertThat(a.body()).isEqualTo("app's own");
        assertThat(signInLog).isEmpty();
        assertThat(vault.vault.forUser(hr, alice.id())).isInstanceOf(Vault.Lookup.Found.class);
    }

    @Test
    void aSharedPasswordThatIsMissingOrRefusedIsForAnAdministratorAndStaysInUse() throws Exception {
        TestServer.Answer missing = get(wiki, "/", BROWSER).get();
        assertThat(missing.status()).isEqualTo(502);
        assertThat(missing.body()).contains("shared sign-in").contains("not set").contains("administrator");
        assertThat(opened.get()).isZero();
        assertThat(signInLog).singleElement().extracting(SignInRecord::reason).asString().contains("not set");

        vault.vault.storeShared(wiki, new Credential("svc-wiki", "shared secret"));
        vault.vault.store(wiki, alice.id(), new Credential("alice", "never sent to a shared app"));
        for (String user : List.of("alice", "bob")) {
            CompletableFuture<TestServer.Answer> answer = get(wiki, "/", BROWSER, "X-Test-User: " + user);
            TunnelStream up = tunnel.accept();
            assertThat(instruction(up).credential()).isEqualTo(new Credential("svc-wiki", "shared secret"));
            up.sendWhole(new ResponseHead(401, List.of(new HeaderField("WWW-Authenticate", "Basic realm=\"wiki\""))), new byte[0]);
            TestServer.Answer refused = answer.get();
            assertThat(refused.status()).isEqualTo(502);
            assertThat(refused.body()).contains("refused").contains("administrator").doesNotContain("shared secret");
        }
        assertThat(signInLog).hasSize(3).allSatisfy(r -> assertThat(r.reason()).doesNotContain("shared secret"));
        assertThat(opened.get()).isEqualTo(2);
        assertThat(vault.vault.shared(wiki)).isInstanceOf(Vault.Lookup.Found.class);
    }

    @Test
    void aFormsAppTakesTheVaultAsABasicAppDoes() throws Exception {
        TestServer.Answer none = get(forms, "/docs?x=1", BROWSER).get();
        assertThat(none.status()).isEqualTo(303);
        assertThat(none.header("Location")).contains(page(forms, "https://forms.example.com/docs?x=1", ""));
        assertThat(opened.get()).isZero();

        vault.vault.store(forms, alice.id(), new Credential("alice", "forms pw"));
        CompletableFuture<TestServer.Answer> answer = get(forms, "/docs", BROWSER, "Authorization: Basic kept-for-forms");
        TunnelStream up = tunnel.accept();
        assertThat(instruction(up).credential()).isEqualTo(new Credential("alice", "forms pw"));
        assertThat(instruction(up).settings().forms().loginPath()).isEqualTo("/login");
        // A forms app's backend may answer 401 Basic on its own: that is not the vault's refusal.
        up.sendWhole(new ResponseHead(401, List.of(new HeaderField("WWW-Authenticate", "Basic realm=x"))), "own".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.get().status()).isEqualTo(401);
        assertThat(signInLog).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"X-Drawbridge-Sso-Refused", "x-drawbridge-sso-refused", "X-DRAWBRIDGE-SSO-REFUSED"})
    void theConnectorsFormsRefusalSendsTheBrowserToUpdateItAndThePasswordIsNotPostedAgain(String marker) throws Exception {
        vault.vault.store(forms, alice.id(), new Credential("alice", "old forms pw"));
        CompletableFuture<TestServer.Answer> answer = get(forms, "/pay?m=12", BROWSER);
        tunnel.accept().sendWhole(new ResponseHead(401, List.of(new HeaderField(marker, "password"))), "x".getBytes(StandardCharsets.UTF_8));
        TestServer.Answer a = answer.get();
        assertThat(a.status()).isEqualTo(303);
        assertThat(a.header("Location")).contains(page(forms, "https://forms.example.com/pay?m=12", "refused"));
        assertThat(a.headers(marker)).isEmpty();
        assertThat(signInLog).singleElement().satisfies(r -> assertThat(r.reason()).contains("refused").doesNotContain("old forms pw"));
        TestServer.Answer next = get(forms, "/other", BROWSER).get();
        assertThat(next.status()).isEqualTo(303);
        assertThat(opened.get()).isEqualTo(1);
    }

    @Test
    void theFormsMarkerFromABasicAppsBackendIsNotARefusal() throws Exception {
        vault.vault.store(hr, alice.id(), new Credential("alice", "pw"));
        CompletableFuture<TestServer.Answer> answer = get(hr, "/", BROWSER);
        tunnel.accept().sendWhole(new ResponseHead(200, List.of(new HeaderField("X-Drawbridge-Sso-Refused", "password"))),
                "page".getBytes(StandardCharsets.UTF_8));
        assertThat(answer.get().status()).isEqualTo(200);
        assertThat(vault.vault.forUser(hr, alice.id())).isInstanceOf(Vault.Lookup.Found.class);
    }
}
