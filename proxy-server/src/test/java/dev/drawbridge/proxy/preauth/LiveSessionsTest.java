package dev.drawbridge.proxy.preauth;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PathAccess;
import dev.drawbridge.proxy.apps.PublishedApp;
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

import java.net.InetAddress;
import java.net.URI;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import static dev.drawbridge.proxy.store.db.Tables.DIRECTORY_USER;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The leases of exchanges held open by signed-in users, against a real directory and policy store: a recheck cuts
 * exactly those a new request would no longer be let through for, once each and with the reason, and never another
 * user's, another app's, a newer session's, a lease from a context a policy does not match, or a lease already closed.
 */
class LiveSessionsTest {
    static final Instant T0 = Instant.parse("2026-11-25T12:00:00Z");
    static final InetAddress OFFICE = InetAddress.ofLiteral("10.1.2.3"), HOME = InetAddress.ofLiteral("203.0.113.7");
    @TempDir
    Path dir;
    Database db;
    DirectoryStore store;
    PolicyStore policies;
    final AtomicReference<List<PublishedApp>> apps = new AtomicReference<>(List.of());
    LiveSessions live;

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        store = new DirectoryStore(db);
        policies = new PolicyStore(db);
        String group = new ConnectorStore(db).ensureDefaultGroup(T0).id();
        AppStore appStore = new AppStore(db);
        for (String id : List.of("hr", "wiki", "blog", "docs")) {
            appStore.insert(app(id, false, PreAuthentication.DIRECTORY, group));
        }
        apps.set(List.of(app("hr", true, PreAuthentication.DIRECTORY), app("wiki", false, PreAuthentication.DIRECTORY)));
        live = new LiveSessions(LiveDirectory.of(store), apps::get, policies, new SettableClock(T0.plusSeconds(60)));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static PublishedApp app(String id, boolean assignmentRequired, PreAuthentication preAuth) {
        return app(id, assignmentRequired, preAuth, "g");
    }

    static PublishedApp app(String id, boolean assignmentRequired, PreAuthentication preAuth, String group) {
        return new PublishedApp(id, id.toUpperCase(Locale.ROOT), URI.create("https://" + id + ".example.com/"), id + ".example.com", "/",
                URI.create("http://" + id + ".corp/"), group, BackendTimeout.DEFAULT, true, preAuth,
                new AccessSettings(assignmentRequired, true, true, false), T0, T0, false);
    }

    PublishedApp app(String id) {
        return apps.get().stream().filter(a -> a.id().equals(id)).findFirst().orElseThrow();
    }

    DirectoryUser user(String upn) throws Exception {
        return store.createUser(upn, upn, Optional.empty(), Optional.empty(), Optional.empty(), T0.minusSeconds(3600));
    }

    /** The reasons a lease was cut with. */
    List<String> lease(String appId, DirectoryUser u, Instant authTime, InetAddress from, AccessPolicy.ClientType type, String... amr) {
        List<String> cuts = new CopyOnWriteArrayList<>();
        live.open(app(appId), new Identity(u, List.of(), List.of(amr), authTime), new AccessCheck.Origin(from, type, List.of(amr)))
                .onRevoke(cuts::add);
        return cuts;
    }

    List<String> lease(String appId, DirectoryUser u) {
        return lease(appId, u, T0, OFFICE, AccessPolicy.ClientType.BROWSER, "pwd");
    }

    void assign(String appId, DirectoryStore.PrincipalType type, String principal) {
        store.assign(appId, type, principal, T0);
    }

    @Test
    void disabledRevokedAndDeletedUsersAreCutButNotOthersNorANewerSession() throws Exception {
        DirectoryUser disabled = user("disabled@corp.example"), revoked = user("revoked@corp.example"),
                deleted = user("deleted@corp.example"), bystander = user("bystander@corp.example");
        List<String> d = lease("wiki", disabled), r = lease("wiki", revoked), x = lease("wiki", deleted), b = lease("wiki", bystander);
        assertThat(live.recheck()).isZero();

        store.setEnabled(disabled.id(), false, T0.plusSeconds(10));
        store.setEnabled(disabled.id(), true, T0.plusSeconds(20));
        store.revokeSessions(revoked.id(), T0.plusSeconds(10));
        store.deleteUser(deleted.id());
        // A lease taken by a sign-in after the revocation stands.
        List<String> fresh = lease("wiki", revoked, T0.plusSeconds(11), OFFICE, AccessPolicy.ClientType.BROWSER, "pwd");
        assertThat(live.recheck()).isEqualTo(3);
        assertThat(d).as("disabled, even though enabled again: its sessions were revoked").containsExactly("the user's sessions were revoked");
        assertThat(r).containsExactly("the user's sessions were revoked");
        assertThat(x).containsExactly("the user was deleted");
        assertThat(b).as("another user").isEmpty();
        assertThat(fresh).as("a session begun after the revocation").isEmpty();
        // Cut once: a cut lease is gone.
        assertThat(live.recheck()).isZero();
        assertThat(live.size()).isEqualTo(2);
    }

    @Test
    void aUserDisabledNowIsCutAsDisabled() throws Exception {
        DirectoryUser u = user("u@corp.example");
        List<String> cut = lease("wiki", u);
        // Disabled by hand in the database, without the revocation the admin API adds.
        db.dsl().update(DIRECTORY_USER).set(DIRECTORY_USER.ENABLED, false).execute();
        live.recheck();
        assertThat(cut).containsExactly("the user was disabled");
    }

    @Test
    void removingAnAssignmentDirectOrThroughAnyKindOfGroupCutsThatUserOnThatAppOnly() throws Exception {
        DirectoryUser direct = user("direct@corp.example"), member = user("member@corp.example"),
                dynamic = user("dynamic@corp.example"), other = user("other@corp.example");
        DirectoryStore.Group staff = store.createGroup("staff", Optional.empty(), T0);
        DirectoryStore.Group finance = store.createGroup("finance", Optional.empty(), T0);
        store.setRule(finance.id(), Optional.of("upn startsWith \"dynamic@\""));
        store.refreshDynamicGroups();
        store.addMember(staff.id(), member.id());
        assign("hr", DirectoryStore.PrincipalType.USER, direct.id());
        assign("hr", DirectoryStore.PrincipalType.USER, other.id());
        assign("hr", DirectoryStore.PrincipalType.GROUP, staff.id());
        assign("hr", DirectoryStore.PrincipalType.GROUP, finance.id());
        List<String> a = lease("hr", direct), m = lease("hr", member), y = lease("hr", dynamic), o = lease("hr", other),
                onWiki = lease("wiki", direct);
        assertThat(live.recheck()).isZero();

        store.unassign("hr", DirectoryStore.PrincipalType.USER, direct.id());
        store.removeMember(staff.id(), member.id());
        store.setRule(finance.id(), Optional.of("upn startsWith \"nobody@\""));
        store.refreshDynamicGroups();
        assertThat(live.recheck()).isEqualTo(3);
        assertThat(List.of(a, m, y)).allSatisfy(c -> assertThat(c).containsExactly("the user is no longer assigned to the app"));
        assertThat(o).as("another user still assigned").isEmpty();
        assertThat(onWiki).as("the same user on an app without assignment").isEmpty();
    }

    @Test
    void aStreamUnderAPathRuleIsCutWhenItsUserLeavesTheRulesGroupWhileTheSameUserElsewhereInTheAppStays() throws Exception {
        DirectoryUser u = user("admin@corp.example");
        DirectoryStore.Group admins = store.createGroup("Admins", Optional.empty(), T0);
        store.addMember(admins.id(), u.id());
        PathAccess adminPath = new PathAccess("/admin", PreAuthentication.DIRECTORY, Set.of(admins.id()), Set.of());
        List<String> underRule = new CopyOnWriteArrayList<>();
        live.open(app("wiki"), new Identity(u, List.of(), List.of("pwd"), T0),
                new AccessCheck.Origin(OFFICE, AccessPolicy.ClientType.BROWSER, List.of("pwd"), adminPath)).onRevoke(underRule::add);
        List<String> elsewhere = lease("wiki", u);
        assertThat(live.recheck()).isZero();

        store.removeMember(admins.id(), u.id());
        assertThat(live.recheck()).isEqualTo(1);
        assertThat(underRule).containsExactly("the user is no longer among the users of the path /admin");
        assertThat(elsewhere).as("the same user on a path without a rule").isEmpty();
    }

    @Test
    void anAppSwitchedToAssignmentRequiredDeletedOrChangedCutsItsLeasesOnly() throws Exception {
        DirectoryUser u = user("u@corp.example"), v = user("v@corp.example");
        apps.set(List.of(app("hr", true, PreAuthentication.DIRECTORY), app("wiki", false, PreAuthentication.DIRECTORY),
                app("blog", false, PreAuthentication.DIRECTORY), app("docs", false, PreAuthentication.DIRECTORY)));
        assign("wiki", DirectoryStore.PrincipalType.USER, v.id());
        List<String> wikiU = lease("wiki", u), wikiV = lease("wiki", v), blog = lease("blog", u), docs = lease("docs", u),
                hr = lease("hr", v);
        assign("hr", DirectoryStore.PrincipalType.USER, v.id());
        apps.set(List.of(app("hr", true, PreAuthentication.DIRECTORY), app("wiki", true, PreAuthentication.DIRECTORY),
                app("docs", false, PreAuthentication.PASSTHROUGH)));
        assertThat(live.recheck()).isEqualTo(3);
        assertThat(wikiU).containsExactly("the user is no longer assigned to the app");
        assertThat(wikiV).as("assigned").isEmpty();
        assertThat(blog).containsExactly("the app was deleted");
        assertThat(docs).containsExactly("the app's pre-authentication changed");
        assertThat(hr).isEmpty();
    }

    @Test
    void aPolicyThatNowBlocksOrWantsASecondFactorCutsTheExchangesItMatchesInTheirOriginalContext() throws Exception {
        DirectoryUser u = user("u@corp.example"), w = user("w@corp.example");
        List<String> fromHome = lease("wiki", u, T0, HOME, AccessPolicy.ClientType.BROWSER, "pwd"),
                fromOffice = lease("wiki", u, T0, OFFICE, AccessPolicy.ClientType.BROWSER, "pwd"),
                nativeClient = lease("wiki", u, T0, OFFICE, AccessPolicy.ClientType.NATIVE, "pwd"),
                otherApp = lease("hr", u, T0, HOME, AccessPolicy.ClientType.BROWSER, "pwd"),
                excluded = lease("wiki", w, T0, HOME, AccessPolicy.ClientType.BROWSER, "pwd"),
                withOtp = lease("wiki", w, T0, OFFICE, AccessPolicy.ClientType.BROWSER, "pwd", "otp"),
                withoutOtp = lease("wiki", w, T0, OFFICE, AccessPolicy.ClientType.BROWSER, "pwd");
        assign("hr", DirectoryStore.PrincipalType.USER, u.id());
        policies.saveLocation(new NamedLocation("office", "Office", true, List.of("10.0.0.0/8")));
        policies.savePolicy(new AccessPolicy("p1", "Office only", AccessPolicy.State.ON, List.of("wiki"), List.of("ALL"), List.of(w.id()),
                List.of("UNTRUSTED"), List.of(), List.of(), null, AccessPolicy.Control.BLOCK));
        policies.savePolicy(new AccessPolicy("p2", "No native", AccessPolicy.State.ON, List.of("wiki"), List.of(u.id()), List.of(),
                List.of(), List.of(), List.of(AccessPolicy.ClientType.NATIVE), null, AccessPolicy.Control.BLOCK));
        policies.savePolicy(new AccessPolicy("p3", "MFA for w", AccessPolicy.State.ON, List.of("wiki"), List.of(w.id()), List.of(),
                List.of("TRUSTED"), List.of(), List.of(), null, AccessPolicy.Control.REQUIRE_MFA));
        policies.savePolicy(new AccessPolicy("p4", "Report only", AccessPolicy.State.REPORT_ONLY, List.of(), List.of("ALL"), List.of(),
                List.of(), List.of(), List.of(), null, AccessPolicy.Control.BLOCK));
        assertThat(live.recheck()).isEqualTo(3);
        assertThat(fromHome).singleElement().asString().startsWith("conditional access now blocks it").contains("Office only");
        assertThat(nativeClient).singleElement().asString().startsWith("conditional access now blocks it").contains("No native");
        assertThat(withoutOtp).singleElement().asString().startsWith("conditional access now requires two-step verification");
        assertThat(List.of(fromOffice, otherApp, excluded, withOtp)).allSatisfy(c -> assertThat(c).isEmpty());
    }

    @Test
    void anAnonymousExchangeIsCutWhenItsAppIsDeletedOrStartsPreAuthenticatingOnly() throws Exception {
        apps.set(List.of(app("blog", false, PreAuthentication.PASSTHROUGH), app("docs", false, PreAuthentication.PASSTHROUGH),
                app("wiki", false, PreAuthentication.PASSTHROUGH)));
        List<String> blog = new CopyOnWriteArrayList<>(), docs = new CopyOnWriteArrayList<>(), wiki = new CopyOnWriteArrayList<>();
        live.openAnonymous(app("blog"), "WebSocket", HOME).onRevoke(blog::add);
        live.openAnonymous(app("docs"), "response", HOME).onRevoke(docs::add);
        live.openAnonymous(app("wiki"), "response", HOME).onRevoke(wiki::add);
        // No user to read: a recheck of anonymous leases alone asks the directory for nobody.
        assertThat(live.recheck()).isZero();
        apps.set(List.of(app("docs", false, PreAuthentication.DIRECTORY), app("wiki", false, PreAuthentication.PASSTHROUGH)));
        assertThat(live.recheck()).isEqualTo(2);
        assertThat(blog).containsExactly("the app was deleted");
        assertThat(docs).containsExactly("the app's pre-authentication changed");
        assertThat(wiki).isEmpty();
    }

    @Test
    void aClosedLeaseIsNeverCutAndOneCutBeforeItsActionWasSetRunsItAtOnce() throws Exception {
        DirectoryUser u = user("u@corp.example");
        List<String> cuts = new ArrayList<>();
        AccessCheck.Origin origin = new AccessCheck.Origin(OFFICE, AccessPolicy.ClientType.BROWSER, List.of("pwd"));
        LiveSessions.Lease closed = live.open(app("wiki"), new Identity(u, List.of(), List.of("pwd"), T0), origin);
        closed.onRevoke(cuts::add);
        closed.close();
        LiveSessions.Lease early = live.open(app("wiki"), new Identity(u, List.of(), List.of("pwd"), T0), origin);
        store.setEnabled(u.id(), false, T0.plusSeconds(1));
        live.recheck();
        assertThat(cuts).isEmpty();
        early.onRevoke(cuts::add);
        assertThat(cuts).containsExactly("the user was disabled");
        assertThat(live.size()).isZero();
    }

    @Test
    void aDatabaseThatIsAwayCutsNothingAndTheNextRecheckDecides() throws Exception {
        DirectoryUser u = user("u@corp.example");
        List<String> cut = lease("wiki", u);
        store.setEnabled(u.id(), false, T0.plusSeconds(1));
        LiveSessions failing = new LiveSessions((users, appIds) -> {
            throw new IllegalStateException("connection refused");
        }, apps::get, policies, new SettableClock(T0));
        failing.open(app("wiki"), new Identity(u, List.of(), List.of("pwd"), T0),
                new AccessCheck.Origin(OFFICE, AccessPolicy.ClientType.BROWSER, List.of("pwd")));
        assertThat(failing.recheck()).isZero();
        assertThat(failing.size()).isEqualTo(1);
        assertThat(live.recheck()).isEqualTo(1);
        assertThat(cut).hasSize(1);
    }

    @Test
    void leasesOfNoneAreNeverHeld() {
        LiveSessions none = LiveSessions.none();
        assertThat(none.size()).isZero();
        assertThat(none.recheck()).isZero();
    }

    /** An app whose choice of identity providers narrows cuts the streams of sessions that a provider no longer offered vouched for. */
    @Test
    void narrowingAnAppsIdentityProvidersCutsTheSessionsOfTheProvidersDropped() throws Exception {
        DirectoryUser u = user("u@corp.example");
        List<String> fromOidc = lease("wiki", u, T0, OFFICE, AccessPolicy.ClientType.BROWSER, "fed", "idp:oidc");
        List<String> legacy = lease("wiki", u, T0, OFFICE, AccessPolicy.ClientType.NATIVE, "fed");
        List<String> fromPartner = lease("wiki", u, T0, OFFICE, AccessPolicy.ClientType.BROWSER, "fed", "idp:partner");
        List<String> password = lease("wiki", u);
        assertThat(live.recheck()).isZero();
        PublishedApp wiki = app("wiki");
        PublishedApp narrowed = new PublishedApp(wiki.id(), wiki.name(), wiki.externalUrl(), wiki.externalHost(), wiki.externalPath(), wiki.internalUrl(),
                "g", BackendTimeout.DEFAULT, true, PreAuthentication.DIRECTORY, new AccessSettings(false, true, true, false, List.of("partner")), T0,
                T0, false);
        apps.set(List.of(app("hr"), narrowed));
        assertThat(live.recheck()).isEqualTo(2);
        assertThat(fromOidc).containsExactly("the app no longer offers sign-in with the identity provider oidc");
        assertThat(legacy).containsExactly("the app no longer offers sign-in with the identity provider oidc");
        assertThat(fromPartner).isEmpty();
        assertThat(password).isEmpty();
    }
}
