package dev.drawbridge.console.shell;

import dev.drawbridge.console.session.Listing;
import javafx.beans.binding.Bindings;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.value.ObservableStringValue;
import javafx.collections.ListChangeListener;
import javafx.scene.control.Label;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableView;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Objects;
import java.util.function.Function;

/** Table building blocks every screen uses: columns from functions, a listing bound to a table. */
public final class Tables {
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Tables() {
    }

    public static <T> TableColumn<T, Object> column(String title, double width, Function<T, Object> value) {
        TableColumn<T, Object> c = new TableColumn<>(title);
        c.setPrefWidth(width);
        c.setCellValueFactory(f -> new ReadOnlyObjectWrapper<>(f.getValue() == null ? null : value.apply(f.getValue())));
        return c;
    }

    /** A table over a listing: its items, selection kept in the listing, a placeholder saying why it is empty. */
    public static <T> TableView<T> table(Listing<T> listing, String emptyText) {
        return table(listing, new SimpleStringProperty(emptyText));
    }

    /** As {@link #table(Listing, String)}, with a placeholder sentence that changes (e.g. with the filters). */
    public static <T> TableView<T> table(Listing<T> listing, ObservableStringValue emptyText) {
        TableView<T> t = new TableView<>(listing.items());
        t.setColumnResizePolicy(TableView.CONSTRAINED_RESIZE_POLICY_FLEX_LAST_COLUMN);
        Label placeholder = new Label();
        placeholder.textProperty().bind(Bindings.createStringBinding(
                () -> !listing.unavailableProperty().get().isEmpty() ? listing.unavailableProperty().get()
                        : listing.loadingProperty().get() ? "Loading…" : emptyText.get(),
                listing.unavailableProperty(), listing.loadingProperty(), emptyText));
        placeholder.setWrapText(true);
        t.setPlaceholder(placeholder);
        t.getSelectionModel().selectedItemProperty().addListener((o, was, now) -> {
            if (!listing.isReplacing()) {
                listing.selectedProperty().set(now);
            }
        });
        listing.selectedProperty().addListener((o, was, now) -> {
            if (now != t.getSelectionModel().getSelectedItem()) {
                if (now == null) {
                    t.getSelectionModel().clearSelection();
                } else {
                    t.getSelectionModel().select(now);
                }
            }
        });
        listing.items().addListener((ListChangeListener<T>) c -> {
            T sel = listing.selected();
            if (sel != null && !Objects.equals(t.getSelectionModel().getSelectedItem(), sel)) {
                t.getSelectionModel().select(sel);
            }
        });
        return t;
    }

    public static String time(Instant i) {
        return i == null ? "" : TIME.format(i);
    }

    /** "12 s ago", "5 min ago", "3 h ago", "2 days ago". */
    public static String ago(Instant i, Instant now) {
        if (i == null) {
            return "never";
        }
        Duration d = Duration.between(i, now);
        if (d.isNegative() || d.toSeconds() < 60) {
            return Math.max(0, d.toSeconds()) + " s ago";
        }
        if (d.toMinutes() < 60) {
            return d.toMinutes() + " min ago";
        }
        if (d.toHours() < 48) {
            return d.toHours() + " h ago";
        }
        return d.toDays() + " days ago";
    }
}
