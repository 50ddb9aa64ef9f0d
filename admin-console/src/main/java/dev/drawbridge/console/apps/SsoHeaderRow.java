package dev.drawbridge.console.apps;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * One row of the single sign-on headers table: a {@link HeaderRule} being edited, each setting a property, and the
 * error sentences of its fields ({@link #NAME}, {@link #SOURCE}, …, as the rules name them after {@code headers[i].}),
 * which {@link AppSso} fills. The claim is sent only with source {@link HeaderSource#CLAIM}; an empty prefix or
 * separator is none (the separator then is {@value HeaderRule#DEFAULT_SEPARATOR}).
 */
public final class SsoHeaderRow {
    public static final String NAME = "name", SOURCE = "source", CLAIM = "claim", PREFIX = "prefix", SEPARATOR = "separator";
    /** The fields in the order the row shows them; errors of the rule as a whole come under {@code ""}. */
    static final List<String> FIELDS = List.of(NAME, SOURCE, CLAIM, PREFIX, SEPARATOR, "");

    private final StringProperty name = new SimpleStringProperty("");
    private final ObjectProperty<HeaderSource> source = new SimpleObjectProperty<>(HeaderSource.UPN);
    private final StringProperty claim = new SimpleStringProperty("");
    private final BooleanProperty beforeAt = new SimpleBooleanProperty(false);
    private final BooleanProperty lowerCase = new SimpleBooleanProperty(false);
    private final StringProperty prefix = new SimpleStringProperty("");
    private final StringProperty separator = new SimpleStringProperty("");
    private final Map<String, ReadOnlyStringWrapper> errors = new LinkedHashMap<>();
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper("");

    SsoHeaderRow() {
        FIELDS.forEach(f -> errors.put(f, new ReadOnlyStringWrapper("")));
    }

    static SsoHeaderRow of(HeaderRule r) {
        SsoHeaderRow row = new SsoHeaderRow();
        row.name.set(r.name() == null ? "" : r.name());
        row.source.set(r.source() == null ? HeaderSource.UPN : r.source());
        row.claim.set(r.claim() == null ? "" : r.claim());
        row.beforeAt.set(r.beforeAt());
        row.lowerCase.set(r.lowerCase());
        row.prefix.set(r.prefix() == null ? "" : r.prefix());
        row.separator.set(r.separator() == null ? "" : r.separator());
        return row;
    }

    /** The rule this row stands for. */
    public HeaderRule rule() {
        String c = claim.get() == null ? "" : claim.get().strip();
        return new HeaderRule(name.get() == null ? "" : name.get().strip(), source.get(),
                source.get() == HeaderSource.CLAIM ? c : null, beforeAt.get(), lowerCase.get(), emptyIsNone(prefix.get()),
                emptyIsNone(separator.get()));
    }

    private static String emptyIsNone(String s) {
        return s == null || s.isEmpty() ? null : s;
    }

    /** What the admin edits: a change touches the row. */
    List<ObservableValue<?>> inputs() {
        return List.of(name, source, claim, beforeAt, lowerCase, prefix, separator);
    }

    public StringProperty nameProperty() {
        return name;
    }

    public ObjectProperty<HeaderSource> sourceProperty() {
        return source;
    }

    /** The claim's name (used with source CLAIM only). */
    public StringProperty claimProperty() {
        return claim;
    }

    /** Keep the part before the last {@code @}. */
    public BooleanProperty beforeAtProperty() {
        return beforeAt;
    }

    public BooleanProperty lowerCaseProperty() {
        return lowerCase;
    }

    public StringProperty prefixProperty() {
        return prefix;
    }

    /** What joins several values; empty: ", ". */
    public StringProperty separatorProperty() {
        return separator;
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
        error.set(FIELDS.stream().map(shown::get).filter(m -> m != null && !m.isEmpty()).distinct().collect(Collectors.joining(" ")));
    }
}
