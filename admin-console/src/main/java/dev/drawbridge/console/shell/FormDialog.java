package dev.drawbridge.console.shell;

import dev.drawbridge.console.session.DialogForm;
import javafx.application.Platform;
import javafx.beans.binding.Bindings;
import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.Control;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.VBox;

import java.util.function.Consumer;

/**
 * A dialog around a {@link DialogForm}: OK tries the save, so every field shows its error and the dialog stays open
 * while one has an error; otherwise {@code submit} sends the form and gets the action that closes the dialog once the
 * server accepted it. What the server said that no field shows stands under the form (id {@code form-error}).
 */
public final class FormDialog {
    private FormDialog() {
    }

    public static void show(Node owner, String title, String header, GridPane fields, DialogForm form, Consumer<Runnable> submit) {
        Dialog<ButtonType> d = new Dialog<>();
        if (owner != null && owner.getScene() != null) {
            d.initOwner(owner.getScene().getWindow());
        }
        d.setTitle(title);
        d.setHeaderText(header);
        Label other = new Label();
        other.setId("form-error");
        other.getStyleClass().add("error");
        other.setWrapText(true);
        other.setMaxWidth(560);
        other.textProperty().bind(form.errors().other());
        other.visibleProperty().bind(Bindings.isNotEmpty(form.errors().other()));
        other.managedProperty().bind(other.visibleProperty());
        d.getDialogPane().setContent(new VBox(8, fields, other));
        d.getDialogPane().getButtonTypes().setAll(ButtonType.OK, ButtonType.CANCEL);
        Button ok = (Button) d.getDialogPane().lookupButton(ButtonType.OK);
        ok.setId("form-ok");
        ok.disableProperty().bind(form.busyProperty());
        ok.addEventFilter(ActionEvent.ACTION, e -> {
            e.consume();
            if (!form.errors().attempt()) {
                Forms.focusFirstError(fields);
                return;
            }
            submit.accept(() -> {
                d.setResult(ButtonType.OK);
                d.close();
            });
        });
        // An error line that appears or goes changes the form's height: the dialog follows, so OK never slides out of it.
        Runnable fit = () -> Platform.runLater(() -> {
            if (d.getDialogPane().getScene() != null && d.getDialogPane().getScene().getWindow() != null) {
                d.getDialogPane().getScene().getWindow().sizeToScene();
            }
        });
        fields.lookupAll(".field-error").forEach(n -> n.visibleProperty().addListener((o, was, now) -> fit.run()));
        other.visibleProperty().addListener((o, was, now) -> fit.run());
        // The admin starts typing in the first field.
        d.setOnShown(e -> fields.getChildren().stream().filter(n -> n instanceof Control && !(n instanceof Label) && n.isFocusTraversable())
                .findFirst().ifPresent(Node::requestFocus));
        d.show();
    }
}
