package dev.drawbridge.console.session;

import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;

import java.util.List;
import java.util.Objects;
import java.util.function.Function;

/**
 * A list a screen shows: its items, the selected one (kept by key across reloads), whether a load is running,
 * and, when the server lacks the endpoint, a sentence saying so. One load at a time: a refresh that finds a
 * load in flight is skipped.
 */
public final class Listing<T> {
    private final ObservableList<T> items = FXCollections.observableArrayList();
    private final ObjectProperty<T> selected = new SimpleObjectProperty<>();
    private final BooleanProperty loading = new SimpleBooleanProperty(false);
    private final StringProperty unavailable = new SimpleStringProperty("");
    private final Function<T, Object> key;
    private boolean missingReported;
    private boolean replacing;

    public Listing(Function<T, Object> key) {
        this.key = key;
    }

    public ObservableList<T> items() {
        return items;
    }

    public ObjectProperty<T> selectedProperty() {
        return selected;
    }

    public T selected() {
        return selected.get();
    }

    public BooleanProperty loadingProperty() {
        return loading;
    }

    public StringProperty unavailableProperty() {
        return unavailable;
    }

    /** True while {@link #replace} swaps the items: a table clearing its selection then is not the user's doing. */
    public boolean isReplacing() {
        return replacing;
    }

    public Object key(T t) {
        return key.apply(t);
    }

    /**
     * Loads in the background. A 404 marks the list unavailable ({@code feature} names it) and is reported once
     * as a warning; other failures as errors.
     */
    public void load(Tasks tasks, Notices notices, String feature, Tasks.Work<List<T>> work) {
        if (loading.get()) {
            return;
        }
        loading.set(true);
        tasks.runQuietly("load " + feature, work, list -> {
            loading.set(false);
            unavailable.set("");
            replace(list);
        }, e -> {
            loading.set(false);
            failed(notices, feature, e);
        });
    }

    /** Reports a failed load: a 404 marks the list unavailable and warns once; anything else is an error. */
    public void failed(Notices notices, String feature, Exception e) {
        if (Failures.notFound(e)) {
            unavailable.set("This server does not offer " + feature + " yet (it answered 404).");
            if (!missingReported) {
                missingReported = true;
                notices.warn("Not available on this server", unavailable.get());
            }
        } else {
            notices.error("Could not load " + feature, Failures.message(e));
        }
    }

    /** Replaces the items, keeping the selection on the item with the same key. */
    public void replace(List<T> list) {
        T sel = selected.get();
        Object k = sel == null ? null : key.apply(sel);
        replacing = true;
        try {
            items.setAll(list);
        } finally {
            replacing = false;
        }
        if (k != null) {
            selected.set(list.stream().filter(t -> Objects.equals(key.apply(t), k)).findFirst().orElse(null));
        }
    }
}
