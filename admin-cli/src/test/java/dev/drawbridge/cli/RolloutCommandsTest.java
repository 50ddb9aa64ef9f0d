package dev.drawbridge.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.api.RolloutConnector;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.RolloutView;
import dev.drawbridge.model.update.UpdateState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code drawbridge connector-groups rollout} against a JDK HttpServer playing the admin API: the rollout shown (state,
 * target, pinned, paused, the halt's reason, then each connector's version, update state and last error), as JSON, or
 * its state alone; every change one PUT of the whole settings read just before (pause keeps the pin, pin keeps the pause,
 * resume clears the pause); roll back pins the highest uploaded version below the target by version order, or says in
 * one sentence which bundle to upload and sends nothing.
 */
class RolloutCommandsTest {
    static final String GROUPS = "/api/v1/connector-groups";
    static final String ROLLOUT = "/api/v1/connector-groups/g1/rollout";
    static final String UPDATES = "/api/v1/connector-updates";
    @TempDir
    Path dir;
    FakeAdminServer server;

    @BeforeEach
    void start() throws Exception {
        server = new FakeAdminServer();
        server.answer("GET", GROUPS, 200, """
                {"items":[{"id":"g1","name":"Default","createdAt":"2026-11-25T12:00:00Z","connectors":2,"activeConnectors":2}],
                 "offset":0,"limit":500,"total":1}""");
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private FakeAdminServer.Run run(String... args) {
        return server.run(dir.resolve("config"), "", args);
    }

    private static RolloutView rollout(RolloutState state, String target, String pinned, boolean paused, String halted) {
        return new RolloutView("g1", "Default", state, target, pinned, paused, halted, halted.isEmpty() ? null : Instant.parse(
                "2026-11-25T12:30:00Z"), "", null, List.of(
                new RolloutConnector("c1", "conn-a.corp", "1.3.10", ConnectorStatus.ACTIVE, UpdateState.ROLLED_BACK, "1.4.0",
                        "the new version did not come up healthy within PT3M", Instant.EPOCH),
                new RolloutConnector("c2", "conn-b.corp", "1.3.10", ConnectorStatus.ACTIVE, UpdateState.IDLE, "", "", Instant.EPOCH)));
    }

    private void serves(RolloutView r, String... uploaded) throws Exception {
        server.answer("GET", ROLLOUT, 200, Output.JSON.writeValueAsString(r));
        server.answer("PUT", ROLLOUT, 200, Output.JSON.writeValueAsString(r));
        server.answer("GET", UPDATES, 200, Output.JSON.writeValueAsString(Arrays.stream(uploaded)
                .map(v -> new ConnectorUpdateView(v, "ab", 1, Instant.EPOCH, "admin")).toList()));
    }

    private JsonNode put() throws Exception {
        List<FakeAdminServer.Received> puts = server.received("PUT", ROLLOUT);
        assertThat(puts).hasSize(1);
        assertThat(puts.getFirst().contentType()).startsWith("application/json");
        return Output.JSON.readTree(puts.getFirst().body());
    }

    @Test
    void showGivesTheSettingsTheHaltAndEachConnectorsUpdate() throws Exception {
        serves(rollout(RolloutState.HALTED, "1.4.0", "", false, "connector conn-a.corp (c1) could not update to 1.4.0: boom"));
        FakeAdminServer.Run r = run("connector-groups", "rollout", "Default");
        assertThat(r.exit()).as(r.err()).isZero();
        List<String> lines = r.out().lines().toList();
        assertThat(lines).startsWith("Group:   Default (g1)", "State:   HALTED", "Target:  1.4.0", "Pinned:  no (the highest uploaded version)",
                "Paused:  no", "Halted:  connector conn-a.corp (c1) could not update to 1.4.0: boom (2026-11-25T12:30:00Z)", "");
        assertThat(lines.get(7)).matches("HOST +VERSION +STATUS +UPDATE STATE +LAST ERROR +ID");
        assertThat(lines.get(8)).matches("conn-a.corp +1\\.3\\.10 +ACTIVE +ROLLED_BACK +the new version did not come up healthy within PT3M +c1");
        assertThat(lines.get(9)).matches("conn-b.corp +1\\.3\\.10 +ACTIVE +IDLE +- +c2");
        assertThat(server.received("PUT", ROLLOUT)).isEmpty();

        FakeAdminServer.Run json = run("connector-groups", "rollout", "Default", "-o", "json");
        assertThat(Output.JSON.readTree(json.out()).path("haltedReason").asText()).startsWith("connector conn-a.corp");
        assertThat(run("connector-groups", "rollout", "Default", "-q").out()).isEqualTo("HALTED\n");
        assertThat(run("connector-groups", "rollout").exit()).isEqualTo(2);
    }

    @Test
    void aConnectorsErrorCannotForgeLinesOrReachTheTerminalAsControls() throws Exception {
        serves(rollout(RolloutState.HALTED, "1.4.0", "", false, "could not update: boom\nPaused:  yes\u001b[2J"));
        FakeAdminServer.Run r = run("connector-groups", "rollout", "Default");
        assertThat(r.out()).doesNotContain("\u001b").doesNotContainPattern("(?m)^Paused:  yes");
        assertThat(r.out().lines().filter(l -> l.startsWith("Halted:")).findFirst().orElseThrow())
                .contains("boom Paused:  yes");
    }

    @Test
    void pauseKeepsThePinAndResumeClearsThePause() throws Exception {
        serves(rollout(RolloutState.PAUSED, "1.3.10", "1.3.10", true, ""));
        FakeAdminServer.Run r = run("connector-groups", "rollout", "resume", "Default");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(r.out()).startsWith("Resumed the rollout of connector group Default\n");
        assertThat(put().path("paused").asBoolean()).isFalse();
        assertThat(put().path("pinnedVersion").asText()).isEqualTo("1.3.10");

        server.received.clear();
        serves(rollout(RolloutState.ROLLING, "1.4.0", "1.4.0", false, ""));
        assertThat(run("connector-groups", "rollout", "pause", "Default").exit()).isZero();
        assertThat(put().path("paused").asBoolean()).isTrue();
        assertThat(put().path("pinnedVersion").asText()).isEqualTo("1.4.0");
    }

    @Test
    void pinKeepsThePauseAndUnpinSendsNoVersion() throws Exception {
        serves(rollout(RolloutState.PAUSED, "1.4.0", "", true, ""));
        assertThat(run("connector-groups", "rollout", "pin", "Default", "1.3.10").exit()).isZero();
        assertThat(put().path("paused").asBoolean()).isTrue();
        assertThat(put().path("pinnedVersion").asText()).isEqualTo("1.3.10");

        server.received.clear();
        assertThat(run("connector-groups", "rollout", "unpin", "Default").exit()).isZero();
        assertThat(put().path("pinnedVersion").asText()).isEmpty();
        assertThat(run("connector-groups", "rollout", "pin", "Default").exit()).as("the version is required").isEqualTo(2);
    }

    @Test
    void rollBackPinsTheHighestUploadedVersionBelowTheTarget() throws Exception {
        serves(rollout(RolloutState.HALTED, "1.10.0", "", false, "boom"), "1.11.0", "1.10.0", "1.9.0", "1.2.0");
        FakeAdminServer.Run r = run("connector-groups", "rollout", "rollback", "Default");
        assertThat(r.exit()).as(r.err()).isZero();
        assertThat(put().path("pinnedVersion").asText()).isEqualTo("1.9.0");
        assertThat(r.out()).startsWith("Rolled connector group Default back from 1.10.0 to ");
    }

    @Test
    void rollBackWithoutALowerBundleSaysWhichToUploadAndSendsNothing() throws Exception {
        serves(rollout(RolloutState.HALTED, "1.4.0", "", false, "boom"), "1.4.0");
        FakeAdminServer.Run r = run("connector-groups", "rollout", "rollback", "Default");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).isEqualTo("error: No uploaded version is below 1.4.0, the target of connector group Default: "
                + "upload the bundle of version 1.3.10 first.\n");
        assertThat(r.out()).isEmpty();
        assertThat(server.received("PUT", ROLLOUT)).isEmpty();
    }

    @Test
    void theServersRefusalOfAPinIsShown() throws Exception {
        serves(rollout(RolloutState.ROLLING, "1.4.0", "", false, ""));
        server.answer("PUT", ROLLOUT, 400, """
                {"title":"Invalid request","status":400,"errors":[{"field":"pinnedVersion","message":"version 9.9.9 is not uploaded"}]}""");
        FakeAdminServer.Run r = run("connector-groups", "rollout", "pin", "Default", "9.9.9");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("pinnedVersion: version 9.9.9 is not uploaded");
    }
}
