package dev.drawbridge.console.apps.sso;

import dev.drawbridge.model.api.HeaderSource;
import dev.drawbridge.model.api.SamlAttribute;
import dev.drawbridge.model.api.SamlAttribute.NameFormat;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;

import java.util.List;

/**
 * One row of the SAML attributes table: a {@link SamlAttribute} being edited, and the error sentences of its fields
 * ({@link #NAME}, {@link #SOURCE}, {@link #CLAIM}, as the rules name them after {@code saml.attributes[i].}). The claim is
 * sent only with source {@link HeaderSource#CLAIM}.
 */
public final class SamlAttributeRow extends SsoRow {
    public static final String NAME = "name", SOURCE = "source", CLAIM = "claim", NAME_FORMAT = "nameFormat";

    private final StringProperty name = new SimpleStringProperty("");
    private final ObjectProperty<HeaderSource> source = new SimpleObjectProperty<>(HeaderSource.UPN);
    private final StringProperty claim = new SimpleStringProperty("");
    private final ObjectProperty<NameFormat> nameFormat = new SimpleObjectProperty<>(NameFormat.UNSPECIFIED);

    SamlAttributeRow() {
        super(List.of(NAME, SOURCE, CLAIM, NAME_FORMAT));
    }

    static SamlAttributeRow of(SamlAttribute a) {
        SamlAttributeRow row = new SamlAttributeRow();
        row.name.set(text(a.name()));
        row.source.set(a.source() == null ? HeaderSource.UPN : a.source());
        row.claim.set(text(a.claim()));
        row.nameFormat.set(a.nameFormat());
        return row;
    }

    /** The attribute this row stands for. */
    public SamlAttribute attribute() {
        return new SamlAttribute(text(name.get()).strip(), source.get(), source.get() == HeaderSource.CLAIM ? text(claim.get()).strip() : null,
                nameFormat.get());
    }

    @Override
    List<ObservableValue<?>> inputs() {
        return List.of(name, source, claim, nameFormat);
    }

    /** The attribute's Name, e.g. {@code email}. */
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

    public ObjectProperty<NameFormat> nameFormatProperty() {
        return nameFormat;
    }
}
