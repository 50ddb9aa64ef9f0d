package dev.drawbridge.proxy.update;

import dev.drawbridge.model.api.ConnectorEventType;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateInstruction.Action;
import dev.drawbridge.model.update.UpdateState;
import dev.drawbridge.proxy.store.ConflictException;
import dev.drawbridge.proxy.web.ValidationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Every rule of a group's rollout (docs/updates.md, "Server: rollout"), each its own test, on H2 and on PostgreSQL (when
 * DRAWBRIDGE_TEST_PG_URL is set): one connector of a group at a time, also when reports race on several threads; the
 * turn ends when its holder comes back healthy, fails (halt), or outlives the lease (halt); only the holder's reports
 * end its turn; pinning a lower version rolls back; pause; any change of the settings clears a halt; a bundle a group
 * pins or a connector installs cannot be deleted.
 */
class RolloutRulesTest {
    @TempDir
    Path dir;
    RolloutFixture f;
    String g;

    void open(String kind) throws Exception {
        f = new RolloutFixture(dir, kind);
        g = f.group("Site A");
    }

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void withNothingUploadedEveryoneIsToldSoAndNothingIsGranted(String kind) throws Exception {
        open(kind);
        String a = f.connector(g, "host-a", "1.0.0");
        assertThat(f.report(a, "1.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("no update is uploaded"));
        assertThat(f.rollouts.rollout(g).updatingConnectorId()).isEmpty();
        assertThat(f.events).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aConnectorBelowTheHighestVersionGetsTheTurnAndTheSignedManifest(String kind) throws Exception {
        open(kind);
        f.upload("1.1.0");
        f.upload("1.2.0");
        String a = f.connector(g, "host-a", "1.0.0");
        UpdateInstruction i = f.report(a, "1.0.0", UpdateState.IDLE);
        assertThat(i.action()).isEqualTo(Action.UPDATE);
        assertThat(i.version()).isEqualTo("1.2.0");
        assertThat(i.manifest()).isEqualTo(f.store.find("1.2.0").orElseThrow().manifest());
        Rollouts.Rollout r = f.rollouts.rollout(g);
        assertThat(r.updatingConnectorId()).contains(a);
        assertThat(r.updatingTo()).isEqualTo("1.2.0");
        assertThat(r.updatingSince()).contains(RolloutFixture.T0);
        assertThat(f.events(ConnectorEventType.UPDATE_STARTED)).singleElement()
                .satisfies(e -> assertThat(e.connectorId()).isEqualTo(a))
                .satisfies(e -> assertThat(e.detail()).isEqualTo("from 1.0.0 to 1.2.0"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void twoConnectorsOfAGroupNeverHoldTurnsAtOnce(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        String a = f.connector(g, "host-a", "1.0.0");
        String b = f.connector(g, "host-b", "1.0.0");
        assertThat(f.report(a, "1.0.0", UpdateState.IDLE).action()).isEqualTo(Action.UPDATE);
        for (UpdateState s : List.of(UpdateState.IDLE, UpdateState.FAILED, UpdateState.ROLLED_BACK)) {
            assertThat(f.report(b, "1.0.0", s)).isEqualTo(UpdateInstruction.none("waiting for connector host-a to update"));
        }
        // a drains, restarts and comes back on 2.0.0: its turn ends, b's begins.
        assertThat(f.report(a, "1.0.0", UpdateState.DRAINING).action()).isEqualTo(Action.UPDATE);
        assertThat(f.report(a, "2.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("up to date"));
        assertThat(f.events(ConnectorEventType.UPDATED)).singleElement().satisfies(e -> {
            assertThat(e.connectorId()).isEqualTo(a);
            assertThat(e.detail()).isEqualTo("from 1.0.0 to 2.0.0");
        });
        assertThat(f.report(b, "1.0.0", UpdateState.IDLE).action()).isEqualTo(Action.UPDATE);
        assertThat(f.report(a, "2.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("up to date"));
        assertThat(f.rollouts.rollout(g).updatingConnectorId()).contains(b);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void threeConnectorsUpdateOneAfterAnother(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        List<String> all = List.of(f.connector(g, "host-a", "1.0.0"), f.connector(g, "host-b", "1.0.0"), f.connector(g, "host-c", "1.0.0"));
        List<String> order = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            List<String> granted = new ArrayList<>();
            for (String c : all) {
                if (!order.contains(c) && f.report(c, "1.0.0", UpdateState.IDLE).action() == Action.UPDATE) {
                    granted.add(c);
                }
            }
            assertThat(granted).as("round " + round).hasSize(1);
            order.add(granted.getFirst());
            f.report(granted.getFirst(), "2.0.0", UpdateState.IDLE);
        }
        assertThat(order).containsExactlyInAnyOrderElementsOf(all);
        assertThat(f.events(ConnectorEventType.UPDATED)).hasSize(3);
        assertThat(f.events(ConnectorEventType.UPDATE_STARTED)).hasSize(3);
        for (String c : all) {
            assertThat(f.report(c, "2.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("up to date"));
        }
    }

    /** Reports of three connectors race on threads, round after round: at most one holds the turn, ever. */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void concurrentReportsNeverGrantTwoTurns(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        List<String> all = List.of(f.connector(g, "host-a", "1.0.0"), f.connector(g, "host-b", "1.0.0"), f.connector(g, "host-c", "1.0.0"));
        ExecutorService pool = Executors.newFixedThreadPool(all.size() * 2);
        try {
            Map<String, Boolean> done = new ConcurrentHashMap<>();
            for (int round = 0; round < 3; round++) {
                CyclicBarrier start = new CyclicBarrier(all.size() * 2);
                List<Future<String>> results = new ArrayList<>();
                for (String c : all) {
                    for (int twice = 0; twice < 2; twice++) {
                        Callable<String> report = () -> {
                            start.await(10, TimeUnit.SECONDS);
                            String version = done.containsKey(c) ? "2.0.0" : "1.0.0";
                            return f.report(c, version, UpdateState.IDLE).action() == Action.UPDATE ? c : null;
                        };
                        results.add(pool.submit(report));
                    }
                }
                List<String> granted = new ArrayList<>();
                for (Future<String> r : results) {
                    String c = r.get(30, TimeUnit.SECONDS);
                    if (c != null && !granted.contains(c)) {
                        granted.add(c);
                    }
                }
                assertThat(granted).as("connectors told to update in round " + round).hasSize(1);
                assertThat(f.rollouts.rollout(g).updatingConnectorId()).contains(granted.getFirst());
                // It comes back healthy while the others report again, at the same time.
                CyclicBarrier next = new CyclicBarrier(all.size());
                List<Future<String>> after = new ArrayList<>();
                for (String c : all) {
                    after.add(pool.submit(() -> {
                        next.await(10, TimeUnit.SECONDS);
                        if (c.equals(granted.getFirst())) {
                            f.report(c, "2.0.0", UpdateState.IDLE);
                            return null;
                        }
                        return done.containsKey(c) ? null : f.report(c, "1.0.0", UpdateState.IDLE).action() == Action.UPDATE ? c : null;
                    }));
                }
                List<String> grantedAfter = new ArrayList<>();
                for (Future<String> r : after) {
                    String c = r.get(30, TimeUnit.SECONDS);
                    if (c != null) {
                        grantedAfter.add(c);
                    }
                }
                done.put(granted.getFirst(), true);
                assertThat(grantedAfter).as("turns granted while the holder reported back").hasSizeLessThanOrEqualTo(1);
                if (!grantedAfter.isEmpty()) {
                    // The next one got in first: finish it, so the next round starts with no holder.
                    f.report(grantedAfter.getFirst(), "2.0.0", UpdateState.IDLE);
                    done.put(grantedAfter.getFirst(), true);
                }
                if (done.size() == all.size()) {
                    break;
                }
            }
        } finally {
            pool.shutdownNow();
        }
        long started = f.events(ConnectorEventType.UPDATE_STARTED).size();
        long updated = f.events(ConnectorEventType.UPDATED).size();
        assertThat(started).isEqualTo(updated).isEqualTo(3);
        assertThat(f.rollouts.rollout(g).updatingConnectorId()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aFailedUpdateHaltsTheGroup(String kind) throws Exception {
        open(kind);
        for (UpdateState failure : List.of(UpdateState.FAILED, UpdateState.ROLLED_BACK)) {
            String group = f.group("G " + failure);
            f.events.clear();
            if (!f.store.exists("2.0.0")) {
                f.upload("2.0.0");
            }
            String a = f.connector(group, "host-a", "1.0.0");
            String b = f.connector(group, "host-b", "1.0.0");
            assertThat(f.report(a, "1.0.0", UpdateState.IDLE).action()).isEqualTo(Action.UPDATE);
            String reason = "connector host-a (" + a + ") could not update to 2.0.0: the new version exited with 1";
            assertThat(f.failed(a, "1.0.0", failure, "2.0.0", "the new version exited with 1"))
                    .isEqualTo(UpdateInstruction.none("the group's rollout is halted: " + reason));
            Rollouts.Rollout r = f.rollouts.rollout(group);
            assertThat(r.halted()).isTrue();
            assertThat(r.haltedReason()).isEqualTo(reason);
            assertThat(r.updatingConnectorId()).isEmpty();
            assertThat(f.events(ConnectorEventType.UPDATE_FAILED)).singleElement().satisfies(e -> {
                assertThat(e.connectorId()).isEqualTo(a);
                assertThat(e.detail()).isEqualTo(reason);
            });
            // Nobody else tries, the failed one neither.
            assertThat(f.report(b, "1.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("the group's rollout is halted: " + reason));
            assertThat(f.report(a, "1.0.0", UpdateState.IDLE).action()).isEqualTo(Action.NONE);
            assertThat(f.rollouts.connector(a).state()).isEqualTo(UpdateState.IDLE);
        }
    }

    /**
     * Only a failure of the version the turn is for halts: the holder reporting FAILED or ROLLED_BACK for another version
     * (an older attempt, none, a made-up one) keeps its turn and is told to update again; nothing halts.
     */
    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theHoldersFailureOfAnotherVersionDoesNotHalt(String kind) throws Exception {
        open(kind);
        f.upload("1.5.0");
        f.upload("2.0.0");
        String a = f.connector(g, "host-a", "1.0.0");
        assertThat(f.report(a, "1.0.0", UpdateState.IDLE).version()).isEqualTo("2.0.0");
        for (UpdateState failure : List.of(UpdateState.FAILED, UpdateState.ROLLED_BACK)) {
            for (String attempted : List.of("1.5.0", "", "2.0.1", "1.0.0", "3.0.0")) {
                UpdateInstruction i = f.failed(a, "1.0.0", failure, attempted, "no");
                assertThat(i.action()).as(failure + " " + attempted).isEqualTo(Action.UPDATE);
                assertThat(i.version()).isEqualTo("2.0.0");
            }
        }
        Rollouts.Rollout r = f.rollouts.rollout(g);
        assertThat(r.halted()).isFalse();
        assertThat(r.updatingConnectorId()).contains(a);
        assertThat(f.events(ConnectorEventType.UPDATE_FAILED)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theConnectorsReportIsKeptOnItsRow(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        String a = f.connector(g, "host-a", "1.0.0");
        f.report(a, "1.0.0", UpdateState.IDLE);
        f.failed(a, "1.0.0", UpdateState.ROLLED_BACK, "2.0.0", "no tunnel came up within 3 min");
        Rollouts.ConnectorUpdate u = f.rollouts.connector(a);
        assertThat(u.state()).isEqualTo(UpdateState.ROLLED_BACK);
        assertThat(u.attemptedVersion()).isEqualTo("2.0.0");
        assertThat(u.error()).isEqualTo("no tunnel came up within 3 min");
        assertThat(u.reportedAt()).contains(RolloutFixture.T0);
        assertThat(f.connectors.findConnector(a).orElseThrow().version()).isEqualTo("1.0.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aTurnPastTheLeaseHaltsTheGroup(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        String a = f.connector(g, "host-a", "1.0.0");
        String b = f.connector(g, "host-b", "1.0.0");
        assertThat(f.report(a, "1.0.0", UpdateState.IDLE).action()).isEqualTo(Action.UPDATE);
        f.clock.advance(RolloutFixture.LEASE.minusSeconds(1));
        assertThat(f.report(b, "1.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("waiting for connector host-a to update"));
        assertThat(f.events(ConnectorEventType.UPDATE_FAILED)).isEmpty();
        f.clock.advance(Duration.ofSeconds(1));
        String reason = "connector host-a (" + a + ") did not come back healthy on 2.0.0 within 15 min";
        assertThat(f.report(b, "1.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("the group's rollout is halted: " + reason));
        assertThat(f.events(ConnectorEventType.UPDATE_FAILED)).singleElement().satisfies(e -> {
            assertThat(e.connectorId()).isEqualTo(a);
            assertThat(e.detail()).isEqualTo(reason);
        });
        // Coming back late does not resume anything: the halt stands until an administrator changes the settings.
        assertThat(f.report(a, "2.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("up to date"));
        assertThat(f.report(b, "1.0.0", UpdateState.IDLE).action()).isEqualTo(Action.NONE);
        assertThat(f.events(ConnectorEventType.UPDATED)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theLeaseAlsoHaltsWhenOnlyAnAdministratorLooks(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        String a = f.connector(g, "host-a", "1.0.0");
        f.report(a, "1.0.0", UpdateState.IDLE);
        f.clock.advance(RolloutFixture.LEASE);
        Rollouts.Rollout r = f.rollouts.rollout(g);
        assertThat(r.halted()).isTrue();
        assertThat(r.updatingConnectorId()).isEmpty();
        assertThat(f.events(ConnectorEventType.UPDATE_FAILED)).hasSize(1);
        f.rollouts.rollout(g);
        assertThat(f.events(ConnectorEventType.UPDATE_FAILED)).as("halted once").hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aConnectorWithoutTheTurnCannotReleaseOrHaltAnothersTurn(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        String a = f.connector(g, "host-a", "1.0.0");
        String b = f.connector(g, "host-b", "1.0.0");
        f.report(a, "1.0.0", UpdateState.IDLE);
        f.failed(b, "1.0.0", UpdateState.FAILED, "2.0.0", "b says it failed");
        f.failed(b, "1.0.0", UpdateState.ROLLED_BACK, "2.0.0", "b says it rolled back");
        f.report(b, "2.0.0", UpdateState.IDLE);
        Rollouts.Rollout r = f.rollouts.rollout(g);
        assertThat(r.halted()).isFalse();
        assertThat(r.updatingConnectorId()).contains(a);
        assertThat(r.updatingTo()).isEqualTo("2.0.0");
        assertThat(f.events(ConnectorEventType.UPDATE_FAILED)).isEmpty();
        assertThat(f.events(ConnectorEventType.UPDATED)).isEmpty();
        // Nor does the holder's report of a failure of another version (a stale one) end its turn.
        f.failed(a, "1.0.0", UpdateState.FAILED, "1.9.0", "an older failure");
        assertThat(f.rollouts.rollout(g).updatingConnectorId()).contains(a);
        assertThat(f.rollouts.rollout(g).halted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void theHolderAskingAgainGetsTheSameUpdateAgain(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        String a = f.connector(g, "host-a", "1.0.0");
        UpdateInstruction first = f.report(a, "1.0.0", UpdateState.IDLE);
        f.upload("3.0.0");
        for (UpdateState s : List.of(UpdateState.IDLE, UpdateState.DOWNLOADING, UpdateState.RESTARTING)) {
            assertThat(f.report(a, "1.0.0", s)).isEqualTo(first);
        }
        assertThat(f.events(ConnectorEventType.UPDATE_STARTED)).hasSize(1);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void pinningALowerVersionRollsBackAndTheHighestNeverDowngrades(String kind) throws Exception {
        open(kind);
        f.upload("1.0.0");
        String a = f.connector(g, "host-a", "2.0.0");
        // A newer package's version stays: the highest uploaded is only a target from below.
        assertThat(f.report(a, "2.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("up to date"));
        f.rollouts.set(g, new RolloutSettings(false, "1.0.0"));
        UpdateInstruction back = f.report(a, "2.0.0", UpdateState.IDLE);
        assertThat(back.action()).isEqualTo(Action.UPDATE);
        assertThat(back.version()).isEqualTo("1.0.0");
        assertThat(f.events(ConnectorEventType.UPDATE_STARTED)).singleElement()
                .satisfies(e -> assertThat(e.detail()).isEqualTo("from 2.0.0 to 1.0.0"));
        assertThat(f.report(a, "1.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("up to date"));
        // Pinned, a connector on a higher version than the pin also goes to the pin; one on it stays.
        f.upload("1.5.0");
        assertThat(f.rollouts.rollout(g).targetVersion()).isEqualTo("1.0.0");
        assertThat(f.report(a, "1.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("up to date"));
        f.rollouts.set(g, new RolloutSettings(false, ""));
        assertThat(f.rollouts.rollout(g).targetVersion()).isEqualTo("1.5.0");
        assertThat(f.report(a, "1.0.0", UpdateState.IDLE).version()).isEqualTo("1.5.0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aPausedGroupGrantsNoTurnButLetsTheHolderFinish(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        String a = f.connector(g, "host-a", "1.0.0");
        String b = f.connector(g, "host-b", "1.0.0");
        f.report(a, "1.0.0", UpdateState.IDLE);
        f.rollouts.set(g, new RolloutSettings(true, ""));
        assertThat(f.report(a, "1.0.0", UpdateState.DOWNLOADING).action()).isEqualTo(Action.UPDATE);
        assertThat(f.report(a, "2.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("up to date"));
        assertThat(f.report(b, "1.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("the group's rollout is paused"));
        f.rollouts.set(g, new RolloutSettings(false, ""));
        assertThat(f.report(b, "1.0.0", UpdateState.IDLE).action()).isEqualTo(Action.UPDATE);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void anyChangeOfTheSettingsClearsAHalt(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        String a = f.connector(g, "host-a", "1.0.0");
        for (RolloutSettings put : List.of(new RolloutSettings(false, ""), new RolloutSettings(true, ""), new RolloutSettings(false, "2.0.0"))) {
            f.report(a, "1.0.0", UpdateState.IDLE);
            f.failed(a, "1.0.0", UpdateState.ROLLED_BACK, "2.0.0", "broken");
            assertThat(f.rollouts.rollout(g).halted()).isTrue();
            Rollouts.Rollout after = f.rollouts.set(g, put);
            assertThat(after.halted()).as(put.toString()).isFalse();
            assertThat(after.haltedReason()).isEmpty();
            f.rollouts.set(g, new RolloutSettings(false, ""));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aDisabledConnectorIsNeverGrantedAndGivesBackATurn(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        String a = f.connector(g, "host-a", "1.0.0");
        String b = f.connector(g, "host-b", "1.0.0");
        assertThat(f.report(a, "1.0.0", UpdateState.DISABLED)).isEqualTo(UpdateInstruction.none("auto-update is off on this connector"));
        assertThat(f.report(b, "1.0.0", UpdateState.IDLE).action()).isEqualTo(Action.UPDATE);
        // b restarted with auto-update off while it held the turn: the turn goes back, nothing halts.
        assertThat(f.report(b, "1.0.0", UpdateState.DISABLED).action()).isEqualTo(Action.NONE);
        Rollouts.Rollout r = f.rollouts.rollout(g);
        assertThat(r.updatingConnectorId()).isEmpty();
        assertThat(r.halted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void onlyAnUploadedVersionCanBePinned(String kind) throws Exception {
        open(kind);
        f.upload("2.0.0");
        assertThatThrownBy(() -> f.rollouts.set(g, new RolloutSettings(false, "2.0.1")))
                .isInstanceOfSatisfying(ValidationException.class, e -> {
                    assertThat(e.errors()).singleElement().satisfies(err -> assertThat(err.field()).isEqualTo("pinnedVersion"));
                    assertThat(e.getMessage()).contains("2.0.1");
                });
        assertThat(f.rollouts.rollout(g).pinnedVersion()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void aBundleAGroupPinsOrAConnectorInstallsCannotBeDeleted(String kind) throws Exception {
        open(kind);
        f.upload("1.0.0");
        f.upload("2.0.0");
        f.upload("3.0.0");
        f.rollouts.set(g, new RolloutSettings(false, "1.0.0"));
        String other = f.group("Site B");
        String b = f.connector(other, "host-b", "1.0.0");
        assertThat(f.report(b, "1.0.0", UpdateState.IDLE).version()).isEqualTo("3.0.0");
        assertThatThrownBy(() -> f.store.delete("1.0.0")).isInstanceOfSatisfying(ConflictException.class,
                e -> assertThat(e.getMessage()).contains("pinned"));
        assertThatThrownBy(() -> f.store.delete("3.0.0")).isInstanceOfSatisfying(ConflictException.class,
                e -> assertThat(e.getMessage()).contains("updating to version 3.0.0"));
        assertThat(f.store.delete("2.0.0")).isTrue();
        assertThat(f.store.delete("2.0.0")).isFalse();
        assertThat(f.store.list()).extracting(UpdateStore.Bundle::version).containsExactly("3.0.0", "1.0.0");
        // Once the turn is over and the pin moved, both can go.
        f.report(b, "3.0.0", UpdateState.IDLE);
        f.rollouts.set(g, new RolloutSettings(false, ""));
        assertThat(f.store.delete("1.0.0")).isTrue();
        assertThat(f.store.delete("3.0.0")).isTrue();
    }
}
