package dev.drawbridge.console.apps.sso;

import dev.drawbridge.model.api.HeaderRule;
import dev.drawbridge.model.api.HeaderSource;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.util.List;

/**
 * One row of the single sign-on headers table: a {@link HeaderRule} being edited, each setting a property, and the
 * error sentences of its fields ({@link #NAME}, {@link #SOURCE}, …, as the rules name them after {@code headers[i].}).
 * The claim is sent only with source {@link HeaderSource#CLAIM}; an empty prefix or separator is none (the separator then
 * is {@value HeaderRule#DEFAULT_SEPARATOR}).
 */
public final class SsoHeaderRow extends SsoRow {
    public static final String NAME = "name", SOURCE = "source", CLAIM = "claim", PREFIX = "prefix", SEPARATOR = "separator";

    private final StringProperty name = new SimpleStringProperty("");
    private final ObjectProperty<HeaderSource> source = new SimpleObjectProperty<>(HeaderSource.UPN);
    private final StringProperty claim = new SimpleStringProperty("");
    private final BooleanProperty beforeAt = new SimpleBooleanProperty(false);
    private final BooleanProperty lowerCase = new SimpleBooleanProperty(false);
    private final StringProperty prefix = new SimpleStringProperty("");
    private final StringProperty separator = new SimpleStringProperty("");

    SsoHeaderRow() {
        super(List.of(NAME, SOURCE, CLAIM, PREFIX, SEPARATOR));
    }

    static SsoHeaderRow of(HeaderRule r) {
        SsoHeaderRow row = new SsoHeaderRow();
        row.name.set(text(r.name()));
        row.source.set(r.source() == null ? HeaderSource.UPN : r.source());
        row.claim.set(text(r.claim()));
        row.beforeAt.set(r.beforeAt());
        row.lowerCase.set(r.lowerCase());
        row.prefix.set(text(r.prefix()));
        row.separator.set(text(r.separator()));
        return row;
    }

    /** The rule this row stands for. */
    public HeaderRule rule() {
        return new HeaderRule(text(name.get()).strip(), source.get(), source.get() == HeaderSource.CLAIM ? text(claim.get()).strip() : null,
                beforeAt.get(), lowerCase.get(), emptyIsNone(prefix.get()), emptyIsNone(separator.get()));
    }

    @Override
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
}
