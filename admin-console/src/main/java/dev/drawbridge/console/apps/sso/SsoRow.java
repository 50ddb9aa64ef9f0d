package dev.drawbridge.console.apps.sso;

import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.value.ObservableValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One row of a list the single sign-on section edits in a table (a header, a SAML attribute): its inputs, and the error
 * sentence of each of its fields as the rules name them after {@code list[i].} ({@code name}, {@code source}, …; errors of
 * the row as a whole under {@code ""}), which {@link SsoRows} fills.
 */
public abstract class SsoRow {
    private final List<String> fields;
    private final Map<String, ReadOnlyStringWrapper> errors = new LinkedHashMap<>();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    /** @param fields the row's fields in the order it shows them, as the rules name them */
    protected SsoRow(List<String> fields) {
        this.fields = List.copyOf(fields);
        this.fields.forEach(f -> errors.put(f, new ReadOnlyStringWrapper("")));
        errors.put("", new ReadOnlyStringWrapper(""));
    }

    /** What the admin edits: a change touches the row. */
    abstract List<ObservableValue<?>> inputs();

    /** Whether the rules' field name {@code field} is one of the row's (else its error is the row's own). */
    boolean hasField(String field) {
        return fields.contains(field);
    }

    /** The error shown for one field of the row (empty when fine, or not shown yet). */
    public ReadOnlyStringProperty error(String field) {
        ReadOnlyStringWrapper w = errors.get(field);
        if (w == null) {
            throw new IllegalArgumentException("no field " + field);
        }
        return w.getReadOnlyProperty();
    }

    /** Every error shown for the row, one sentence after the other: what the row's error line says. */
    public ReadOnlyStringProperty errorProperty() {
        return error.getReadOnlyProperty();
    }

    /** Shows {@code shown} (field → sentence) on the row. */
    void show(Map<String, String> shown) {
        errors.forEach((f, w) -> w.set(shown.getOrDefault(f, "")));
        error.set(errors.keySet().stream().map(shown::get).filter(m -> m != null && !m.isEmpty()).distinct()
                .collect(Collectors.joining(" ")));
    }

    /** An empty string for none. */
    static String text(String s) {
        return s == null ? "" : s;
    }

    /** None for an empty string. */
    static String emptyIsNone(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
