package dev.drawbridge.proxy.admin.directory;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.AccessRequestStatus;
import dev.drawbridge.model.api.AccessRequestView;
import dev.drawbridge.model.api.AccessSettings;
import dev.drawbridge.model.api.BackendTimeout;
import dev.drawbridge.model.api.PreAuthentication;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.ApiException;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.PublishedApp;
import dev.drawbridge.proxy.apps.Routes;
import dev.drawbridge.proxy.identity.AccessRequests;
import dev.drawbridge.proxy.identity.DirectoryStore;
import dev.drawbridge.proxy.identity.DirectoryUser;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The access-request resource without a server: its status is an {@link AccessRequestStatus} in the store and in the
 * view, and the same string on the wire as before ("PENDING", ...); the filter reads any letter case and an unknown
 * status matches nothing; a request is decided once.
 */
class AccessRequestsApiTest {
    static final Instant NOW = Instant.parse("2026-05-01T10:00:00Z");
    @TempDir
    Path dir;
    Database db;
    AccessRequests requests;
    AccessRequestsApi api;
    DirectoryUser ann;

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        String group = new ConnectorStore(db).ensureDefaultGroup(NOW).id();
        AppStore apps = new AppStore(db);
        URI u = URI.create("https://hr.example.test/");
        apps.insert(new PublishedApp("app-hr", "HR", u, u.getHost(), "/", URI.create("http://hr.corp/"), group, BackendTimeout.DEFAULT, true,
                PreAuthentication.DIRECTORY, AccessSettings.DEFAULTS, NOW, NOW));
        DirectoryStore directory = new DirectoryStore(db);
        ann = directory.createUser("ann@corp.example", "Ann", Optional.empty(), Optional.empty(), Optional.empty(), NOW);
        requests = new AccessRequests(db, directory, clock);
        api = new AccessRequestsApi(requests, new Routes(apps), directory, new AuditLog(db, clock));
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    @SuppressWarnings("unchecked")
    private List<AccessRequestView> list(String status) throws Exception {
        FakeAdminRequest q = new FakeAdminRequest();
        if (status != null) {
            q.query("status", status);
        }
        return (List<AccessRequestView>) ((Answer.Json) api.list(Caller.BOOTSTRAP, q)).body();
    }

    @Test
    void aRequestIsPendingThenDecidedOnceAndItsStatusIsTheSameStringOnTheWire() throws Exception {
        AccessRequests.Request r = requests.request("app-hr", ann.id(), "payroll");
        assertThat(r.status()).isEqualTo(AccessRequestStatus.PENDING);
        AccessRequestView pending = list(null).getFirst();
        assertThat(pending.status()).isEqualTo(AccessRequestStatus.PENDING);
        JsonNode wire = Json.MAPPER.valueToTree(pending);
        assertThat(wire.path("status").isTextual()).isTrue();
        assertThat(wire.path("status").asText()).isEqualTo("PENDING");
        assertThat(Json.MAPPER.treeToValue(wire, AccessRequestView.class)).isEqualTo(pending);

        Answer approved = api.approve(Caller.BOOTSTRAP, new FakeAdminRequest().path("id", r.id()));
        AccessRequestView after = (AccessRequestView) ((Answer.Json) approved).body();
        assertThat(after.status()).isEqualTo(AccessRequestStatus.APPROVED);
        assertThat(after.decidedBy()).isEqualTo("admin");
        assertThat(Json.MAPPER.valueToTree(after).path("status").asText()).isEqualTo("APPROVED");
        assertThatThrownBy(() -> api.deny(Caller.BOOTSTRAP, new FakeAdminRequest().path("id", r.id())))
                .isInstanceOfSatisfying(ApiException.class, e -> {
                    assertThat(e.problem().status()).isEqualTo(409);
                    assertThat(e.problem().detail()).isEqualTo("the request was already approved");
                });
        assertThat(requests.find(r.id()).orElseThrow().status()).isEqualTo(AccessRequestStatus.APPROVED);
    }

    @Test
    void theStatusFilterReadsAnyCaseAndAnUnknownStatusMatchesNothing() throws Exception {
        AccessRequests.Request first = requests.request("app-hr", ann.id(), "first");
        requests.decide(first.id(), false, "admin");
        AccessRequests.Request second = requests.request("app-hr", ann.id(), "again");
        assertThat(second.id()).isNotEqualTo(first.id());
        assertThat(requests.request("app-hr", ann.id(), "once more").id()).as("one pending request per user and app").isEqualTo(second.id());

        assertThat(list("pending")).extracting(AccessRequestView::id).containsExactly(second.id());
        assertThat(list("Denied")).extracting(AccessRequestView::id).containsExactly(first.id());
        assertThat(list("APPROVED")).isEmpty();
        assertThat(list(null)).hasSize(2);
        for (String unknown : List.of("", "EXPIRED", "PENDING;", "pend")) {
            assertThat(list(unknown)).as(unknown).isEmpty();
        }
    }
}
