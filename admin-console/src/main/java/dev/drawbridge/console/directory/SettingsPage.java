package dev.drawbridge.console.directory;

import dev.drawbridge.console.session.Permissions;
import dev.drawbridge.model.api.AdminRole.Permission;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.StringProperty;
import javafx.geometry.Insets;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.ScrollPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import java.util.ArrayList;
import java.util.List;

/** The parts the Directory sync and External sign-in tabs share: heading and state, read-only form, Reload, page. */
final class SettingsPage {
    private SettingsPage() {
    }

    /** Without the directory write permission, the form's inputs are disabled (its labels stay readable). */
    static void readOnlyUnlessWritable(GridPane form, Permissions perms) {
        if (perms.denied(Permission.DIRECTORY_WRITE).isPresent()) {
            form.getChildren().stream().filter(n -> !(n instanceof Label)).forEach(n -> n.setDisable(true));
        }
    }

    /** Reload drops unsaved changes and loads the settings again. */
    static Button reload(String id, BooleanProperty dirty, Runnable refresh) {
        Button reload = new Button("Reload");
        reload.setId(id);
        reload.setOnAction(e -> {
            dirty.set(false);
            refresh.run();
        });
        return reload;
    }

    /** The page: a heading, the state line (id {@code stateId}) under it, then {@code parts}; scrolls when tall. */
    static ScrollPane page(String heading, String stateId, StringProperty state, Node... parts) {
        Label title = new Label(heading);
        title.getStyleClass().add("section");
        Label stateLabel = new Label();
        stateLabel.setId(stateId);
        stateLabel.getStyleClass().add("hint");
        stateLabel.textProperty().bind(state);
        List<Node> children = new ArrayList<>(List.of(title, stateLabel));
        children.addAll(List.of(parts));
        VBox box = new VBox(10, children.toArray(Node[]::new));
        box.setPadding(new Insets(8));
        box.setMaxWidth(820);
        ScrollPane root = new ScrollPane(box);
        root.setFitToWidth(true);
        return root;
    }
}
