package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.AppRouter;
import dev.drawbridge.proxy.apps.PathRules;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RouteTable;
import dev.drawbridge.proxy.edge.Recorder;
import dev.drawbridge.proxy.edge.TestServer;
import dev.drawbridge.proxy.policy.ConditionalAccess;
import dev.drawbridge.proxy.policy.PathPolicyHandler;
import dev.drawbridge.proxy.signin.SignInService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Component test of an open ({@code PASSTHROUGH}) path of a pre-authenticated app through the real handlers (path rules,
 * authentication, authorization) on a real Jetty server: the path answers without sign-in while the rest of the app still
 * asks for it, and the client's Drawbridge access token for the app, should it come along, is marked as Drawbridge's
 * ({@link Authorized#bearer}: dispatch does not forward it to the backend), while a token Drawbridge did not issue is the
 * backend's business and goes on.
 */
class OpenPathAuthenticationTest {
    @TempDir
    static Path dir;
    static Identities ids;
    static TestServer server;
    static Recorder<Authorized> next;
    static final PublishedApp HR = Identities.app("hr", "hr.example.com", "/", PreAuthentication.DIRECTORY, false);

    @BeforeAll
    static void start() throws Exception {
        ids = new Identities(dir);
        Map<String, SignInService.Valid> tokens = Map.of("alice-bearer ACCESS_TOKEN " + HR.externalUrl(),
                Identities.session(ids.alice, List.of("pwd"), Duration.ZERO));
        SessionCheck fake = (token, kind, audience) -> Optional.ofNullable(tokens.get(token + " " + kind + " " + audience));
        AppSignIn signIn = new AppSignIn(ids.service, Assignments.of(ids.store), ConditionalAccess::none);
        next = new Recorder<>("next", Authorized.ATTRIBUTE::get);
        AppRouter routing = new AppRouter(() -> new RouteTable(List.of(HR)));
        PathPolicyHandler paths = new PathPolicyHandler(app -> PathRules.of(app,
                List.of(new PathPolicy("/public", PreAuthentication.PASSTHROUGH, List.of(), List.of()))));
        AuthenticationHandler authentication = new AuthenticationHandler(fake, signIn);
        AuthorizationHandler authorization = new AuthorizationHandler(Assignments.of(ids.store), ConditionalAccess::none, line -> { },
                signIn, ids.clock);
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
    }

    @Test
    void theOpenPathAnswersWithoutSignInAndTheRestStillAsks() throws Exception {
        assertThat(server.get("hr.example.com", "/public/page").body()).isEqualTo("next");
        assertThat(next.last()).isEqualTo(new Authorized(Optional.empty(), false));
        TestServer.Answer closed = server.get("hr.example.com", "/private", "Accept: text/html");
        assertThat(closed.status()).isEqualTo(302);
        assertThat(server.get("hr.example.com", "/%70ublic/page", "Accept: text/html").status()).as("only the plain spelling opens")
                .isEqualTo(302);
        assertThat(next.seen()).hasSize(1);
    }

    @Test
    void drawbridgesAccessTokenOnTheOpenPathStaysHere() throws Exception {
        assertThat(server.get("hr.example.com", "/public/page", "Authorization: Bearer alice-bearer").body()).isEqualTo("next");
        assertThat(next.last()).as("no user, and the token is not forwarded").isEqualTo(new Authorized(Optional.empty(), true));
        assertThat(server.get("hr.example.com", "/public/page", "Authorization: Bearer the-backends-own").body()).isEqualTo("next");
        assertThat(next.last()).as("a token Drawbridge did not issue goes on").isEqualTo(new Authorized(Optional.empty(), false));
        assertThat(server.get("hr.example.com", "/public/page", "Authorization: Basic dTpw").body()).isEqualTo("next");
        assertThat(next.last()).isEqualTo(new Authorized(Optional.empty(), false));
    }
}
