package dev.drawbridge.console.session;

import dev.drawbridge.model.api.Problem;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The error sentence of each field of a form, checked as the admin types: the console's own checks first, then
 * what the server said about the field at the last save (until the field changes). {@link #valid()} is true when
 * no field has an error.
 */
public final class FieldErrors {
    private final Map<String, StringProperty> errors = new LinkedHashMap<>();
    private final Map<String, String> server = new LinkedHashMap<>();
    private final Supplier<Map<String, String>> check;
    private final BooleanBinding valid;

    /**
     * @param fields the field names, as the server names them in a problem's errors
     * @param check  the console's checks: field → sentence, for the fields in error
     * @param inputs what the checks read; a change clears the server's errors and checks again
     */
    public FieldErrors(List<String> fields, Supplier<Map<String, String>> check, ObservableValue<?>... inputs) {
        this.check = check;
        fields.forEach(f -> errors.put(f, new SimpleStringProperty("")));
        for (ObservableValue<?> o : inputs) {
            o.addListener((x, was, now) -> {
                server.clear();
                validate();
            });
        }
        valid = Bindings.createBooleanBinding(() -> errors.values().stream().allMatch(e -> e.get().isEmpty()),
                errors.values().toArray(Observable[]::new));
    }

    /** The error of {@code field}, empty when fine. */
    public StringProperty error(String field) {
        StringProperty p = errors.get(field);
        if (p == null) {
            throw new IllegalArgumentException("no field " + field);
        }
        return p;
    }

    public BooleanBinding valid() {
        return valid;
    }

    /** Puts the server's field errors on the fields; returns the sentences no field shows (empty when none). */
    public String applyServer(Problem p) {
        StringBuilder rest = new StringBuilder();
        for (Problem.FieldError e : p.errors()) {
            String f = e.field() == null ? "" : e.field();
            if (errors.containsKey(f)) {
                server.put(f, e.message());
            } else {
                rest.append(rest.isEmpty() ? "" : "\n").append(e.message());
            }
        }
        validate();
        return rest.toString();
    }

    /** Checks again (also after a load). */
    public void validate() {
        Map<String, String> found = check.get();
        errors.forEach((f, p) -> p.set(found.getOrDefault(f, server.getOrDefault(f, ""))));
    }
}
