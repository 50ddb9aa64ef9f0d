package dev.drawbridge.console.connectors;

import dev.drawbridge.adminclient.Rollback;
import dev.drawbridge.console.labels.Labels;
import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.Forms;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.ConnectorUpdateView;
import dev.drawbridge.model.api.RolloutConnector;
import dev.drawbridge.model.api.RolloutState;
import dev.drawbridge.model.api.RolloutView;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.event.ActionEvent;
import javafx.event.EventHandler;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TableView;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * The Rollout tab of the Connectors screen: the selected group's connector update rollout — state, target and pinned
 * version, and, prominent in red, why it halted — then its connectors with version, status, update state and last error.
 * Pause, Resume (also clears a halt), Pin version… (a choice among the uploaded versions), Roll back (to the highest
 * uploaded version below the target, after a confirmation) and Unpin need {@code CONNECTORS_WRITE}. Ids:
 * {@code rollout-state}, {@code rollout-target}, {@code rollout-pinned}, {@code rollout-updating}, {@code rollout-halted},
 * {@code rollout-message}, {@code rollout-connectors}, {@code rollout-pause}, {@code rollout-resume}, {@code rollout-pin},
 * {@code rollout-rollback}, {@code rollout-unpin}.
 */
final class GroupRolloutView {
    private GroupRolloutView() {
    }

    static Node of(GroupRollout r, UpdateBundles updates, Permissions perms) {
        Label message = new Label();
        message.setId("rollout-message");
        message.setWrapText(true);
        message.textProperty().bind(r.stateProperty());
        message.visibleProperty().bind(r.stateProperty().isNotEmpty());
        message.managedProperty().bind(message.visibleProperty());

        Label halted = new Label();
        halted.setId("rollout-halted");
        halted.getStyleClass().add("rollout-halted");
        halted.setWrapText(true);
        halted.textProperty().bind(r.rolloutProperty().map(v -> v.haltedReason().isEmpty() ? ""
                : "Halted" + (v.haltedAt() == null ? "" : " at " + Tables.time(v.haltedAt())) + ": " + oneLine(v.haltedReason())
                + "\nFix the cause, then Resume, Pin a version or Roll back.").orElse(""));
        halted.visibleProperty().bind(halted.textProperty().isNotEmpty());
        halted.managedProperty().bind(halted.visibleProperty());

        GridPane facts = Forms.grid();
        int row = 0;
        row = fact(facts, row, "State", "rollout-state", r, v -> Labels.of(v.state()) + (v.paused() && v.state() != RolloutState.PAUSED
                ? " (paused)" : ""));
        row = fact(facts, row, "Target version", "rollout-target", r, v -> v.targetVersion().isEmpty() ? "none (no update uploaded)"
                : v.targetVersion());
        row = fact(facts, row, "Pinned version", "rollout-pinned", r, v -> v.pinnedVersion().isEmpty()
                ? "none: the highest uploaded version" : v.pinnedVersion());
        fact(facts, row, "Updating now", "rollout-updating", r, v -> updating(v));
        facts.visibleProperty().bind(r.rolloutProperty().isNotNull());
        facts.managedProperty().bind(facts.visibleProperty());

        TableView<RolloutConnector> table = new TableView<>(r.connectors());
        table.setId("rollout-connectors");
        table.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        table.setPlaceholder(new Label("No connectors in this group."));
        table.getColumns().add(Tables.column("Host name", 150, RolloutConnector::hostName));
        table.getColumns().add(Tables.column("Version", 80, RolloutConnector::version));
        table.getColumns().add(Tables.column("Status", 80, c -> Labels.of(c.status())));
        table.getColumns().add(Tables.column("Update state", 110, c -> Labels.of(c.updateState())));
        table.getColumns().add(Tables.column("Last error", 300, c -> c.lastError().isEmpty() ? ""
                : (c.attemptedVersion().isEmpty() ? "" : c.attemptedVersion() + ": ") + oneLine(c.lastError())));
        VBox.setVgrow(table, Priority.ALWAYS);

        BooleanBinding none = r.rolloutProperty().isNull().or(r.busyProperty());
        Button pause = button("Pause", "rollout-pause", e -> r.pause());
        Button resume = button("Resume", "rollout-resume", e -> r.resume());
        Button pin = button("Pin version…", "rollout-pin", e -> {
            RolloutView v = r.rolloutProperty().get();
            List<String> versions = updates.bundles().items().stream().map(ConnectorUpdateView::version).toList();
            if (v != null && !versions.isEmpty()) {
                Dialogs.choose(pause, "Pin a version", "Which version should the connectors of " + v.groupName() + " run?",
                        v.pinnedVersion().isEmpty() ? v.targetVersion() : v.pinnedVersion(), versions).ifPresent(r::pin);
            }
        });
        Button rollback = button("Roll back…", "rollout-rollback", e -> r.rollBack(confirm(pause, r)));
        Button unpin = button("Unpin", "rollout-unpin", e -> r.unpin());
        var noUploads = Bindings.isEmpty(updates.bundles().items());
        HBox buttons = new HBox(8,
                Guard.guard(pause, perms, Permission.CONNECTORS_WRITE, none.or(is(r, v -> v.paused()))),
                Guard.guard(resume, perms, Permission.CONNECTORS_WRITE, none.or(is(r, v -> !GroupRollout.stopped(v)))),
                Guard.guard(pin, perms, Permission.CONNECTORS_WRITE, none.or(noUploads)),
                Guard.guard(rollback, perms, Permission.CONNECTORS_WRITE, none.or(is(r, v -> v.targetVersion().isEmpty()))),
                Guard.guard(unpin, perms, Permission.CONNECTORS_WRITE, none.or(is(r, v -> v.pinnedVersion().isEmpty()))));
        Label hint = new Label("One connector of the group updates at a time: it drains, restarts on the new version and must "
                + "report healthy before the next one starts. A failed update rolls back and halts the rollout.");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        VBox box = new VBox(8, message, halted, facts, buttons, table, hint);
        box.setPadding(new Insets(8));
        box.setId("rollout-section");
        return box;
    }

    /** Asks before rolling back, naming both versions. */
    private static Predicate<Rollback.Pin> confirm(Node owner, GroupRollout r) {
        return pin -> Dialogs.confirm(owner, "Roll back " + r.rolloutProperty().get().groupName() + " to " + pin.version() + "?",
                "Version " + pin.version() + " is pinned (the highest uploaded below " + pin.from() + "): the group's connectors go "
                        + "back to it one at a time, and a halt is cleared. Unpin later to follow the newest version again.");
    }

    /** A connector's own words (a halt's reason, its last error) on one line: they cannot add lines of their own. */
    static String oneLine(String s) {
        return s.replaceAll("\\p{Cntrl}+", " ");
    }

    private static String updating(RolloutView v) {
        if (v.updatingConnectorId().isEmpty()) {
            return "nobody";
        }
        String host = v.connectors().stream().filter(c -> c.id().equals(v.updatingConnectorId())).map(RolloutConnector::hostName)
                .findFirst().orElse(v.updatingConnectorId());
        return host + " (since " + Tables.time(v.updatingSince()) + ")";
    }

    private static BooleanBinding is(GroupRollout r, Predicate<RolloutView> p) {
        return Bindings.createBooleanBinding(() -> r.rolloutProperty().get() != null && p.test(r.rolloutProperty().get()),
                r.rolloutProperty());
    }

    private static int fact(GridPane g, int row, String label, String id, GroupRollout r, Function<RolloutView, String> value) {
        Label l = new Label();
        l.setId(id);
        l.setWrapText(true);
        l.textProperty().bind(r.rolloutProperty().map(value).orElse(""));
        return Forms.field(g, row, label, l);
    }

    private static Button button(String text, String id, EventHandler<ActionEvent> action) {
        Button b = new Button(text);
        b.setId(id);
        b.setOnAction(action);
        return b;
    }
}
