package dev.drawbridge.console.apps.sso;

import dev.drawbridge.model.api.Problem.FieldError;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A list of {@link SsoRow}s the single sign-on section edits (the headers, a SAML assertion's attributes), with the errors
 * the rules name by index ({@code headers[1].name}: the second row's name) put on their rows: a row shows its errors once
 * edited, all rows once a save was tried; the server's errors show on the rows that were sent until the row changes.
 *
 * @param <R> the row type
 */
public final class SsoRows<R extends SsoRow> {
    private final Pattern field;
    private final Supplier<R> factory;
    private final ObservableList<R> rows = FXCollections.observableArrayList();
    private final Set<R> touched = new HashSet<>();
    private final Map<R, Map<String, String>> server = new HashMap<>();

    /**
     * @param name    the list's field name in the rules' errors ({@code headers}, {@code saml.attributes})
     * @param factory a new empty row
     * @param changed runs after every change of the list or of a row
     */
    SsoRows(String name, Supplier<R> factory, Runnable changed) {
        this.field = Pattern.compile(Pattern.quote(name) + "\\[(\\d+)](?:\\.(\\w+))?");
        this.factory = factory;
        rows.addListener((ListChangeListener<R>) c -> {
            while (c.next()) {
                for (R r : c.getAddedSubList()) {
                    // Change listeners: an invalidation listener would miss changes to a value nobody reads (a claim).
                    for (ObservableValue<?> in : r.inputs()) {
                        in.addListener((x, was, now) -> {
                            touched.add(r);
                            server.remove(r);
                            changed.run();
                        });
                    }
                }
            }
            changed.run();
        });
    }

    /** The rows, in order. */
    public ObservableList<R> rows() {
        return rows;
    }

    /** A new empty row at the end (it shows no error before it is edited). */
    public R add() {
        R r = factory.get();
        rows.add(r);
        return r;
    }

    public void remove(R row) {
        rows.remove(row);
    }

    /** Shows {@code loaded} as stored: nothing touched, no server error. */
    void load(List<R> loaded) {
        rows.setAll(loaded);
        touched.clear();
        server.clear();
    }

    /** Whether {@code e} names a row of this list (or a field of one). */
    boolean names(FieldError e) {
        return e.field() != null && field.matcher(e.field()).matches();
    }

    /** Puts the server's error {@code e} on the row it names among {@code sent}; answers whether it named one of them. */
    boolean server(FieldError e, List<R> sent) {
        Matcher m = field.matcher(e.field() == null ? "" : e.field());
        int i = m.matches() ? Integer.parseInt(m.group(1)) : -1;
        if (i < 0 || i >= sent.size()) {
            return false;
        }
        server.computeIfAbsent(sent.get(i), r -> new LinkedHashMap<>())
                .merge(m.group(2) == null ? "" : m.group(2), e.message(), (a, b) -> a + " " + b);
        return true;
    }

    /** Whether the server found something on a row that did not change since. */
    boolean hasServerErrors() {
        return !server.isEmpty();
    }

    /**
     * Shows the rules' {@code errors} that name a row on it (once the row was touched, or on every row when {@code all}),
     * with the server's; answers whether any names a row (the list cannot be saved then).
     */
    boolean show(List<FieldError> errors, boolean all) {
        Map<R, Map<String, String>> found = new HashMap<>();
        for (FieldError e : errors) {
            Matcher m = field.matcher(e.field() == null ? "" : e.field());
            int i = m.matches() ? Integer.parseInt(m.group(1)) : -1;
            if (i >= 0 && i < rows.size()) {
                R r = rows.get(i);
                String f = m.group(2) == null || !r.hasField(m.group(2)) ? "" : m.group(2);
                found.computeIfAbsent(r, x -> new LinkedHashMap<>()).merge(f, e.message(), (a, b) -> a + " " + b);
            }
        }
        for (R r : rows) {
            Map<String, String> shown = new LinkedHashMap<>(all || touched.contains(r) ? found.getOrDefault(r, Map.of()) : Map.of());
            server.getOrDefault(r, Map.of()).forEach(shown::putIfAbsent);
            r.show(shown);
        }
        return !found.isEmpty();
    }
}
