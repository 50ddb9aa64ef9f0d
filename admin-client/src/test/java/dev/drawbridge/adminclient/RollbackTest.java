package dev.drawbridge.adminclient;

import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.api.RolloutConnector;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.RolloutView;
import dev.drawbridge.model.update.UpdateState;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Rolling back pins the highest uploaded version below the target, by version order (not text), or says what to upload. */
class RollbackTest {
    private static RolloutView rollout(String target, String... connectorVersions) {
        return new RolloutView("g1", "Default", RolloutState.ROLLING, target, "", false, "", null, "", null,
                Arrays.stream(connectorVersions).map(v -> new RolloutConnector("c-" + v, "host-" + v, v, ConnectorStatus.ACTIVE,
                        UpdateState.IDLE, "", "", null)).toList());
    }

    private static List<ConnectorUpdateView> uploaded(String... versions) {
        return Arrays.stream(versions).map(v -> new ConnectorUpdateView(v, "ab", 1, Instant.EPOCH, "admin")).toList();
    }

    @Test
    void theHighestUploadedVersionBelowTheTargetIsPinned() {
        assertThat(Rollback.plan(rollout("1.10.0"), uploaded("1.10.0", "1.9.0", "1.2.0", "1.11.0", "1.10.0-rc.1")))
                .isEqualTo(new Rollback.Pin("1.10.0-rc.1", "1.10.0"));
        assertThat(Rollback.plan(rollout("1.10.0"), uploaded("1.10.0", "1.9.0", "1.2.0", "1.11.0")))
                .as("numbers compare as numbers: 1.9.0 < 1.10.0 though '1.9' > '1.1' as text").isEqualTo(new Rollback.Pin("1.9.0", "1.10.0"));
    }

    @Test
    void withoutAVersionBelowTheSentenceNamesTheBundleToUpload() {
        assertThat(Rollback.plan(rollout("1.4.0", "1.4.0", "1.3.2", "1.3.10"), uploaded("1.4.0", "1.5.0")))
                .isEqualTo(new Rollback.Refused("No uploaded version is below 1.4.0, the target of connector group Default: "
                        + "upload the bundle of version 1.3.10 first."));
        assertThat(Rollback.plan(rollout("1.4.0", "1.4.0"), uploaded("1.4.0")))
                .isEqualTo(new Rollback.Refused("No uploaded version is below 1.4.0, the target of connector group Default: "
                        + "upload the bundle of the version to go back to first."));
        assertThat(Rollback.plan(rollout("", "1.3.0"), uploaded()))
                .isEqualTo(new Rollback.Refused("Connector group Default has nothing to roll back: no update bundle is uploaded."));
    }
}
