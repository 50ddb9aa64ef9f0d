package dev.drawbridge.console.apps.sso;

import dev.drawbridge.console.shell.Forms;
import javafx.beans.property.StringProperty;
import javafx.collections.ListChangeListener;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.Region;

import java.util.List;

/**
 * The table of an {@link SsoRows} list (the headers, a SAML assertion's attributes): a line of headings, then per row its
 * inputs, a Remove button, an optional second line of inputs, and the row's error sentence on the line under them. Rebuilt
 * whenever rows come or go. Ids: {@code <prefix>remove-<i>}, {@code <prefix>row-error-<i>}.
 */
final class SsoRowsView {
    /** What one row shows: its first line of inputs (Remove follows them) and a second line, or null. */
    record Lines(List<Node> first, Node second) {
    }

    /** The inputs of row {@code i}. */
    interface RowInputs<R extends SsoRow> {
        Lines of(R row, int i);
    }

    private SsoRowsView() {
    }

    static <R extends SsoRow> GridPane table(String id, String prefix, SsoRows<R> rows, List<String> headings, RowInputs<R> inputs) {
        GridPane table = new GridPane(6, 2);
        table.setId(id);
        Runnable rebuild = () -> rebuild(table, prefix, rows, headings, inputs);
        rows.rows().addListener((ListChangeListener<R>) c -> rebuild.run());
        rebuild.run();
        return table;
    }

    private static <R extends SsoRow> void rebuild(GridPane table, String prefix, SsoRows<R> rows, List<String> headings,
                                                   RowInputs<R> inputs) {
        table.getChildren().clear();
        if (rows.rows().isEmpty()) {
            return;
        }
        int columns = headings.size() + 1;
        for (int c = 0; c < headings.size(); c++) {
            Label h = new Label(headings.get(c));
            h.getStyleClass().add("hint");
            table.add(h, c, 0);
        }
        int line = 1;
        for (int i = 0; i < rows.rows().size(); i++) {
            R r = rows.rows().get(i);
            Lines lines = inputs.of(r, i);
            for (int c = 0; c < lines.first().size(); c++) {
                table.add(lines.first().get(c), c, line);
            }
            Button remove = new Button("Remove");
            remove.setId(prefix + "remove-" + i);
            remove.setMinWidth(Region.USE_PREF_SIZE);
            remove.setOnAction(e -> rows.remove(r));
            table.add(remove, columns - 1, line++);
            if (lines.second() != null) {
                table.add(lines.second(), 0, line++, columns, 1);
            }
            Label error = new Label();
            error.setId(prefix + "row-error-" + i);
            error.getStyleClass().add("field-error");
            error.setWrapText(true);
            error.textProperty().bind(r.errorProperty());
            error.visibleProperty().bind(r.errorProperty().isNotEmpty());
            error.managedProperty().bind(error.visibleProperty());
            table.add(error, 0, line++, columns, 1);
        }
    }

    /** A text input of a row's field: bound to {@code p}, marked while the field shows an error. */
    static TextField text(String id, StringProperty p, String prompt, int columns, SsoRow r, String field) {
        TextField t = new TextField();
        t.setId(id);
        t.setPromptText(prompt);
        t.setPrefColumnCount(columns);
        t.textProperty().bindBidirectional(p);
        Forms.markInvalid(t, r.error(field));
        return t;
    }
}
