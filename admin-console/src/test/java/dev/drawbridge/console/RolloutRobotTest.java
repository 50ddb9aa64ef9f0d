package dev.drawbridge.console;

import dev.drawbridge.console.connectors.ConnectorsView;
import dev.drawbridge.console.connectors.ConnectorsViewModel;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.model.api.AdminRole;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.ConnectorGroupView;
import dev.drawbridge.model.api.ConnectorStatus;
import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.api.ConnectorView;
import dev.drawbridge.model.api.RolloutSettings;
import dev.drawbridge.model.update.UpdateState;
import javafx.scene.Parent;
import javafx.scene.Scene;
import javafx.scene.control.TableView;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testfx.api.FxToolkit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import static dev.drawbridge.console.ConsoleRobot.assertDenied;
import static dev.drawbridge.console.ConsoleRobot.await;
import static dev.drawbridge.console.ConsoleRobot.column;
import static dev.drawbridge.console.ConsoleRobot.fx;
import static dev.drawbridge.console.ConsoleRobot.interact;
import static dev.drawbridge.console.ConsoleRobot.robot;
import static dev.drawbridge.console.ConsoleRobot.selectTab;
import static dev.drawbridge.console.ConsoleRobot.shown;
import static dev.drawbridge.console.ConsoleRobot.snapshot;
import static dev.drawbridge.console.ConsoleRobot.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Connectors screen's update rollout and update bundles in a real window (TestFX; headless Monocle), over the fake
 * admin API: a halted group's reason shown prominently with each connector's update state and last error (also in the
 * Connectors table); Roll back… asks, then pins the version below the target and the halt is gone; Pin version… offers
 * the uploaded versions; Unpin, Pause and Resume; a refused upload's sentence under the Upload button. An application
 * administrator changes the rollout but may not upload or delete bundles (global administrators only); a security reader
 * changes nothing. Saves screenshots (see {@link ConsoleRobot#screenshots()}).
 */
class RolloutRobotTest extends RobotTest {
    ConnectorsViewModel vm;
    @TempDir
    Path dir;

    @AfterEach
    void hide() throws Exception {
        interact(() -> stage.close());
    }

    static ConnectorView connector(String id, String host, UpdateState state, String error) {
        return new ConnectorView(id, "g1", "Default", host, "1.3.0", ConnectorStatus.ACTIVE, 2, Instant.EPOCH, Instant.EPOCH,
                Instant.parse("2027-06-01T00:00:00Z"), state, error);
    }

    void open(Permissions perms) throws Exception {
        api.connectorGroups.put("g1", new ConnectorGroupView("g1", "Default", Instant.EPOCH, 2, 2));
        api.connectors.put("c1", connector("c1", "conn-a.corp", UpdateState.ROLLED_BACK, "did not come up healthy\nwithin PT3M"));
        api.connectors.put("c2", connector("c2", "conn-b.corp", UpdateState.IDLE, ""));
        for (String v : List.of("1.3.0", "1.4.0")) {
            api.updates.put(v, new ConnectorUpdateView(v, "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 48L << 20,
                    Instant.parse("2026-11-20T09:00:00Z"), "admin"));
        }
        api.halted.put("g1", "connector conn-a.corp (c1) could not update to 1.4.0: did not come up healthy\nwithin PT3M");
        vm = new ConnectorsViewModel(api.session(perms), tasks, tasks, Clock.systemUTC());
        stage = FxToolkit.setupStage(s -> {
            Scene scene = new Scene((Parent) new ConnectorsView(vm, perms).root(), 1280, 800);
            scene.getStylesheets().add(ConsoleApp.class.getResource("console.css").toExternalForm());
            s.setScene(scene);
            s.show();
        });
        interact(() -> {
            vm.refresh();
            TableView<ConnectorGroupView> groups = robot.lookup("#groups-table").queryTableView();
            groups.getSelectionModel().select(0);
        });
    }

    @Test
    void aHaltedGroupIsRolledBackPinnedUnpinnedPausedAndResumed() throws Exception {
        open(Permissions.ALL);
        assertThat(column("#connectors-table", "Update state")).containsExactly("Rolled back", "Idle");
        assertThat(column("#connectors-table", "Last error")).containsExactly("did not come up healthy within PT3M", "");

        selectTab("rollout-tab");
        assertThat(shown("#rollout-halted")).isTrue();
        assertThat(text("#rollout-halted")).contains("could not update to 1.4.0: did not come up healthy within PT3M");
        assertThat(text("#rollout-state")).isEqualTo("Halted");
        assertThat(text("#rollout-target")).isEqualTo("1.4.0");
        assertThat(column("#rollout-connectors", "Update state")).containsExactly("Rolled back", "Idle");
        assertThat(column("#rollout-connectors", "Last error")).containsExactly("1.4.0: did not come up healthy within PT3M", "");
        assertThat(fx(() -> robot.lookup("#rollout-resume").query().isDisabled())).as("resume clears the halt").isFalse();
        assertThat(fx(() -> robot.lookup("#rollout-unpin").query().isDisabled())).as("nothing pinned").isTrue();
        snapshot(stage.getScene(), "connectors-rollout-halted");

        robot.clickOn("#rollout-rollback");
        await("the confirmation", () -> robot.lookup("OK").tryQuery().isPresent());
        robot.clickOn("OK");
        await("rolled back", () -> text("#rollout-pinned").equals("1.3.0"));
        assertThat(api.body("connectorGroups.setRollout g1")).isEqualTo(new RolloutSettings(false, "1.3.0"));
        assertThat(shown("#rollout-halted")).isFalse();

        robot.clickOn("#rollout-pin");
        await("the version choice", () -> robot.lookup("#dialog-choice").tryQuery().isPresent());
        assertThat(fx(() -> robot.lookup("#dialog-choice").<String>queryComboBox().getItems())).containsExactly("1.4.0", "1.3.0");
        interact(() -> robot.lookup("#dialog-choice").<String>queryComboBox().setValue("1.4.0"));
        robot.clickOn("OK");
        await("pinned", () -> text("#rollout-pinned").equals("1.4.0"));

        robot.clickOn("#rollout-unpin");
        await("unpinned", () -> text("#rollout-pinned").startsWith("none"));
        robot.clickOn("#rollout-pause");
        await("paused", () -> text("#rollout-state").equals("Paused"));
        assertThat(fx(() -> robot.lookup("#rollout-pause").query().isDisabled())).isTrue();
        robot.clickOn("#rollout-resume");
        await("resumed", () -> !text("#rollout-state").equals("Paused"));
        assertThat(api.body("connectorGroups.setRollout g1")).isEqualTo(new RolloutSettings(false, ""));
    }

    @Test
    void aRefusedUploadShowsTheServersSentence() throws Exception {
        open(Permissions.ALL);
        selectTab("updates-tab");
        assertThat(column("#updates-table", "Version")).containsExactly("1.4.0", "1.3.0");
        assertThat(column("#updates-table", "Size")).containsExactly("48.0 MiB", "48.0 MiB");
        assertThat(shown("#updates-problem")).isFalse();
        // Upload… opens a file chooser, which a headless test cannot drive: the view model gets the file it would.
        Path notABundle = Files.writeString(dir.resolve("notes.zip"), "hello");
        interact(() -> vm.updates().upload(notABundle));
        assertThat(shown("#updates-problem")).isTrue();
        assertThat(text("#updates-problem")).endsWith("the bundle has no drawbridge-update.properties");
        snapshot(stage.getScene(), "connectors-updates");
    }

    @Test
    void anApplicationAdministratorChangesTheRolloutButNotTheBundles() throws Exception {
        Permissions perms = Permissions.of(List.of(AdminRole.APPLICATION_ADMINISTRATOR));
        open(perms);
        Parent root = stage.getScene().getRoot();
        String reason = perms.denied(Permission.CONNECTOR_UPDATES_WRITE).orElseThrow();
        assertThat(reason).isEqualTo("Requires the Global administrator role");
        assertDenied(root, "#updates-upload", reason);
        assertDenied(root, "#updates-delete", reason);
        selectTab("rollout-tab");
        assertThat(fx(() -> robot.lookup("#rollout-resume").query().isDisabled())).isFalse();
    }

    @Test
    void aSecurityReaderSeesTheRolloutAndChangesNothing() throws Exception {
        Permissions perms = Permissions.of(List.of(AdminRole.SECURITY_READER));
        open(perms);
        Parent root = stage.getScene().getRoot();
        String reason = perms.denied(Permission.CONNECTORS_WRITE).orElseThrow();
        for (String id : List.of("#rollout-pause", "#rollout-resume", "#rollout-pin", "#rollout-rollback", "#rollout-unpin")) {
            assertDenied(root, id, reason);
        }
        selectTab("rollout-tab");
        assertThat(text("#rollout-halted")).contains("could not update to 1.4.0");
    }
}
