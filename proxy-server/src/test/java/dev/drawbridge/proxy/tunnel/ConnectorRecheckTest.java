package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.proxy.identity.SettableClock;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.store.Database;
import dev.drawbridge.proxy.store.PostgresTestDatabase;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import static dev.drawbridge.proxy.store.db.Tables.CONNECTOR;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ConnectorRegistry#recheck()} against a real database changed behind the registry's back, as another node
 * (or an operator with SQL) would: every way a connector can lose its standing cuts all its tunnels and only its
 * tunnels; a move re-groups them; an unreadable database changes nothing. Tunnels whose client certificate has expired
 * since they connected are cut too, database or not.
 */
class ConnectorRecheckTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    @TempDir
    Path dir;
    private Database db;
    private ConnectorStore store;
    private ConnectorRegistry registry;
    private String defaultGroup;
    private String otherGroup;

    @BeforeEach
    void open() throws ConflictException {
        db = Database.h2(dir);
        store = new ConnectorStore(db);
        defaultGroup = store.ensureDefaultGroup(NOW).id();
        otherGroup = store.createGroup("Branch", NOW).id();
        // The heartbeat loop must not run on its own here: the test calls recheck() itself.
        registry = new ConnectorRegistry(store, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1));
    }

    @AfterEach
    void close() throws Exception {
        registry.close();
        db.close();
    }

    /** A registered connector with two live tunnels on this node. */
    private List<TunnelConnection> connectorWithTunnels(String serial) {
        return connectorWithTunnels(serial, NOW.plusSeconds(86_400), registry);
    }

    /** A registered connector whose certificate expires at {@code notAfter}, with two live tunnels in {@code registry}. */
    private List<TunnelConnection> connectorWithTunnels(String serial, Instant notAfter, ConnectorRegistry registry) {
        String id = UUID.randomUUID().toString();
        store.insertConnector(new ConnectorStore.Connector(id, defaultGroup, "host", "1", serial, notAfter,
                NOW, Optional.empty(), Optional.empty()));
        List<TunnelConnection> tunnels = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            TunnelConnection t = registry.newTunnel(id, defaultGroup, serial, notAfter);
            registry.added(t);
            tunnels.add(t);
        }
        return tunnels;
    }

    @Test
    void aTunnelIsCutTheMomentTheCertificateItAuthenticatedWithExpiresWithALogLineAndAnEvent() {
        SettableClock clock = new SettableClock(NOW);
        List<String> events = new CopyOnWriteArrayList<>();
        try (ConnectorRegistry r = new ConnectorRegistry(store, clock, Duration.ofHours(1))) {
            r.onEvent(e -> events.add(e.connectorId() + " " + e.type() + " " + e.detail()));
            Instant expiry = NOW.plus(Duration.ofDays(2));
            List<TunnelConnection> expiring = connectorWithTunnels("e1", expiry, r);
            List<TunnelConnection> lasting = connectorWithTunnels("e2", expiry.plusSeconds(1), r);
            String expiringId = expiring.getFirst().connectorId();
            events.clear();

            clock.set(expiry.minusMillis(1));
            r.recheck();
            assertThat(intact(expiring, r) && intact(lasting, r)).as("a millisecond before the expiry").isTrue();

            clock.set(expiry);
            r.recheck();
            assertThat(cut(expiring, r)).as("tunnels of the expired certificate").isTrue();
            assertThat(intact(lasting, r)).as("tunnels of a certificate still valid").isTrue();
            assertThat(events).filteredOn(e -> e.contains(" CERTIFICATE_EXPIRED ")).singleElement().asString()
                    .startsWith(expiringId + " CERTIFICATE_EXPIRED ").contains(expiry.toString()).contains("register again");
            assertThat(expiring).allSatisfy(t -> assertThat(t.mux().isOpen()).isFalse());
        }
    }

    @Test
    void anExpiredCertificateIsCutEvenWhenTheDatabaseCannotBeRead() throws Exception {
        SettableClock clock = new SettableClock(NOW);
        try (ConnectorRegistry r = new ConnectorRegistry(store, clock, Duration.ofHours(1))) {
            List<TunnelConnection> expiring = connectorWithTunnels("e3", NOW.plusSeconds(60), r);
            List<TunnelConnection> lasting = connectorWithTunnels("e4", NOW.plusSeconds(3600), r);
            db.close();
            clock.set(NOW.plusSeconds(60));

            r.recheck();

            assertThat(cut(expiring, r)).as("no database is needed to see that a certificate expired").isTrue();
            assertThat(intact(lasting, r)).as("the rest fail open, as before").isTrue();
        }
    }

    private static boolean cut(List<TunnelConnection> tunnels, ConnectorRegistry registry) {
        return tunnels.stream().noneMatch(t -> t.mux().isOpen() || registry.tunnels().contains(t));
    }

    private static boolean intact(List<TunnelConnection> tunnels, ConnectorRegistry registry) {
        return tunnels.stream().allMatch(t -> t.mux().isOpen() && registry.tunnels().contains(t));
    }

    @Test
    void everyLossOfStandingCutsThatConnectorsTunnelsAndNoOthers() {
        List<TunnelConnection> revoked = connectorWithTunnels("a1");
        List<TunnelConnection> removed = connectorWithTunnels("b2");
        List<TunnelConnection> reissued = connectorWithTunnels("c3");
        List<TunnelConnection> bystander = connectorWithTunnels("d4");

        store.revoke(revoked.getFirst().connectorId(), NOW);
        db.dsl().deleteFrom(CONNECTOR).where(CONNECTOR.ID.eq(removed.getFirst().connectorId())).execute();
        db.dsl().update(CONNECTOR).set(CONNECTOR.CERT_SERIAL, "ff").where(CONNECTOR.ID.eq(reissued.getFirst().connectorId())).execute();
        // Before the re-check, nothing on this node knows.
        assertThat(intact(revoked, registry) && intact(removed, registry) && intact(reissued, registry)).isTrue();

        registry.recheck();

        assertThat(cut(revoked, registry)).as("tunnels of a revoked connector").isTrue();
        assertThat(cut(removed, registry)).as("tunnels of a deleted connector").isTrue();
        assertThat(cut(reissued, registry)).as("tunnels authenticated with a certificate no longer registered").isTrue();
        assertThat(intact(bystander, registry)).as("tunnels of a connector in good standing").isTrue();
        assertThat(registry.tunnels()).containsExactlyInAnyOrderElementsOf(bystander);
    }

    @Test
    void aMoveReGroupsTheTunnelsWithoutCuttingThem() {
        List<TunnelConnection> moved = connectorWithTunnels("e5");
        List<TunnelConnection> stays = connectorWithTunnels("f6");
        store.moveConnector(moved.getFirst().connectorId(), otherGroup);

        registry.recheck();

        assertThat(intact(moved, registry)).isTrue();
        assertThat(moved).allSatisfy(t -> assertThat(t.groupId()).isEqualTo(otherGroup));
        assertThat(stays).allSatisfy(t -> assertThat(t.groupId()).isEqualTo(defaultGroup));
    }

    @Test
    void onPostgresqlTooOneQueryReadsEveryStanding() throws Exception {
        // The multi-node database: skipped (and says so) without DRAWBRIDGE_TEST_PG_URL, which ./test.sh sets.
        try (Database pg = PostgresTestDatabase.fresh()) {
            ConnectorStore pgStore = new ConnectorStore(pg);
            String group = pgStore.ensureDefaultGroup(NOW).id();
            String branch = pgStore.createGroup("Branch", NOW).id();
            try (ConnectorRegistry pgRegistry = new ConnectorRegistry(pgStore, Clock.fixed(NOW, ZoneOffset.UTC), Duration.ofHours(1))) {
                List<TunnelConnection> revoked = new ArrayList<>(), moved = new ArrayList<>();
                for (var target : List.of(revoked, moved)) {
                    String id = UUID.randomUUID().toString();
                    pgStore.insertConnector(new ConnectorStore.Connector(id, group, "host", "1", id.substring(0, 8), NOW.plusSeconds(86_400),
                            NOW, Optional.empty(), Optional.empty()));
                    TunnelConnection t = pgRegistry.newTunnel(id, group, id.substring(0, 8), NOW.plusSeconds(86_400));
                    pgRegistry.added(t);
                    target.add(t);
                }
                pgStore.revoke(revoked.getFirst().connectorId(), NOW);
                pgStore.moveConnector(moved.getFirst().connectorId(), branch);

                pgRegistry.recheck();

                assertThat(cut(revoked, pgRegistry)).isTrue();
                assertThat(intact(moved, pgRegistry)).isTrue();
                assertThat(moved.getFirst().groupId()).isEqualTo(branch);
            }
        }
    }

    @Test
    void anUnreadableDatabaseKeepsTheTunnelsUntilTheNextCheck() throws Exception {
        List<TunnelConnection> tunnels = connectorWithTunnels("a7");
        store.revoke(tunnels.getFirst().connectorId(), NOW);
        db.close();

        registry.recheck();

        assertThat(intact(tunnels, registry)).isTrue();
    }
}
