package dev.drawbridge.console.logs;

import dev.drawbridge.adminclient.AdminApi;
import dev.drawbridge.adminclient.AdminClientException;
import dev.drawbridge.adminclient.Paging;
import dev.drawbridge.console.session.Listing;
import dev.drawbridge.console.session.Notices;
import dev.drawbridge.console.session.Pages;
import dev.drawbridge.console.session.Tasks;
import dev.drawbridge.model.api.Page;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.StringBinding;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BinaryOperator;
import java.util.function.Function;

/**
 * One log: its filters (by the API's names), its rows read 500 at a time (Load more appends the next page), live
 * follow (reload every few seconds while the tab is visible), and CSV export of the rows shown.
 */
public final class LogTab<T> {
    /**
     * A column of the table and of the CSV export: the table shows {@code shown} (words an admin reads, local time),
     * the CSV holds {@code csv} (the API's codes and ISO-8601 instants, for machines).
     */
    public record Column<T>(String title, Function<T, Object> shown, Function<T, Object> csv) {
        /** A column whose table and CSV hold the same value. */
        public Column(String title, Function<T, Object> value) {
            this(title, value, value);
        }
    }

    /** Reads one page of the log with the filters set (name → value; those left empty are absent). */
    interface Fetch<T> {
        Page<T> get(AdminApi api, Paging paging, Map<String, String> filters) throws AdminClientException;
    }

    static final int PAGE = 500;

    private final String feature;
    private final String path;
    private final Fetch<T> fetch;
    private final Map<String, StringProperty> filters = new LinkedHashMap<>();
    private final Listing<T> rows;
    private final Pages<T> pages;
    private final BooleanProperty follow = new SimpleBooleanProperty(true);
    private final List<Column<T>> columns;
    private boolean loadedOnce;
    private BinaryOperator<String> resolve = (name, value) -> value;

    LogTab(String feature, String path, Function<T, Object> key, List<String> filterNames, List<Column<T>> columns,
           Fetch<T> fetch) {
        this.feature = feature;
        this.path = path;
        this.fetch = fetch;
        this.rows = new Listing<>(key);
        this.pages = new Pages<>(rows, PAGE);
        this.columns = List.copyOf(columns);
        filterNames.forEach(f -> filters.put(f, new SimpleStringProperty("")));
    }

    public Listing<T> rows() {
        return rows;
    }

    public StringProperty filter(String name) {
        return filters.get(name);
    }

    public List<String> filterNames() {
        return List.copyOf(filters.keySet());
    }

    /** How many rows are shown of how many match, and whether there are more. */
    public Pages<T> pages() {
        return pages;
    }

    /** What an empty table says: nothing logged yet, or nothing matching the filters set. */
    public StringBinding emptyText() {
        return Bindings.createStringBinding(() -> filters.values().stream().allMatch(f -> f.get() == null || f.get().isBlank())
                ? "Nothing in " + feature + " yet." : "Nothing matches these filters.", filters.values().toArray(Observable[]::new));
    }

    public BooleanProperty followProperty() {
        return follow;
    }

    public List<Column<T>> columns() {
        return columns;
    }

    /** The filters to send: name → value (stripped, resolved) of those not empty. */
    Map<String, String> filters() {
        Map<String, String> set = new LinkedHashMap<>();
        filters.forEach((k, v) -> {
            if (!v.get().isBlank()) {
                set.put(k, resolve.apply(k, v.get().strip()));
            }
        });
        return Collections.unmodifiableMap(set);
    }

    /** Turns what the admin picked into the query value (an app name into its id). */
    void resolveWith(BinaryOperator<String> r) {
        this.resolve = r;
    }

    void load(AdminApi api, Tasks tasks, Notices notices) {
        loadedOnce = true;
        Map<String, String> set = filters();
        pages.first(tasks, notices, feature, path + set, (offset, limit) -> fetch.get(api, new Paging(offset, limit), set));
    }

    /** Appends the next 500 rows; Follow stops, so the rows paged to stay on screen. */
    void more(Tasks tasks, Notices notices) {
        follow.set(false);
        pages.more(tasks, notices);
    }

    /** Reloads when following, or when never loaded. */
    void poll(AdminApi api, Tasks tasks, Notices notices) {
        if (follow.get() || !loadedOnce) {
            load(api, tasks, notices);
        }
    }

    void export(Path file) throws IOException {
        Csv.write(file, columns.stream().map(Column::title).toList(),
                rows.items().stream().map(r -> columns.stream().map(c -> c.csv().apply(r)).toList()).toList());
    }
}
