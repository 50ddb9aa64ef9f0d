package dev.drawbridge.console.shell;

import javafx.scene.Node;

import java.time.Duration;
import java.util.Optional;

/** One screen of the console: its view and how it refreshes while visible. */
public interface Screen {
    /** Navigation label, e.g. "_Applications" (the underscore is dropped for display). */
    String label();

    Node view();

    /** Loads fresh data (called when shown and then every {@link #refreshEvery()} while visible). */
    void refresh();

    /** How often to refresh while visible; empty: only when shown. */
    default Optional<Duration> refreshEvery() {
        return Optional.empty();
    }
}
