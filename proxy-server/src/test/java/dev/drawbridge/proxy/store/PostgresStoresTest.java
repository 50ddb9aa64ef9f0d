package dev.drawbridge.proxy.store;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.model.api.SignInResult;
import dev.drawbridge.model.api.SsoSettings;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.identity.AccessRequests;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.SyncedUser;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.logs.SignInLog;
import dev.drawbridge.proxy.logs.SignInRecord;
import dev.drawbridge.proxy.policy.PolicyStore;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The migrations and the stores on a real PostgreSQL (what several nodes share), not only on H2 in
 * PostgreSQL mode: inserts, upserts, conflict handling, identity columns, transactions. Needs
 * DRAWBRIDGE_TEST_PG_URL, which ./test.sh sets after starting Debian's PostgreSQL.
 */
class PostgresStoresTest {
    static Database db;

    @BeforeAll
    static void connect() throws Exception {
        db = PostgresTestDatabase.fresh();
    }

    @AfterAll
    static void close() throws Exception {
        if (db != null) {
            db.close();
        }
    }

    @Test
    void everyStoreWorksOnPostgres() throws Exception {
        Instant now = Instant.now();
        ConnectorStore connectors = new ConnectorStore(db);
        ConnectorStore.Group group = connectors.ensureDefaultGroup(now);
        assertThat(connectors.ensureDefaultGroup(now).id()).isEqualTo(group.id());
        connectors.insertToken("t1", "hash-1", group.id(), now, now.plusSeconds(60));
        assertThat(connectors.consumeToken("hash-1", now)).contains(group.id());
        assertThat(connectors.consumeToken("hash-1", now)).isEmpty();

        AppStore apps = new AppStore(db);
        PublishedApp app = new PublishedApp("app-1", "HR", URI.create("https://hr.example.com/"), "hr.example.com", "/",
                URI.create("http://hr.corp/"), group.id(), BackendTimeout.DEFAULT, true,
                PreAuthentication.DIRECTORY, now, now);
        apps.insert(app);
        assertThat(apps.find("app-1")).isPresent();
        SsoSettings sso = SsoSettings.headers(List.of(HeaderRule.of("X-Remote-User", HeaderSource.UPN)));
        assertThat(apps.setSso("app-1", sso, now)).isTrue();
        assertThat(apps.update(app)).isTrue();
        assertThat(apps.find("app-1").orElseThrow().sso()).isEqualTo(sso);
        PublishedApp passthrough = new PublishedApp("app-1", "HR", app.externalUrl(), "hr.example.com", "/", app.internalUrl(), group.id(),
                BackendTimeout.DEFAULT, true, PreAuthentication.PASSTHROUGH, now, now);
        assertThatThrownBy(() -> apps.update(passthrough)).isInstanceOf(ConflictException.class);
        assertThat(apps.find("app-1").orElseThrow().preAuthentication()).isEqualTo(PreAuthentication.DIRECTORY);

        DirectoryStore dir = new DirectoryStore(db);
        var alice = dir.createUser("Alice@Corp.example", "Alice", Optional.of("alice@corp.example"), Optional.of("HR"), Optional.empty(), now);
        var staff = dir.createGroup("Staff", Optional.empty(), now);
        dir.addMember(staff.id(), alice.id());
        dir.addMember(staff.id(), alice.id()); // on conflict do nothing
        dir.assign("app-1", DirectoryStore.PrincipalType.GROUP, staff.id(), now);
        assertThat(dir.isAssigned("app-1", alice.id())).isTrue();
        var dynamic = dir.createGroup("HR people", Optional.empty(), now);
        dir.setRule(dynamic.id(), Optional.of("department eq \"HR\""));
        dir.refreshDynamicGroups();
        assertThat(dir.members(dynamic.id())).extracting(u -> u.upn()).containsExactly("alice@corp.example");
        assertThat(dir.upsertSyncedUser("uid=bob,dc=corp", "bob@corp.example", "Bob", Optional.empty(), Optional.empty(), now)).isTrue();
        assertThat(dir.upsertSyncedUser(new SyncedUser("uid=bob,dc=corp", "bob@corp.example", "Bobby", Optional.empty(), Optional.empty(),
                Optional.of("Bob@CORP.example"), Optional.of("BOB")), now)).isFalse();
        assertThat(dir.userByUpn("bob@corp.example")).hasValueSatisfying(u -> {
            assertThat(u.onPremUpn()).contains("Bob@CORP.example");
            assertThat(u.samAccountName()).contains("BOB");
        });
        assertThat(dir.disableSyncedUsersNotIn(Set.of(), now)).isEqualTo(1);
        assertThat(dir.userByUpn("bob@corp.example").orElseThrow().samAccountName()).isEmpty();

        PolicyStore policies = new PolicyStore(db);
        policies.saveLocation(new NamedLocation("loc-1", "Office", true, List.of("10.0.0.0/8")));
        policies.saveLocation(new NamedLocation("loc-1", "Office HQ", true, List.of("10.0.0.0/8"))); // upsert
        policies.savePolicy(new AccessPolicy("p-1", "Block", AccessPolicy.State.ON, List.of(), List.of("ALL"), List.of(), List.of("loc-1"),
                List.of(), List.of(), null, AccessPolicy.Control.BLOCK));
        assertThat(policies.locations()).extracting(NamedLocation::name).containsExactly("Office HQ");
        assertThat(policies.policies()).hasSize(1);

        AccessRequests requests = new AccessRequests(db, dir, Clock.systemUTC());
        var r = requests.request("app-1", alice.id(), "please");
        assertThat(requests.decide(r.id(), true, "admin")).isTrue();

        SignInLog signIns = new SignInLog(db, Clock.systemUTC());
        signIns.write(SignInRecord.signIn(SignInResult.SUCCESS, "password", "127.0.0.1").user(alice));
        assertThat(signIns.count(new SignInLog.Query(Optional.of("alice@corp.example"), Optional.empty(), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), 0, 10))).isEqualTo(1);
        AuditLog audit = new AuditLog(db, Clock.systemUTC());
        audit.record("admin", "user.create", "user", alice.id(), null, alice.upn());
        assertThat(audit.query(new AuditLog.Query(Optional.empty(), Optional.empty(), Optional.of("user"), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, 10))).hasSize(1);
    }
}
