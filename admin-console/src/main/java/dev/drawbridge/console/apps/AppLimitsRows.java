package dev.drawbridge.console.apps;

import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.shell.Forms;
import javafx.beans.binding.Bindings;
import javafx.beans.value.ObservableStringValue;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.layout.GridPane;

/** The app editor's rows for an app's own limits: an error row of its own for a second input on one row (the burst). */
final class AppLimitsRows {
    private AppLimitsRows() {
    }

    /**
     * Adds a row with {@code field}'s error sentence (id {@code <input id>-error}), shown only when non-empty, and marks
     * {@code input} invalid meanwhile; leaving the input touches the field.
     *
     * @return the next free row
     */
    static int errorRow(GridPane form, int row, Control input, FieldErrors errors, String field) {
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
        form.add(e, 1, row);
        return row + 1;
    }
}
