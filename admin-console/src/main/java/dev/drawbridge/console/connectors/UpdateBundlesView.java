package dev.drawbridge.console.connectors;

import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.console.shell.Dialogs;
import dev.drawbridge.console.shell.Guard;
import dev.drawbridge.console.shell.Tables;
import dev.drawbridge.model.api.AdminRole.Permission;
import dev.drawbridge.model.api.ConnectorUpdateView;
import javafx.geometry.Insets;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ProgressIndicator;
import javafx.scene.control.TableView;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.VBox;
import javafx.stage.FileChooser;

import java.io.File;

/**
 * The Updates tab of the Connectors screen: the uploaded connector update bundles (version, size, SHA-256, uploaded at
 * and by); Upload… (a file chooser; a progress indicator while it streams; the server's sentence in red when it refuses)
 * and Delete (after a confirmation) need {@code CONNECTOR_UPDATES_WRITE}, which only global administrators hold. Ids:
 * {@code updates-table}, {@code updates-upload}, {@code updates-delete}, {@code updates-progress}, {@code updates-problem}.
 */
final class UpdateBundlesView {
    private UpdateBundlesView() {
    }

    static Node of(UpdateBundles u, Permissions perms) {
        TableView<ConnectorUpdateView> table = Tables.table(u.bundles(), "No connector update uploaded: connectors run the version "
                + "their package installed.");
        table.setId("updates-table");
        table.getColumns().add(Tables.column("Version", 90, ConnectorUpdateView::version));
        table.getColumns().add(Tables.column("Size", 90, v -> UpdateBundles.size(v.size())));
        table.getColumns().add(Tables.column("SHA-256", 260, ConnectorUpdateView::sha256));
        table.getColumns().add(Tables.column("Uploaded", 140, v -> Tables.time(v.uploadedAt())));
        table.getColumns().add(Tables.column("By", 100, ConnectorUpdateView::uploadedBy));
        VBox.setVgrow(table, Priority.ALWAYS);

        Button upload = new Button("_Upload…");
        upload.setId("updates-upload");
        upload.setOnAction(e -> {
            FileChooser fc = new FileChooser();
            fc.setTitle("Connector update bundle");
            fc.getExtensionFilters().addAll(new FileChooser.ExtensionFilter("Update bundle", "*.zip"),
                    new FileChooser.ExtensionFilter("Any file", "*"));
            File f = fc.showOpenDialog(upload.getScene().getWindow());
            if (f != null) {
                u.upload(f.toPath());
            }
        });
        Button delete = new Button("Delete…");
        delete.setId("updates-delete");
        delete.setOnAction(e -> {
            ConnectorUpdateView v = u.bundles().selected();
            if (v != null && Dialogs.confirm(delete, "Delete connector update " + v.version() + "?",
                    "Connectors can no longer download it. The server refuses while a group pins it or a connector is updating to it.")) {
                u.delete(v);
            }
        });
        ProgressIndicator spinner = new ProgressIndicator();
        spinner.setPrefSize(18, 18);
        Label progress = new Label();
        progress.textProperty().bind(u.progressProperty());
        HBox running = new HBox(6, spinner, progress);
        running.setId("updates-progress");
        running.setAlignment(Pos.CENTER_LEFT);
        running.visibleProperty().bind(u.uploadingProperty());
        running.managedProperty().bind(running.visibleProperty());
        HBox buttons = new HBox(8, Guard.guard(upload, perms, Permission.CONNECTOR_UPDATES_WRITE, u.uploadingProperty()),
                Guard.guard(delete, perms, Permission.CONNECTOR_UPDATES_WRITE, u.bundles().selectedProperty().isNull()), running);
        buttons.setAlignment(Pos.CENTER_LEFT);
        Label problem = new Label();
        problem.setId("updates-problem");
        problem.getStyleClass().add("error");
        problem.setWrapText(true);
        problem.textProperty().bind(u.problemProperty());
        problem.visibleProperty().bind(u.problemProperty().isNotEmpty());
        problem.managedProperty().bind(problem.visibleProperty());
        Label hint = new Label("A bundle is drawbridge-connector-update-<version>.zip from the packages build. The server checks "
                + "it and signs its manifest with its update key, which connectors pinned when they registered.");
        hint.getStyleClass().add("hint");
        hint.setWrapText(true);
        VBox box = new VBox(8, buttons, problem, table, hint);
        box.setPadding(new Insets(8));
        return box;
    }
}
