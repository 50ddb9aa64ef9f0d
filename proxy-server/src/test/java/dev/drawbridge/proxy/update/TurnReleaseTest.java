package dev.drawbridge.proxy.update;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.update.UpdateInstruction;
import dev.drawbridge.model.update.UpdateInstruction.Action;
import dev.drawbridge.model.update.UpdateReport;
import dev.drawbridge.model.update.UpdateState;
import dev.drawbridge.proxy.tunnel.ConnectorStore;
import dev.drawbridge.proxy.web.Json;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector holding its group's update turn that is revoked, moved to another group or removed (inactive) gives the
 * turn back in the same transaction: the next connector of the group gets it at once, the group does not halt (before,
 * it halted only when the 15-minute lease ran out), and a revoked connector is never granted a turn again. On H2 and
 * PostgreSQL (DRAWBRIDGE_TEST_PG_URL); and through the admin API, whose connector event says the turn was released.
 */
class TurnReleaseTest {
    @TempDir
    Path dir;
    RolloutFixture f;
    String g;
    String holder;
    String next;

    /** Two connectors of a group below 2.0.0; the first holds the turn. */
    void open(String kind) throws Exception {
        f = new RolloutFixture(dir, kind);
        g = f.group("Site A");
        f.upload("2.0.0");
        holder = f.connector(g, "host-a", "1.0.0");
        next = f.connector(g, "host-b", "1.0.0");
        assertThat(f.report(holder, "1.0.0", UpdateState.IDLE).action()).isEqualTo(Action.UPDATE);
        assertThat(f.report(next, "1.0.0", UpdateState.IDLE).reason()).startsWith("waiting for");
    }

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
    }

    private void theNextConnectorGetsTheTurnAndNothingHalted() {
        Rollouts.Rollout r = f.rollouts.rollout(g);
        assertThat(r.updatingConnectorId()).as("released").isEmpty();
        assertThat(r.halted()).isFalse();
        UpdateInstruction i = f.report(next, "1.0.0", UpdateState.IDLE);
        assertThat(i.action()).isEqualTo(Action.UPDATE);
        assertThat(f.rollouts.rollout(g).updatingConnectorId()).contains(next);
        assertThat(f.rollouts.rollout(g).halted()).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void revokingTheHolderReleasesItsTurn(String kind) throws Exception {
        open(kind);
        assertThat(f.connectors.revokeConnector(holder, RolloutFixture.T0))
                .isEqualTo(new ConnectorStore.Change(true, Optional.of("2.0.0")));
        // Its report (authenticated just before the revocation) gets no turn, and cannot halt the group either.
        assertThat(f.report(holder, "1.0.0", UpdateState.IDLE)).isEqualTo(UpdateInstruction.none("the connector is revoked"));
        assertThat(f.failed(holder, "1.0.0", UpdateState.FAILED, "2.0.0", "no")).isEqualTo(UpdateInstruction.none("the connector is revoked"));
        theNextConnectorGetsTheTurnAndNothingHalted();
        // Revoking a connector that holds no turn releases nothing (and leaves the holder's turn alone).
        assertThat(f.connectors.revokeConnector(holder, RolloutFixture.T0).releasedTurnTo()).isEmpty();
        String third = f.connector(g, "host-c", "1.0.0");
        assertThat(f.connectors.revokeConnector(third, RolloutFixture.T0)).isEqualTo(new ConnectorStore.Change(true, Optional.empty()));
        assertThat(f.rollouts.rollout(g).updatingConnectorId()).contains(next);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void movingTheHolderReleasesItsTurnInItsOldGroup(String kind) throws Exception {
        open(kind);
        String other = f.group("Site B");
        assertThat(f.connectors.move(holder, other).releasedTurnTo()).contains("2.0.0");
        theNextConnectorGetsTheTurnAndNothingHalted();
        // In its new group it is a connector like any other: it gets that group's turn.
        assertThat(f.report(holder, "1.0.0", UpdateState.IDLE).action()).isEqualTo(Action.UPDATE);
        assertThat(f.rollouts.rollout(other).updatingConnectorId()).contains(holder);
        assertThat(f.rollouts.rollout(g).updatingConnectorId()).contains(next);
    }

    @ParameterizedTest
    @ValueSource(strings = {"h2", "postgres"})
    void removingTheInactiveHolderReleasesItsTurn(String kind) throws Exception {
        open(kind);
        f.connectors.touchAll(List.of(next), RolloutFixture.T0.plus(Duration.ofDays(20)));
        assertThat(f.connectors.deleteInactiveSince(RolloutFixture.T0.plus(Duration.ofDays(10)))).isEqualTo(1);
        assertThat(f.connectors.findConnector(holder)).isEmpty();
        theNextConnectorGetsTheTurnAndNothingHalted();
    }

    @Test
    void theAdminApiSaysTheTurnWasReleased() throws Exception {
        try (UpdateServer s = new UpdateServer(dir.resolve("server"))) {
            byte[] bundle = Bundles.valid(Files.createDirectories(dir.resolve("b")), "9.9.9");
            assertThat(s.admin(s.bootstrap, "POST", "connector-updates", "application/zip", bundle).status()).isEqualTo(201);
            UpdateServer.Identity a = s.register("Api", "host-a", "1.0.0");
            UpdateServer.Identity b = s.register("Api", "host-b", "1.0.0");
            UpdateServer.Identity c = s.register("Api", "host-c", "1.0.0");
            assertThat(instruction(s, a).action()).isEqualTo(Action.UPDATE);
            assertThat(s.json(s.bootstrap, "POST", "connectors/" + a.id() + "/revoke", null).status()).isEqualTo(200);
            assertThat(instruction(s, b).action()).isEqualTo(Action.UPDATE);
            assertThat(s.json(s.bootstrap, "POST", "connectors/" + b.id() + "/move", Map.of("connectorGroup", "Default")).status())
                    .isEqualTo(200);
            assertThat(instruction(s, c).action()).isEqualTo(Action.UPDATE);
            JsonNode rollout = s.json(s.bootstrap, "GET", "connector-groups/Api/rollout", null).json();
            assertThat(rollout.path("state").asText()).isEqualTo("ROLLING");
            assertThat(rollout.path("updatingConnectorId").asText()).isEqualTo(c.id());
            assertThat(detail(s, a, "REVOKED")).startsWith("revoked by")
                    .endsWith("the update turn it held (to 9.9.9) was released: the group's rollout goes on");
            assertThat(detail(s, b, "MOVED")).contains("the update turn it held (to 9.9.9) was released");
            assertThat(s.json(s.bootstrap, "POST", "connectors/" + c.id() + "/revoke", null).status()).isEqualTo(200);
            assertThat(detail(s, c, "REVOKED")).contains("released");
            assertThat(s.json(s.bootstrap, "GET", "connector-groups/Api/rollout", null).json().path("state").asText()).isNotEqualTo("HALTED");
        }
    }

    private static UpdateInstruction instruction(UpdateServer s, UpdateServer.Identity who) throws Exception {
        Wire.Reply r = s.report(who, new UpdateReport("1.0.0", UpdateState.IDLE, "", ""));
        assertThat(r.status()).as(r.toString()).isEqualTo(200);
        return Json.MAPPER.readValue(r.body(), UpdateInstruction.class);
    }

    private static String detail(UpdateServer s, UpdateServer.Identity who, String type) throws Exception {
        JsonNode events = s.json(s.bootstrap, "GET", "connector-events?connectorId=" + who.id() + "&type=" + type, null).json();
        JsonNode items = events.has("items") ? events.path("items") : events;
        assertThat(items.size()).as(events.toString()).isEqualTo(1);
        return items.get(0).path("detail").asText();
    }
}
