package dev.drawbridge.console.shell;

import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.StatusLine;
import dev.drawbridge.console.session.StatusLine.Level;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.geometry.Pos;
import javafx.stage.Window;
import javafx.util.Duration;
import org.controlsfx.control.Notifications;

import java.time.Clock;
import java.util.function.Supplier;

/**
 * Notices as ControlsFX notifications at the bottom right of the console window, and in the status bar
 * ({@link #status()}) while the screen that raised them is shown. Each screen raises its notices through its own
 * {@link #forScreen channel}; this object's own methods are the window's (sign-in, the session). The latest notices are
 * also kept in {@link #history()} (tests read it).
 */
public final class FxNotices implements Notices {
    /** A notice as shown. */
    public record Notice(String level, String title, String text) {
    }

    private final Supplier<Window> owner;
    private final StatusLine status;
    private final ObservableList<Notice> history = FXCollections.observableArrayList();

    public FxNotices(Supplier<Window> owner, Clock clock) {
        this.owner = owner;
        this.status = new StatusLine(clock);
    }

    public ObservableList<Notice> history() {
        return history;
    }

    /** What the status bar says. */
    public StatusLine status() {
        return status;
    }

    /**
     * The notices of a screen: in the status bar only while it is shown. {@code screen} answers the screen (it is
     * built with this channel, so it exists only after).
     */
    public Notices forScreen(Supplier<Screen> screen) {
        return new Notices() {
            @Override
            public void info(String title, String text) {
                show(Level.INFO, screen.get(), title, text);
            }

            @Override
            public void warn(String title, String text) {
                show(Level.WARNING, screen.get(), title, text);
            }

            @Override
            public void error(String title, String text) {
                show(Level.ERROR, screen.get(), title, text);
            }
        };
    }

    @Override
    public void info(String title, String text) {
        show(Level.INFO, null, title, text);
    }

    @Override
    public void warn(String title, String text) {
        show(Level.WARNING, null, title, text);
    }

    @Override
    public void error(String title, String text) {
        show(Level.ERROR, null, title, text);
    }

    private void show(Level level, Screen screen, String title, String text) {
        history.add(new Notice(switch (level) {
            case INFO -> "info";
            case WARNING -> "warning";
            case ERROR -> "error";
        }, title, text));
        if (history.size() > 50) {
            history.removeFirst();
        }
        status.raised(level, screen, title, text);
        Window w = owner.get();
        if (w == null || !w.isShowing()) {
            return;
        }
        // A screen the admin has left says whose notice this is.
        String shownTitle = status.isShown(screen) ? title : screen.label().replace("_", "") + ": " + title;
        Notifications n = Notifications.create().owner(w).title(shownTitle).text(text).position(Pos.BOTTOM_RIGHT)
                .hideAfter(Duration.seconds(level == Level.ERROR ? 10 : 5));
        switch (level) {
            case ERROR -> n.showError();
            case WARNING -> n.showWarning();
            case INFO -> n.showInformation();
        }
    }
}
