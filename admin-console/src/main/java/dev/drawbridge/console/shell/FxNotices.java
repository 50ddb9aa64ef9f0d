package dev.drawbridge.console.shell;

import dev.drawbridge.console.session.Notices;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

import java.util.function.Supplier;

/**
 * Notices as ControlsFX notifications at the bottom right of the console window. The latest ones are also kept
 * in {@link #history()} (the status bar shows the last; tests read it).
 */
public final class FxNotices implements Notices {
    /** A notice as shown. */
    public record Notice(String level, String title, String text) {
    }

    private final Supplier<Window> owner;
    private final ObservableList<Notice> history = FXCollections.observableArrayList();

    public FxNotices(Supplier<Window> owner) {
        this.owner = owner;
    }

    public ObservableList<Notice> history() {
        return history;
    }

    @Override
    public void info(String title, String text) {
        show("info", title, text);
    }

    @Override
    public void warn(String title, String text) {
        show("warning", title, text);
    }

    @Override
    public void error(String title, String text) {
        show("error", title, text);
    }

    private void show(String level, String title, String text) {
        history.add(new Notice(level, title, text));
        if (history.size() > 50) {
            history.removeFirst();
        }
        Window w = owner.get();
        if (w == null || !w.isShowing()) {
            return;
        }
        Notifications n = Notifications.create().owner(w).title(title).text(text).position(Pos.BOTTOM_RIGHT)
                .hideAfter(Duration.seconds(level.equals("error") ? 10 : 5));
        switch (level) {
            case "error" -> n.showError();
            case "warning" -> n.showWarning();
            default -> n.showInformation();
        }
    }
}
