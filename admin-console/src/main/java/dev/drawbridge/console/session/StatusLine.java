package dev.drawbridge.console.session;

import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * What the status bar at the bottom of the window says. A notice belongs to the screen that raised it: it shows while
 * that screen is shown, and leaving the screen clears it, so "Identity provider saved" never stands under the
 * Applications screen. A notice that arrives for a screen not shown (a save that finished after the admin moved on)
 * stays out of the status bar (its pop-up still says it). A notice of the window itself (no screen) belongs to the
 * screen shown.
 *
 * <p>How long a notice lives: information (saved, deleted, exported) for {@link #INFO_LIFE}, as long as it takes to
 * read it, then the bar says "Ready" again; a warning or an error stays until the admin leaves the screen, dismisses
 * it (a click on the bar), or a newer notice of the screen replaces it: it says something is wrong, which the admin
 * must not miss.
 */
public final class StatusLine {
    /** How long an information notice stands in the status bar. */
    public static final Duration INFO_LIFE = Duration.ofSeconds(10);
    public static final String READY = "Ready";

    /** How serious a notice is. */
    public enum Level { INFO, WARNING, ERROR }

    /** A notice: its level, the screen that raised it (null: the window's own), what it says, and when. */
    public record Notice(Level level, Object screen, String title, String text, Instant at) {
        public Notice {
            Objects.requireNonNull(level);
            Objects.requireNonNull(title);
            text = text == null ? "" : text;
            Objects.requireNonNull(at);
        }

        /** The bar's line: the title and the first line of the text. */
        String line() {
            String first = text.lines().findFirst().orElse("");
            return first.isEmpty() ? title : title + " — " + first;
        }
    }

    private final Clock clock;
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(READY);
    private final ReadOnlyObjectWrapper<Level> level = new ReadOnlyObjectWrapper<>();
    private Object shown;
    private Notice current;

    public StatusLine(Clock clock) {
        this.clock = clock;
    }

    /** The bar's text: the current notice, or "Ready". */
    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    /** The current notice's level; null while the bar says "Ready". */
    public ReadOnlyObjectProperty<Level> levelProperty() {
        return level.getReadOnlyProperty();
    }

    /** The admin moved to {@code screen}: the previous screen's notice goes. */
    public void screenShown(Object screen) {
        shown = screen;
        show(null);
    }

    /** A notice was raised (by {@code screen}, or by the window when null): it shows if it belongs to the screen shown. */
    public void raised(Level l, Object screen, String title, String textLine) {
        if (screen == null || screen == shown) {
            show(new Notice(l, screen, title, textLine, clock.instant()));
        }
    }

    /** Whether {@code screen} is the one shown. */
    public boolean isShown(Object screen) {
        return screen == null || screen == shown;
    }

    /** Called every second or so: an information notice goes once it has been read. */
    public void tick() {
        if (current != null && current.level() == Level.INFO && !clock.instant().isBefore(current.at().plus(INFO_LIFE))) {
            show(null);
        }
    }

    /** The admin dismissed the notice. */
    public void dismiss() {
        show(null);
    }

    private void show(Notice n) {
        current = n;
        text.set(n == null ? READY : n.line());
        level.set(n == null ? null : n.level());
    }
}
