package dev.drawbridge.console.session;

import dev.drawbridge.model.api.Problem;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The error sentence of each field of a form: the console's own checks first, then what the server said about the
 * field at the last save (until the field changes). {@link #valid()} is true when no field has an error.
 *
 * <p>A form does not greet the admin with red: a field shows its error ({@link #error}) only once it was touched (the
 * admin edited it, or left it: {@link #touch}) or a save was tried ({@link #attempt}); the server's errors show at
 * once. {@link #reset} (after a load, or a new empty form) makes every field untouched again. Every form of the
 * console follows this rule.
 */
public final class FieldErrors {
    /**
     * A field of a form.
     *
     * @param name   as the server names it in a problem's errors
     * @param inputs what the admin edits for it (values or lists): a change touches the field
     */
    public record Field(String name, List<Observable> inputs) {
        public Field {
            inputs = List.copyOf(inputs);
        }

        public static Field of(String name, Observable... inputs) {
            return new Field(name, List.of(inputs));
        }
    }

    private final Map<String, StringProperty> found = new LinkedHashMap<>();
    private final Map<String, StringProperty> shown = new LinkedHashMap<>();
    private final Map<String, String> server = new LinkedHashMap<>();
    private final Set<String> touched = new HashSet<>();
    private final ReadOnlyStringWrapper other = new ReadOnlyStringWrapper("");
    private final Supplier<Map<String, String>> check;
    private final BooleanBinding valid;
    private boolean attempted;

    /**
     * @param fields   the form's fields, in the order the form shows them
     * @param check    the console's checks: field → sentence, for the fields in error
     * @param alsoRead what else the checks read (e.g. whether a password is stored): a change checks again
     */
    public FieldErrors(List<Field> fields, Supplier<Map<String, String>> check, ObservableValue<?>... alsoRead) {
        this.check = check;
        for (Field f : fields) {
            found.put(f.name(), new SimpleStringProperty(""));
            shown.put(f.name(), new SimpleStringProperty(""));
        }
        for (Field f : fields) {
            Runnable edited = () -> {
                touched.add(f.name());
                server.remove(f.name());
                other.set("");
                validate();
            };
            for (Observable o : f.inputs()) {
                // Change listeners: an invalidation listener would miss changes to a value nobody reads.
                switch (o) {
                    case ObservableValue<?> v -> v.addListener((x, was, now) -> edited.run());
                    case ObservableList<?> l -> l.addListener((ListChangeListener<Object>) c -> edited.run());
                    default -> throw new IllegalArgumentException("not a value or a list: " + o);
                }
            }
        }
        for (ObservableValue<?> o : alsoRead) {
            o.addListener((x, was, now) -> validate());
        }
        valid = Bindings.createBooleanBinding(() -> found.values().stream().allMatch(e -> e.get().isEmpty()),
                found.values().toArray(Observable[]::new));
        validate();
    }

    /** The error the form shows under {@code field}: empty when fine, and while the field is untouched and no save was tried. */
    public ReadOnlyStringProperty error(String field) {
        return property(shown, field);
    }

    /** The error of {@code field} whether shown or not (what a save would stop on). */
    public ReadOnlyStringProperty found(String field) {
        return property(found, field);
    }

    /** What the server said at the last save that no field shows (empty when nothing). */
    public ReadOnlyStringProperty other() {
        return other.getReadOnlyProperty();
    }

    public BooleanBinding valid() {
        return valid;
    }

    /** The admin left {@code field}: its error shows from now on. */
    public void touch(String field) {
        property(found, field);
        if (touched.add(field)) {
            show();
        }
    }

    /** A save is tried: every field shows its error. Answers whether the form is valid (the save may go on). */
    public boolean attempt() {
        attempted = true;
        show();
        return valid.get();
    }

    /** A fresh form (loaded, or new and empty): no field touched, no save tried, no server errors. */
    public void reset() {
        touched.clear();
        attempted = false;
        server.clear();
        other.set("");
        validate();
    }

    /** The first field, in form order, that shows an error. */
    public Optional<String> firstShown() {
        return shown.entrySet().stream().filter(e -> !e.getValue().get().isEmpty()).map(Map.Entry::getKey).findFirst();
    }

    /** Puts the server's field errors on the fields; returns the sentences no field shows (empty when none). */
    public String applyServer(Problem p) {
        StringBuilder rest = new StringBuilder();
        for (Problem.FieldError e : p.errors()) {
            String f = e.field() == null ? "" : e.field();
            if (found.containsKey(f)) {
                server.put(f, e.message());
            } else {
                rest.append(rest.isEmpty() ? "" : "\n").append(e.message());
            }
        }
        validate();
        return rest.toString();
    }

    /**
     * A failed save: the server's field errors go on the fields; answers the sentence to report (what no field
     * shows, else the failure itself), which {@link #other()} also holds for a form in a dialog.
     */
    public String failed(Exception e) {
        Optional<Problem> p = Failures.problem(e);
        String rest = p.map(this::applyServer).orElse("");
        boolean landed = p.isPresent() && p.get().errors().stream().anyMatch(f -> f.field() != null && found.containsKey(f.field()));
        String sentence = rest.isEmpty() ? Failures.message(e) : rest;
        other.set(!rest.isEmpty() ? rest : landed ? "" : sentence);
        return sentence;
    }

    /** Checks again (also after a load). */
    public void validate() {
        Map<String, String> now = check.get();
        found.forEach((f, p) -> p.set(now.getOrDefault(f, server.getOrDefault(f, ""))));
        show();
    }

    private void show() {
        shown.forEach((f, p) -> p.set(attempted || touched.contains(f) || server.containsKey(f) ? found.get(f).get() : ""));
    }

    private static StringProperty property(Map<String, StringProperty> map, String field) {
        StringProperty p = map.get(field);
        if (p == null) {
            throw new IllegalArgumentException("no field " + field);
        }
        return p;
    }
}
