package dev.drawbridge.console.apps;

import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.shell.Forms;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.scene.control.Control;
import javafx.scene.control.Label;

/** The app editor's errors of an app's own limits, each under the limits' row in the same cell (the form keeps its height). */
final class AppLimitsRows {
    private AppLimitsRows() {
    }

    /**
     * {@code field}'s error sentence (id {@code <input id>-error}), shown and taking room only when non-empty; {@code input}
     * is marked invalid meanwhile, and leaving it touches the field.
     */
    static Label error(Control input, FieldErrors errors, String field) {
        ObservableStringValue error = errors.error(field);
        input.focusedProperty().addListener((o, was, now) -> {
            if (was && !now) {
                errors.touch(field);
            }
        });
        Label e = new Label();
        e.getStyleClass().add("field-error");
        e.setId(input.getId() + "-error");
        e.setWrapText(true);
        e.textProperty().bind(error);
        e.visibleProperty().bind(Bindings.isNotEmpty(error));
        e.managedProperty().bind(e.visibleProperty());
        Forms.markInvalid(input, error);
        return e;
    }
}
