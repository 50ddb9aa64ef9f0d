package dev.drawbridge.console.policies;

import dev.drawbridge.console.session.DialogForm;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.NamedLocation;
import javafx.beans.property.BooleanProperty;
import javafx.beans.property.SimpleBooleanProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The named location dialog's form: a name, trusted or not, and its IP ranges (which the server checks one by one). */
public final class LocationForm extends DialogForm {
    public static final String NAME = "name", CIDRS = "cidrs";

    private final String id;
    final StringProperty name = new SimpleStringProperty("");
    final BooleanProperty trusted = new SimpleBooleanProperty(false);
    final StringProperty cidrs = new SimpleStringProperty("");
    private final FieldErrors errors = new FieldErrors(List.of(Field.of(NAME, name), Field.of(CIDRS, cidrs)),
            () -> check(name.get(), cidrs.get()));

    /** A form for a new named location, or to edit {@code l}. */
    public LocationForm(NamedLocation l) {
        id = l == null ? null : l.id();
        if (l != null) {
            name.set(l.name());
            trusted.set(l.trusted());
            cidrs.set(String.join("\n", l.cidrs()));
        }
        errors.reset();
    }

    static Map<String, String> check(String name, String cidrs) {
        Map<String, String> e = new LinkedHashMap<>();
        if (name.isBlank()) {
            e.put(NAME, "Name is required, e.g. Head office");
        } else if (name.strip().length() > 200) {
            e.put(NAME, "Name is at most 200 characters.");
        }
        if (PolicyForm.list(cidrs).isEmpty()) {
            e.put(CIDRS, "Give at least one IP range, e.g. 203.0.113.0/24 (one a line).");
        }
        return e;
    }

    @Override
    public FieldErrors errors() {
        return errors;
    }

    public boolean isNew() {
        return id == null;
    }

    public NamedLocation location() {
        return new NamedLocation(id, name.get().strip(), trusted.get(), PolicyForm.list(cidrs.get()));
    }

    public StringProperty nameProperty() {
        return name;
    }

    public BooleanProperty trustedProperty() {
        return trusted;
    }

    /** IPv4 or IPv6 ranges, one a line (or comma-separated). */
    public StringProperty cidrsProperty() {
        return cidrs;
    }
}
