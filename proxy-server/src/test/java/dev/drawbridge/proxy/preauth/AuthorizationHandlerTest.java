package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.edge.Recorder;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.signin.SignInService;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of {@link AuthorizationHandler} on a real Jetty server, behind real app routing and a fake
 * authentication (the caller comes from test headers), with fake assignments, a fake sign-in prompt and real
 * conditional access: assignment, block and step-up, for cookie and bearer callers, the sign-in log lines, the sliding
 * cookie, and the identity handed to dispatch.
 */
class AuthorizationHandlerTest {
    @TempDir
    static Path dir;
    static Identities ids;
    static TestServer server;
    static Recorder<Authorized> next;
    static final List<String> log = new CopyOnWriteArrayList<>();
    static final List<AccessPolicy.ClientType> clientTypes = new CopyOnWriteArrayList<>();
    static final PublishedApp OPEN = Identities.app("open", "open.example.com", "/", PreAuthentication.PASSTHROUGH, false);
    static final PublishedApp HR = Identities.app("hr", "hr.example.com", "/", PreAuthentication.DIRECTORY, true);
    static final PublishedApp WIKI = Identities.app("wiki", "wiki.example.com", "/", PreAuthentication.DIRECTORY, false);
    static final PublishedApp VAULT = Identities.app("vault", "vault.example.com", "/", PreAuthentication.DIRECTORY, false);
    /** An app that offers only the provider {@code partner}. */
    static final PublishedApp PARTNER_ONLY = new PublishedApp("partners", "partners", URI.create("https://partners.example.com/"),
            "partners.example.com", "/", URI.create("http://intranet/partners/"), "g", BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY,
            new AccessSettings(false, true, true, false, List.of("partner")), Identities.NOW, Identities.NOW);

    @BeforeAll
    static void start() throws Exception {
        ids = new Identities(dir);
        DirectoryStore.Group staff = ids.store.createGroup("staff", Optional.empty(), Identities.NOW);
        DirectoryStore.Group contractors = ids.store.createGroup("contractors", Optional.empty(), Identities.NOW);
        Map<String, List<DirectoryStore.Group>> groups = Map.of(ids.alice.id(), List.of(staff), ids.bob.id(), List.of(contractors));
        Assignments assignments = new Assignments() {
            @Override
            public boolean isAssigned(String appId, String userId) {
                return appId.equals("hr") && userId.equals(ids.alice.id());
            }

            @Override
            public List<DirectoryStore.Group> groupsOf(String userId) {
                return groups.getOrDefault(userId, List.of());
            }
        };
        ConditionalAccess policies = new ConditionalAccess(List.of(
                new AccessPolicy("p1", "MFA for the wiki", AccessPolicy.State.ON, List.of("wiki"), List.of("ALL"), null, null, null,
                        null, null, AccessPolicy.Control.REQUIRE_MFA),
                new AccessPolicy("p2", "No contractors in the vault", AccessPolicy.State.ON, List.of("vault"), List.of("contractors"),
                        null, null, null, null, null, AccessPolicy.Control.BLOCK)), List.of());
        SignInPrompt prompt = new SignInPrompt() {
            @Override
            public void challenge(PublishedApp app, Request request, Response response, Callback callback, boolean stepUp) {
                Response.sendRedirect(request, response, callback, "https://login.example.com/challenge?app=" + app.id() + "&stepUp=" + stepUp);
            }

            @Override
            public String requestAccessUrl(PublishedApp app) {
                return "https://login.example.com/request?app=" + app.id();
            }

            @Override
            public void slide(PublishedApp app, Response response, SignInService.Valid session) {
                response.getHeaders().put("X-Slid", session.user().upn());
            }
        };
        AccessLog accessLog = line -> {
            log.add(line.result() + " " + line.upn().orElseThrow() + " " + line.appId().orElseThrow() + ": " + line.reason());
            clientTypes.add(line.clientType());
        };
        next = new Recorder<>("next", Authorized.ATTRIBUTE::get);
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(OPEN, HR, WIKI, VAULT, PARTNER_ONLY)));
        Handler.Wrapper authentication = new FakeAuthentication(Map.of("alice", ids.alice, "bob", ids.bob));
        AuthorizationHandler authorization = new AuthorizationHandler(assignments, () -> policies, accessLog, prompt, ids.clock);
        routing.setHandler(authentication);
        authentication.setHandler(authorization);
        authorization.setHandler(next);
        server = TestServer.start(routing);
    }

    /** Stands in for authentication: {@code X-Test-User}, {@code X-Test-Amr} and {@code X-Test-Bearer} say who is calling. */
    static final class FakeAuthentication extends Handler.Wrapper {
        private final Map<String, DirectoryUser> users;

        FakeAuthentication(Map<String, DirectoryUser> users) {
            this.users = users;
        }

        @Override
        public boolean handle(Request request, Response response, Callback callback) throws Exception {
            String user = request.getHeaders().get("X-Test-User");
            if (user == null) {
                Authenticated.ATTRIBUTE.set(request, Authenticated.passthrough());
            } else {
                List<String> amr = Arrays.asList(request.getHeaders().get("X-Test-Amr").split(","));
                Authenticated.ATTRIBUTE.set(request, new Authenticated(Optional.of(
                        Identities.session(users.get(user), amr, Duration.ofMinutes(5))), request.getHeaders().contains("X-Test-Bearer")));
            }
            return super.handle(request, response, callback);
        }
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
        ids.close();
    }

    @BeforeEach
    void clear() {
        next.clear();
        log.clear();
        clientTypes.clear();
    }

    private static TestServer.Answer as(String host, String user, String amr, boolean bearer) throws Exception {
        return bearer ? server.get(host, "/x", "X-Test-User: " + user, "X-Test-Amr: " + amr, "X-Test-Bearer: 1")
                : server.get(host, "/x", "X-Test-User: " + user, "X-Test-Amr: " + amr, "Accept: text/html");
    }

    @Test
    void passthroughAppsPassWithoutAnIdentity() throws Exception {
        assertThat(server.get("open.example.com", "/x").body()).isEqualTo("next");
        assertThat(next.last()).isEqualTo(new Authorized(Optional.empty(), false));
    }

    @Test
    void anAssignedUserPassesWithHerIdentityAndASlidSession() throws Exception {
        TestServer.Answer a = as("hr.example.com", "alice", "pwd", false);
        assertThat(a.body()).isEqualTo("next");
        assertThat(a.header("X-Slid")).contains("alice@corp.example");
        Identity identity = next.last().identity().orElseThrow();
        assertThat(identity.user().upn()).isEqualTo("alice@corp.example");
        assertThat(identity.groups()).containsExactly("staff");
        assertThat(identity.amr()).containsExactly("pwd");
        assertThat(next.last().bearer()).isFalse();
        assertThat(log).isEmpty();
    }

    @Test
    void anUnassignedBrowserUserGetsA403PageWithARequestAccessLink() throws Exception {
        TestServer.Answer a = as("hr.example.com", "bob", "pwd", false);
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.generated()).isTrue();
        assertThat(a.body()).contains("You don&#39;t have access to hr").contains("https://login.example.com/request?app=hr");
        assertThat(a.header("X-Slid")).isEmpty();
        assertThat(log).containsExactly("DENIED bob@corp.example hr: not assigned to the app");
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void anUnassignedBearerClientGetsA403Problem() throws Exception {
        TestServer.Answer a = as("hr.example.com", "bob", "pwd", true);
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.header("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(a.body()).contains("not assigned to bob@corp.example");
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void conditionalAccessBlocksBrowsersAndBearerClientsAlike() throws Exception {
        TestServer.Answer page = as("vault.example.com", "bob", "pwd,otp", false);
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.body()).contains("Access blocked").contains("No contractors in the vault");
        TestServer.Answer problem = as("vault.example.com", "bob", "pwd,otp", true);
        assertThat(problem.status()).isEqualTo(403);
        assertThat(problem.body()).contains("blocked by policy: No contractors in the vault: BLOCK");
        assertThat(log).containsExactly("DENIED bob@corp.example vault: blocked by conditional access",
                "DENIED bob@corp.example vault: blocked by conditional access (bearer token)");
        assertThat(clientTypes).as("the sign-in log says which kind of client was blocked")
                .containsExactly(AccessPolicy.ClientType.BROWSER, AccessPolicy.ClientType.NATIVE);
        assertThat(next.seen()).isEmpty();
        assertThat(as("vault.example.com", "alice", "pwd", false).body()).isEqualTo("next");
    }

    @Test
    void aSessionWithoutTheSecondFactorIsSentToStepUp() throws Exception {
        TestServer.Answer a = as("wiki.example.com", "alice", "pwd", false);
        assertThat(a.status()).isEqualTo(302);
        assertThat(a.header("Location")).contains("https://login.example.com/challenge?app=wiki&stepUp=true");
        assertThat(log).containsExactly("INTERRUPTED alice@corp.example wiki: two-step verification required");
        TestServer.Answer bearer = as("wiki.example.com", "alice", "pwd", true);
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(bearer.header("WWW-Authenticate")).contains("Bearer error=\"insufficient_user_authentication\"");
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void aSessionWithTheSecondFactorPasses() throws Exception {
        assertThat(as("wiki.example.com", "alice", "pwd,otp", false).body()).isEqualTo("next");
        TestServer.Answer bearer = as("wiki.example.com", "alice", "pwd,otp", true);
        assertThat(bearer.body()).isEqualTo("next");
        assertThat(bearer.header("X-Slid")).isEmpty();
        assertThat(next.last().bearer()).isTrue();
    }

    /**
     * The app's choice of identity providers holds at the edge, not only when a sign-in code is issued: an app session or
     * bearer token that another provider vouched for (issued before the app's choice changed, or a refresh token's access
     * token) does not reach an app that does not offer that provider. A browser is sent to sign in again; a token gets a 403.
     */
    @Test
    void aSessionFromAProviderTheAppDoesNotOfferIsRefusedForBrowsersAndBearerClients() throws Exception {
        for (String amr : List.of("fed,idp:oidc", "fed", "fed,otp,idp:oidc")) {
            TestServer.Answer page = as("partners.example.com", "alice", amr, false);
            assertThat(page.status()).as(amr).isEqualTo(302);
            assertThat(page.header("Location")).as(amr).contains("https://login.example.com/challenge?app=partners&stepUp=false");
            TestServer.Answer problem = as("partners.example.com", "alice", amr, true);
            assertThat(problem.status()).as(amr).isEqualTo(403);
            assertThat(problem.header("Content-Type")).get().asString().startsWith("application/problem+json");
        }
        assertThat(next.seen()).as("nothing refused reached the app").isEmpty();
        assertThat(log).hasSize(6).allMatch(l -> l.startsWith("DENIED alice@corp.example partners: signed in with the identity provider"));
        assertThat(as("partners.example.com", "alice", "fed,idp:partner", false).body()).isEqualTo("next");
        assertThat(as("partners.example.com", "alice", "fed,idp:partner", true).body()).isEqualTo("next");
        assertThat(as("partners.example.com", "alice", "pwd", false).body()).as("a password session: every app").isEqualTo("next");
    }
}
