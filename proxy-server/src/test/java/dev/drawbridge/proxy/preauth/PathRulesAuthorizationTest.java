package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.PathRules;
import dev.drawbridge.proxy.apps.PathSpellings;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.edge.Recorder;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.policy.PathPolicyHandler;
import dev.drawbridge.proxy.signin.SignInService;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of path rules through the real handlers on a real Jetty server: app routing, {@link PathPolicyHandler}
 * and {@link AuthorizationHandler} (authentication stood in for, as in {@link AuthorizationHandlerTest}). On an app every
 * signed-in user may use, {@code /admin} is for the group "admins": a user outside it is refused on every spelling of
 * {@code /admin} ({@link PathSpellings}: 403, or 400 for a spelling the edge refuses), browser and bearer alike, and logged,
 * while {@code /} stays open to them; {@code /secure} adds a policy that asks for a second factor there only.
 */
class PathRulesAuthorizationTest {
    @TempDir
    static Path dir;
    static Identities ids;
    static TestServer server;
    static Recorder<String> next;
    static final List<String> log = new CopyOnWriteArrayList<>();
    static final PublishedApp INTRA = Identities.app("intra", "intra.example.com", "/", PreAuthentication.DIRECTORY, false);

    @BeforeAll
    static void start() throws Exception {
        ids = new Identities(dir);
        DirectoryStore.Group admins = ids.store.createGroup("admins", Optional.empty(), Identities.NOW);
        Map<String, List<DirectoryStore.Group>> groups = Map.of(ids.alice.id(), List.of(admins));
        Assignments assignments = new Assignments() {
            @Override
            public boolean isAssigned(String appId, String userId) {
                return false;
            }

            @Override
            public List<DirectoryStore.Group> groupsOf(String userId) {
                return groups.getOrDefault(userId, List.of());
            }
        };
        // The policy names another app: on /secure it applies to this one too.
        ConditionalAccess policies = new ConditionalAccess(List.of(new AccessPolicy("p-mfa", "MFA for secure paths", AccessPolicy.State.ON,
                List.of("elsewhere"), List.of("ALL"), null, null, null, null, null, AccessPolicy.Control.REQUIRE_MFA)), List.of());
        SignInPrompt prompt = new SignInPrompt() {
            @Override
            public void challenge(PublishedApp app, Request request, Response response, Callback callback, boolean stepUp) {
                Response.sendRedirect(request, response, callback, "https://login.example.com/challenge?stepUp=" + stepUp);
            }

            @Override
            public String requestAccessUrl(PublishedApp app) {
                return "https://login.example.com/request?app=" + app.id();
            }

            @Override
            public void slide(PublishedApp app, Response response, SignInService.Valid session) {
            }
        };
        AccessLog accessLog = line -> log.add(line.result() + " " + line.upn().orElseThrow() + ": " + line.reason());
        List<PathPolicy> rules = List.of(new PathPolicy("/admin", null, List.of(admins.id()), List.of()),
                new PathPolicy("/secure", null, List.of(), List.of("p-mfa")));
        next = Recorder.named("next");
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(INTRA)));
        PathPolicyHandler paths = new PathPolicyHandler(app -> PathRules.of(app, rules));
        var authentication = new AuthorizationHandlerTest.FakeAuthentication(Map.of("alice", ids.alice, "bob", ids.bob));
        AuthorizationHandler authorization = new AuthorizationHandler(assignments, () -> policies, accessLog, prompt, ids.clock);
        routing.setHandler(paths);
        paths.setHandler(authentication);
        authentication.setHandler(authorization);
        authorization.setHandler(next);
        server = TestServer.start(routing);
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
    }

    static TestServer.Answer as(String user, String amr, String target, boolean bearer) throws Exception {
        return bearer ? server.get("intra.example.com", target, "X-Test-User: " + user, "X-Test-Amr: " + amr, "X-Test-Bearer: 1")
                : server.get("intra.example.com", target, "X-Test-User: " + user, "X-Test-Amr: " + amr, "Accept: text/html");
    }

    @Test
    void theGroupsMemberUsesAdminAndEveryoneTheRest() throws Exception {
        assertThat(as("alice", "pwd", "/admin/users", false).body()).isEqualTo("next");
        assertThat(as("alice", "pwd", "/", false).body()).isEqualTo("next");
        assertThat(as("bob", "pwd", "/", false).body()).isEqualTo("next");
        assertThat(as("bob", "pwd", "/administrator", false).body()).isEqualTo("next");
        assertThat(as("bob", "pwd", "/reports/admin", false).body()).isEqualTo("next");
        assertThat(log).isEmpty();
    }

    @Test
    void anyoneElseIsRefusedAdminBrowserAndBearerAlikeAndLogged() throws Exception {
        TestServer.Answer page = as("bob", "pwd", "/admin/users", false);
        assertThat(page.status()).isEqualTo(403);
        assertThat(page.generated()).isTrue();
        assertThat(page.body()).contains("this part of intra").contains("bob@corp.example");
        TestServer.Answer problem = as("bob", "pwd", "/admin", true);
        assertThat(problem.status()).isEqualTo(403);
        assertThat(problem.header("Content-Type")).get().asString().startsWith("application/problem+json");
        assertThat(log).containsExactly("DENIED bob@corp.example: not among the users of the path /admin",
                "DENIED bob@corp.example: not among the users of the path /admin");
        assertThat(next.seen()).isEmpty();
    }

    @Test
    void everySpellingOfAdminIsRefusedToAnyoneElse() throws Exception {
        List<String> wrong = new ArrayList<>();
        int refused = 0;
        for (String s : PathSpellings.of("admin")) {
            if (!s.startsWith("/") || s.startsWith("/salaries") || s.startsWith("/adminx") || s.startsWith("/x")) {
                continue; // not a spelling of /admin (the generator adds a few that are not)
            }
            next.clear();
            TestServer.Answer a = as("bob", "pwd", s, false);
            if (!next.seen().isEmpty() || a.status() < 400) {
                wrong.add(s + " -> " + a.status());
            } else {
                refused++;
            }
        }
        assertThat(wrong).isEmpty();
        assertThat(refused).isGreaterThan(100);
    }

    @Test
    void aPathsPolicyAsksForASecondFactorThereOnly() throws Exception {
        TestServer.Answer stepUp = as("bob", "pwd", "/secure/x", false);
        assertThat(stepUp.status()).isEqualTo(302);
        assertThat(stepUp.header("Location")).contains("https://login.example.com/challenge?stepUp=true");
        assertThat(as("bob", "pwd,otp", "/secure/x", false).body()).isEqualTo("next");
        assertThat(as("bob", "pwd", "/other", false).body()).isEqualTo("next");
    }
}
