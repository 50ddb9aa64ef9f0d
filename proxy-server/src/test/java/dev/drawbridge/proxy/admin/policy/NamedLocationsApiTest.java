package dev.drawbridge.proxy.admin.policy;

import dev.drawbridge.model.api.AccessPolicy;
import dev.drawbridge.model.api.NamedLocation;
import dev.drawbridge.proxy.admin.operation.Answer;
import dev.drawbridge.proxy.admin.operation.Caller;
import dev.drawbridge.proxy.admin.operation.FakeAdminRequest;
import dev.drawbridge.proxy.logs.AuditLog;
import dev.drawbridge.proxy.policy.PolicyStore;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The named-location and policy resources without a server: what they answer, and that the audit log records what
 * happened only (a location a policy still names is not deleted, so its delete is not logged).
 */
class NamedLocationsApiTest {
    @TempDir
    Path dir;
    Database db;
    PolicyStore store;
    AuditLog audit;
    NamedLocationsApi locations;
    PoliciesApi policies;
    final Caller ada = Caller.BOOTSTRAP;

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        store = new PolicyStore(db);
        audit = new AuditLog(db, Clock.systemUTC());
        locations = new NamedLocationsApi(store, audit);
        policies = new PoliciesApi(store, audit);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    private List<String> actions() {
        return audit.query(new AuditLog.Query(Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(),
                Optional.empty(), 0, 100)).stream().map(e -> e.action()).toList();
    }

    @Test
    void aLocationAPolicyNamesIsNotDeletedNorLoggedAsDeleted() throws Exception {
        Answer created = locations.create(ada, new FakeAdminRequest().body(new NamedLocation(null, " Office ", true, List.of("10.0.0.0/8"))));
        NamedLocation office = (NamedLocation) ((Answer.Json) created).body();
        assertThat(((Answer.Json) created).status()).isEqualTo(201);
        assertThat(office.name()).isEqualTo("Office");
        policies.create(ada, new FakeAdminRequest().body(new AccessPolicy(null, "Office only", AccessPolicy.State.ON, List.of(), List.of("ALL"),
                List.of(), List.of(), List.of(office.id()), List.of(), null, AccessPolicy.Control.BLOCK)));

        assertThatThrownBy(() -> locations.delete(ada, new FakeAdminRequest().path("id", office.id()))).isInstanceOf(ConflictException.class);

        assertThat(store.location(office.id())).isPresent();
        assertThat(actions()).containsExactly("policy.create", "named-location.create");
    }

    @Test
    void aDeletedLocationIsLoggedOnce() throws Exception {
        NamedLocation lab = (NamedLocation) ((Answer.Json) locations.create(ada,
                new FakeAdminRequest().body(new NamedLocation(null, "Lab", false, List.of("192.0.2.0/24"))))).body();
        assertThat(locations.delete(ada, new FakeAdminRequest().path("id", lab.id()))).isInstanceOf(Answer.NoContent.class);
        assertThat(store.location(lab.id())).isEmpty();
        assertThat(actions()).containsExactly("named-location.delete", "named-location.create");
    }
}
