package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.PathPolicy;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PathAccess;
import dev.drawbridge.proxy.apps.PathRules;
import dev.drawbridge.proxy.apps.PathSpellings;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.RequestPath;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.policy.PolicyStore;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static dev.drawbridge.proxy.preauth.LiveSessionsTest.OFFICE;
import static dev.drawbridge.proxy.preauth.LiveSessionsTest.T0;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Path rules changed while WebSockets and streams are open on their paths: each recheck decides the app's path rules
 * again for the exchange's path, on every reading of it, as a new request on that path would be decided. A rule added,
 * tightened or given a policy cuts the exchanges it would refuse now, on every spelling of the path that falls under it
 * and on none that does not; a passthrough path made to want sign-in cuts the anonymous exchanges on it; a loosened rule
 * cuts nothing. (Before, the rule decided when the exchange began held for its whole life.)
 */
class LivePathRulesTest {
    @TempDir
    Path dir;
    Database db;
    DirectoryStore store;
    PolicyStore policies;
    final AtomicReference<List<PathPolicy>> rules = new AtomicReference<>(List.of());
    PublishedApp wiki;
    LiveSessions live;
    DirectoryUser alice;
    DirectoryStore.Group admins;

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        store = new DirectoryStore(db);
        policies = new PolicyStore(db);
        String group = new ConnectorStore(db).ensureDefaultGroup(T0).id();
        wiki = LiveSessionsTest.app("wiki", false, PreAuthentication.DIRECTORY, group);
        new AppStore(db).insert(wiki);
        live = new LiveSessions(LiveDirectory.of(store), () -> List.of(wiki), policies, app -> PathRules.of(app, rules.get()),
                new SettableClock(T0.plusSeconds(60)));
        alice = store.createUser("alice@corp.example", "Alice", Optional.empty(), Optional.empty(), Optional.empty(), T0.minusSeconds(3600));
        admins = store.createGroup("Admins", Optional.empty(), T0);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    /** What the request path decided for {@code raw} now (what DispatchHandler puts on the lease). */
    PathRules.Decision decided(String raw) throws RequestPath.BadPathException {
        return PathRules.of(wiki, rules.get()).decide(RequestPath.parse(raw));
    }

    /** Alice's exchange on {@code raw}, opened as DispatchHandler opens it; the reasons it was cut with. */
    List<String> signedIn(String raw, String... amr) throws Exception {
        PathAccess access = ((PathRules.Decision.Apply) decided(raw)).access();
        List<String> cuts = new CopyOnWriteArrayList<>();
        live.open(wiki, "WebSocket", new Identity(alice, List.of(), List.of(amr), T0),
                new AccessCheck.Origin(OFFICE, AccessPolicy.ClientType.BROWSER, List.of(amr), access), RequestPath.parse(raw)).onRevoke(cuts::add);
        return cuts;
    }

    /** An anonymous exchange on {@code raw} (a passthrough path). */
    List<String> anonymous(String raw) throws Exception {
        PathAccess access = ((PathRules.Decision.Apply) decided(raw)).access();
        assertThat(access.preAuthentication()).as(raw + " is a passthrough path").isEqualTo(PreAuthentication.PASSTHROUGH);
        List<String> cuts = new CopyOnWriteArrayList<>();
        live.openAnonymous(wiki, "WebSocket", OFFICE, access, RequestPath.parse(raw)).onRevoke(cuts::add);
        return cuts;
    }

    @Test
    void aRuleAddedOnAnOpenExchangesPathCutsItOnEverySpellingThatFallsUnderItAndNoOther() throws Exception {
        // Opened while /admin had no rule: every spelling the request path let through then.
        Map<String, List<String>> open = new LinkedHashMap<>();
        for (String spelling : PathSpellings.of("admin")) {
            RequestPath path;
            try {
                path = RequestPath.parse(spelling);
            } catch (RequestPath.BadPathException e) {
                continue;
            }
            if (PathRules.of(wiki, rules.get()).decide(path) instanceof PathRules.Decision.Apply) {
                open.put(spelling, signedIn(spelling, "pwd"));
            }
        }
        assertThat(open).hasSizeGreaterThan(20);
        assertThat(live.recheck()).isZero();

        rules.set(List.of(new PathPolicy("/admin", null, List.of(admins.id()), List.of())));
        live.recheck();
        for (Map.Entry<String, List<String>> e : open.entrySet()) {
            boolean underAdmin = PathSpellings.readings(e.getKey()).stream().anyMatch(r -> PathSpellings.under(r, "/admin/"));
            if (underAdmin) {
                assertThat(e.getValue()).as("%s, read by a backend as under /admin", e.getKey()).hasSize(1);
                assertThat(e.getValue().getFirst()).as(e.getKey()).isIn("the user is no longer among the users of the path /admin",
                        "the app's path rules now refuse its path");
            } else {
                assertThat(e.getValue()).as("%s, not under /admin", e.getKey()).isEmpty();
            }
        }
        assertThat(open.values()).as("some spellings fall under the rule").anyMatch(c -> !c.isEmpty());
    }

    @Test
    void aMemberOfTheRulesGroupStaysAndALoosenedRuleCutsNothing() throws Exception {
        store.addMember(admins.id(), alice.id());
        rules.set(List.of(new PathPolicy("/admin", null, List.of(admins.id()), List.of())));
        List<String> admin = signedIn("/admin/users");
        assertThat(live.recheck()).isZero();

        rules.set(List.of(new PathPolicy("/admin", null, List.of(), List.of())));
        assertThat(live.recheck()).isZero();
        rules.set(List.of());
        assertThat(live.recheck()).isZero();
        assertThat(admin).isEmpty();
    }

    @Test
    void aPolicyAddedToThePathsRuleIsJudgedWithTheExchangesOwnContext() throws Exception {
        // A policy of another app asking for a second factor, which the rule applies on /secure only.
        policies.savePolicy(new AccessPolicy("p-mfa", "MFA on secure paths", AccessPolicy.State.ON, List.of("elsewhere"), List.of("ALL"),
                null, null, null, null, null, AccessPolicy.Control.REQUIRE_MFA));
        List<String> secure = signedIn("/secure/x", "pwd"), secureWithOtp = signedIn("/secure/y", "pwd", "otp"), elsewhere = signedIn("/x", "pwd");
        assertThat(live.recheck()).isZero();

        rules.set(List.of(new PathPolicy("/secure", null, List.of(), List.of("p-mfa"))));
        assertThat(live.recheck()).isEqualTo(1);
        assertThat(secure).singleElement().asString().startsWith("conditional access now requires two-step verification");
        assertThat(secureWithOtp).as("the session gave a second factor").isEmpty();
        assertThat(elsewhere).as("a path the rule does not cover").isEmpty();
    }

    @Test
    void aPassthroughPathThatNowWantsSignInCutsItsAnonymousExchangesButNotThoseOfAnotherPassthroughPath() throws Exception {
        rules.set(List.of(new PathPolicy("/public", PreAuthentication.PASSTHROUGH, List.of(), List.of()),
                new PathPolicy("/status", PreAuthentication.PASSTHROUGH, List.of(), List.of())));
        List<String> pub = anonymous("/public/feed"), status = anonymous("/status"), bare = anonymous("/public");
        assertThat(live.recheck()).isZero();

        rules.set(List.of(new PathPolicy("/status", PreAuthentication.PASSTHROUGH, List.of(), List.of())));
        assertThat(live.recheck()).isEqualTo(2);
        assertThat(pub).containsExactly("the pre-authentication of its path changed");
        assertThat(bare).containsExactly("the pre-authentication of its path changed");
        assertThat(status).isEmpty();
    }

    @Test
    void aSignedInExchangeOnAPathMadePassthroughIsCutSoItsForwardedIdentityEnds() throws Exception {
        List<String> feed = signedIn("/public/feed", "pwd");
        rules.set(List.of(new PathPolicy("/public", PreAuthentication.PASSTHROUGH, List.of(), List.of())));
        assertThat(live.recheck()).isEqualTo(1);
        assertThat(feed).containsExactly("the pre-authentication of its path changed");
    }
}
