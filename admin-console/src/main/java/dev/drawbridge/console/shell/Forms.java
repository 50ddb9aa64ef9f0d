package dev.drawbridge.console.shell;

import dev.drawbridge.console.session.FieldErrors;
import javafx.beans.binding.Bindings;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.beans.value.ObservableValue;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.CheckBox;
import javafx.scene.control.Control;
import javafx.scene.control.Label;
import javafx.scene.control.PasswordField;
import javafx.scene.control.TextField;
import javafx.scene.layout.ColumnConstraints;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;

/** Form building blocks: a two-column grid, a labelled input with its live error sentence underneath. */
public final class Forms {
    private Forms() {
    }

    /** A grid whose label column keeps its labels' width and whose input column grows. */
    public static GridPane grid() {
        GridPane form = new GridPane(10, 4);
        ColumnConstraints labels = new ColumnConstraints();
        labels.setMinWidth(Region.USE_PREF_SIZE);
        ColumnConstraints inputs = new ColumnConstraints();
        inputs.setHgrow(Priority.ALWAYS);
        form.getColumnConstraints().addAll(labels, inputs);
        return form;
    }

    public static TextField text(String id, StringProperty p, String prompt) {
        TextField t = new TextField();
        t.setId(id);
        t.setPromptText(prompt);
        t.textProperty().bindBidirectional(p);
        return t;
    }

    /**
     * A write-only secret: the server never sends it back, so the field starts empty and says whether one is
     * stored; typing replaces it.
     */
    public static PasswordField secret(String id, StringProperty p, ObservableValue<Boolean> stored, String prompt) {
        PasswordField f = new PasswordField();
        f.setId(id);
        f.textProperty().bindBidirectional(p);
        f.promptTextProperty().bind(stored.map(s -> s ? "•••••••• stored (write-only): type to replace it" : prompt));
        return f;
    }

    public static CheckBox check(String id, String text, BooleanProperty p) {
        CheckBox c = new CheckBox(text);
        c.setId(id);
        c.selectedProperty().bindBidirectional(p);
        return c;
    }

    /** Adds a row: the label (mnemonic with {@code _}) and an input that has no error of its own. */
    public static int field(GridPane g, int row, String label, Control input) {
        return row(g, row, label, input, input);
    }

    private static int row(GridPane g, int row, String label, Control input, Node content) {
        Label l = new Label(label);
        l.setMnemonicParsing(true);
        l.setLabelFor(input);
        input.setMaxWidth(Double.MAX_VALUE);
        GridPane.setHgrow(content, Priority.ALWAYS);
        g.add(l, 0, row);
        g.add(content, 1, row);
        return row + 1;
    }

    /**
     * Adds a row: the label (mnemonic with {@code _}) and the input of {@code field}, then a row with the field's error
     * sentence (id {@code <input id>-error}), shown only when non-empty, and the input marked invalid meanwhile.
     * Leaving the input touches the field: its error shows from then on.
     *
     * @return the next free row
     */
    public static int field(GridPane g, int row, String label, Control input, FieldErrors errors, String field) {
        return field(g, row, label, input, input, errors, field);
    }

    /** As {@link #field(GridPane, int, String, Control, FieldErrors, String)}, the row showing {@code content}, which holds the input. */
    public static int field(GridPane g, int row, String label, Control input, Node content, FieldErrors errors, String field) {
        row = row(g, row, label, input, content);
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
        markInvalid(input, error);
        g.add(e, 1, row++);
        return row;
    }

    /** Styles {@code input} invalid (a red border) while {@code error} is not empty. */
    public static void markInvalid(Control input, ObservableStringValue error) {
        Runnable mark = () -> {
            if (error.get().isEmpty()) {
                input.getStyleClass().remove("invalid");
            } else if (!input.getStyleClass().contains("invalid")) {
                input.getStyleClass().add("invalid");
            }
        };
        error.addListener((o, was, now) -> mark.run());
        mark.run();
    }

    /** Puts the focus on the first input of {@code form} that shows an error (after a save was tried). */
    public static void focusFirstError(Parent form) {
        form.lookupAll(".invalid").stream().filter(Node::isFocusTraversable).findFirst().ifPresent(Node::requestFocus);
    }
}
