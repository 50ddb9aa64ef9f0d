package dev.drawbridge.proxy.tunnel;

import dev.drawbridge.model.api.GroupMaintenance;
import dev.drawbridge.model.tunnel.RequestHead;
import dev.drawbridge.model.tunnel.ResetCode;
import dev.drawbridge.model.tunnel.StreamResetException;
import dev.drawbridge.proxy.store.Database;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link ConnectorPicker}'s decisions: without a live tunnel of the group a stream cannot open and the failure names
 * the group; only a stream the connector refused unstarted (REFUSED_STREAM) may go to another tunnel, never one that
 * failed or timed out once the app may have seen it.
 */
class ConnectorPickerTest {
    @TempDir
    Path dir;

    @Test
    void withoutALiveTunnelTheGroupIsOfflineByName() throws Exception {
        try (Database db = Database.h2(dir)) {
            ConnectorRegistry registry = new ConnectorRegistry(new ConnectorStore(db), Clock.systemUTC(), Duration.ofSeconds(10));
            try {
                ConnectorPicker picker = new ConnectorPicker(registry, id -> "Group " + id);
                assertThat(picker.available("g1")).isFalse();
                assertThat(picker.reach("g1", false)).isEqualTo(ConnectorPicker.Reach.NONE_CONNECTED);
                assertThat(picker.reach("g1", true)).isEqualTo(ConnectorPicker.Reach.NONE_CONNECTED);
                ConnectorPicker.Attempt attempt = new ConnectorPicker.Attempt();
                assertThatThrownBy(() -> picker.open("g1", new RequestHead("app", "GET", "http://x/", List.of(), Duration.ofSeconds(1), false),
                        attempt)).isInstanceOfSatisfying(ConnectorOfflineException.class, e -> {
                            assertThat(e.groupName()).isEqualTo("Group g1");
                            assertThat(e.getMessage()).contains("'Group g1'");
                        });
                assertThat(attempt.count()).isZero();
            } finally {
                registry.close();
            }
        }
    }

    @Test
    void aGroupInMaintenanceIsRefusedBeforeAnyTunnelIsTried() throws Exception {
        try (Database db = Database.h2(dir)) {
            ConnectorStore store = new ConnectorStore(db);
            ConnectorStore.Group g = store.createGroup("Branch", Instant.now());
            ConnectorRegistry registry = new ConnectorRegistry(store, Clock.systemUTC(), Duration.ofSeconds(10));
            try {
                GroupMaintenances maintenances = new GroupMaintenances(store);
                ConnectorPicker picker = new ConnectorPicker(registry, id -> "Branch", maintenances);
                assertThat(picker.reach(g.id(), false)).isEqualTo(ConnectorPicker.Reach.NONE_CONNECTED);
                store.setMaintenance(g.id(), Optional.of(new GroupMaintenance(Instant.now(), "Back soon")));
                assertThat(picker.reach(g.id(), false)).as("not before the reload").isEqualTo(ConnectorPicker.Reach.NONE_CONNECTED);
                maintenances.reload();
                assertThat(picker.reach(g.id(), true)).isEqualTo(ConnectorPicker.Reach.IN_MAINTENANCE);
                assertThat(picker.available(g.id())).isFalse();
                ConnectorPicker.Attempt attempt = new ConnectorPicker.Attempt();
                assertThatThrownBy(() -> picker.open(g.id(), new RequestHead("app", "GET", "http://x/", List.of(), Duration.ofSeconds(1), false),
                        attempt)).isInstanceOfSatisfying(ConnectorOfflineException.class,
                                e -> assertThat(e.maintenance()).map(GroupMaintenance::message).contains("Back soon"));
                assertThat(attempt.count()).isZero();
                store.setMaintenance(g.id(), Optional.empty());
                maintenances.reload();
                assertThat(picker.reach(g.id(), false)).isEqualTo(ConnectorPicker.Reach.NONE_CONNECTED);
            } finally {
                registry.close();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(ResetCode.class)
    void onlyARefusedStreamMayBeRetried(ResetCode code) {
        assertThat(ConnectorPicker.mayRetry(new StreamResetException(code, "why"), new ConnectorPicker.Attempt()))
                .isEqualTo(code == ResetCode.REFUSED_STREAM);
    }

    @Test
    void otherFailuresAreNeverRetried() {
        assertThat(ConnectorPicker.mayRetry(new TimeoutException(), new ConnectorPicker.Attempt())).isFalse();
        assertThat(ConnectorPicker.mayRetry(new IOException("tunnel lost"), new ConnectorPicker.Attempt())).isFalse();
    }

    @Test
    void aResetCarriesItsReasonAsAField() {
        StreamResetException e = new StreamResetException(ResetCode.UPSTREAM_UNREACHABLE, "connection refused: a: b");
        assertThat(e.reason()).isEqualTo("connection refused: a: b");
        assertThat(e.code()).isEqualTo(ResetCode.UPSTREAM_UNREACHABLE);
    }
}
