package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.proxy.apps.AppStore;
import dev.drawbridge.proxy.apps.TestApps;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Proves {@link ConnectorStore} against a real embedded H2 database migrated by Flyway: the default group,
 * unique group names, one-time and expiring registration tokens (also under a race), revocation, pruning of
 * inactive connectors, and refusal to delete groups still in use.
 */
class ConnectorStoreTest {
    static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");

    @TempDir
    Path dataDir;
    private Database db;
    private ConnectorStore store;

    @BeforeEach
    void open() {
        db = Database.h2(dataDir);
        store = new ConnectorStore(db);
    }

    @AfterEach
    void close() throws Exception {
        db.close();
    }

    static ConnectorStore.Connector connector(String groupId, Instant registeredAt) {
        String id = UUID.randomUUID().toString();
        return new ConnectorStore.Connector(id, groupId, "host-" + id.substring(0, 8), "1.0", "serial-" + id,
                registeredAt.plus(Duration.ofDays(365)), registeredAt, Optional.empty(), Optional.empty());
    }

    @Test
    void defaultGroupIsCreatedOnce() throws Exception {
        ConnectorStore.Group g = store.ensureDefaultGroup(NOW);
        assertThat(g.name()).isEqualTo(ConnectorStore.DEFAULT_GROUP);
        assertThat(g.createdAt()).isEqualTo(NOW);
        assertThat(store.ensureDefaultGroup(NOW.plusSeconds(60))).isEqualTo(g);
        assertThat(store.groups()).containsExactly(g);
        assertThat(store.findGroup(g.id())).contains(g);
        assertThat(store.findGroup("Default")).contains(g);
        assertThat(store.findGroup("default")).as("names are exact").isEmpty();
        assertThat(store.findGroup("nope")).isEmpty();
    }

    @Test
    void duplicateGroupNameIsAConflict() throws Exception {
        ConnectorStore.Group dmz = store.createGroup("DMZ", NOW);
        assertThatThrownBy(() -> store.createGroup("DMZ", NOW)).isInstanceOfSatisfying(ConflictException.class,
                e -> assertThat(e.field()).isEqualTo("name"));
        ConnectorStore.Group other = store.createGroup("dmz-2", NOW);
        assertThat(store.groups()).containsExactly(dmz, other);
    }

    @Test
    void registrationTokenIsConsumedOnlyOnce() throws Exception {
        String group = store.ensureDefaultGroup(NOW).id();
        store.insertToken("t1", "hash-1", group, NOW, NOW.plus(Duration.ofHours(1)));
        assertThat(store.consumeToken("hash-unknown", NOW)).isEmpty();
        assertThat(store.consumeToken("hash-1", NOW.plusSeconds(1))).contains(group);
        assertThat(store.consumeToken("hash-1", NOW.plusSeconds(2))).isEmpty();
    }

    @Test
    void expiredTokenIsRefused() throws Exception {
        String group = store.ensureDefaultGroup(NOW).id();
        Instant expiry = NOW.plus(Duration.ofMinutes(10));
        store.insertToken("t1", "hash-1", group, NOW, expiry);
        store.insertToken("t2", "hash-2", group, NOW, expiry);
        assertThat(store.consumeToken("hash-1", expiry)).as("at the expiry instant").isEmpty();
        assertThat(store.consumeToken("hash-1", expiry.plusSeconds(1))).isEmpty();
        assertThat(store.consumeToken("hash-2", expiry.minusMillis(1))).as("just before expiry").contains(group);
    }

    @Test
    void racingConsumersGetATokenOnlyOnce() throws Exception {
        String group = store.ensureDefaultGroup(NOW).id();
        store.insertToken("t1", "hash-race", group, NOW, NOW.plus(Duration.ofHours(1)));
        int n = 16;
        CountDownLatch start = new CountDownLatch(1);
        try (ExecutorService pool = Executors.newFixedThreadPool(n)) {
            List<Future<Optional<String>>> results = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                results.add(pool.submit(() -> {
                    start.await();
                    return store.consumeToken("hash-race", NOW);
                }));
            }
            start.countDown();
            long wins = 0;
            for (Future<Optional<String>> f : results) {
                wins += f.get().isPresent() ? 1 : 0;
            }
            assertThat(wins).isEqualTo(1);
        }
    }

    @Test
    void revokeMarksTheConnectorOnce() throws Exception {
        String group = store.ensureDefaultGroup(NOW).id();
        ConnectorStore.Connector c = connector(group, NOW);
        store.insertConnector(c);
        assertThat(store.findConnector(c.id())).contains(c);
        assertThat(store.revoke(c.id(), NOW.plusSeconds(5))).isTrue();
        assertThat(store.findConnector(c.id()).orElseThrow().revokedAt()).contains(NOW.plusSeconds(5));
        assertThat(store.revoke(c.id(), NOW.plusSeconds(9))).as("already revoked").isFalse();
        assertThat(store.findConnector(c.id()).orElseThrow().revokedAt()).contains(NOW.plusSeconds(5));
        assertThat(store.revoke("unknown", NOW)).isFalse();
    }

    @Test
    void deleteInactiveSinceRemovesOnlyConnectorsOlderThanTheCutoff() throws Exception {
        String group = store.ensureDefaultGroup(NOW).id();
        Instant cutoff = NOW.minus(Duration.ofDays(30));
        ConnectorStore.Connector seenLongAgo = connector(group, cutoff.minus(Duration.ofDays(60)));
        ConnectorStore.Connector seenRecently = connector(group, cutoff.minus(Duration.ofDays(60)));
        ConnectorStore.Connector seenAtCutoff = connector(group, cutoff.minus(Duration.ofDays(60)));
        ConnectorStore.Connector neverSeenOld = connector(group, cutoff.minusSeconds(1));
        ConnectorStore.Connector neverSeenNew = connector(group, cutoff.plusSeconds(1));
        for (ConnectorStore.Connector c : List.of(seenLongAgo, seenRecently, seenAtCutoff, neverSeenOld, neverSeenNew)) {
            store.insertConnector(c);
        }
        store.touch(seenLongAgo.id(), "h1", "1.1", cutoff.minusSeconds(1));
        store.touchAll(List.of(seenRecently.id()), cutoff.plusSeconds(1));
        store.touch(seenAtCutoff.id(), "h3", "1.3", cutoff);

        assertThat(store.deleteInactiveSince(cutoff)).isEqualTo(2);
        assertThat(store.connectors()).extracting(ConnectorStore.Connector::id)
                .containsExactlyInAnyOrder(seenRecently.id(), seenAtCutoff.id(), neverSeenNew.id());
        assertThat(store.findConnector(seenRecently.id()).orElseThrow().lastSeenAt()).contains(cutoff.plusSeconds(1));
        assertThat(store.findConnector(seenAtCutoff.id()).orElseThrow().hostName()).isEqualTo("h3");
        assertThat(store.deleteInactiveSince(cutoff)).isZero();
    }

    @Test
    void groupInUseCannotBeDeleted() throws Exception {
        ConnectorStore.Group withApp = store.createGroup("with-app", NOW);
        ConnectorStore.Group withConnector = store.createGroup("with-connector", NOW);
        ConnectorStore.Group empty = store.createGroup("empty", NOW);
        new AppStore(db).insert(TestApps.app("a1", "app", "a.apps.example.com", "/", withApp.id()));
        ConnectorStore.Connector c = connector(withConnector.id(), NOW);
        store.insertConnector(c);
        store.insertToken("t1", "hash-1", empty.id(), NOW, NOW.plusSeconds(60));

        assertThatThrownBy(() -> store.deleteGroup(withApp.id())).isInstanceOf(ConflictException.class);
        assertThatThrownBy(() -> store.deleteGroup(withConnector.id())).isInstanceOf(ConflictException.class);
        assertThat(store.findGroup(withApp.id())).isPresent();
        assertThat(store.findGroup(withConnector.id())).isPresent();

        assertThat(store.deleteGroup(empty.id())).as("a group with only tokens can go").isTrue();
        assertThat(store.consumeToken("hash-1", NOW)).isEmpty();
        assertThat(store.deleteGroup(empty.id())).isFalse();

        assertThat(store.moveConnector(c.id(), withApp.id())).isTrue();
        assertThat(store.deleteGroup(withConnector.id())).isTrue();
    }
}
