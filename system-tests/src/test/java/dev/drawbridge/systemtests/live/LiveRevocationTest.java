package dev.drawbridge.systemtests.live;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.AppSpec;
import dev.drawbridge.model.api.AppView;
import dev.drawbridge.model.api.AssignmentBody;
import dev.drawbridge.model.api.GroupBody;
import dev.drawbridge.model.api.MemberBody;
import dev.drawbridge.model.api.OAuthClientSpec;
import dev.drawbridge.model.api.OAuthGrant;
import dev.drawbridge.model.api.PathPolicies;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.testsupport.sample.SampleApp;
import dev.drawbridge.testsupport.stack.DrawbridgeStack;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Every kind of revocation, each done through the admin API while the user holds a WebSocket and an event stream open
 * through the proxy (real TLS, a real connector and app): the WebSocket is closed with 1008 and the reason, the stream
 * is reset, within a recheck. Streams of other users, and of the same user on other apps, stay open and keep flowing.
 * All revocations happen at once, so one recheck decides them all (and every bystander's standing with them).
 */
class LiveRevocationTest {
    @TempDir
    static Path dir;
    static SampleApp app;
    static DrawbridgeStack stack;

    @BeforeAll
    static void start() throws Exception {
        app = SampleApp.start("127.0.0.1", 0);
        stack = DrawbridgeStack.start(DrawbridgeStack.Options.forTests(dir.resolve("server")));
        stack.startConnector(dir.resolve("c"), 1);
    }

    @AfterAll
    static void stop() throws Exception {
        stack.close();
        app.close();
    }

    static AppView publish(String label, boolean assignmentRequired) throws Exception {
        return stack.adminApi().apps().create(new AppSpec(label.toUpperCase(Locale.ROOT), stack.externalUrl(label),
                app.baseUri().toString(), null, null, null, PreAuthentication.DIRECTORY, new AccessSettings(assignmentRequired, true, true, false)));
    }

    static String user(String name) throws Exception {
        return stack.createUser(name + "@corp.example", name, HeldStreams.PASSWORD).id();
    }

    @Test
    void everyRevocationCutsExactlyTheUsersWebSocketsAndStreamsOnThatApp() throws Exception {
        AdminApi api = stack.adminApi();
        AppView hr = publish("hr", true), wiki = publish("wiki", false), gone = publish("gone", false), moved = publish("moved", false),
                closing = publish("closing", false);
        AppView open = api.apps().create(new AppSpec("OPEN", stack.externalUrl("open"), app.baseUri().toString(), null, null, null,
                PreAuthentication.PASSTHROUGH));
        String direct = user("direct"), member = user("member"), bystander = user("bystander"), disabled = user("disabled"),
                revoked = user("revoked"), blocked = user("blocked");
        user("owner");
        String staff = api.groups().create(new GroupBody("staff", null, null)).id();
        api.groups().addMember(staff, new MemberBody(member));
        api.apps().assign(hr.id(), new AssignmentBody("USER", direct));
        api.apps().assign(hr.id(), new AssignmentBody("USER", bystander));
        api.apps().assign(hr.id(), new AssignmentBody("GROUP", "staff"));

        Map<HeldStreams, String> cut = new LinkedHashMap<>();
        List<HeldStreams> stay = new ArrayList<>();
        try {
            cut.put(held("unassigned", hr, "direct"), "the user is no longer assigned to the app");
            cut.put(held("removed from the assigned group", hr, "member"), "the user is no longer assigned to the app");
            cut.put(held("disabled", wiki, "disabled"), "the user was disabled");
            cut.put(held("sessions revoked", wiki, "revoked"), "the user's sessions were revoked");
            cut.put(held("blocked by a new policy", wiki, "blocked"), "conditional access now blocks it");
            cut.put(held("app deleted", gone, "owner"), "the app was deleted");
            cut.put(held("pre-authentication changed", moved, "owner"), "the app's pre-authentication changed");
            cut.put(held("app switched to assignment required", closing, "owner"), "the user is no longer assigned to the app");
            cut.put(new HeldStreams("anonymous, app switched to pre-authentication", stack, open.externalUrl(), null),
                    "the app's pre-authentication changed");
            stay.add(held("the unassigned user on another app", wiki, "direct"));
            stay.add(held("a user still assigned", hr, "bystander"));
            stay.add(held("another user on the app of the policy", wiki, "bystander"));
            stay.add(held("the blocked user on another app", hrFor(blocked, api, hr), "blocked"));

            api.apps().unassign(hr.id(), "USER", direct);
            api.groups().removeMember(staff, member);
            api.users().disable(disabled);
            api.users().revokeSessions(revoked);
            api.policies().create(new AccessPolicy(null, "Block one user", AccessPolicy.State.ON, List.of(wiki.id()), List.of(blocked),
                    List.of(), List.of(), List.of(), List.of(), null, AccessPolicy.Control.BLOCK));
            api.apps().delete(gone.id());
            api.apps().replace(moved.id(), new AppSpec("MOVED", stack.externalUrl("moved"), app.baseUri().toString(), null, null, null,
                    PreAuthentication.PASSTHROUGH));
            api.apps().replace(closing.id(), new AppSpec("CLOSING", stack.externalUrl("closing"), app.baseUri().toString(), null, null,
                    null, PreAuthentication.DIRECTORY, new AccessSettings(true, true, true, false)));
            api.apps().replace(open.id(), new AppSpec("OPEN", stack.externalUrl("open"), app.baseUri().toString(), null, null, null,
                    PreAuthentication.DIRECTORY));

            for (Map.Entry<HeldStreams, String> e : cut.entrySet()) {
                e.getKey().assertCut(e.getValue());
            }
            for (HeldStreams h : stay) {
                h.assertOpen();
            }
        } finally {
            for (HeldStreams h : cut.keySet()) {
                h.close();
            }
            for (HeldStreams h : stay) {
                h.close();
            }
        }
    }

    /**
     * A native client's exchanges are judged as the native client's: a policy that blocks native clients on the app cuts
     * the WebSocket and stream opened with the OAuth access token, and leaves the same user's browser ones open.
     */
    @Test
    void aPolicyOnNativeClientsCutsTheBearersStreamsAndNotTheBrowsersOfTheSameUser() throws Exception {
        AdminApi api = stack.adminApi();
        AppView tools = publish("tools", false);
        String user = user("native");
        api.oauthClients().register(new OAuthClientSpec("cli", "Command line", List.of("http://127.0.0.1/callback"),
                List.of(OAuthGrant.AUTHORIZATION_CODE), List.of()));
        try (HeldStreams browser = held("the browser of the user", tools, "native");
             HeldStreams bearer = HeldStreams.withBearer("the native client of the user", stack, tools.externalUrl(),
                     NativeSignIn.accessToken(stack, tools.externalUrl(), "native@corp.example"))) {
            api.policies().create(new AccessPolicy(null, "No native clients", AccessPolicy.State.ON, List.of(tools.id()), List.of(user),
                    List.of(), List.of(), List.of(), List.of(AccessPolicy.ClientType.NATIVE), null, AccessPolicy.Control.BLOCK));
            bearer.assertCut("conditional access now blocks it");
            browser.assertOpen();
        }
    }

    /**
     * Path rules changed while exchanges are open on their paths (the rule was judged when each began; before, it held for
     * the exchange's life): a rule added for another group cuts the user's WebSocket and stream on its paths, and a
     * passthrough path that now wants sign-in cuts the anonymous ones; the same user on another app, and an anonymous
     * exchange on a path still passthrough, stay.
     */
    @Test
    void pathRulesChangedWhileExchangesAreOpenCutThoseANewRequestOnTheirPathWouldNotPass() throws Exception {
        AdminApi api = stack.adminApi();
        AppView ruled = publish("ruled", false), other = publish("unruled", false), opened = publish("opened", false),
                stays = publish("stays", false);
        api.groups().create(new GroupBody("insiders", null, null));
        user("outsider");
        PathPolicies passthrough = new PathPolicies(List.of(new PathPolicy("/ws", PreAuthentication.PASSTHROUGH, List.of(), List.of()),
                new PathPolicy("/sse", PreAuthentication.PASSTHROUGH, List.of(), List.of())));
        api.apps().setPaths(opened.id(), passthrough);
        api.apps().setPaths(stays.id(), passthrough);
        try (HeldStreams underRule = held("under the new rules", ruled, "outsider");
             HeldStreams elsewhere = held("the same user on another app", other, "outsider");
             HeldStreams anonymous = new HeldStreams("anonymous on a path that now wants sign-in", stack, opened.externalUrl(), null);
             HeldStreams stillOpen = new HeldStreams("anonymous on a path still passthrough", stack, stays.externalUrl(), null)) {
            api.apps().setPaths(ruled.id(), new PathPolicies(List.of(new PathPolicy("/ws", null, List.of("insiders"), List.of()),
                    new PathPolicy("/sse", null, List.of("insiders"), List.of()))));
            api.apps().setPaths(opened.id(), new PathPolicies(List.of()));
            underRule.assertCut("the user is no longer among the users of the path /");
            anonymous.assertCut("the pre-authentication of its path changed");
            elsewhere.assertOpen();
            stillOpen.assertOpen();
        }
    }

    /** {@code hr}, once {@code userId} is assigned to it. */
    static AppView hrFor(String userId, AdminApi api, AppView hr) throws Exception {
        api.apps().assign(hr.id(), new AssignmentBody("USER", userId));
        return hr;
    }

    static HeldStreams held(String what, AppView on, String name) throws Exception {
        return new HeldStreams(what, stack, on.externalUrl(), name + "@corp.example");
    }
}
