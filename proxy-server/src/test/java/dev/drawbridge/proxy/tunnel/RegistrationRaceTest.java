package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.tunnel.TunnelLink;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change to a connector made while one of its tunnels is registering (authenticated by the handshake, joining the
 * registry on a virtual thread of its own) holds for that tunnel at once, not a heartbeat later: a revocation, which only
 * reaches tunnels already registered ({@link ConnectorRegistry#disconnect}), never leaves it serving; a move made on
 * another node has it serve the new group. The change is made deterministically inside the registration path, where
 * the tunnel reads its group's configuration just before it joins.
 */
class RegistrationRaceTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;
    private Database db;
    private ConnectorStore store;
    private ConnectorRegistry registry;
    private String group;
    private String otherGroup;
    private final List<String> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch connected = new CountDownLatch(1);

    @BeforeEach
    void open() throws Exception {
        db = Database.h2(dir);
        store = new ConnectorStore(db);
        group = store.ensureDefaultGroup(NOW).id();
        otherGroup = store.createGroup("Branch", NOW).id();
        // An hour's heartbeat: no recheck runs on its own during the test.
        registry = new ConnectorRegistry(store, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1));
        registry.ssoKeys("{\"keys\":[]}");
        registry.onEvent(e -> {
            events.add(e.type() + " " + e.detail());
            if (e.type() == ConnectorEventType.CONNECTED) {
                connected.countDown();
            }
        });
    }

    @AfterEach
    void close() throws Exception {
        registry.close();
        db.close();
    }

    @Test
    void aRevocationWhileTheTunnelRegistersCutsItBeforeItServesAnyRequest() throws Exception {
        String id = connector();
        raceOnce(() -> {
            // What the admin API's revoke does: the row, then the tunnels this node holds (not this one yet).
            store.revokeConnector(id, NOW);
            registry.disconnect(id, "revoked");
        });
        RecordingLink link = new RecordingLink();
        TunnelConnection t = registry.newTunnel(id, group, "01", NOW.plusSeconds(86_400), true);
        t.opened(link);

        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (link.closes.isEmpty()) {
            assertThat(System.nanoTime()).as("the tunnel of the revoked connector cut within 10 s (it was left serving)")
                    .isLessThan(deadline);
            Thread.sleep(Duration.ofMillis(5));
        }
        assertThat(link.closes).containsExactly("POLICY revoked");
        assertThat(t.isAvailable()).as("offered to requests").isFalse();
        assertThat(registry.pick(group, Set.of())).isEmpty();
        awaitGone(t);
        assertThat(registry.tunnelCount(id)).isZero();
        assertThat(events).as("never counted as connected, so no disconnection either").isEmpty();
    }

    @Test
    void aMoveOnAnotherNodeWhileTheTunnelRegistersHasItServeTheNewGroupAtOnce() throws Exception {
        String id = connector();
        // Another node's move: the database only.
        raceOnce(() -> store.moveConnector(id, otherGroup));
        RecordingLink link = new RecordingLink();
        TunnelConnection t = registry.newTunnel(id, group, "01", NOW.plusSeconds(86_400), true);
        t.opened(link);

        assertThat(connected.await(10, TimeUnit.SECONDS)).as("the registration ran to its end").isTrue();
        assertThat(t.groupId()).isEqualTo(otherGroup);
        assertThat(registry.pick(group, Set.of())).as("the old group").isEmpty();
        assertThat(registry.pick(otherGroup, Set.of())).contains(t);
        assertThat(registry.tunnelCount(id)).isEqualTo(1);
        assertThat(link.closes).isEmpty();
    }

    @Test
    void aTunnelInGoodStandingServesOnceRegistered() throws Exception {
        String id = connector();
        RecordingLink link = new RecordingLink();
        TunnelConnection t = registry.newTunnel(id, group, "01", NOW.plusSeconds(86_400), true);
        t.opened(link);

        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.pick(group, Set.of())).contains(t);
        assertThat(link.closes).isEmpty();
    }

    private String connector() {
        String id = UUID.randomUUID().toString();
        store.insertConnector(new ConnectorStore.Connector(id, group, "host", "1", "01", NOW.plusSeconds(86_400), NOW,
                Optional.empty(), Optional.empty()));
        return id;
    }

    /** Runs {@code change} once, the first time a tunnel reads its group's configuration: just before it joins. */
    private void raceOnce(Runnable change) {
        AtomicBoolean done = new AtomicBoolean();
        registry.groupConfigs(g -> {
            if (done.compareAndSet(false, true)) {
                change.run();
            }
            return List.of();
        });
    }

    private void awaitGone(TunnelConnection t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.tunnels().contains(t)) {
            assertThat(System.nanoTime()).as("the cut tunnel left the registry within 10 s").isLessThan(deadline);
            Thread.sleep(Duration.ofMillis(5));
        }
    }

    /** A link that accepts every frame and keeps the reasons it was closed with. */
    private static final class RecordingLink implements TunnelLink {
        final List<String> closes = new CopyOnWriteArrayList<>();

        @Override
        public void write(ByteBuffer frame, Runnable done, Consumer<Throwable> failed) {
            done.run();
        }

        @Override
        public String protocol() {
            return "test";
        }

        @Override
        public boolean isOpen() {
            return closes.isEmpty();
        }

        @Override
        public void close(CloseReason reason, String text) {
            closes.add(reason + " " + text);
        }
    }
}
