package dev.drawbridge.console.connectors;

import dev.drawbridge.console.session.DialogForm;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.List;
import java.util.Map;

/** The New connector group form: its name. */
public final class ConnectorGroupForm extends DialogForm {
    public static final String NAME = "name";

    final StringProperty name = new SimpleStringProperty("");
    private final FieldErrors errors = new FieldErrors(List.of(Field.of(NAME, name)), () -> check(name.get()));

    static Map<String, String> check(String name) {
        if (name.isBlank()) {
            return Map.of(NAME, "Name is required, e.g. Branch office");
        }
        return name.strip().length() > 200 ? Map.of(NAME, "Name is at most 200 characters.") : Map.of();
    }

    @Override
    public FieldErrors errors() {
        return errors;
    }

    public StringProperty nameProperty() {
        return name;
    }
}
