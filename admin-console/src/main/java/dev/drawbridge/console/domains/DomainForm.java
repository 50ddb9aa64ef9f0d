package dev.drawbridge.console.domains;

import dev.drawbridge.console.session.DialogForm;
import dev.drawbridge.console.session.FieldErrors;
import dev.drawbridge.console.session.FieldErrors.Field;
import dev.drawbridge.model.api.DomainSpec;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A custom domain to add: its name (the server says what is wrong with it on the field). */
public final class DomainForm extends DialogForm {
    public static final String NAME = "name";

    private final StringProperty name = new SimpleStringProperty("");
    private final FieldErrors errors = new FieldErrors(List.of(Field.of(NAME, name)), this::check);

    private Map<String, String> check() {
        Map<String, String> e = new LinkedHashMap<>();
        if (name.get().isBlank()) {
            e.put(NAME, "Enter the domain, like apps.contoso.com.");
        }
        return e;
    }

    @Override
    public FieldErrors errors() {
        return errors;
    }

    public StringProperty nameProperty() {
        return name;
    }

    DomainSpec body() {
        return new DomainSpec(name.get().strip());
    }
}
