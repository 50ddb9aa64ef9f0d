package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.tunnel.Frame;
import dev.drawbridge.model.tunnel.FrameCodec;
import dev.drawbridge.model.tunnel.HeaderField;
import dev.drawbridge.model.tunnel.MalformedFrameException;
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
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A change to a connector made while one of its tunnels is registering (authenticated by the handshake, joining the
 * registry on a virtual thread of its own) holds for that tunnel at once, not a heartbeat later: a revocation, which only
 * reaches tunnels already registered ({@link ConnectorRegistry#disconnect}), never leaves it serving; a move made on
 * another node has it serve the new group. The change is made deterministically inside the registration path, on the
 * tunnel's first write (its single sign-on keys, sent just before it joins). The group's configuration (Kerberos: a
 * keytab) goes only to a tunnel judged in good standing, and only its current group's; a tunnel whose standing cannot be
 * read when it joins is not kept.
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
        RecordingLink link = new RecordingLink(() -> {
            // What the admin API's revoke does: the row, then the tunnels this node holds (not this one yet).
            store.revokeConnector(id, NOW);
            registry.disconnect(id, "revoked");
        });
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
        RecordingLink link = new RecordingLink(() -> store.moveConnector(id, otherGroup));
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
        keytabs();
        RecordingLink link = new RecordingLink(() -> { });
        TunnelConnection t = registry.newTunnel(id, group, "01", NOW.plusSeconds(86_400), true);
        t.opened(link);

        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(registry.pick(group, Set.of())).contains(t);
        assertThat(link.closes).isEmpty();
        assertThat(link.keytabs()).as("its group's configuration, before it was offered").containsExactly("keytab of " + group);
    }

    @Test
    void aConnectorRevokedBeforeItsTunnelJoinsIsNeverSentItsGroupsConfiguration() throws Exception {
        String id = connector();
        keytabs();
        RecordingLink link = new RecordingLink(() -> {
            store.revokeConnector(id, NOW);
            registry.disconnect(id, "revoked");
        });
        TunnelConnection t = registry.newTunnel(id, group, "01", NOW.plusSeconds(86_400), true);
        t.opened(link);

        awaitClosed(link);
        awaitGone(t);
        assertThat(link.closes).containsExactly("POLICY revoked");
        assertThat(link.keytabs()).as("the group's Kerberos keytab, sent to a revoked connector").isEmpty();
    }

    @Test
    void aConnectorMovedBeforeItsTunnelJoinsIsSentItsNewGroupsConfigurationOnly() throws Exception {
        String id = connector();
        keytabs();
        RecordingLink link = new RecordingLink(() -> store.moveConnector(id, otherGroup));
        TunnelConnection t = registry.newTunnel(id, group, "01", NOW.plusSeconds(86_400), true);
        t.opened(link);

        assertThat(connected.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(t.groupId()).isEqualTo(otherGroup);
        assertThat(link.keytabs()).as("never the former group's").containsExactly("keytab of " + otherGroup);
    }

    @Test
    void aTunnelWhoseStandingCannotBeReadWhenItJoinsIsClosedNotOffered() throws Exception {
        String id = connector();
        // Revoked on another node (the database only), then the database is gone before the join's judgement reads it.
        RecordingLink link = new RecordingLink(() -> {
            store.revokeConnector(id, NOW);
            try {
                db.close();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        TunnelConnection t = registry.newTunnel(id, group, "01", NOW.plusSeconds(86_400), true);
        t.opened(link);

        awaitClosed(link);
        awaitGone(t);
        assertThat(link.closes).singleElement().asString().startsWith("GOING_AWAY ");
        assertThat(t.isAvailable()).as("offered to requests").isFalse();
        assertThat(registry.pick(group, Set.of())).isEmpty();
        assertThat(events).as("never counted as connected").isEmpty();
    }

    private String connector() {
        String id = UUID.randomUUID().toString();
        store.insertConnector(new ConnectorStore.Connector(id, group, "host", "1", "01", NOW.plusSeconds(86_400), NOW,
                Optional.empty(), Optional.empty()));
        return id;
    }

    @Test
    void aConfigurationChangeWhileATunnelIsBeingJudgedReachesItOnlyOnceJudged() throws Exception {
        String id = connector();
        keytabs();
        // Inside the join, after the tunnel is in the pool and before its standing is read (the first clock read): the
        // connector is revoked on another node (the database only), then its group given a new keytab on this one, which
        // the admin API pushes to the tunnels here at once.
        ArmedClock clock = new ArmedClock(() -> {
            store.revokeConnector(id, NOW);
            registry.groupConfigs(g -> List.of(new GroupConfigs.GroupConfig("rotated " + g, new Frame.Config("kerberos",
                    List.of(new HeaderField("keytab", "rotated keytab of " + g))))));
            registry.refreshConfigs();
        });
        registry.close();
        registry = new ConnectorRegistry(store, clock, Duration.ofHours(1));
        registry.ssoKeys("{\"keys\":[]}");
        RecordingLink link = new RecordingLink(clock::arm);
        TunnelConnection t = registry.newTunnel(id, group, "01", NOW.plusSeconds(86_400), true);
        t.opened(link);

        awaitClosed(link);
        awaitGone(t);
        assertThat(link.closes).containsExactly("POLICY revoked");
        assertThat(link.keytabs()).as("a keytab pushed to a tunnel not yet judged, of a revoked connector").isEmpty();
    }

    /** A fixed clock that runs {@code onRead} once, at its first read after {@link #arm()}. */
    private static final class ArmedClock extends Clock {
        private final Runnable onRead;
        private volatile boolean armed;

        ArmedClock(Runnable onRead) {
            this.onRead = onRead;
        }

        void arm() {
            armed = true;
        }

        @Override
        public Instant instant() {
            if (armed) {
                armed = false;
                onRead.run();
            }
            return NOW;
        }

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }
    }

    /** Each group has a Kerberos configuration of its own (a stand-in for its keytab). */
    private void keytabs() {
        registry.groupConfigs(g -> List.of(new GroupConfigs.GroupConfig("version of " + g, new Frame.Config("kerberos",
                List.of(new HeaderField("keytab", "keytab of " + g))))));
    }

    private static void awaitClosed(RecordingLink link) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (link.closes.isEmpty()) {
            assertThat(System.nanoTime()).as("the tunnel closed within 10 s (it was kept)").isLessThan(deadline);
            Thread.sleep(Duration.ofMillis(5));
        }
    }

    private void awaitGone(TunnelConnection t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (registry.tunnels().contains(t)) {
            assertThat(System.nanoTime()).as("the cut tunnel left the registry within 10 s").isLessThan(deadline);
            Thread.sleep(Duration.ofMillis(5));
        }
    }

    /**
     * A link that accepts every frame, keeps the configuration frames sent on it and the reasons it was closed with, and
     * runs {@code onFirstWrite} on the first frame (the single sign-on keys, sent just before the tunnel joins).
     */
    private static final class RecordingLink implements TunnelLink {
        final List<String> closes = new CopyOnWriteArrayList<>();
        final List<Frame.Config> configs = new CopyOnWriteArrayList<>();
        private Runnable onFirstWrite;

        RecordingLink(Runnable onFirstWrite) {
            this.onFirstWrite = onFirstWrite;
        }

        @Override
        public synchronized void write(ByteBuffer frame, Runnable done, Consumer<Throwable> failed) {
            try {
                if (FrameCodec.decode(frame.duplicate()) instanceof Frame.Config c) {
                    configs.add(c);
                }
            } catch (MalformedFrameException e) {
                throw new IllegalStateException(e);
            }
            Runnable first = onFirstWrite;
            onFirstWrite = null;
            if (first != null) {
                first.run();
            }
            done.run();
        }

        List<String> keytabs() {
            return configs.stream().filter(c -> c.kind().equals("kerberos")).flatMap(c -> c.entries().stream())
                    .map(HeaderField::value).toList();
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
