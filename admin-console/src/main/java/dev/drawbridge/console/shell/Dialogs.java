package dev.drawbridge.console.shell;

import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.Button;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.Dialog;
import javafx.scene.control.Label;
import javafx.scene.control.TextArea;
import javafx.scene.control.TextField;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;
import javafx.scene.layout.GridPane;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Small modal questions the views ask: confirm, a choice, texts to copy (forms use {@link FormDialog}). */
public final class Dialogs {
    /**
     * One read-only text of {@link #showCopyableFields}: its field gets the id {@code id}, its Copy button {@code id + "-copy"}.
     */
    public record CopyableField(String id, String label, String text) {
        public CopyableField {
            Objects.requireNonNull(id);
            Objects.requireNonNull(label);
            Objects.requireNonNull(text);
        }
    }

    private Dialogs() {
    }

    private static void own(Dialog<?> d, Node owner) {
        if (owner != null && owner.getScene() != null) {
            d.initOwner(owner.getScene().getWindow());
        }
    }

    public static boolean confirm(Node owner, String header, String text) {
        Alert a = new Alert(Alert.AlertType.CONFIRMATION, text, ButtonType.OK, ButtonType.CANCEL);
        own(a, owner);
        a.setHeaderText(header);
        return a.showAndWait().filter(ButtonType.OK::equals).isPresent();
    }

    public static <T> Optional<T> choose(Node owner, String title, String header, T initial, List<T> choices) {
        ChoiceDialog<T> d = new ChoiceDialog<>(initial, choices);
        own(d, owner);
        Node box = d.getDialogPane().lookup(".combo-box");
        if (box != null) {
            box.setId("dialog-choice");
        }
        d.setTitle(title);
        d.setHeaderText(header);
        return d.showAndWait();
    }

    /** Shows a text (an install command, a generated password) with a button that copies it. */
    public static void showCopyable(Node owner, String title, String header, String text) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        own(a, owner);
        a.setTitle(title);
        a.setHeaderText(header);
        TextArea area = new TextArea(text);
        area.setId("copyable-text");
        area.setEditable(false);
        area.setWrapText(true);
        area.setPrefRowCount(5);
        area.setPrefColumnCount(60);
        a.getDialogPane().setContent(area);
        ButtonType copy = new ButtonType("Copy");
        a.getButtonTypes().setAll(copy, ButtonType.CLOSE);
        a.getDialogPane().lookupButton(copy).addEventFilter(ActionEvent.ACTION, e -> {
            ClipboardContent c = new ClipboardContent();
            c.putString(text);
            Clipboard.getSystemClipboard().setContent(c);
            e.consume();
        });
        a.showAndWait();
    }

    /**
     * Shows texts to copy one by one (an install command and the secret it asks for), each in a read-only field with its
     * own Copy button, so that each goes where it belongs and the secret never has to be part of another.
     */
    public static void showCopyableFields(Node owner, String title, String header, List<CopyableField> fields) {
        Alert a = new Alert(Alert.AlertType.INFORMATION);
        own(a, owner);
        a.setTitle(title);
        a.setHeaderText(header);
        GridPane grid = new GridPane();
        grid.setHgap(8);
        grid.setVgap(8);
        int row = 0;
        for (CopyableField f : fields) {
            TextField field = new TextField(f.text());
            field.setId(f.id());
            field.setEditable(false);
            field.setPrefColumnCount(60);
            Label label = new Label(f.label());
            label.setLabelFor(field);
            Button copy = new Button("Copy");
            copy.setId(f.id() + "-copy");
            copy.setOnAction(e -> {
                ClipboardContent c = new ClipboardContent();
                c.putString(f.text());
                Clipboard.getSystemClipboard().setContent(c);
            });
            grid.addRow(row++, label, field, copy);
        }
        a.getDialogPane().setContent(grid);
        a.getButtonTypes().setAll(ButtonType.CLOSE);
        a.showAndWait();
    }
}
