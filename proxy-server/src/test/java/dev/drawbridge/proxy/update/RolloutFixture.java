package dev.drawbridge.proxy.update;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateReport;
import dev.drawbridge.model.update.UpdateState;
import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import dev.drawbridge.proxy.tunnel.ConnectorEventRecord;
import dev.drawbridge.proxy.tunnel.ConnectorStore;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The update stores and the rollout coordinator over a real database (embedded H2, or PostgreSQL when
 * DRAWBRIDGE_TEST_PG_URL is set), with a movable clock, the events they write, helpers for groups, connectors, uploads and
 * reports.
 */
final class RolloutFixture implements AutoCloseable {
    static final Instant T0 = Instant.parse("2026-12-06T12:00:00Z");
    static final Duration LEASE = Duration.ofMinutes(15);

    final Path dir;
    final SettableClock clock = new SettableClock(T0);
    final Database db;
    final ConnectorStore connectors;
    final UpdateStore store;
    final UpdateKey key;
    final BundleUploads uploads;
    final Rollouts rollouts;
    final List<ConnectorEventRecord> events = new CopyOnWriteArrayList<>();

    /** The directory of this fixture's received upload bodies (the system's temporary directory is shared by every test). */
    Path uploadsDir() throws IOException {
        return Files.createDirectories(dir.resolve("uploads-received"));
    }

    RolloutFixture(Path dir, String kind) throws Exception {
        this.dir = dir;
        this.db = kind.equals("postgres") ? PostgresTestDatabase.fresh() : Database.h2(dir);
        this.connectors = new ConnectorStore(db);
        this.store = new UpdateStore(db);
        this.key = UpdateKey.loadOrCreate(dir, clock);
        this.uploads = new BundleUploads(store, key, clock, UpdateBundle.MAX_BUNDLE_SIZE, Optional.of(uploadsDir()));
        this.rollouts = new Rollouts(db, store, clock, LEASE);
        rollouts.onEvent(events::add);
    }

    /** A new group's id. */
    String group(String name) throws Exception {
        return connectors.createGroup(name, T0).id();
    }

    /** A registered connector of {@code group} on {@code host} running {@code version}; its id. */
    String connector(String group, String host, String version) {
        String id = UUID.randomUUID().toString();
        connectors.insertConnector(new ConnectorStore.Connector(id, group, host, version, Long.toHexString(id.hashCode() & 0xffffffL),
                T0.plus(Duration.ofDays(365)), T0, Optional.empty(), Optional.empty()));
        return id;
    }

    void upload(String version) throws Exception {
        Path tmp = Files.createTempDirectory(dir, "b");
        byte[] bundle = Bundles.valid(tmp, version);
        uploads.upload(BundleUploads.CONTENT_TYPE, Optional.of((long) bundle.length), new ByteArrayInputStream(bundle), "admin");
    }

    UpdateInstruction report(String connector, String version, UpdateState state) {
        return rollouts.report(connector, new UpdateReport(version, state, "", ""));
    }

    UpdateInstruction failed(String connector, String version, UpdateState state, String attempted, String error) {
        return rollouts.report(connector, new UpdateReport(version, state, attempted, error));
    }

    List<ConnectorEventRecord> events(ConnectorEventType type) {
        return events.stream().filter(e -> e.type() == type).toList();
    }

    @Override
    public void close() throws Exception {
        db.close();
    }
}
