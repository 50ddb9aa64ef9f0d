package dev.drawbridge.console.shell;

import javafx.event.ActionEvent;
import javafx.scene.Node;
import javafx.scene.control.Alert;
import javafx.scene.control.ButtonType;
import javafx.scene.control.ChoiceDialog;
import javafx.scene.control.Dialog;
import javafx.scene.control.TextArea;
import javafx.scene.input.Clipboard;
import javafx.scene.input.ClipboardContent;

import java.util.List;
import java.util.Optional;

/** Small modal questions the views ask: confirm, a choice, a text to copy (forms use {@link FormDialog}). */
public final class Dialogs {
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
}
