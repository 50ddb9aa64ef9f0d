package dev.drawbridge.console.connectors;

import dev.drawbridge.console.FakeAdminApi;
import dev.drawbridge.console.SyncTasks;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.update.UpdateBundle;
import dev.drawbridge.model.update.UpdateState;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A connector group's update rollout and the uploaded bundles from the console's view models against the fake admin
 * API (which keeps them as the server does): the selected group's rollout shown with its halt; pause keeps the pin,
 * resume clears pause and halt, pin and unpin keep the pause; roll back pins the highest uploaded version below the
 * target only once confirmed, and without one names the bundle to upload; an upload sends the chosen file, a file that
 * cannot be a bundle or a bundle the server refuses leaves its sentence; delete.
 */
class RolloutTest {
    final FakeAdminApi api = new FakeAdminApi();
    final SyncTasks tasks = new SyncTasks();
    final ConnectorsViewModel vm = new ConnectorsViewModel(api.session(), tasks, tasks, Clock.systemUTC());
    @TempDir
    Path dir;

    static ConnectorView connector(String id, String host, String version, UpdateState state, String error) {
        return new ConnectorView(id, "g1", "Default", host, version, ConnectorStatus.ACTIVE, 2, Instant.EPOCH, Instant.EPOCH,
                Instant.EPOCH, state, error);
    }

    static ConnectorUpdateView uploaded(String version) {
        return new ConnectorUpdateView(version, "ab".repeat(32), 1234, Instant.EPOCH, "admin");
    }

    @BeforeEach
    void group() {
        api.connectorGroups.put("g1", new ConnectorGroupView("g1", "Default", Instant.EPOCH, 2, 2));
        api.connectorGroups.put("g2", new ConnectorGroupView("g2", "Branch", Instant.EPOCH, 0, 0));
        api.connectors.put("c1", connector("c1", "conn-a", "1.3.0", UpdateState.ROLLED_BACK, "did not come up healthy within PT3M"));
        api.connectors.put("c2", connector("c2", "conn-b", "1.3.0", UpdateState.IDLE, ""));
        api.updates.put("1.3.0", uploaded("1.3.0"));
        api.updates.put("1.4.0", uploaded("1.4.0"));
        api.halted.put("g1", "connector conn-a (c1) could not update to 1.4.0: did not come up healthy within PT3M");
        vm.refresh();
        select("g1");
    }

    void select(String id) {
        vm.groups().selectedProperty().set(vm.groups().items().stream().filter(g -> g.id().equals(id)).findFirst().orElseThrow());
    }

    @Test
    void theSelectedGroupsRolloutIsShownWithItsHaltAndConnectors() {
        var r = vm.rollout().rolloutProperty().get();
        assertThat(r.state()).isEqualTo(RolloutState.HALTED);
        assertThat(r.targetVersion()).isEqualTo("1.4.0");
        assertThat(r.haltedReason()).contains("could not update to 1.4.0");
        assertThat(vm.rollout().connectors()).extracting(c -> c.hostName() + " " + c.updateState() + " " + c.lastError())
                .containsExactly("conn-a ROLLED_BACK did not come up healthy within PT3M", "conn-b IDLE ");
        assertThat(vm.rollout().stateProperty().get()).isEmpty();
        assertThat(vm.updates().bundles().items()).extracting(ConnectorUpdateView::version).containsExactly("1.4.0", "1.3.0");

        select("g2");
        assertThat(vm.rollout().rolloutProperty().get().groupId()).isEqualTo("g2");
        assertThat(vm.rollout().connectors()).isEmpty();
        vm.groups().selectedProperty().set(null);
        assertThat(vm.rollout().rolloutProperty().get()).isNull();
        assertThat(vm.rollout().stateProperty().get()).isEqualTo(GroupRollout.NONE_SELECTED);
    }

    @Test
    void pauseResumePinAndUnpinPutTheWholeSettings() {
        vm.rollout().pin("1.3.0");
        assertThat(api.body("connectorGroups.setRollout g1")).isEqualTo(new RolloutSettings(false, "1.3.0"));
        assertThat(vm.rollout().rolloutProperty().get().state()).as("a change clears the halt").isEqualTo(RolloutState.UP_TO_DATE);

        vm.rollout().pause();
        assertThat(api.body("connectorGroups.setRollout g1")).as("the pin stays").isEqualTo(new RolloutSettings(true, "1.3.0"));
        vm.rollout().unpin();
        assertThat(api.body("connectorGroups.setRollout g1")).as("the pause stays").isEqualTo(new RolloutSettings(true, ""));
        assertThat(vm.rollout().rolloutProperty().get().state()).isEqualTo(RolloutState.PAUSED);

        api.halted.put("g1", "boom");
        vm.rollout().resume();
        assertThat(api.body("connectorGroups.setRollout g1")).isEqualTo(new RolloutSettings(false, ""));
        assertThat(vm.rollout().rolloutProperty().get().state()).isEqualTo(RolloutState.ROLLING);
        assertThat(tasks.notices.getLast()).isEqualTo("info: Rollout resumed: Default updates to 1.4.0, one connector at a time.");
    }

    @Test
    void aPinTheServerRefusesIsReportedAndTheRolloutStays() {
        vm.rollout().pin("9.9.9");
        assertThat(tasks.notices.getLast()).startsWith("error: pin 9.9.9 the update rollout of Default").contains("not uploaded");
        assertThat(vm.rollout().rolloutProperty().get().state()).isEqualTo(RolloutState.HALTED);
        assertThat(vm.rollout().busyProperty().get()).isFalse();
    }

    @Test
    void rollBackPinsTheHighestUploadedVersionBelowTheTargetOnceConfirmed() {
        api.updates.put("1.2.0", uploaded("1.2.0"));
        AtomicReference<String> asked = new AtomicReference<>();
        vm.rollout().rollBack(pin -> {
            asked.set(pin.from() + " -> " + pin.version());
            return false;
        });
        assertThat(asked.get()).isEqualTo("1.4.0 -> 1.3.0");
        assertThat(api.calls()).as("declined: nothing sent").doesNotContain("connectorGroups.setRollout g1");

        vm.rollout().rollBack(pin -> true);
        assertThat(api.body("connectorGroups.setRollout g1")).isEqualTo(new RolloutSettings(false, "1.3.0"));
        assertThat(vm.rollout().rolloutProperty().get().pinnedVersion()).isEqualTo("1.3.0");
        assertThat(vm.rollout().rolloutProperty().get().haltedReason()).isEmpty();
    }

    @Test
    void rollBackWithoutALowerBundleNamesTheOneToUpload() {
        api.updates.remove("1.3.0");
        vm.rollout().rollBack(pin -> {
            throw new AssertionError("nothing to confirm");
        });
        assertThat(tasks.notices.getLast()).isEqualTo("error: Cannot roll back Default: No uploaded version is below 1.4.0, the target"
                + " of connector group Default: upload the bundle of version 1.3.0 first.");
        assertThat(api.calls()).doesNotContain("connectorGroups.setRollout g1");
    }

    @Test
    void anUploadSendsTheFileAndIsListedTheRolloutFollows() throws Exception {
        Path jar = Files.write(dir.resolve("app.jar"), new byte[]{'P', 'K', 5, 6});
        Path bundle = dir.resolve("drawbridge-connector-update-1.5.0.zip");
        UpdateBundle.write(bundle, "1.5.0", "dev.drawbridge.connector.Main", 25, List.of(jar));
        api.halted.clear();
        vm.updates().upload(bundle);
        assertThat(api.calls()).contains("connectorUpdates.upload");
        assertThat(vm.updates().bundles().items()).extracting(ConnectorUpdateView::version).containsExactly("1.5.0", "1.4.0", "1.3.0");
        assertThat(vm.updates().bundles().selected().size()).isEqualTo(Files.size(bundle));
        assertThat(vm.updates().problemProperty().get()).isEmpty();
        assertThat(vm.updates().uploadingProperty().get()).isFalse();
        assertThat(vm.rollout().rolloutProperty().get().targetVersion()).as("the rollout was read again").isEqualTo("1.5.0");

        vm.updates().upload(bundle);
        assertThat(vm.updates().problemProperty().get()).endsWith("version 1.5.0 is uploaded already; delete it first to replace it");
        assertThat(tasks.notices.getLast()).startsWith("error: Could not upload drawbridge-connector-update-1.5.0.zip: ");
    }

    @Test
    void aFileThatCannotBeABundleIsRefusedBeforeAnythingIsSentAndTheServersSentenceIsShown() throws Exception {
        vm.updates().upload(dir);
        assertThat(vm.updates().problemProperty().get()).isEqualTo(dir.getFileName() + " is not a file: choose a connector update bundle (.zip).");
        assertThat(api.calls()).doesNotContain("connectorUpdates.upload");

        Path notZip = Files.writeString(dir.resolve("notes.zip"), "hello");
        vm.updates().upload(notZip);
        assertThat(api.calls()).contains("connectorUpdates.upload");
        assertThat(vm.updates().problemProperty().get()).endsWith(": the bundle has no drawbridge-update.properties");
    }

    @Test
    void deleteRemovesTheBundleAndAPinnedOneIsRefused() {
        api.rolloutSettings.put("g1", new RolloutSettings(false, "1.3.0"));
        vm.updates().delete(uploaded("1.3.0"));
        assertThat(tasks.notices.getLast()).contains("pins version 1.3.0");
        assertThat(api.updates).containsKey("1.3.0");
        vm.updates().delete(uploaded("1.4.0"));
        assertThat(api.updates).doesNotContainKey("1.4.0");
        assertThat(vm.updates().bundles().items()).extracting(ConnectorUpdateView::version).containsExactly("1.3.0");
    }

    @Test
    void sizesReadForPeople() {
        assertThat(UpdateBundles.size(900)).isEqualTo("900 bytes");
        assertThat(UpdateBundles.size(1536)).isEqualTo("1.5 KiB");
        assertThat(UpdateBundles.size(48L << 20)).isEqualTo("48.0 MiB");
    }
}
